import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from partnerships import services
from partnerships.models import Contribution, OutcomeContract, Partnership, Risk
from tests.cities.factories import CityFactory
from tests.partnerships.factories import (
    ContributionFactory,
    OutcomeContractFactory,
    ParticipationFactory,
    PartnerFactory,
    PartnershipFactory,
    RiskFactory,
)


def test_the_database_refuses_a_kind_from_another_sector(db):
    with pytest.raises(IntegrityError):
        PartnerFactory(sector="public", kind="multinational")


def test_the_service_names_the_field_for_an_unknown_sector_kind_pair(db):
    with pytest.raises(ValidationError) as error:
        services.partner_create(name="Odd", sector="community", kind="police", actor=None)
    assert "kind" in error.value.message_dict


def test_a_partnership_cannot_end_before_it_starts(db, city_a):
    with pytest.raises(ValidationError) as error:
        services.partnership_create(
            city=city_a,
            name="Backwards",
            objective="x",
            theme="engagement",
            approach="explicit",
            start_date=datetime.date(2024, 5, 1),
            end_date=datetime.date(2024, 4, 1),
            actor=None,
        )
    assert "end_date" in error.value.message_dict
    assert not Partnership.objects.exists()


def test_the_database_refuses_end_before_start_too(db):
    partnership = PartnershipFactory()
    partnership.end_date = datetime.date(2000, 1, 1)
    with pytest.raises(IntegrityError):
        partnership.save()


def test_a_partnership_has_one_lead_partner_at_most(db):
    lead = ParticipationFactory(is_lead=True)
    with pytest.raises(ValidationError) as error:
        services.participation_add(
            partnership=lead.partnership,
            partner=PartnerFactory(),
            role="implementing",
            is_lead=True,
            actor=None,
        )
    assert "already has a lead partner" in str(error.value)
    with pytest.raises(IntegrityError):
        ParticipationFactory(partnership=lead.partnership, is_lead=True)


def test_a_negative_amount_is_refused_by_service_and_database(db):
    participation = ParticipationFactory()
    with pytest.raises(ValidationError) as error:
        services.contribution_record(
            partnership=participation.partnership,
            partner=participation.partner,
            kind="money",
            amount=Decimal("-5"),
            currency="BRL",
            pledged_on=datetime.date(2024, 1, 1),
            actor=None,
        )
    assert "amount" in error.value.message_dict
    with pytest.raises(IntegrityError):
        ContributionFactory(amount=Decimal("-1"))


def test_a_pledge_in_a_foreign_currency_needs_an_exchange_rate(db):
    participation = ParticipationFactory()
    kwargs = {
        "partnership": participation.partnership,
        "partner": participation.partner,
        "kind": "money",
        "amount": Decimal("1000"),
        "currency": "USD",
        "pledged_on": datetime.date(2024, 1, 1),
        "actor": None,
    }
    with pytest.raises(ValidationError) as error:
        services.contribution_record(**kwargs)
    assert "exchange_rate" in error.value.message_dict
    contribution = services.contribution_record(**kwargs, exchange_rate=Decimal("5.25"))
    contribution.refresh_from_db()
    assert contribution.value == Decimal("5250.00")


def test_a_contribution_from_an_outsider_is_refused(db):
    partnership = PartnershipFactory()
    with pytest.raises(ValidationError) as error:
        services.contribution_record(
            partnership=partnership,
            partner=PartnerFactory(),
            kind="expertise",
            amount=Decimal("10"),
            currency="BRL",
            pledged_on=datetime.date(2024, 1, 1),
            actor=None,
        )
    assert "partner" in error.value.message_dict
    assert not Contribution.objects.exists()


def test_pledged_and_received_totals_are_computed_by_the_database(db, django_assert_num_queries):
    partnership = PartnershipFactory()
    ContributionFactory(partnership=partnership, amount=Decimal("100"))
    ContributionFactory(
        partnership=partnership, amount=Decimal("50"), received_on=datetime.date(2024, 3, 1)
    )
    PartnershipFactory()  # one with nothing pledged
    with django_assert_num_queries(1):
        rows = {p.slug: p for p in Partnership.objects.with_totals()}
    assert rows[partnership.slug].pledged_total == Decimal("150")
    assert rows[partnership.slug].received_total == Decimal("50")
    assert rows[partnership.slug].partner_count == 2
    other = next(p for slug, p in rows.items() if slug != partnership.slug)
    assert other.pledged_total == 0


def test_contributions_by_sector_and_kind(db):
    partnership = PartnershipFactory()
    ContributionFactory(partnership=partnership, amount=Decimal("100"))
    community = ParticipationFactory(
        partnership=partnership,
        partner=PartnerFactory(sector="community", kind="youth_group"),
        role="implementing",
    )
    ContributionFactory(
        partnership=partnership,
        partner=community.partner,
        kind="volunteer_time",
        amount=Decimal("30"),
    )
    by_sector = {row["partner__sector"]: row["pledged"] for row in Contribution.objects.by_sector()}
    assert by_sector == {"private": Decimal("100"), "community": Decimal("30")}
    by_kind = {row["kind"]: row["pledged"] for row in Contribution.objects.by_kind()}
    assert by_kind == {"money": Decimal("100"), "volunteer_time": Decimal("30")}


def test_outcome_payments_follow_the_measurements_and_stop_at_the_cap(db):
    contract = OutcomeContractFactory()  # baseline 100, lower is better, 7.5 threshold
    for day, value in [(1, "95"), (2, "91"), (3, "80")]:
        services.measurement_record(
            contract=contract,
            measured_on=datetime.date(2024, 1, day),
            value=Decimal(value),
            actor=None,
        )
    # 5 below threshold: 0; 9 × 1000 = 9000; 20 × 1000 = 20000; total 29000, capped at 20000
    row = OutcomeContract.objects.with_payments_due().get(pk=contract.pk)
    assert row.payments_earned == Decimal("29000")
    assert row.payments_due == Decimal("20000")


def test_a_target_that_does_not_improve_is_refused(db):
    contract = OutcomeContractFactory.build(
        partnership=PartnershipFactory(),
        outcome_payer=PartnerFactory(sector="public", kind="national_government"),
        target=Decimal("120"),
    )
    with pytest.raises(ValidationError) as error:
        contract.full_clean()
    assert "target" in error.value.message_dict


def test_a_risk_scores_likelihood_times_impact_and_refuses_six(db):
    risk = RiskFactory(likelihood=4, impact=5)
    risk.refresh_from_db()
    assert risk.score == 20
    with pytest.raises(IntegrityError):
        RiskFactory(likelihood=6)


def test_the_heat_map_counts_risks_per_cell(db):
    RiskFactory(likelihood=2, impact=3)
    RiskFactory(likelihood=2, impact=3)
    RiskFactory(likelihood=5, impact=5)
    assert Risk.objects.heat_map() == {(2, 3): 2, (5, 5): 1}


def test_fiscal_figures_are_derived_by_the_database(db):
    from cities.services import fiscal_year_record

    city = CityFactory()
    year = fiscal_year_record(
        city=city,
        year=2023,
        revenue=Decimal("1000"),
        current_spending=Decimal("800"),
        personnel_spending=Decimal("450"),
        investment=Decimal("150"),
        debt=Decimal("300"),
        actor=None,
    )
    year.refresh_from_db()
    assert year.investment_capacity == Decimal("200")
    assert year.fiscal_balance == Decimal("50")
    with pytest.raises(ValidationError) as error:
        fiscal_year_record(
            city=city,
            year=2024,
            revenue=Decimal("1000"),
            current_spending=Decimal("100"),
            personnel_spending=Decimal("450"),
            investment=Decimal("0"),
            debt=Decimal("0"),
            actor=None,
        )
    assert "personnel_spending" in error.value.message_dict


def test_lesson_tags_are_shared_and_case_insensitive_by_slug(db):
    partnership = PartnershipFactory()
    first = services.lesson_create(
        partnership=partnership, title="A", text="t", tags=["Youth", "Trust"], actor=None
    )
    second = services.lesson_create(
        partnership=partnership, title="B", text="t", tags=["youth"], actor=None
    )
    assert {t.slug for t in first.tags.all()} == {"youth", "trust"}
    assert [t.pk for t in second.tags.all()] == [t.pk for t in first.tags.filter(slug="youth")]


def test_a_partnership_slug_cannot_shadow_a_page(db, city_a):
    with pytest.raises(ValidationError) as error:
        services.partnership_create(
            city=city_a,
            name="Risks",
            slug="risks",
            objective="x",
            theme="engagement",
            approach="explicit",
            actor=None,
        )
    assert "slug" in error.value.message_dict
    made = services.partnership_create(
        city=city_a, name="Lessons", objective="x", theme="engagement", approach="explicit",
        actor=None,
    )  # fmt: skip
    assert made.slug == "lessons-2"

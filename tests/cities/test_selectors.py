from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser

from cities import services
from cities.selectors import city_dashboard, cohort_summary
from partnerships.choices import PartnerKind, Sector
from tests.cities.factories import CityFactory, ZoneFactory
from tests.partnerships.factories import (
    ContributionFactory,
    ParticipationFactory,
    PartnerFactory,
    PartnershipFactory,
    RiskFactory,
)

pytestmark = pytest.mark.django_db

ANON = AnonymousUser()


def community_partner(name):
    return PartnerFactory(name=name, sector=Sector.COMMUNITY, kind=PartnerKind.NGO)


def test_the_dashboard_counts_each_partner_once_by_sector(city_a):
    first = PartnershipFactory(city=city_a)
    second = PartnershipFactory(city=city_a)
    company, ngo = PartnerFactory(name="Acme"), community_partner("Casa")
    for partnership in (first, second):
        ParticipationFactory(partnership=partnership, partner=company)
        ParticipationFactory(partnership=partnership, partner=ngo)
    ParticipationFactory(partnership=first, partner=community_partner("Bairro Vivo"))
    ParticipationFactory(partner=PartnerFactory(name="Elsewhere"))  # another city

    dashboard = city_dashboard(city=city_a, user=ANON)

    by_sector = {row["sector"]: row["count"] for row in dashboard["partners_by_sector"]}
    assert by_sector == {"community": 2, "private": 1}
    assert dashboard["partner_count"] == 3
    assert dashboard["partners_by_sector"][0]["label"] == "Community"


def test_the_dashboard_sums_contributions_by_sector_in_the_city_currency(city_a, city_b):
    partnership = PartnershipFactory(city=city_a)
    ContributionFactory(partnership=partnership, amount=Decimal("1000"))
    ContributionFactory(
        partnership=partnership,
        amount=Decimal("100"),
        currency="USD",
        exchange_rate=Decimal("5"),
        received_on="2024-03-01",
    )
    ngo = community_partner("Casa")
    ParticipationFactory(partnership=partnership, partner=ngo)
    ContributionFactory(partnership=partnership, partner=ngo, amount=Decimal("250"))
    ContributionFactory(partnership=PartnershipFactory(city=city_b), amount=Decimal("9999"))

    rows = city_dashboard(city=city_a, user=ANON)["contributions_by_sector"]

    assert [(r["sector"], r["pledged"], r["received"]) for r in rows] == [
        ("private", Decimal("1500.00"), Decimal("500.00")),
        ("community", Decimal("250.00"), Decimal("0.00")),
    ]


def test_the_dashboard_lists_only_active_partnerships_run_or_served_by_the_city(city_a, city_b):
    PartnershipFactory(city=city_a, name="Escola Viva")
    PartnershipFactory(city=city_a, name="Old plan", status="ended")
    served = PartnershipFactory(city=city_b, name="Regional Watch")
    served.cities_served.add(city_a)
    PartnershipFactory(city=city_b, name="Santos only")

    names = [p.name for p in city_dashboard(city=city_a, user=ANON)["active_partnerships"]]

    assert names == ["Escola Viva", "Regional Watch"]


def test_the_private_summary_is_only_for_staff_and_sponsors_of_the_city(cast):
    partnership = PartnershipFactory(city=cast["city_a"])
    RiskFactory(partnership=partnership, status="open")
    RiskFactory(partnership=partnership, status="open")
    RiskFactory(partnership=partnership, status="mitigating")
    RiskFactory(partnership=partnership, status="closed")
    RiskFactory(partnership=PartnershipFactory(city=cast["city_b"]), status="open")

    for role in ("superuser", "staff_a", "sponsor_a"):
        private = city_dashboard(city=cast["city_a"], user=cast[role])["private"]
        assert private == {"open_risks": 2, "mitigating_risks": 1}, role
    for role in ("staff_b", "citizen", "integrator"):
        assert city_dashboard(city=cast["city_a"], user=cast[role])["private"] is None, role
    assert city_dashboard(city=cast["city_a"], user=ANON)["private"] is None


def test_the_dashboard_orders_zones_and_fiscal_years(city_a):
    ZoneFactory(city=city_a, name="Norte")
    ZoneFactory(city=city_a, name="Centro")
    for year in (2023, 2021, 2022):
        services.fiscal_year_record(
            city=city_a,
            actor=None,
            year=year,
            revenue=Decimal("100"),
            current_spending=Decimal("80"),
            personnel_spending=Decimal("50"),
            investment=Decimal("30"),
            debt=Decimal("0"),
        )

    dashboard = city_dashboard(city=city_a, user=ANON)

    assert [z.name for z in dashboard["zones"]] == ["Centro", "Norte"]
    assert [fy.year for fy in dashboard["fiscal_years"]] == [2021, 2022, 2023]
    assert dashboard["fiscal_years"][0].investment_capacity == Decimal("20.00")
    assert dashboard["fiscal_years"][0].fiscal_balance == Decimal("-10.00")


def member(name, party, first_term=True, conviction=False):
    return CityFactory(
        name=name,
        programme_status="member",
        mayor_party=party,
        mayor_first_term=first_term,
        mayor_collegial_conviction=conviction,
    )


def test_the_cohort_summary_counts_parties_and_the_selection_criteria(db):
    member("Ananindeua", "MDB")
    member("Campinas", "PSB")
    member("Niterói", "PDT", first_term=False)
    member("Pelotas", "PSDB", conviction=None)
    member("Paraty", "MDB")
    member("Juiz de Fora", "")
    CityFactory(name="Candidate town", programme_status="candidate", mayor_party="PT")

    summary = cohort_summary(user=ANON)

    assert [c.name for c in summary["members"]] == [
        "Ananindeua",
        "Campinas",
        "Juiz de Fora",
        "Niterói",
        "Paraty",
        "Pelotas",
    ]
    assert summary["party_count"] == 4
    assert [(row.party, row.count) for row in summary["cities_per_party"]] == [
        ("MDB", 2),
        ("PDT", 1),
        ("PSB", 1),
        ("PSDB", 1),
    ]
    assert summary["party_not_recorded"] == 1
    assert summary["criteria_met"] == 4
    assert summary["criteria_not_met"] == 1
    assert summary["criteria_unknown"] == 1
    assert summary["criteria_met_share"] == Decimal(4) / 6


def test_an_empty_cohort_has_no_share(db):
    summary = cohort_summary(user=ANON)
    assert summary["member_count"] == 0
    assert summary["criteria_met_share"] is None

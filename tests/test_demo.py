import datetime
from decimal import Decimal
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from accounts.choices import Role
from accounts.models import ApiToken, User
from accounts.services import token_authenticate
from cities.models import City, FiscalYear
from partnerships.models import Contribution, OutcomeContract, Partnership, Risk
from partnerships.services import measurement_record


@pytest.fixture(scope="module")
def demo_output(django_db_setup, django_db_blocker):
    """Load the demo once for the module; each test runs in a savepoint inside it."""
    fast = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with django_db_blocker.unblock(), transaction.atomic(), fast:
        output = load()
        yield output
        transaction.set_rollback(True)


@pytest.fixture
def demo(demo_output, db):
    return demo_output


def load() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def test_the_demo_loads_the_seed_cities_and_one_account_per_role(demo):
    output = demo
    assert City.objects.count() == 26
    assert City.objects.filter(programme_status="member", country="BR").count() == 12
    assert City.objects.get(slug="juiz-de-fora").region == "Minas Gerais"
    la_marsa = City.objects.get(slug="la-marsa")
    assert la_marsa.currency == "TND"
    assert la_marsa.zones.count() == 5
    assert la_marsa.zones.filter(name="Bhar Lazrag").exists()
    for role in Role.values:
        assert User.objects.filter(role_assignments__role=role).exists(), role
    assert User.objects.get(email="staff.campinas@juntos.example.org").has_role(
        Role.CITY_STAFF, City.objects.get(slug="campinas")
    )
    assert "juntos-demo" in output
    key = output.split("Integrator API token (new on every run): ")[1].split()[0]
    assert token_authenticate(key=key).user.email == "integrator@juntos.example.org"


def _row_counts() -> dict[str, int]:
    """Rows per model of the domain apps, history tables included."""
    return {
        model._meta.label: model.objects.count()
        for app in ("cities", "partnerships")
        for model in apps.get_app_config(app).get_models()
    }


def test_loading_the_demo_twice_changes_nothing_but_the_integrator_key(demo):
    counts = (City.objects.count(), User.objects.count())
    rows = _row_counts()
    second = load()
    assert (City.objects.count(), User.objects.count()) == counts
    assert _row_counts() == rows
    assert rows["partnerships.Partnership"] > 20
    assert rows["partnerships.HistoricalContribution"] > rows["partnerships.Contribution"]
    assert "0 new" in second
    assert "partnerships: 23 (0 new)" in second
    assert (
        ApiToken.objects.active().filter(user__email="integrator@juntos.example.org").count() == 1
    )


def test_the_demo_passwords_work(demo, client):
    assert client.login(username="staff.lamarsa@juntos.example.org", password="juntos-demo")


LEADS = {
    "ruta-n": ("alcaldia-de-medellin", "accountable"),
    "memphis-fast-forward": ("city-of-memphis", "accountable"),
    "one-service-peterborough": ("social-finance-uk", "extending"),
    "peace-squares-sulamerica": ("instituto-sou-da-paz", "implementing"),
    "converse-community-impact": ("converse", "funding"),
    "think-4-peace": ("tim-parry-johnathan-ball-foundation", "funding"),
    "red-card-to-crime-bromley": ("crystal-palace-fc-foundation", "implementing"),
    "gcerf": ("gcerf", "extending"),
    "juntos-mozambique": ("aga-khan-foundation", "implementing"),
    "juntos-in-campinas": ("comunitas", "extending"),
}


def roles(partnership: Partnership) -> set[tuple[str, str]]:
    return set(partnership.participations.values_list("partner__slug", "role"))


def test_the_demo_loads_the_case_book_partnerships_with_their_lead_partners_and_roles(demo):
    for slug, (lead, role) in LEADS.items():
        partnership = Partnership.objects.get(slug=slug)
        leads = partnership.participations.filter(is_lead=True)
        assert [(p.partner.slug, p.role) for p in leads] == [(lead, role)], slug
    assert Partnership.objects.get(slug="ruta-n").city.country == "CO"
    peterborough = roles(Partnership.objects.get(slug="one-service-peterborough"))
    assert {
        ("ministry-of-justice", "accountable"),
        ("big-lottery-fund", "funding"),
        ("st-giles-trust", "implementing"),
        ("sova", "implementing"),
    } <= peterborough
    mozambique = Partnership.objects.get(slug="juntos-mozambique")
    assert mozambique.city.currency == "MZN"
    assert {("la-caixa-foundation", "funding"), ("tv-surdo", "beneficiary")} <= roles(mozambique)
    bromley = Partnership.objects.get(slug="red-card-to-crime-bromley")
    assert {p.partner.kind for p in bromley.participations.all()} >= {
        "sports_club",
        "police",
        "local_authority",
    }
    # Every demo partnership has exactly one lead partner (clear ownership).
    for partnership in Partnership.objects.all():
        assert partnership.participations.filter(is_lead=True).count() == 1, partnership.slug


def test_every_juntos_city_has_its_programme_partnership_and_meets_the_selection_criteria(demo):
    members = City.objects.filter(programme_status="member")
    assert members.count() == 12
    for city in members:
        juntos = Partnership.objects.get(slug=f"juntos-in-{city.slug}")
        assert juntos.city == city
        assert (juntos.pillar, juntos.theme, juntos.status) == (
            "management",
            "capacity_building",
            "active",
        )
        assert city.meets_selection_criteria is True, city.slug
        assert city.mayor_term_start == datetime.date(2013, 1, 1)
    campinas = City.objects.get(slug="campinas")
    assert (campinas.mayor_name, campinas.mayor_party) == ("Jonas Donizette", "PSB")
    # Mayors we are not sure of are left blank rather than invented.
    assert City.objects.get(slug="corumbatai").mayor_name == ""
    parties = set(members.exclude(mayor_party="").values_list("mayor_party", flat=True))
    assert len(parties) >= 4


def test_the_peterborough_outcome_contract_computes_payments_due(demo):
    contract = OutcomeContract.objects.get(partnership__slug="one-service-peterborough")
    assert contract.outcome_payer.slug == "ministry-of-justice"
    assert contract.investors.count() == 3
    assert (contract.threshold, contract.cap, contract.currency) == (
        Decimal("7.5"),
        Decimal("8000000"),
        "GBP",
    )
    # 8.4% and 9.0% fewer reconvictions, both above the 7.5% threshold, at £300,000 a point.
    due = OutcomeContract.objects.with_payments_due().get(pk=contract.pk).payments_due
    assert due == Decimal("5220000")

    admin = User.objects.get(email="admin@juntos.example.org")
    measurement_record(
        contract=contract, measured_on=datetime.date(2018, 1, 1), value=Decimal("7"), actor=admin
    )
    due = OutcomeContract.objects.with_payments_due().get(pk=contract.pk).payments_due
    assert due == Decimal("5220000")  # below the threshold: earns nothing
    measurement_record(
        contract=contract, measured_on=datetime.date(2019, 1, 1), value=Decimal("10"), actor=admin
    )
    due = OutcomeContract.objects.with_payments_due().get(pk=contract.pk).payments_due
    assert due == Decimal("8000000")  # capped


def test_campinas_has_what_its_demo_staff_and_sponsor_need_to_see(demo):
    campinas = City.objects.get(slug="campinas")
    assert Partnership.objects.filter(city=campinas).count() == 3
    assert list(FiscalYear.objects.filter(city=campinas).values_list("year", flat=True)) == [
        2013,
        2014,
        2015,
        2016,
    ]
    assert campinas.departments.count() >= 3
    totals = Contribution.objects.filter(partnership__city=campinas).totals()
    assert 0 < totals["received"] < totals["pledged"]
    kinds = set(
        Contribution.objects.filter(partnership__city=campinas).values_list("kind", flat=True)
    )
    assert {"money", "expertise", "facilities"} <= kinds
    for email in ("staff.campinas@juntos.example.org", "sponsor@juntos.example.org"):
        user = User.objects.get(email=email)
        visible = Risk.objects.visible_to(user)
        assert visible.filter(partnership__slug="juntos-in-campinas").count() == 3
        assert not visible.exclude(partnership__city=campinas).exists()
    lamarsa_staff = User.objects.get(email="staff.lamarsa@juntos.example.org")
    assert not Risk.objects.visible_to(lamarsa_staff).exists()


def test_a_foreign_currency_contribution_is_valued_in_the_city_currency(demo):
    row = Contribution.objects.get(
        partnership__slug="juntos-mozambique",
        partner__slug="la-caixa-foundation",
        pledged_on=datetime.date(2014, 1, 15),
    )
    assert (row.currency, row.partnership.city.currency) == ("EUR", "MZN")
    assert row.value == Decimal("250000") * Decimal("41.30")
    assert row.is_received
    pledged_only = Contribution.objects.filter(received_on=None)
    assert pledged_only.exists()
    assert Contribution.objects.exclude(received_on=None).exists()


def test_every_demo_object_passes_full_clean(demo):
    checked = 0
    for app in ("cities", "partnerships"):
        for model in apps.get_app_config(app).get_models():
            if model.__name__.startswith("Historical"):
                continue
            for obj in model.objects.all():
                obj.full_clean()
                checked += 1
    assert checked > 250


def test_the_demo_shows_every_phase_of_a_participatory_budget(demo):
    from budgeting.choices import Phase, VotingMethod
    from budgeting.models import BudgetEdition
    from budgeting.selectors import ballots_verify
    from budgeting.services import ballot_cast

    phases = set(BudgetEdition.objects.values_list("phase", flat=True))
    assert phases >= set(Phase.values) - {Phase.DRAFT}
    methods = set(BudgetEdition.objects.values_list("method", flat=True))
    assert methods == set(VotingMethod.values)
    lighting = BudgetEdition.objects.get(city__slug="la-marsa", year=2014)
    assert lighting.total_amount == Decimal(550_000)
    assert lighting.currency == "TND"
    assert lighting.headings.values("zone").distinct().count() == 5
    roadways = BudgetEdition.objects.get(city__slug="la-marsa", year=2015)
    assert roadways.method == VotingMethod.HEADINGS
    assert roadways.headings.count() == 6
    voting = BudgetEdition.objects.get(method=VotingMethod.APPROVAL, phase=Phase.VOTING)
    for edition in BudgetEdition.objects.exclude(log_length=0):
        report = ballots_verify(edition=edition)
        assert report.ok, (edition, report.problems)
    # The codes the demo prints for the open edition work.
    line = next(line for line in demo.splitlines() if "Voting open in" in line)
    code = line.rsplit(": ", 1)[1].split(", ")[0]
    receipt = ballot_cast(edition=voting, code=code, choices=[voting.projects.first().pk])
    assert len(receipt) == 24


def test_the_demo_counts_past_editions_and_shows_la_marsa_in_delivery(demo):
    from budgeting.choices import Phase
    from budgeting.models import BudgetEdition, Heading, Milestone
    from budgeting.services import published_count

    for edition in BudgetEdition.objects.all():
        if not edition.phase_reached(Phase.COUNTING):
            assert not edition.counts.exists(), edition
            continue
        count = edition.counts.get()
        assert count.status == "done"
        assert not count.is_stale
        # One edition waits in the counting phase for staff to publish its results.
        assert (published_count(edition) is None) == (edition.phase == Phase.COUNTING), edition
    assert list(Heading.objects.filter(opened=True).values_list("name", flat=True)) == ["Roadways"]
    lighting = BudgetEdition.objects.get(city__slug="la-marsa", year=2014)
    funded = lighting.projects.filter(selected=True)
    assert funded.count() >= 5
    assert set(funded.values_list("delivery_status", flat=True)) >= {"completed", "in_progress"}
    assert Milestone.objects.filter(project__edition=lighting, completed_on__isnull=False).exists()

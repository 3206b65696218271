import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from partnerships.choices import PartnerKind, Sector
from partnerships.models import (
    Contribution,
    Lesson,
    OutcomeContract,
    OutcomeMeasurement,
    Participation,
    Partner,
    Partnership,
    Risk,
)
from partnerships.services import lesson_update, partnership_update, risk_update
from tests.cities.factories import CityFactory
from tests.generic import ALL_ROLES, ViewTestCases
from tests.partnerships.factories import (
    ContributionFactory,
    LessonFactory,
    OutcomeContractFactory,
    ParticipationFactory,
    PartnerFactory,
    PartnershipFactory,
    RiskFactory,
)

PRIVATE_READERS = {"superuser", "staff_a", "sponsor_a"}
CITY_A_EDITORS = {"superuser", "staff_a"}


def partnership_of(city, **fields):
    return PartnershipFactory(city=city, **fields)


def url(name, *args):
    return reverse(f"partnerships:{name}", args=args)


# --- Partners -----------------------------------------------------------------------------


class TestPartnerPages(
    ViewTestCases.ListView,
    ViewTestCases.DetailView,
    ViewTestCases.EditView,
    ViewTestCases.CreateView,
    ViewTestCases.HistoryView,
):
    model = Partner
    lookup_field = "slug"
    can_view = ALL_ROLES
    can_change = CITY_A_EDITORS
    can_view_history = CITY_A_EDITORS
    can_create = {"superuser", "staff_a", "staff_b"}
    list_query_count = 5  # savepoint, cities for the filter, count, page, release
    invalid_edit_data = {"kind": PartnerKind.CHARITY}  # a community kind for a private firm
    invalid_create_data = {"kind": PartnerKind.POLICE}

    def make_object(self, cast):
        return PartnerFactory(name="Banco Verde", home_city=cast["city_a"])

    def add_rows(self, n):
        for _ in range(n):
            ParticipationFactory()

    def edit_data(self, obj):
        return {
            "name": obj.name,
            "sector": Sector.PRIVATE,
            "kind": PartnerKind.LOCAL_BUSINESS,
            "country": "BR",
            "website": "https://banco-verde.example.org",
            "description": "A regional bank.",
        }

    def create_data(self, cast):
        return {"name": "Escola Viva", "sector": Sector.COMMUNITY, "kind": PartnerKind.NGO}


def test_the_partner_directory_filters_by_sector_kind_and_search(db, client):
    PartnerFactory(name="Banco Verde", sector=Sector.PRIVATE, kind=PartnerKind.MULTINATIONAL)
    PartnerFactory(name="Polícia Civil", sector=Sector.PUBLIC, kind=PartnerKind.POLICE)
    PartnerFactory(name="Jovens Unidos", sector=Sector.COMMUNITY, kind=PartnerKind.YOUTH_GROUP)

    def names(**params):
        page = client.get(url("partner_list"), params)
        return [p.name for p in page.context["object_list"]]

    assert names(sector="public") == ["Polícia Civil"]
    assert names(kind="youth_group") == ["Jovens Unidos"]
    assert names(q="verde") == ["Banco Verde"]
    assert names(ordering="-name") == ["Polícia Civil", "Jovens Unidos", "Banco Verde"]


def test_a_partner_page_shows_its_roles_and_public_totals_per_partnership(cast, client):
    partnership = partnership_of(cast["city_a"], name="Praça Segura")
    contribution = ContributionFactory(partnership=partnership, amount=Decimal("2500"))
    page = client.get(contribution.partner.get_absolute_url())
    assert "Praça Segura" in page.text
    assert "Funding" in page.text
    assert "2,500.00" in page.text


def test_staff_of_several_cities_choose_which_registers_the_partner(cast, client_as):
    from accounts.choices import Role
    from accounts.services import role_grant

    other = CityFactory(name="Sumaré")
    staff = cast["staff_a"]
    role_grant(user=staff, role=Role.CITY_STAFF, scope=other, actor=None)
    client = client_as(staff)
    form = client.get(url("partner_create")).context["form"]
    assert {c.name for c in form.fields["home_city"].queryset} == {"Campinas", "Sumaré"}
    data = {"name": "Rede Sol", "sector": "private", "kind": "foundation"}
    response = client.post(url("partner_create"), {**data, "home_city": cast["city_b"].pk})
    assert response.status_code == 400
    assert "home_city" in response.context["form"].errors
    client.post(url("partner_create"), {**data, "home_city": other.pk})
    assert Partner.objects.get(name="Rede Sol").home_city == other


def test_staff_of_one_city_register_partners_for_it(cast, client_as):
    client_as(cast["staff_b"]).post(
        url("partner_create"), {"name": "Porto Vivo", "sector": "private", "kind": "foundation"}
    )
    assert Partner.objects.get(name="Porto Vivo").home_city == cast["city_b"]


# --- Partnerships -------------------------------------------------------------------------


class TestPartnershipPages(
    ViewTestCases.ListView,
    ViewTestCases.DetailView,
    ViewTestCases.EditView,
    ViewTestCases.CreateView,
    ViewTestCases.DeleteView,
    ViewTestCases.HistoryView,
):
    model = Partnership
    lookup_field = "slug"
    can_view = ALL_ROLES
    can_change = CITY_A_EDITORS
    can_delete = CITY_A_EDITORS
    can_view_history = CITY_A_EDITORS
    can_create = {"superuser", "staff_a", "staff_b"}
    list_query_count = 6  # savepoint, count, page, cities and partners for filters, release
    invalid_edit_data = {"end_date": "2023-12-31"}  # before the start
    invalid_create_data = {"end_date": "2023-12-31"}

    def make_object(self, cast):
        return partnership_of(cast["city_a"], name="Praça Segura")

    def add_rows(self, n):
        for _ in range(n):
            participation = ParticipationFactory(is_lead=True)
            ContributionFactory(partnership=participation.partnership)

    def edit_data(self, obj):
        return {
            "name": obj.name,
            "objective": "Safer squares through youth sport.",
            "theme": "engagement",
            "approach": "implicit",
            "pillar": "social_engagement",
            "status": "active",
            "start_date": "2024-01-01",
        }

    def create_data(self, cast):
        return {
            "city": cast["city_a"].pk,  # only asked of those who may choose among cities
            "name": "Bairro Aberto",
            "objective": "Open the schools at weekends.",
            "theme": "education",
            "approach": "implicit",
            "status": "proposed",
            "start_date": "2024-01-01",
        }


def test_the_partnership_list_shows_lead_partner_and_totals(cast, client):
    partnership = partnership_of(cast["city_a"], name="Praça Segura")
    lead = ParticipationFactory(
        partnership=partnership, partner=PartnerFactory(name="Banco Verde"), is_lead=True
    )
    ContributionFactory(partnership=partnership, partner=lead.partner, amount=Decimal("1200"))
    ContributionFactory(
        partnership=partnership,
        partner=lead.partner,
        amount=Decimal("300"),
        received_on=datetime.date(2024, 3, 1),
    )
    page = client.get(url("partnership_list"))
    row = page.context["object_list"][0]
    assert (row.lead_name, row.pledged_total, row.received_total) == (
        "Banco Verde",
        Decimal("1500"),
        Decimal("300"),
    )
    assert "1,500.00" in page.text


def test_the_partnership_list_filters_by_city_theme_status_and_partner(cast, client):
    a = partnership_of(cast["city_a"], name="Praça Segura", theme="engagement")
    partnership_of(cast["city_b"], name="Porto Limpo", status="completed")
    ParticipationFactory(partnership=a, partner=PartnerFactory(name="Banco Verde"))

    def names(**params):
        return [p.name for p in client.get(url("partnership_list"), params).context["object_list"]]

    assert names(city="santos") == ["Porto Limpo"]
    assert names(theme="engagement") == ["Praça Segura"]
    assert names(status="completed") == ["Porto Limpo"]
    assert names(partner="banco-verde") == ["Praça Segura"]


def test_staff_start_partnerships_only_in_their_own_city(cast, client_as):
    data = {
        "city": cast["city_a"].pk,
        "name": "Porto Aberto",
        "objective": "x",
        "theme": "education",
        "approach": "implicit",
        "status": "proposed",
    }
    client_as(cast["staff_b"]).post(url("partnership_create"), data)
    assert Partnership.objects.get(name="Porto Aberto").city == cast["city_b"]


def test_citizens_and_sponsors_cannot_start_a_partnership(cast, client_as):
    assert client_as(cast["citizen"]).get(url("partnership_create")).status_code == 403
    assert client_as(cast["sponsor_a"]).get(url("partnership_create")).status_code == 403


def test_a_partnership_page_shows_totals_to_all_and_rows_to_its_city_only(cast, client_as):
    partnership = partnership_of(cast["city_a"], name="Praça Segura")
    ContributionFactory(partnership=partnership, description="Uniforms for the league")
    for role in ("anonymous", "citizen", "staff_b", "sponsor_a", "staff_a"):
        page = client_as(cast[role]).get(partnership.get_absolute_url())
        assert "Contributions by partner sector" in page.text
        assert ("Uniforms for the league" in page.text) == (role in PRIVATE_READERS), role
        risk_link = f"{url('risk_list')}?partnership={partnership.slug}"
        assert (risk_link in page.text) == (role in PRIVATE_READERS), role


def test_a_partnership_page_marks_the_lead_and_shows_outcome_payments(cast, client):
    partnership = partnership_of(cast["city_a"], name="Praça Segura")
    ParticipationFactory(partnership=partnership, partner=PartnerFactory(name="Banco Verde"))
    ParticipationFactory(
        partnership=partnership, partner=PartnerFactory(name="Prefeitura"), is_lead=True
    )
    contract = OutcomeContractFactory(partnership=partnership)
    OutcomeMeasurement.objects.create(
        contract=contract, measured_on=datetime.date(2024, 6, 1), value=Decimal("80")
    )
    page = client.get(partnership.get_absolute_url())
    assert page.text.index("Prefeitura") < page.text.index("Banco Verde")
    assert "Lead partner</span>" in page.text
    assert page.context["contract"].payments_due == Decimal("20000")  # capped
    assert "20,000.00 GBP" in page.text


def test_staff_add_and_remove_a_partner_role(cast, client_as):
    partnership = partnership_of(cast["city_a"])
    partner = PartnerFactory(name="Banco Verde")
    client = client_as(cast["staff_a"])
    response = client.post(
        url("participation_create", partnership.slug),
        {"partner": partner.pk, "role": "funding", "is_lead": "on"},
    )
    assert response.status_code == 302
    participation = Participation.objects.get(partnership=partnership)
    assert participation.is_lead
    second = client.post(
        url("participation_create", partnership.slug),
        {"partner": PartnerFactory().pk, "role": "implementing", "is_lead": "on"},
    )
    assert second.status_code == 400  # one lead per partnership
    assert Participation.objects.filter(partnership=partnership).count() == 1
    client.post(url("participation_delete", participation.pk))
    assert not Participation.objects.filter(partnership=partnership).exists()


def test_other_city_staff_cannot_add_or_remove_partner_roles(cast, client_as):
    participation = ParticipationFactory(partnership=partnership_of(cast["city_a"]))
    client = client_as(cast["staff_b"])
    add = client.post(
        url("participation_create", participation.partnership.slug),
        {"partner": PartnerFactory().pk, "role": "funding"},
    )
    assert add.status_code == 403
    assert client.post(url("participation_delete", participation.pk)).status_code == 403
    assert Participation.objects.count() == 1


def test_removing_a_partner_that_contributed_is_refused_with_a_message(cast, client_as):
    contribution = ContributionFactory(partnership=partnership_of(cast["city_a"]))
    participation = Participation.objects.get(partner=contribution.partner)
    response = client_as(cast["staff_a"]).post(
        url("participation_delete", participation.pk), follow=True
    )
    assert Participation.objects.filter(pk=participation.pk).exists()
    assert any(m.level_tag == "error" for m in response.context["messages"])


def test_the_history_page_lists_who_changed_which_field(cast, client_as):
    partnership = partnership_of(cast["city_a"], status="proposed")
    partnership_update(partnership=partnership, data={"status": "active"}, actor=cast["staff_a"])
    page = client_as(cast["superuser"]).get(url("partnership_history", partnership.slug))
    latest = page.context["entries"][0]
    assert latest["user"] == cast["staff_a"]
    assert latest["changes"] == [{"field": "status", "old": "Proposed", "new": "Active"}]
    assert str(cast["staff_a"]) in page.text


# --- Contributions ------------------------------------------------------------------------


class TestContributionPages(ViewTestCases.ListView, ViewTestCases.CreateView):
    model = Contribution
    can_view = PRIVATE_READERS
    can_create = CITY_A_EDITORS
    # savepoint, selects of cities, partners and partnerships, public totals, release; no rows
    list_query_count = 6
    invalid_create_data = {"amount": "-5"}

    def make_object(self, cast):
        self.partnership = partnership_of(cast["city_a"], name="Praça Segura")
        return ContributionFactory(partnership=self.partnership)

    def add_rows(self, n):
        for _ in range(n):
            ContributionFactory()

    def create_url(self, cast):
        return url("contribution_create", self.partnership.slug)

    def create_data(self, cast):
        partner = self.partnership.partners.first()
        return {
            "partner": partner.pk,
            "kind": "money",
            "amount": "750.00",
            "currency": "BRL",
            "pledged_on": "2024-04-01",
        }


class TestContributionPagesForStaff(ViewTestCases.ListView):
    """The same list, counted for someone who sees the rows."""

    model = Contribution
    can_view = PRIVATE_READERS
    list_role = "staff_a"
    list_query_count = 11  # + session, user, roles, count and the page of rows

    def make_object(self, cast):
        return ContributionFactory(partnership=partnership_of(cast["city_a"]))

    def add_rows(self, n):
        city = CityFactory.create(name="Campinas", slug="campinas")
        for _ in range(n):
            ContributionFactory(partnership=partnership_of(city))


def test_anonymous_visitors_see_public_totals_and_a_note_not_rows(cast, client):
    ContributionFactory(partnership=partnership_of(cast["city_a"]), description="Secret deal")
    page = client.get(url("contribution_list"))
    assert "Totals by partner sector" in page.text
    assert "visible to the staff and sponsors" in page.text
    assert "Secret deal" not in page.text
    assert "export=csv" not in page.text


def test_contribution_in_another_currency_needs_an_exchange_rate(cast, client_as):
    partnership = partnership_of(cast["city_a"])
    partner = ParticipationFactory(partnership=partnership).partner
    data = {
        "partner": partner.pk,
        "kind": "money",
        "amount": "100",
        "currency": "USD",
        "pledged_on": "2024-04-01",
    }
    client = client_as(cast["staff_a"])
    response = client.post(url("contribution_create", partnership.slug), data)
    assert response.status_code == 400
    assert "exchange rate" in " ".join(response.context["form"].errors["exchange_rate"])
    assert not Contribution.objects.exists()
    client.post(url("contribution_create", partnership.slug), {**data, "exchange_rate": "5.1"})
    assert Contribution.objects.get().value == Decimal("510.00")


def test_the_contribution_form_starts_with_the_city_currency(cast, client_as):
    partnership = partnership_of(CityFactory(name="Paris", currency="EUR"))
    from accounts.choices import Role
    from accounts.services import role_grant

    role_grant(user=cast["staff_a"], role=Role.CITY_STAFF, scope=partnership.city, actor=None)
    page = client_as(cast["staff_a"]).get(url("contribution_create", partnership.slug))
    assert 'value="EUR"' in page.text


def test_a_contribution_from_a_partner_outside_the_partnership_is_refused(cast, client_as):
    partnership = partnership_of(cast["city_a"])
    outsider = PartnerFactory()
    response = client_as(cast["superuser"]).post(
        url("contribution_create", partnership.slug),
        {
            "partner": outsider.pk,
            "kind": "money",
            "amount": "100",
            "currency": "BRL",
            "pledged_on": "2024-04-01",
        },
    )
    assert response.status_code == 400
    assert "partner" in response.context["form"].errors
    assert not Contribution.objects.exists()


@pytest.mark.parametrize(
    ("role", "status", "received"),
    [
        ("staff_a", 302, True),
        ("superuser", 302, True),
        ("sponsor_a", 403, False),
        ("staff_b", 404, False),
        ("citizen", 404, False),
    ],
)
def test_marking_a_contribution_received(role, status, received, cast, client_as):
    contribution = ContributionFactory(partnership=partnership_of(cast["city_a"]))
    response = client_as(cast[role]).post(
        url("contribution_receive", contribution.pk), {"received_on": "2024-05-02"}
    )
    assert response.status_code == status
    contribution.refresh_from_db()
    assert (contribution.received_on == datetime.date(2024, 5, 2)) == received


def test_a_contribution_cannot_be_received_before_its_pledge(cast, client_as):
    contribution = ContributionFactory(partnership=partnership_of(cast["city_a"]))
    response = client_as(cast["staff_a"]).post(
        url("contribution_receive", contribution.pk), {"received_on": "2023-01-01"}, follow=True
    )
    contribution.refresh_from_db()
    assert contribution.received_on is None
    assert "before it was pledged" in response.text


# --- Risks --------------------------------------------------------------------------------


class TestRiskPages(
    ViewTestCases.ListView,
    ViewTestCases.DetailView,
    ViewTestCases.EditView,
    ViewTestCases.CreateView,
    ViewTestCases.HistoryView,
):
    model = Risk
    can_view = PRIVATE_READERS
    can_change = CITY_A_EDITORS
    can_create = CITY_A_EDITORS
    can_view_history = CITY_A_EDITORS
    list_role = "staff_a"
    # savepoint, session, user, roles, city and partnership selects, count, heat map, release,
    # page
    list_query_count = 10
    invalid_edit_data = {"likelihood": "7"}
    invalid_create_data = {"impact": "0"}

    def make_object(self, cast):
        self.partnership = partnership_of(cast["city_a"], name="Praça Segura")
        return RiskFactory(partnership=self.partnership, title="Sponsor captures the agenda")

    def add_rows(self, n):
        city = CityFactory.create(name="Campinas", slug="campinas")
        for _ in range(n):
            RiskFactory(partnership=partnership_of(city))

    def edit_data(self, obj):
        return {
            "title": obj.title,
            "category": "balance_of_interests",
            "likelihood": "2",
            "impact": "5",
            "mitigation": "Rotate the chair.",
            "status": "mitigating",
        }

    def create_url(self, cast):
        return url("risk_create", self.partnership.slug)

    def create_data(self, cast):
        return {"title": "Funds arrive late", "category": "financial", "likelihood": "3",
                "impact": "3", "status": "open"}  # fmt: skip


def test_the_risk_register_explains_itself_to_those_who_may_not_read_it(cast, client_as):
    RiskFactory(partnership=partnership_of(cast["city_a"]), title="Sponsor captures the agenda")
    for role in ("anonymous", "citizen", "integrator"):
        page = client_as(cast[role]).get(url("risk_list"))
        assert page.status_code == 200
        assert "visible to the staff and sponsors" in page.text
        assert "Sponsor captures the agenda" not in page.text
        assert "<svg" not in page.text


def test_staff_b_reads_only_their_own_city_risks(cast, client_as):
    RiskFactory(partnership=partnership_of(cast["city_a"]), title="Campinas risk")
    RiskFactory(partnership=partnership_of(cast["city_b"]), title="Santos risk")
    page = client_as(cast["staff_b"]).get(url("risk_list"))
    assert [r.title for r in page.context["object_list"]] == ["Santos risk"]


def test_the_heat_map_counts_the_listed_risks_with_a_table(cast, client_as):
    partnership = partnership_of(cast["city_a"])
    RiskFactory(partnership=partnership, likelihood=5, impact=4, category="corruption")
    RiskFactory(partnership=partnership, likelihood=5, impact=4, category="corruption")
    RiskFactory(partnership=partnership, likelihood=1, impact=1, category="delivery")
    page = client_as(cast["sponsor_a"]).get(url("risk_list"), {"category": "corruption"})
    assert '<svg role="img"' in page.text or "<svg" in page.text
    rows = {row[0]: row[1:] for row in page.context["heat_rows"]}
    assert rows[4] == [0, 0, 0, 0, 2]
    assert rows[1] == [0, 0, 0, 0, 0]  # the delivery risk is filtered out
    assert "Show the data as a table" in page.text


def test_the_risk_register_filters_by_minimum_score(cast, client_as):
    partnership = partnership_of(cast["city_a"])
    RiskFactory(partnership=partnership, title="Big", likelihood=4, impact=5)
    RiskFactory(partnership=partnership, title="Small", likelihood=1, impact=2)
    page = client_as(cast["staff_a"]).get(url("risk_list"), {"min_score": "12"})
    assert [r.title for r in page.context["object_list"]] == ["Big"]


def test_a_changed_risk_shows_old_and_new_scores_in_its_history(cast, client_as):
    risk = RiskFactory(partnership=partnership_of(cast["city_a"]), likelihood=3)
    risk_update(risk=risk, data={"likelihood": 5}, actor=cast["staff_a"])
    page = client_as(cast["staff_a"]).get(url("risk_history", risk.pk))
    assert page.context["entries"][0]["changes"] == [
        {"field": "likelihood (1-5)", "old": "3", "new": "5"}
    ]


# --- Lessons ------------------------------------------------------------------------------


class TestLessonPages(
    ViewTestCases.ListView,
    ViewTestCases.DetailView,
    ViewTestCases.EditView,
    ViewTestCases.CreateView,
    ViewTestCases.HistoryView,
):
    model = Lesson
    can_view = ALL_ROLES
    can_change = CITY_A_EDITORS
    can_create = CITY_A_EDITORS
    can_view_history = CITY_A_EDITORS
    list_query_count = 7  # savepoint, count, page, tags, cities and tags for filters, release
    invalid_edit_data = {"title": ""}
    invalid_create_data = {"text": ""}

    def make_object(self, cast):
        self.partnership = partnership_of(cast["city_a"], name="Praça Segura")
        return LessonFactory(partnership=self.partnership, title="Agree on ownership first")

    def add_rows(self, n):
        for i in range(n):
            lesson = LessonFactory()
            lesson_update(lesson=lesson, data={"tags": [f"tag {i}", "shared"]}, actor=None)

    def edit_data(self, obj):
        return {"title": obj.title, "text": "Write the roles down.", "tags": "ownership, roles"}

    def create_url(self, cast):
        return url("lesson_create", self.partnership.slug)

    def create_data(self, cast):
        return {"title": "Pay volunteers' transport", "text": "Or they stop coming.",
                "tags": "volunteers, money"}  # fmt: skip


def test_the_lessons_library_searches_across_cities_and_links_tags(cast, client):
    lesson_a = LessonFactory(partnership=partnership_of(cast["city_a"]), title="Youth lead")
    lesson_update(lesson=lesson_a, data={"tags": ["Youth", "Sport"]}, actor=None)
    LessonFactory(partnership=partnership_of(cast["city_b"]), title="Port safety", text="Docks")
    page = client.get(url("lesson_list"), {"q": "docks"})
    assert [lesson.title for lesson in page.context["object_list"]] == ["Port safety"]
    page = client.get(url("lesson_list"), {"tag": "youth"})
    assert [lesson.title for lesson in page.context["object_list"]] == ["Youth lead"]
    assert 'href="?tag=sport"' in page.text
    page = client.get(url("lesson_list"), {"city": "santos"})
    assert [lesson.title for lesson in page.context["object_list"]] == ["Port safety"]


def test_a_lesson_is_written_with_comma_separated_tags(cast, client_as):
    partnership = partnership_of(cast["city_a"])
    client_as(cast["staff_a"]).post(
        url("lesson_create", partnership.slug),
        {"title": "Shared agenda", "text": "Meet monthly.", "tags": "governance, , Trust "},
    )
    lesson = Lesson.objects.get(title="Shared agenda")
    assert sorted(t.name for t in lesson.tags.all()) == ["Trust", "governance"]
    edit = client_as(cast["staff_a"]).get(url("lesson_edit", lesson.pk))
    assert "governance" in edit.context["form"]["tags"].value()


# --- Outcome measurements -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "allowed"), [("staff_a", True), ("staff_b", False), ("sponsor_a", False)]
)
def test_recording_an_outcome_measurement(role, allowed, cast, client_as):
    contract = OutcomeContractFactory(partnership=partnership_of(cast["city_a"]))
    response = client_as(cast[role]).post(
        url("outcomemeasurement_create", contract.partnership.slug),
        {"measured_on": "2024-06-01", "value": "93"},
    )
    assert response.status_code == (302 if allowed else 403)
    assert contract.measurements.exists() == allowed


def test_the_nav_links_the_partnership_pages(db, client):
    page = client.get("/")
    for name in ("partner_list", "partnership_list", "lesson_list"):
        assert url(name) in page.text


# --- Correcting and removing what was recorded ----------------------------------------------


class TestContributionCorrections(ViewTestCases.EditView, ViewTestCases.DeleteView):
    model = Contribution
    can_view = PRIVATE_READERS
    can_change = CITY_A_EDITORS
    can_delete = CITY_A_EDITORS
    invalid_edit_data = {"amount": "-1"}

    def make_object(self, cast):
        return ContributionFactory(partnership=partnership_of(cast["city_a"], name="Praça Segura"))

    def edit_data(self, obj):
        return {
            "partner": obj.partner.pk,
            "kind": "money",
            "description": "Corrected figure",
            "amount": "1200.00",
            "currency": obj.currency,
            "pledged_on": "2024-02-01",
        }


def test_a_corrected_contribution_in_another_currency_needs_its_rate(cast, client_as):
    contribution = ContributionFactory(partnership=partnership_of(cast["city_a"]))
    response = client_as(cast["staff_a"]).post(
        url("contribution_edit", contribution.pk),
        {
            "partner": contribution.partner.pk,
            "kind": "money",
            "amount": "10",
            "currency": "USD",
            "pledged_on": "2024-02-01",
        },
    )
    assert response.status_code == 400
    assert "exchange_rate" in response.context["form"].errors
    contribution.refresh_from_db()
    assert contribution.currency == "BRL"


class TestParticipationRoleChanges(ViewTestCases.EditView):
    model = Participation
    can_view = ALL_ROLES
    can_change = CITY_A_EDITORS
    invalid_edit_data = {"role": "emperor"}

    def make_object(self, cast):
        return ParticipationFactory(partnership=partnership_of(cast["city_a"]), role="funding")

    def edit_data(self, obj):
        return {"role": "implementing", "notes": "Runs the service desks"}


def test_making_a_second_lead_partner_is_a_field_error(cast, client_as):
    partnership = partnership_of(cast["city_a"])
    ParticipationFactory(partnership=partnership, is_lead=True)
    other = ParticipationFactory(partnership=partnership, role="implementing")
    response = client_as(cast["staff_a"]).post(
        url("participation_edit", other.pk), {"role": "implementing", "is_lead": "on"}
    )
    assert response.status_code == 400
    assert "is_lead" in response.context["form"].errors
    other.refresh_from_db()
    assert not other.is_lead


class TestRiskRemoval(ViewTestCases.DeleteView):
    model = Risk
    can_view = PRIVATE_READERS
    can_delete = CITY_A_EDITORS

    def make_object(self, cast):
        return RiskFactory(partnership=partnership_of(cast["city_a"]))


class TestLessonRemoval(ViewTestCases.DeleteView):
    model = Lesson
    can_view = ALL_ROLES
    can_delete = CITY_A_EDITORS

    def make_object(self, cast):
        return LessonFactory(partnership=partnership_of(cast["city_a"]))


def test_staff_see_edit_and_delete_links_on_contribution_rows(cast, client_as):
    contribution = ContributionFactory(partnership=partnership_of(cast["city_a"], name="Praça"))
    page = client_as(cast["staff_a"]).get(contribution.partnership.get_absolute_url()).text
    assert url("contribution_edit", contribution.pk) in page
    assert url("contribution_delete", contribution.pk) in page
    sponsor_page = client_as(cast["sponsor_a"]).get(contribution.partnership.get_absolute_url())
    assert url("contribution_edit", contribution.pk) not in sponsor_page.text


# --- Outcome contracts (social impact bonds) ------------------------------------------------


class TestOutcomeContractPages(ViewTestCases.CreateView, ViewTestCases.EditView):
    model = OutcomeContract
    can_view = ALL_ROLES
    can_create = CITY_A_EDITORS
    can_change = CITY_A_EDITORS
    invalid_create_data = {"target": "120"}  # baseline 100, lower is better: no improvement
    invalid_edit_data = {"cap": "-5"}

    def make_object(self, cast):
        city = cast["city_a"]
        self.free = partnership_of(city, name="Second chances")
        self.payer = ParticipationFactory(
            partnership=self.free,
            partner=PartnerFactory(sector="public", kind="national_government"),
        ).partner
        self.investor = ParticipationFactory(partnership=self.free, role="funding").partner
        contract = OutcomeContractFactory(partnership=partnership_of(city, name="One Service"))
        ParticipationFactory(
            partnership=contract.partnership, partner=contract.outcome_payer, role="funding"
        )
        return contract

    def create_url(self, cast):
        return url("outcomecontract_create", self.free.slug)

    def create_data(self, cast):
        return {
            "indicator": "Reconviction events",
            "direction": "decrease",
            "baseline": "100",
            "target": "90",
            "threshold": "7.5",
            "price_per_unit": "1000",
            "cap": "20000",
            "currency": "brl",
            "outcome_payer": self.payer.pk,
            "investors": [self.investor.pk],
        }

    def edit_data(self, obj):
        return {
            "indicator": obj.indicator,
            "direction": obj.direction,
            "baseline": "100",
            "target": "85",
            "threshold": "5",
            "price_per_unit": "900",
            "cap": "25000",
            "currency": obj.currency,
            "outcome_payer": obj.outcome_payer.pk,
        }


def test_a_partnership_gets_one_outcome_contract_at_most(cast, client_as):
    contract = OutcomeContractFactory(partnership=partnership_of(cast["city_a"]))
    response = client_as(cast["staff_a"]).get(
        url("outcomecontract_create", contract.partnership.slug)
    )
    assert response.status_code == 404


class TestMeasurementCorrections(ViewTestCases.EditView, ViewTestCases.DeleteView):
    model = OutcomeMeasurement
    can_view = ALL_ROLES
    can_change = CITY_A_EDITORS
    can_delete = CITY_A_EDITORS
    invalid_edit_data = {"value": "a lot"}

    def make_object(self, cast):
        contract = OutcomeContractFactory(partnership=partnership_of(cast["city_a"]))
        return contract.measurements.create(
            measured_on=datetime.date(2024, 1, 1), value=Decimal(95)
        )

    def edit_data(self, obj):
        return {"measured_on": "2024-01-01", "value": "92", "source": "Interim report"}

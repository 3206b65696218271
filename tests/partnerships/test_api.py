"""The partnerships API: every endpoint's role × action matrix, for an object of city A and
one of city B, plus what integrators rely on (slugs, totals, filters, field errors, tokens)."""

import datetime
from decimal import Decimal

import pytest

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
from tests.cities.factories import CityFactory
from tests.generic import ALL_ROLES, APIViewTestCases
from tests.partnerships.factories import (
    ContributionFactory,
    LessonFactory,
    OutcomeContractFactory,
    ParticipationFactory,
    PartnerFactory,
    PartnershipFactory,
    RiskFactory,
)

PRIVATE_A = {"superuser", "staff_a", "sponsor_a"}  # who sees city A's risks and contributions
EDITORS_A = {"superuser", "staff_a"}
EDITORS_B = {"superuser", "staff_b"}


def partnership_in(cast, city: str = "city_a") -> Partnership:
    """The partnership the tests hang things on, in city A or city B."""
    place = cast[city]
    return PartnershipFactory(
        name=f"Juntos por {place.name}", slug=f"juntos-{place.slug}", city=place
    )


def funding_partner(partnership: Partnership, slug: str = "giver") -> Partner:
    """A partner that takes part in ``partnership`` (so it may contribute to it)."""
    partner = PartnerFactory(name=slug.title(), slug=slug)
    Participation.objects.get_or_create(partnership=partnership, partner=partner, role="funding")
    return partner


class _PartnershipChildAPI:
    """Something hanging off a partnership of city A (``city``), with its refusals."""

    city = "city_a"
    can_create = EDITORS_A
    can_change = EDITORS_A
    can_delete = EDITORS_A


class _InCityB:
    """The same, hanging off a partnership of city B: its staff, not city A's, keep it."""

    city = "city_b"
    can_create = EDITORS_B
    can_change = EDITORS_B
    can_delete = EDITORS_B


class _PrivateInCityB(_InCityB):
    can_view = EDITORS_B  # city A's sponsor does not sponsor city B


# --- Partners -----------------------------------------------------------------------------


class TestPartnerAPI(
    APIViewTestCases.ListObjects,
    APIViewTestCases.GetObject,
    APIViewTestCases.CreateObject,
    APIViewTestCases.UpdateObject,
):
    """A partner taking part in a city A partnership: city A's staff may edit it."""

    model = Partner
    basename = "partner"
    lookup_field = "slug"
    can_view = ALL_ROLES
    can_create = {"superuser", "staff_a", "staff_b"}
    can_change = EDITORS_A
    update_data = {"description": "Funds reading clubs.", "website": "https://feac.org.br"}
    invalid_create_data = {"sector": "public", "kind": "foundation"}
    invalid_fields = {"kind"}
    list_query_count = 4  # savepoint, count, page with home cities, release

    def make_object(self, cast):
        partner = PartnerFactory(name="Fundação Feac", slug="feac")
        ParticipationFactory(partner=partner, partnership=partnership_in(cast))
        return partner

    def add_rows(self, n):
        for _ in range(n):
            PartnerFactory(home_city=CityFactory())

    def create_data(self, cast):
        return {"name": "Instituto Votorantim", "sector": "private", "kind": "foundation"}


class TestPartnerRegisteredByCityB(
    APIViewTestCases.GetObject, APIViewTestCases.UpdateObject, APIViewTestCases.DeleteObject
):
    """A partner city B registered, taking part in nothing yet: city B's staff edit it."""

    model = Partner
    basename = "partner"
    lookup_field = "slug"
    can_view = ALL_ROLES
    can_change = EDITORS_B
    can_delete = {"superuser"}
    update_data = {"name": "Santos Futebol Clube"}

    def make_object(self, cast):
        return PartnerFactory(
            name="Santos FC",
            slug="santos-fc",
            sector=Sector.PRIVATE,
            kind=PartnerKind.SPORTS_CLUB,
            home_city=cast["city_b"],
        )


def test_a_partner_registered_by_staff_belongs_to_their_city(cast, api_as):
    data = {"name": "Padaria do Bairro", "sector": "private", "kind": "local_business"}
    response = api_as(cast["staff_a"]).post("/api/v1/partners/", data, format="json")
    assert response.status_code == 201
    assert response.data["slug"] == "padaria-do-bairro"
    assert response.data["home_city"] == "campinas"
    assert Partner.objects.get(slug="padaria-do-bairro").home_city == cast["city_a"]


def test_staff_cannot_register_a_partner_for_another_city(cast, api_as):
    data = {"name": "Porto", "sector": "public", "kind": "local_authority", "home_city": "santos"}
    response = api_as(cast["staff_a"]).post("/api/v1/partners/", data, format="json")
    assert response.status_code == 403
    assert not Partner.objects.filter(name="Porto").exists()


def test_an_admin_may_register_a_partner_for_any_city_or_none(cast, api_as):
    client = api_as(cast["superuser"])
    data = {"name": "Porto", "sector": "public", "kind": "local_authority", "home_city": "santos"}
    assert client.post("/api/v1/partners/", data, format="json").data["home_city"] == "santos"
    data = {"name": "UN-Habitat", "sector": "public", "kind": "national_government"}
    assert client.post("/api/v1/partners/", data, format="json").data["home_city"] is None


def test_the_registering_city_cannot_be_changed_later(cast, api_as):
    partner = PartnerFactory(home_city=cast["city_a"])
    response = api_as(cast["staff_a"]).patch(
        f"/api/v1/partners/{partner.slug}/", {"home_city": "santos"}, format="json"
    )
    assert response.status_code == 200
    partner.refresh_from_db()
    assert partner.home_city == cast["city_a"]


def test_partners_filter_by_sector_kind_and_city(cast, api_client):
    PartnerFactory(name="Feac", sector="private", kind="foundation", home_city=cast["city_a"])
    PartnerFactory(name="Polícia", sector="public", kind="police")
    ParticipationFactory(partnership=partnership_in(cast, "city_b"), partner__name="Porto")
    url = "/api/v1/partners/"

    def names(**params):
        return [p["name"] for p in api_client.get(url, params).data["results"]]

    assert names(sector="public") == ["Polícia"]
    assert names(kind="foundation") == ["Feac"]
    assert names(city="santos") == ["Porto"]
    assert names(q="feac") == ["Feac"]


# --- Partnerships -------------------------------------------------------------------------


class TestPartnershipAPI(
    APIViewTestCases.ListObjects,
    APIViewTestCases.GetObject,
    APIViewTestCases.CreateObject,
    APIViewTestCases.UpdateObject,
    APIViewTestCases.DeleteObject,
):
    model = Partnership
    basename = "partnership"
    lookup_field = "slug"
    city = "city_a"
    can_view = ALL_ROLES
    can_create = EDITORS_A
    can_change = EDITORS_A
    can_delete = EDITORS_A
    update_data = {"status": "completed", "objective": "Every child reads by eight."}
    invalid_create_data = {"start_date": "2024-05-01", "end_date": "2024-01-01"}
    invalid_fields = {"end_date"}
    # savepoint, count, page with totals and city, roles with partners, cities served, release
    list_query_count = 6

    def make_object(self, cast):
        partnership = partnership_in(cast, self.city)
        ContributionFactory(partnership=partnership)
        return partnership

    def add_rows(self, n):
        for _ in range(n):
            partnership = PartnershipFactory()
            ContributionFactory(partnership=partnership)
            partnership.cities_served.add(CityFactory())

    def create_data(self, cast):
        return {
            "city": cast[self.city].slug,
            "name": "Leitura na Praça",
            "objective": "Bring books to every square.",
            "theme": "education",
            "approach": "implicit",
            "pillar": "social_engagement",
            "start_date": "2024-03-01",
            "cities_served": ["santos" if self.city == "city_a" else "campinas"],
        }


class TestPartnershipAPIInCityB(_InCityB, TestPartnershipAPI):
    pass


def test_a_partnership_shows_its_partners_roles_lead_totals_and_cities_served(cast, api_client):
    partnership = partnership_in(cast)
    partnership.cities_served.add(cast["city_b"])
    lead = ParticipationFactory(
        partnership=partnership, partner__name="Feac", role="accountable", is_lead=True
    )
    ContributionFactory(partnership=partnership, partner=lead.partner, amount=Decimal("300"))
    ContributionFactory(
        partnership=partnership,
        amount=Decimal("200"),
        received_on=datetime.date(2024, 3, 1),
    )
    data = api_client.get(f"/api/v1/partnerships/{partnership.slug}/").data
    assert data["city"] == "campinas"
    assert data["cities_served"] == ["santos"]
    assert data["lead_partner"] == "feac"
    roles = {(p["partner"], p["role"], p["is_lead"]) for p in data["participations"]}
    assert ("feac", "accountable", True) in roles
    assert len(roles) == 2
    assert (Decimal(data["pledged_total"]), Decimal(data["received_total"])) == (500, 200)
    assert data["currency"] == "BRL"
    assert data["partner_count"] == 2


def test_a_created_partnership_answers_with_its_totals_and_a_made_up_slug(cast, api_as):
    data = TestPartnershipAPI().create_data(cast)
    response = api_as(cast["staff_a"]).post("/api/v1/partnerships/", data, format="json")
    assert response.status_code == 201
    assert response.data["slug"] == "leitura-na-praca"
    assert response.data["pledged_total"] == "0.00"
    assert response.data["cities_served"] == ["santos"]


def test_a_partnership_stays_in_its_city(cast, api_as):
    partnership = partnership_in(cast)
    response = api_as(cast["staff_a"]).patch(
        f"/api/v1/partnerships/{partnership.slug}/", {"city": "santos"}, format="json"
    )
    assert response.status_code == 200
    partnership.refresh_from_db()
    assert partnership.city == cast["city_a"]


def test_partnerships_filter_by_city_status_and_partner(cast, api_client):
    campinas = partnership_in(cast)
    santos = partnership_in(cast, "city_b")
    santos.status = "completed"
    santos.save()
    ParticipationFactory(partnership=campinas, partner__name="Feac")
    url = "/api/v1/partnerships/"

    def slugs(**params):
        return [p["slug"] for p in api_client.get(url, params).data["results"]]

    assert slugs(city="santos") == [santos.slug]
    assert slugs(status="completed") == [santos.slug]
    assert slugs(partner="feac") == [campinas.slug]
    assert slugs(ordering="-city") == [santos.slug, campinas.slug]
    assert api_client.get(url, {"status": "dreaming"}).status_code == 400


def test_contributions_by_sector_are_public_totals(cast, api_client):
    partnership = partnership_in(cast)
    ContributionFactory(partnership=partnership, amount=Decimal("1000"))
    community = PartnerFactory(name="Vizinhos", sector="community", kind="volunteer_group")
    ParticipationFactory(partnership=partnership, partner=community, role="implementing")
    ContributionFactory(
        partnership=partnership,
        partner=community,
        kind="volunteer_time",
        amount=Decimal("250"),
        received_on=datetime.date(2024, 4, 1),
    )
    ContributionFactory(partnership=partnership_in(cast, "city_b"), amount=Decimal("99"))
    for url in (
        "/api/v1/cities/campinas/contributions-by-sector/",
        f"/api/v1/partnerships/{partnership.slug}/contributions-by-sector/",
    ):
        data = api_client.get(url).data
        assert data["currency"] == "BRL"
        rows = [
            (r["sector"], Decimal(r["pledged"]), Decimal(r["received"])) for r in data["sectors"]
        ]
        assert rows == [("private", 1000, 0), ("community", 250, 250)]
        assert data["sectors"][0]["sector_label"] == "Private"
    assert api_client.get("/api/v1/cities/atlantis/contributions-by-sector/").status_code == 404


# --- Who plays which role -----------------------------------------------------------------


class TestParticipationAPI(
    _PartnershipChildAPI,
    APIViewTestCases.ListObjects,
    APIViewTestCases.GetObject,
    APIViewTestCases.CreateObject,
    APIViewTestCases.UpdateObject,
    APIViewTestCases.DeleteObject,
):
    model = Participation
    basename = "participation"
    can_view = ALL_ROLES
    update_data = {"role": "accountable", "notes": "Chairs the steering group."}
    invalid_create_data = {"role": "sponsor"}
    invalid_fields = {"role"}
    list_query_count = 4  # savepoint, count, page with partnerships and partners, release

    def make_object(self, cast):
        return ParticipationFactory(partnership=partnership_in(cast, self.city))

    def add_rows(self, n):
        for _ in range(n):
            ParticipationFactory()

    def create_data(self, cast):
        return {
            "partnership": partnership_in(cast, self.city).slug,
            "partner": PartnerFactory(slug="newcomer").slug,
            "role": "implementing",
        }


class TestParticipationAPIInCityB(_InCityB, TestParticipationAPI):
    pass


def test_a_second_lead_partner_is_a_field_error(cast, api_as):
    partnership = partnership_in(cast)
    ParticipationFactory(partnership=partnership, is_lead=True)
    data = {"partnership": partnership.slug, "partner": PartnerFactory().slug, "role": "funding"}
    response = api_as(cast["staff_a"]).post(
        "/api/v1/participations/", {**data, "is_lead": True}, format="json"
    )
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert "is_lead" in response.data["errors"], response.data
    assert partnership.participations.count() == 1


def test_an_unknown_partner_slug_is_a_field_error(cast, api_as):
    data = {"partnership": partnership_in(cast).slug, "partner": "nobody", "role": "funding"}
    response = api_as(cast["staff_a"]).post("/api/v1/participations/", data, format="json")
    assert response.status_code == 400
    assert "partner" in response.data["errors"]


# --- Contributions (private rows) ---------------------------------------------------------


class TestContributionAPI(
    _PartnershipChildAPI,
    APIViewTestCases.ListObjects,
    APIViewTestCases.GetObject,
    APIViewTestCases.CreateObject,
    APIViewTestCases.UpdateObject,
    APIViewTestCases.DeleteObject,
):
    model = Contribution
    basename = "contribution"
    can_view = PRIVATE_A
    update_data = {"description": "Books for the reading clubs", "amount": Decimal("6000.00")}
    invalid_create_data = {"amount": "-5.00", "kind": "gold"}
    invalid_fields = {"amount", "kind"}
    list_query_role = "superuser"
    list_query_count = 4  # savepoint, count, page with partnerships and partners, release

    def make_object(self, cast):
        return ContributionFactory(partnership=partnership_in(cast, self.city))

    def add_rows(self, n):
        for _ in range(n):
            ContributionFactory()

    def create_data(self, cast):
        partnership = partnership_in(cast, self.city)
        return {
            "partnership": partnership.slug,
            "partner": funding_partner(partnership).slug,
            "kind": "money",
            "amount": "5000.00",
            "currency": "BRL",
            "pledged_on": "2024-03-01",
        }


class TestContributionAPIInCityB(_PrivateInCityB, TestContributionAPI):
    pass


def test_a_foreign_currency_needs_an_exchange_rate(cast, api_as):
    data = {**TestContributionAPI().create_data(cast), "currency": "USD"}
    client = api_as(cast["staff_a"])
    response = client.post("/api/v1/contributions/", data, format="json")
    assert response.status_code == 400
    assert "exchange_rate" in response.data["errors"]
    assert not Contribution.objects.exists()
    response = client.post(
        "/api/v1/contributions/", {**data, "exchange_rate": "5.1"}, format="json"
    )
    assert response.status_code == 201
    assert Decimal(response.data["value"]) == Decimal("25500.00")


def test_a_partner_must_take_part_before_it_contributes(cast, api_as):
    data = {**TestContributionAPI().create_data(cast), "partner": PartnerFactory().slug}
    response = api_as(cast["staff_a"]).post("/api/v1/contributions/", data, format="json")
    assert response.status_code == 400
    assert "partner" in response.data["errors"]


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("staff_a", 200),
        ("superuser", 200),
        ("sponsor_a", 403),
        ("staff_b", 404),
        ("citizen", 404),
        ("integrator", 404),
        ("anonymous", 401),
    ],
)
def test_marking_a_contribution_received(role, status, cast, api_as):
    contribution = ContributionFactory(partnership=partnership_in(cast))
    response = api_as(cast[role]).post(
        f"/api/v1/contributions/{contribution.pk}/receive/",
        {"received_on": "2024-05-02"},
        format="json",
    )
    assert response.status_code == status
    contribution.refresh_from_db()
    assert (contribution.received_on is not None) == (status == 200)
    if status == 200:
        assert response.data["is_received"] is True
        assert contribution.history.first().history_user == cast[role]


def test_a_contribution_cannot_arrive_before_it_was_pledged(cast, api_as):
    contribution = ContributionFactory(partnership=partnership_in(cast))
    response = api_as(cast["staff_a"]).post(
        f"/api/v1/contributions/{contribution.pk}/receive/",
        {"received_on": "2023-01-01"},
        format="json",
    )
    assert response.status_code == 400
    assert "received_on" in response.data["errors"]
    contribution.refresh_from_db()
    assert contribution.received_on is None


def test_contributions_filter_by_city_sector_and_receipt(cast, api_as):
    received = ContributionFactory(
        partnership=partnership_in(cast), received_on=datetime.date(2024, 6, 1)
    )
    pledged = ContributionFactory(partnership=partnership_in(cast))
    elsewhere = ContributionFactory(partnership=partnership_in(cast, "city_b"))
    client = api_as(cast["superuser"])

    def ids(**params):
        return {c["id"] for c in client.get("/api/v1/contributions/", params).data["results"]}

    assert ids(received="true") == {received.pk}
    assert ids(received="false", city="campinas") == {pledged.pk}
    assert ids(city="santos") == {elsewhere.pk}
    assert ids(sector="community") == set()
    assert ids(partnership=partnership_in(cast).slug) == {received.pk, pledged.pk}


def test_staff_list_only_their_own_citys_contributions(cast, api_as):
    mine = ContributionFactory(partnership=partnership_in(cast))
    ContributionFactory(partnership=partnership_in(cast, "city_b"))
    rows = api_as(cast["staff_a"]).get("/api/v1/contributions/").data["results"]
    assert [row["id"] for row in rows] == [mine.pk]


# --- Risks (private rows) -----------------------------------------------------------------


class TestRiskAPI(
    _PartnershipChildAPI,
    APIViewTestCases.ListObjects,
    APIViewTestCases.GetObject,
    APIViewTestCases.CreateObject,
    APIViewTestCases.UpdateObject,
    APIViewTestCases.DeleteObject,
):
    model = Risk
    basename = "risk"
    can_view = PRIVATE_A
    update_data = {"status": "mitigating", "mitigation": "Rotate the chair every year."}
    invalid_create_data = {"likelihood": 9, "category": "weather"}
    invalid_fields = {"likelihood", "category"}
    list_query_role = "superuser"
    list_query_count = 4  # savepoint, count, page with partnerships, release

    def make_object(self, cast):
        return RiskFactory(partnership=partnership_in(cast, self.city))

    def add_rows(self, n):
        for _ in range(n):
            RiskFactory()

    def create_data(self, cast):
        return {
            "partnership": partnership_in(cast, self.city).slug,
            "title": "A sponsor sets the agenda",
            "category": "balance_of_interests",
            "likelihood": 2,
            "impact": 5,
        }


class TestRiskAPIInCityB(_PrivateInCityB, TestRiskAPI):
    pass


def test_a_risk_answers_with_its_score_and_filters_by_it(cast, api_as):
    client = api_as(cast["sponsor_a"])
    RiskFactory(partnership=partnership_in(cast), title="Low", likelihood=1, impact=2)
    RiskFactory(partnership=partnership_in(cast), title="High", likelihood=4, impact=5)
    rows = client.get("/api/v1/risks/", {"min_score": 10}).data["results"]
    assert [(r["title"], r["score"]) for r in rows] == [("High", 20)]
    assert client.get("/api/v1/risks/", {"min_score": 40}).status_code == 400


# --- Lessons ------------------------------------------------------------------------------


class TestLessonAPI(
    _PartnershipChildAPI,
    APIViewTestCases.ListObjects,
    APIViewTestCases.GetObject,
    APIViewTestCases.CreateObject,
    APIViewTestCases.UpdateObject,
    APIViewTestCases.DeleteObject,
):
    model = Lesson
    basename = "lesson"
    can_view = ALL_ROLES
    update_data = {"title": "Name the owner first"}
    invalid_create_data = {"title": "", "tags": "not a list"}
    invalid_fields = {"title", "tags"}
    list_query_count = 5  # savepoint, count, page with partnerships and cities, tags, release

    def make_object(self, cast):
        return LessonFactory(partnership=partnership_in(cast, self.city))

    def add_rows(self, n):
        for lesson in LessonFactory.create_batch(n):
            lesson.tags.create(name=f"Tag {lesson.pk}", slug=f"tag-{lesson.pk}")

    def create_data(self, cast):
        return {
            "partnership": partnership_in(cast, self.city).slug,
            "title": "Agree on ownership early",
            "text": "Name the lead partner before any money changes hands.",
            "tags": ["Ownership", "Trust building"],
        }


class TestLessonAPIInCityB(_InCityB, TestLessonAPI):
    pass


def test_lesson_tags_are_plain_strings_in_and_out(cast, api_as):
    client = api_as(cast["staff_a"])
    created = client.post("/api/v1/lessons/", TestLessonAPI().create_data(cast), format="json").data
    assert sorted(created["tags"]) == ["Ownership", "Trust building"]
    assert created["city"] == "campinas"
    changed = client.patch(
        f"/api/v1/lessons/{created['id']}/", {"tags": ["Funding"]}, format="json"
    )
    assert changed.data["tags"] == ["Funding"]
    rows = client.get("/api/v1/lessons/", {"tag": "funding"}).data["results"]
    assert [row["id"] for row in rows] == [created["id"]]
    assert client.get("/api/v1/lessons/", {"tag": "ownership"}).data["results"] == []


# --- Outcome contracts and measurements ---------------------------------------------------


class TestOutcomeContractAPI(
    _PartnershipChildAPI,
    APIViewTestCases.ListObjects,
    APIViewTestCases.GetObject,
    APIViewTestCases.CreateObject,
    APIViewTestCases.UpdateObject,
):
    model = OutcomeContract
    basename = "outcomecontract"
    can_view = ALL_ROLES
    update_data = {"cap": Decimal("25000.00")}
    invalid_create_data = {"target": "120"}  # the baseline is 100 and lower is better
    invalid_fields = {"target"}
    list_query_count = 6  # savepoint, count, page with payments, investors, measurements, release

    def make_object(self, cast):
        contract = OutcomeContractFactory(partnership=partnership_in(cast, self.city))
        contract.investors.add(PartnerFactory())
        contract.measurements.create(measured_on=datetime.date(2024, 1, 1), value=Decimal(95))
        return contract

    def add_rows(self, n):
        for contract in OutcomeContractFactory.create_batch(n):
            contract.investors.add(PartnerFactory())
            contract.measurements.create(measured_on=datetime.date(2024, 1, 1), value=Decimal(95))

    def create_data(self, cast):
        partnership = PartnershipFactory(slug=f"sib-{cast[self.city].slug}", city=cast[self.city])
        return {
            "partnership": partnership.slug,
            "outcome_payer": PartnerFactory(
                slug="ministry", sector="public", kind="national_government"
            ).slug,
            "investors": [PartnerFactory(slug="impact-bank").slug],
            "indicator": "Reoffending within a year, per 100 people",
            "direction": "decrease",
            "baseline": "100",
            "target": "90",
            "threshold": "5",
            "price_per_unit": "1000",
            "cap": "20000",
            "currency": "BRL",
        }


class TestOutcomeContractAPIInCityB(_InCityB, TestOutcomeContractAPI):
    pass


def test_an_outcome_contract_shows_what_is_earned_and_what_is_due(cast, api_client):
    contract = OutcomeContractFactory(partnership=partnership_in(cast))  # baseline 100, cap 20k
    contract.investors.add(PartnerFactory(slug="impact-bank"))
    for day, value in ((1, 88), (2, 85), (3, 99)):  # improvements 12, 15 and 1 (< threshold)
        contract.measurements.create(measured_on=datetime.date(2024, 1, day), value=value)
    data = api_client.get(f"/api/v1/outcome-contracts/{contract.pk}/").data
    assert Decimal(data["payments_earned"]) == Decimal("27000")
    assert Decimal(data["payments_due"]) == Decimal("20000")
    assert data["investors"] == ["impact-bank"]
    assert [Decimal(m["value"]) for m in data["measurements"]] == [88, 85, 99]
    assert data["partnership"] == "juntos-campinas"


def test_outcome_contracts_cannot_be_removed_through_the_api(cast, api_as):
    contract = OutcomeContractFactory(partnership=partnership_in(cast))
    response = api_as(cast["superuser"]).delete(f"/api/v1/outcome-contracts/{contract.pk}/")
    assert response.status_code == 405
    assert OutcomeContract.objects.filter(pk=contract.pk).exists()


class TestMeasurementAPI(
    _PartnershipChildAPI,
    APIViewTestCases.ListObjects,
    APIViewTestCases.GetObject,
    APIViewTestCases.CreateObject,
    APIViewTestCases.UpdateObject,
    APIViewTestCases.DeleteObject,
):
    model = OutcomeMeasurement
    basename = "measurement"
    can_view = ALL_ROLES
    update_data = {"source": "Ministry of Justice interim report"}
    invalid_create_data = {"value": "a lot", "measured_on": "yesterday"}
    invalid_fields = {"value", "measured_on"}
    list_query_count = 4  # savepoint, count, page, release

    def contract(self, cast):
        partnership = partnership_in(cast, self.city)
        return OutcomeContract.objects.filter(
            partnership=partnership
        ).first() or OutcomeContractFactory(partnership=partnership)

    def make_object(self, cast):
        return self.contract(cast).measurements.create(
            measured_on=datetime.date(2024, 1, 1), value=Decimal(95)
        )

    def add_rows(self, n):
        for contract in OutcomeContractFactory.create_batch(n):
            contract.measurements.create(measured_on=datetime.date(2024, 1, 1), value=Decimal(95))

    def create_data(self, cast):
        return {"contract": self.contract(cast).pk, "measured_on": "2024-07-01", "value": "91.5"}


class TestMeasurementAPIInCityB(_InCityB, TestMeasurementAPI):
    pass


def test_a_second_measurement_on_the_same_day_is_refused(cast, api_as):
    measurement = TestMeasurementAPI().make_object(cast)
    data = {"contract": measurement.contract_id, "measured_on": "2024-01-01", "value": "80"}
    response = api_as(cast["staff_a"]).post("/api/v1/measurements/", data, format="json")
    assert response.status_code == 400
    assert response.data["errors"]
    assert OutcomeMeasurement.objects.count() == 1


# --- Integrators --------------------------------------------------------------------------


def test_an_integrator_token_reads_public_data_but_not_private_rows(
    cast, integrator_key, api_client
):
    partnership = partnership_in(cast)
    ContributionFactory(partnership=partnership)
    risk = RiskFactory(partnership=partnership)
    auth = {"HTTP_AUTHORIZATION": f"Token {integrator_key}"}
    listed = api_client.get("/api/v1/partnerships/", **auth)
    assert [p["slug"] for p in listed.data["results"]] == [partnership.slug]
    assert Decimal(listed.data["results"][0]["pledged_total"]) == Decimal("1000")
    assert api_client.get("/api/v1/contributions/", **auth).data["count"] == 0
    assert api_client.get(f"/api/v1/risks/{risk.pk}/", **auth).status_code == 404


def test_an_integrator_token_writes_what_its_owner_may(cast, integrator_key, api_client):
    from accounts.choices import Role
    from accounts.services import role_grant

    role_grant(user=cast["integrator"], role=Role.CITY_STAFF, scope=cast["city_a"], actor=None)
    auth = {"HTTP_AUTHORIZATION": f"Token {integrator_key}"}
    data = TestRiskAPI().create_data(cast)
    assert api_client.post("/api/v1/risks/", data, format="json", **auth).status_code == 201
    data["partnership"] = partnership_in(cast, "city_b").slug
    assert api_client.post("/api/v1/risks/", data, format="json", **auth).status_code == 403
    assert Risk.objects.count() == 1

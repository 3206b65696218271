"""The participatory budgets API: editions, headings and projects for every role, and the
ballot endpoints voters and their apps rely on (receipts, conflicts, throttling, secrecy)."""

import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from budgeting.choices import Channel, Phase, ProjectStatus, VotingMethod
from budgeting.codes import ALPHABET
from budgeting.models import Ballot, BallotLogEntry, BudgetEdition, Heading, Participation, Project
from budgeting.selectors import LOG_FIELDS, ballots_verify
from budgeting.services import ballot_cast, paper_ballot_enter, resident_verify
from tests.budgeting.factories import (
    EditionFactory,
    HeadingFactory,
    ProjectFactory,
    codes_for,
    voting_edition,
)
from tests.cities.factories import ZoneFactory
from tests.generic import ALL_ROLES, ROLES, APIViewTestCases
from tests.querycount import assert_constant_queries

EDITORS_A = {"superuser", "staff_a"}
EDITORS_B = {"superuser", "staff_b"}
RECEIPT = re.compile(rf"^[{ALPHABET}]{{4}}(-[{ALPHABET}]{{4}}){{4}}$")
PROBLEM = "application/problem+json"


@pytest.fixture(autouse=True)
def _fresh_guess_counters():
    """Guess counters live in the shared cache (Redis when REDIS_URL is set): start clean."""
    cache.clear()
    yield
    cache.clear()


def edition_in(cast, city="city_a", phase=Phase.REVIEW, **fields) -> BudgetEdition:
    """The edition of city A (or B) the tests hang things on: the same one on every call."""
    place = cast[city]
    edition = BudgetEdition.objects.filter(city=place, title=f"Orçamento {place.name}").first()
    return edition or EditionFactory(
        city=place, title=f"Orçamento {place.name}", phase=phase, **fields
    )


def ballots_url(edition) -> str:
    return f"/api/v1/editions/{edition.pk}/ballots/"


def project_ids(edition) -> list[int]:
    return list(edition.projects.order_by("pk").values_list("pk", flat=True))


class _InCityB:
    city = "city_b"
    can_create = EDITORS_B
    can_change = EDITORS_B
    can_delete = EDITORS_B


# --- Editions -----------------------------------------------------------------------------


class TestEditionAPI(
    APIViewTestCases.ListObjects,
    APIViewTestCases.GetObject,
    APIViewTestCases.CreateObject,
    APIViewTestCases.UpdateObject,
):
    """A published edition: everyone reads it, its city's staff change it."""

    model = BudgetEdition
    basename = "edition"
    city = "city_a"
    can_view = ALL_ROLES
    can_create = EDITORS_A
    can_change = EDITORS_A
    update_data = {"title": "Orçamento Participativo 2026", "max_choices": 3}
    invalid_create_data = {"total_amount": "-1.00", "currency": "XXQ", "method": "lottery"}
    invalid_fields = {"total_amount", "currency", "method"}
    list_query_count = 5  # savepoint, count, page with cities, phase dates, release

    def make_object(self, cast):
        edition = edition_in(cast, self.city, phase=Phase.INFORMATION)
        edition.schedule.create(phase=Phase.VOTING, starts_at="2026-09-01T09:00:00Z")
        return edition

    def add_rows(self, n):
        for edition in EditionFactory.create_batch(n, phase=Phase.PROPOSALS):
            edition.schedule.create(phase=Phase.VOTING, starts_at="2026-09-01T09:00:00Z")

    def create_data(self, cast):
        return {
            "city": cast[self.city].slug,
            "title": "Orçamento Participativo 2027",
            "year": 2027,
            "total_amount": "500000.00",
            "method": "knapsack",
            "counting_rule": "equal-shares",
            "schedule": [
                {"phase": "proposals", "starts_at": "2027-03-01T12:00:00Z"},
                {"phase": "voting", "starts_at": "2027-06-01T12:00:00Z"},
            ],
        }


class TestEditionAPIInCityB(_InCityB, TestEditionAPI):
    pass


class TestDraftEditionAPI(
    APIViewTestCases.ListObjects,
    APIViewTestCases.GetObject,
    APIViewTestCases.UpdateObject,
    APIViewTestCases.DeleteObject,
):
    """A draft is seen only by its city's staff (404 for everyone else); they may delete it."""

    model = BudgetEdition
    basename = "edition"
    city = "city_a"
    can_view = EDITORS_A
    can_change = EDITORS_A
    can_delete = EDITORS_A
    update_data = {"method": "cumulative", "points": 10}
    list_query_role = "superuser"
    list_query_count = 5

    def make_object(self, cast):
        return edition_in(cast, self.city, phase=Phase.DRAFT)

    def add_rows(self, n):
        EditionFactory.create_batch(n, phase=Phase.DRAFT)


class TestDraftEditionAPIInCityB(_InCityB, TestDraftEditionAPI):
    can_view = EDITORS_B


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("superuser", 400),  # may delete editions, but the service keeps published ones
        ("staff_a", 403),
        ("staff_b", 403),
        ("sponsor_a", 403),
        ("citizen", 403),
        ("integrator", 403),
        ("anonymous", 401),
    ],
)
def test_a_published_edition_cannot_be_deleted(role, status, cast, api_as):
    edition = edition_in(cast, phase=Phase.INFORMATION)
    response = api_as(cast[role]).delete(f"/api/v1/editions/{edition.pk}/")
    assert response.status_code == status
    assert response["Content-Type"] == PROBLEM
    assert BudgetEdition.objects.filter(pk=edition.pk).exists()
    if status == 400:
        assert "Only a draft" in str(response.data["errors"])


def test_an_edition_shows_its_rules_schedule_log_and_links(cast, api_client):
    edition = voting_edition(cast["city_a"], method=VotingMethod.CUMULATIVE, account_voting=True)
    edition.schedule.create(phase=Phase.VOTING, starts_at="2026-09-01T09:00:00Z")
    [code] = codes_for(edition)
    ballot_cast(edition=edition, code=code, points={str(project_ids(edition)[0]): 10})
    data = api_client.get(f"/api/v1/editions/{edition.pk}/").data
    edition.refresh_from_db()
    assert data["city"] == "campinas"
    assert (data["method"], data["phase"], data["points"]) == ("cumulative", "voting", 10)
    assert data["total_amount"] == "100000.00"
    assert data["currency"] == "BRL"
    assert data["account_voting"] is True
    assert data["schedule"] == [{"phase": "voting", "starts_at": "2026-09-01T09:00:00Z"}]
    assert (data["log_length"], data["log_head"]) == (1, edition.log_head)
    assert data["urls"]["ballots"] == f"http://testserver/api/v1/editions/{edition.pk}/ballots/"
    assert data["urls"]["page"] == f"http://testserver/budgets/{edition.pk}/"
    assert data["urls"]["log_json"] == f"http://testserver/budgets/{edition.pk}/log.json"


def test_a_created_edition_is_a_draft_with_the_citys_currency_and_its_schedule(cast, api_as):
    data = TestEditionAPI().create_data(cast)
    response = api_as(cast["staff_a"]).post("/api/v1/editions/", data, format="json")
    assert response.status_code == 201, response.data
    assert response.data["phase"] == "draft"
    assert response.data["currency"] == "BRL"
    assert [row["phase"] for row in response.data["schedule"]] == ["proposals", "voting"]
    edition = BudgetEdition.objects.get(pk=response.data["id"])
    assert edition.schedule.count() == 2
    assert api_as(None).get(f"/api/v1/editions/{edition.pk}/").status_code == 404


def test_phase_dates_out_of_order_are_a_field_error_and_nothing_is_saved(cast, api_as):
    data = TestEditionAPI().create_data(cast)
    data["schedule"][1]["starts_at"] = "2027-01-01T12:00:00Z"  # voting before proposals
    response = api_as(cast["staff_a"]).post("/api/v1/editions/", data, format="json")
    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM
    assert "voting" in response.data["errors"]["schedule"]
    assert not BudgetEdition.objects.exists()


def test_staff_cannot_create_an_edition_for_another_city(cast, api_as):
    data = {**TestEditionAPI().create_data(cast), "city": "santos"}
    response = api_as(cast["staff_a"]).post("/api/v1/editions/", data, format="json")
    assert response.status_code == 403
    assert not BudgetEdition.objects.exists()


def test_cumulative_voting_without_points_is_a_field_error(cast, api_as):
    data = {**TestEditionAPI().create_data(cast), "method": "cumulative"}
    response = api_as(cast["staff_a"]).post("/api/v1/editions/", data, format="json")
    assert response.status_code == 400
    assert "points" in response.data["errors"]


def test_the_rules_are_frozen_once_voting_opens(cast, api_as):
    edition = voting_edition(cast["city_a"])
    client = api_as(cast["staff_a"])
    response = client.patch(
        f"/api/v1/editions/{edition.pk}/", {"method": "knapsack"}, format="json"
    )
    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM
    assert "method" in response.data["errors"]
    edition.refresh_from_db()
    assert edition.method == VotingMethod.APPROVAL
    # What is not a rule may still change.
    response = client.patch(
        f"/api/v1/editions/{edition.pk}/", {"description": "Vote by Sunday."}, format="json"
    )
    assert response.status_code == 200


def test_editions_filter_by_city_phase_year_and_method(cast, api_client):
    voting = voting_edition(cast["city_a"], title="Campinas vota")
    EditionFactory(city=cast["city_a"], phase=Phase.RESULTS, year=2025, title="Campinas 2025")
    EditionFactory(city=cast["city_b"], phase=Phase.VOTING, method="knapsack", title="Santos vota")
    EditionFactory(city=cast["city_b"], phase=Phase.DRAFT, title="Santos rascunho")

    def titles(**params):
        response = api_client.get("/api/v1/editions/", params)
        assert response.status_code == 200
        return sorted(e["title"] for e in response.data["results"])

    assert titles(city="campinas", phase="voting") == [voting.title]
    assert titles(phase="voting") == ["Campinas vota", "Santos vota"]
    assert titles(city="santos") == ["Santos vota"]  # the draft stays hidden
    assert titles(year=2025) == ["Campinas 2025"]
    assert titles(method="knapsack") == ["Santos vota"]
    assert titles(q="2025") == ["Campinas 2025"]
    row = api_client.get("/api/v1/editions/", {"city": "campinas", "phase": "voting"}).data
    assert (row["results"][0]["method"], row["results"][0]["phase"]) == ("approval", "voting")
    assert api_client.get("/api/v1/editions/", {"phase": "dreaming"}).status_code == 400


# --- Advancing ----------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_advancing_an_edition_answers_each_role(role, cast, api_as):
    edition = edition_in(cast, phase=Phase.INFORMATION)
    response = api_as(cast[role]).post(f"/api/v1/editions/{edition.pk}/advance/")
    edition.refresh_from_db()
    if role in EDITORS_A:
        assert response.status_code == 200
        assert response.data["phase"] == "proposals"
        assert edition.phase == Phase.PROPOSALS
        assert edition.history.first().history_user == cast[role]
    else:
        assert response.status_code == (401 if role == "anonymous" else 403)
        assert edition.phase == Phase.INFORMATION


def test_a_draft_cannot_be_advanced_by_anyone_who_cannot_see_it(cast, api_as):
    edition = edition_in(cast, phase=Phase.DRAFT)
    response = api_as(cast["staff_b"]).post(f"/api/v1/editions/{edition.pk}/advance/")
    assert response.status_code == 404


def test_voting_does_not_open_on_an_empty_ballot(cast, api_as):
    edition = edition_in(cast, phase=Phase.REVIEW)
    response = api_as(cast["staff_a"]).post(
        f"/api/v1/editions/{edition.pk}/advance/", {"phase": "voting"}, format="json"
    )
    assert response.status_code == 400
    assert "phase" in response.data["errors"]
    ProjectFactory(edition=edition, status=ProjectStatus.FEASIBLE)
    response = api_as(cast["staff_a"]).post(
        f"/api/v1/editions/{edition.pk}/advance/", {"phase": "voting"}, format="json"
    )
    assert response.status_code == 200
    assert response.data["phase"] == "voting"


def test_an_edition_never_moves_backwards(cast, api_as):
    edition = voting_edition(cast["city_a"])
    response = api_as(cast["staff_a"]).post(
        f"/api/v1/editions/{edition.pk}/advance/", {"phase": "proposals"}, format="json"
    )
    assert response.status_code == 400
    assert "phase" in response.data["errors"]


# --- Headings and projects ----------------------------------------------------------------


class TestHeadingAPI(
    APIViewTestCases.ListObjects,
    APIViewTestCases.GetObject,
    APIViewTestCases.CreateObject,
    APIViewTestCases.UpdateObject,
    APIViewTestCases.DeleteObject,
):
    """A heading of an edition under review: public; its city's staff keep it before voting."""

    model = Heading
    basename = "heading"
    city = "city_a"
    can_view = ALL_ROLES
    can_create = EDITORS_A
    can_change = EDITORS_A
    can_delete = EDITORS_A
    update_data = {"amount": Decimal("45000.00"), "description": "Lamps on every street."}
    invalid_create_data = {"amount": "-1.00", "name": ""}
    invalid_fields = {"amount", "name"}
    list_query_count = 4  # savepoint, count, page with zones, release

    def make_object(self, cast):
        zone = ZoneFactory(city=cast[self.city], slug="centro")
        return HeadingFactory(edition=edition_in(cast, self.city), name="Iluminação", zone=zone)

    def add_rows(self, n):
        for _ in range(n):
            HeadingFactory(edition__phase=Phase.REVIEW, zone=ZoneFactory())

    def create_data(self, cast):
        ZoneFactory(city=cast[self.city], slug="norte")
        return {
            "edition": edition_in(cast, self.city).pk,
            "name": "Calçadas",
            "amount": "30000.00",
            "zone": "norte",
        }


class TestHeadingAPIInCityB(_InCityB, TestHeadingAPI):
    pass


class TestProjectAPI(
    APIViewTestCases.ListObjects,
    APIViewTestCases.GetObject,
    APIViewTestCases.CreateObject,
    APIViewTestCases.UpdateObject,
    APIViewTestCases.DeleteObject,
):
    """A project of an edition under review: public; its city's staff keep it before voting."""

    model = Project
    basename = "project"
    city = "city_a"
    can_view = ALL_ROLES
    can_create = EDITORS_A
    can_change = EDITORS_A
    can_delete = EDITORS_A
    update_data = {"title": "Praça iluminada", "cost": Decimal("12000.00")}
    invalid_create_data = {"cost": "-5.00", "status": "dreaming"}
    invalid_fields = {"cost", "status"}
    list_query_count = 4  # savepoint, count, page with zones, release

    def make_object(self, cast):
        zone = ZoneFactory(city=cast[self.city], slug="centro")
        return ProjectFactory(edition=edition_in(cast, self.city), zone=zone)

    def add_rows(self, n):
        for _ in range(n):
            ProjectFactory(edition__phase=Phase.REVIEW, zone=ZoneFactory())

    def create_data(self, cast):
        edition = edition_in(cast, self.city)
        zone = ZoneFactory(city=cast[self.city], slug="norte")
        heading = HeadingFactory(edition=edition, zone=zone)
        return {
            "edition": edition.pk,
            "title": "Quadra de esportes",
            "description": "A sports court next to the school.",
            "heading": heading.pk,
            "zone": "norte",
            "cost": "80000.00",
        }


class TestProjectAPIInCityB(_InCityB, TestProjectAPI):
    pass


def test_a_project_names_its_zone_by_slug_within_the_editions_city(cast, api_as):
    data = TestProjectAPI().create_data(cast)
    ZoneFactory(city=cast["city_b"], slug="porto")
    client = api_as(cast["staff_a"])
    response = client.post("/api/v1/projects/", {**data, "zone": "porto"}, format="json")
    assert response.status_code == 400
    assert "zone" in response.data["errors"]
    response = client.post("/api/v1/projects/", data, format="json")
    assert response.status_code == 201
    assert (response.data["zone"], response.data["status"]) == ("norte", "submitted")
    assert Project.objects.get().zone.city == cast["city_a"]


def test_a_project_cannot_sit_under_another_editions_heading(cast, api_as):
    data = TestProjectAPI().create_data(cast)
    other = HeadingFactory(edition__city=cast["city_a"], edition__phase=Phase.REVIEW)
    response = api_as(cast["staff_a"]).post(
        "/api/v1/projects/", {**data, "heading": other.pk}, format="json"
    )
    assert response.status_code == 400
    assert "heading" in response.data["errors"]


def test_nothing_can_be_added_to_a_draft_one_cannot_see(cast, api_as):
    data = {**TestProjectAPI().create_data(cast)}
    BudgetEdition.objects.filter(pk=data["edition"]).update(phase=Phase.DRAFT)
    response = api_as(cast["staff_b"]).post("/api/v1/projects/", data, format="json")
    assert response.status_code == 400
    assert "edition" in response.data["errors"]
    assert not Project.objects.exists()


@pytest.mark.parametrize(
    ("role", "status"),
    [("citizen", 201), ("sponsor_a", 201), ("integrator", 201), ("anonymous", 401)],
)
def test_anyone_signed_in_proposes_a_project_during_the_proposal_phase(role, status, cast, api_as):
    edition = edition_in(cast, phase=Phase.PROPOSALS)
    data = {
        "edition": edition.pk,
        "title": "Horta comunitária",
        "cost": "5000.00",
        "status": "feasible",  # a proposer cannot put their project on the ballot
        "external_id": "X-1",
    }
    response = api_as(cast[role]).post("/api/v1/projects/", data, format="json")
    assert response.status_code == status
    if status == 201:
        project = Project.objects.get()
        assert (project.status, project.proposed_by) == (ProjectStatus.SUBMITTED, cast[role])
        assert project.external_id == ""
    else:
        assert not Project.objects.exists()


def test_proposals_are_closed_outside_the_proposal_phase(cast, api_as):
    edition = edition_in(cast, phase=Phase.REVIEW)
    data = {"edition": edition.pk, "title": "Horta", "cost": "5000.00"}
    response = api_as(cast["citizen"]).post("/api/v1/projects/", data, format="json")
    assert response.status_code == 403
    assert not Project.objects.exists()


def test_a_proposer_edits_their_proposal_until_it_is_reviewed(cast, api_as):
    edition = edition_in(cast, phase=Phase.PROPOSALS)
    project = ProjectFactory(
        edition=edition, proposed_by=cast["citizen"], status=ProjectStatus.SUBMITTED
    )
    client = api_as(cast["citizen"])
    url = f"/api/v1/projects/{project.pk}/"
    response = client.patch(url, {"title": "Horta maior", "external_id": "X"}, format="json")
    assert response.status_code == 200
    project.refresh_from_db()
    assert (project.title, project.external_id) == ("Horta maior", "")
    api_as(cast["staff_a"]).post(
        f"{url}review/", {"status": "feasible", "review_explanation": "Fits."}, format="json"
    )
    assert api_as(cast["citizen"]).patch(url, {"title": "Outra"}, format="json").status_code == 403


@pytest.mark.parametrize("role", ROLES)
def test_reviewing_a_project_answers_each_role(role, cast, api_as):
    project = ProjectFactory(edition=edition_in(cast), status=ProjectStatus.SUBMITTED)
    response = api_as(cast[role]).post(
        f"/api/v1/projects/{project.pk}/review/",
        {"status": "unfeasible", "review_explanation": "The land is private."},
        format="json",
    )
    project.refresh_from_db()
    if role in EDITORS_A:
        assert response.status_code == 200
        assert response.data["status"] == "unfeasible"
        assert project.status == ProjectStatus.UNFEASIBLE
    else:
        assert response.status_code == (401 if role == "anonymous" else 403)
        assert project.status == ProjectStatus.SUBMITTED


def test_an_unfeasible_project_needs_a_public_explanation(cast, api_as):
    project = ProjectFactory(edition=edition_in(cast), status=ProjectStatus.SUBMITTED)
    response = api_as(cast["staff_a"]).post(
        f"/api/v1/projects/{project.pk}/review/", {"status": "unfeasible"}, format="json"
    )
    assert response.status_code == 400
    assert "review_explanation" in response.data["errors"]


def test_the_ballot_is_frozen_once_voting_opens(cast, api_as):
    edition = voting_edition(cast["city_a"])
    project = edition.projects.first()
    client = api_as(cast["staff_a"])
    response = client.patch(f"/api/v1/projects/{project.pk}/", {"cost": "1.00"}, format="json")
    assert response.status_code == 400
    assert "cost" in response.data["errors"]
    data = {"edition": edition.pk, "title": "Late", "cost": "1.00"}
    assert client.post("/api/v1/projects/", data, format="json").status_code == 403
    assert client.delete(f"/api/v1/projects/{project.pk}/").status_code == 403
    project.refresh_from_db()
    assert project.cost == Decimal("20000.00")


def test_projects_filter_by_edition_status_zone_and_text(cast, api_client):
    edition = edition_in(cast)
    zone = ZoneFactory(city=cast["city_a"], slug="norte")
    on_ballot = ProjectFactory(edition=edition, title="Praça", zone=zone)
    refused = ProjectFactory(
        edition=edition, title="Ponte", status="unfeasible", review_explanation="Too big."
    )
    ProjectFactory(edition__phase=Phase.REVIEW, title="Elsewhere")

    def ids(**params):
        response = api_client.get("/api/v1/projects/", params)
        assert response.status_code == 200
        return {p["id"] for p in response.data["results"]}

    assert ids(edition=edition.pk) == {on_ballot.pk, refused.pk}
    assert ids(edition=edition.pk, status="unfeasible") == {refused.pk}
    assert ids(city="campinas", zone="norte") == {on_ballot.pk}
    assert ids(q="ponte") == {refused.pk}


# --- Under an edition: the ballot's projects and headings, the log ------------------------


def test_the_ballot_lists_only_projects_on_it_with_what_a_voter_needs(cast, api_client):
    edition = edition_in(cast, phase=Phase.VOTING)
    zone = ZoneFactory(city=cast["city_a"], slug="norte")
    heading = HeadingFactory(edition=edition)
    on_ballot = ProjectFactory(
        edition=edition, title="Praça", zone=zone, heading=heading, cost=Decimal("1500.50")
    )
    ProjectFactory(edition=edition, status=ProjectStatus.WITHDRAWN)
    ProjectFactory(edition=edition, status="unfeasible", review_explanation="No.")
    response = api_client.get(f"/api/v1/editions/{edition.pk}/projects/")
    assert response.status_code == 200
    assert response.data["count"] == 1
    [row] = response.data["results"]
    assert row["id"] == on_ballot.pk
    assert (row["title"], row["cost"], row["zone"]) == ("Praça", "1500.50", "norte")
    assert (row["heading"], row["status"]) == (heading.pk, "feasible")


def test_a_voter_of_a_zone_sees_the_city_wide_projects_and_their_zones(cast, api_client):
    edition = edition_in(cast, phase=Phase.VOTING, by_zone=True)
    north = ZoneFactory(city=cast["city_a"], slug="norte")
    south = ZoneFactory(city=cast["city_a"], slug="sul")
    city_wide = ProjectFactory(edition=edition)
    northern = ProjectFactory(edition=edition, zone=north)
    ProjectFactory(edition=edition, zone=south)
    url = f"/api/v1/editions/{edition.pk}/projects/"
    rows = api_client.get(url, {"zone": "norte"}).data["results"]
    assert {row["id"] for row in rows} == {city_wide.pk, northern.pk}
    assert api_client.get(url).data["count"] == 3


def test_the_ballot_list_costs_the_same_queries_for_many_projects(cast, api_client):
    edition = edition_in(cast, phase=Phase.VOTING)
    ProjectFactory(edition=edition, zone=ZoneFactory(city=cast["city_a"]))
    url = f"/api/v1/editions/{edition.pk}/projects/"

    def more(n):
        for _ in range(n):
            ProjectFactory(edition=edition, zone=ZoneFactory(city=cast["city_a"]))

    # savepoint, edition, count, page with zones, release
    assert_constant_queries(lambda: api_client.get(url), more, expected=5)


def test_the_headings_of_an_edition_are_listed_with_their_amounts(cast, api_client):
    edition = edition_in(cast, phase=Phase.VOTING, method=VotingMethod.HEADINGS)
    zone = ZoneFactory(city=cast["city_a"], slug="norte")
    HeadingFactory(edition=edition, name="Iluminação", amount=Decimal("30000"), zone=zone)
    HeadingFactory(edition=edition, name="Calçadas", amount=Decimal("20000"))
    HeadingFactory(name="Elsewhere")
    url = f"/api/v1/editions/{edition.pk}/headings/"
    rows = api_client.get(url).data["results"]
    assert [(r["name"], r["amount"], r["zone"]) for r in rows] == [
        ("Calçadas", "20000.00", None),
        ("Iluminação", "30000.00", "norte"),
    ]

    def more(n):
        for i in range(n):
            HeadingFactory(edition=edition, zone=ZoneFactory(city=cast["city_a"]), name=f"H{i}")

    assert_constant_queries(lambda: api_client.get(url), more, expected=5)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("path", ["", "projects/", "headings/", "log/"])
def test_a_draft_and_everything_under_it_is_hidden_from_all_but_its_staff(role, path, cast, api_as):
    edition = edition_in(cast, phase=Phase.DRAFT)
    ProjectFactory(edition=edition)
    response = api_as(cast[role]).get(f"/api/v1/editions/{edition.pk}/{path}")
    assert response.status_code == (200 if role in EDITORS_A else 404)
    if response.status_code == 404:
        assert response["Content-Type"] == PROBLEM


def test_the_public_log_lists_fingerprints_in_order_and_nothing_else(cast, api_client):
    edition = voting_edition(cast["city_a"])
    for code in codes_for(edition, 3):
        ballot_cast(edition=edition, code=code, choices=project_ids(edition)[:1])
    url = f"/api/v1/editions/{edition.pk}/log/"
    response = api_client.get(url, {"page_size": 2})
    assert response.status_code == 200
    assert response.data["count"] == 3
    assert [e["seq"] for e in response.data["results"]] == [1, 2]
    assert set(response.data["results"][0]) == set(LOG_FIELDS)
    rows = response.data["results"] + api_client.get(response.data["next"]).data["results"]
    stored = BallotLogEntry.objects.filter(edition=edition).order_by("seq")
    assert [r["entry_hash"] for r in rows] == [e.entry_hash for e in stored]

    def more(n):
        for code in codes_for(edition, n):
            ballot_cast(edition=edition, code=code, choices=project_ids(edition)[:1])

    # savepoint, edition, count, page, release
    assert_constant_queries(lambda: api_client.get(url), more, expected=5)


# --- Participation figures ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("superuser", 200),
        ("staff_a", 200),
        ("sponsor_a", 200),
        ("staff_b", 403),
        ("citizen", 403),
        ("integrator", 403),
        ("anonymous", 401),
    ],
)
def test_turnout_during_voting_is_for_the_citys_staff_and_sponsors(role, status, cast, api_as):
    edition = voting_edition(cast["city_a"])
    [code] = codes_for(edition)
    ballot_cast(edition=edition, code=code, choices=project_ids(edition)[:1])
    response = api_as(cast[role]).get(f"/api/v1/editions/{edition.pk}/participation/")
    assert response.status_code == status
    if status != 200:
        assert response["Content-Type"] == PROBLEM
        assert "total" not in response.data


def test_turnout_is_aggregates_only_and_public_with_the_results(cast, api_client):
    edition = voting_edition(cast["city_a"])
    north = ZoneFactory(city=cast["city_a"], name="Norte")
    ids = project_ids(edition)
    for code in codes_for(edition, 2, zone=north):
        ballot_cast(edition=edition, code=code, choices=ids[:1])
    [code] = codes_for(edition, 1)
    ballot_cast(edition=edition, code=code, choices=ids[:2])
    paper_ballot_enter(edition=edition, actor=None, choices=ids[:1], zone=north)
    BudgetEdition.objects.filter(pk=edition.pk).update(phase=Phase.RESULTS)
    response = api_client.get(f"/api/v1/editions/{edition.pk}/participation/")
    assert response.status_code == 200
    assert response.data == {
        "total": 4,
        "by_channel": [
            {"channel": "online", "label": "Online", "voters": 3},
            {"channel": "paper", "label": "Paper", "voters": 1},
        ],
        "by_zone": [{"zone_name": "Norte", "voters": 3}, {"zone_name": None, "voters": 1}],
    }


# --- Casting ballots ----------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_anyone_with_a_code_casts_a_ballot_and_gets_a_receipt(role, cast, api_as):
    edition = voting_edition(cast["city_a"], max_choices=2)
    [code] = codes_for(edition)
    choices = project_ids(edition)[:2]
    response = api_as(cast[role]).post(
        ballots_url(edition), {"code": code, "choices": choices}, format="json"
    )
    assert response.status_code == 201, response.data
    assert set(response.data) == {"receipt"}
    assert RECEIPT.match(response.data["receipt"])
    ballot = Ballot.objects.get(edition=edition)
    assert ballot.choices == {str(pk): 1 for pk in choices}
    assert ballot.channel == Channel.ONLINE
    assert Participation.objects.filter(edition=edition).count() == 1
    assert ballots_verify(edition=edition).ok


def test_a_used_code_is_a_conflict_and_changes_nothing(cast, api_client):
    edition = voting_edition(cast["city_a"])
    [code] = codes_for(edition)
    data = {"code": code, "choices": project_ids(edition)[:1]}
    assert api_client.post(ballots_url(edition), data, format="json").status_code == 201
    response = api_client.post(ballots_url(edition), {**data, "code": code.lower()}, format="json")
    assert response.status_code == 409
    assert response["Content-Type"] == PROBLEM
    assert response.data["code"] == "already_used"
    assert response.data["status"] == 409
    assert "already been used" in response.data["detail"]
    assert "receipt" not in response.data
    assert Ballot.objects.count() == 1
    assert BallotLogEntry.objects.count() == 1


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("ABCD-EFGH-JKMN-PQRS", "not valid for this edition"),
        ("not a code", "16 letters and digits"),
    ],
)
def test_a_wrong_code_is_a_field_error(code, message, cast, api_client):
    edition = voting_edition(cast["city_a"])
    codes_for(edition)
    response = api_client.post(
        ballots_url(edition), {"code": code, "choices": project_ids(edition)[:1]}, format="json"
    )
    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM
    assert response.data["code"] == "invalid"
    assert message in " ".join(response.data["errors"]["code"])
    assert not Ballot.objects.exists()


def test_a_code_for_another_edition_does_not_vote_here(cast, api_client):
    edition = voting_edition(cast["city_a"])
    [code] = codes_for(voting_edition(cast["city_a"]))
    response = api_client.post(
        ballots_url(edition), {"code": code, "choices": project_ids(edition)[:1]}, format="json"
    )
    assert response.status_code == 400
    assert "code" in response.data["errors"]


def test_an_anonymous_client_without_a_code_is_asked_for_one(cast, api_client):
    edition = voting_edition(cast["city_a"])
    response = api_client.post(
        ballots_url(edition), {"choices": project_ids(edition)[:1]}, format="json"
    )
    assert response.status_code == 400
    assert "code" in response.data["errors"]


@pytest.mark.parametrize(
    ("payload", "field", "message"),
    [
        ({"choices": []}, "choices", "Choose at least one"),
        ({"choices": [999_999]}, "choices", "not on this ballot"),
        ({"choices": ["abc"]}, "choices", None),
        ({}, "choices", "as a list"),
        ({"choices": "1,2"}, "choices", None),
    ],
)
def test_an_invalid_ballot_is_a_field_error_and_the_code_stays_usable(
    payload, field, message, cast, api_client
):
    edition = voting_edition(cast["city_a"])
    [code] = codes_for(edition)
    response = api_client.post(ballots_url(edition), {"code": code, **payload}, format="json")
    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM
    assert field in response.data["errors"], response.data
    if message:
        assert message in str(response.data["errors"][field])
    assert not Participation.objects.exists()
    response = api_client.post(
        ballots_url(edition), {"code": code, "choices": project_ids(edition)[:1]}, format="json"
    )
    assert response.status_code == 201


def test_too_many_choices_are_refused(cast, api_client):
    edition = voting_edition(cast["city_a"], max_choices=1)
    [code] = codes_for(edition)
    response = api_client.post(
        ballots_url(edition), {"code": code, "choices": project_ids(edition)[:2]}, format="json"
    )
    assert response.status_code == 400
    assert "at most 1" in str(response.data["errors"]["choices"])


def test_a_knapsack_ballot_over_the_budget_is_refused(cast, api_client):
    edition = voting_edition(
        cast["city_a"], method=VotingMethod.KNAPSACK, total_amount=Decimal("50000")
    )
    [code] = codes_for(edition)
    ids = project_ids(edition)  # 20,000 each
    response = api_client.post(ballots_url(edition), {"code": code, "choices": ids}, format="json")
    assert response.status_code == 400
    assert "more than the budget of 50,000.00 BRL" in str(response.data["errors"]["choices"])
    response = api_client.post(
        ballots_url(edition), {"code": code, "choices": ids[:2]}, format="json"
    )
    assert response.status_code == 201


def test_a_heading_choice_ballot_takes_heading_ids(cast, api_client):
    edition = voting_edition(cast["city_a"], method=VotingMethod.HEADINGS, max_choices=2)
    headings = list(edition.headings.order_by("pk").values_list("pk", flat=True))
    project = ProjectFactory(edition=edition)
    while project.pk in headings:  # ids are per table: make sure it is no heading's too
        project = ProjectFactory(edition=edition)
    [first] = codes_for(edition)
    response = api_client.post(
        ballots_url(edition), {"code": first, "choices": [project.pk]}, format="json"
    )
    assert response.status_code == 400
    assert "not on this ballot" in str(response.data["errors"]["choices"])
    response = api_client.post(
        ballots_url(edition), {"code": first, "choices": headings[:2]}, format="json"
    )
    assert response.status_code == 201
    assert Ballot.objects.get().choices == {str(pk): 1 for pk in headings[:2]}


def test_a_cumulative_ballot_spreads_points_over_projects(cast, api_client):
    edition = voting_edition(cast["city_a"], method=VotingMethod.CUMULATIVE, points=10)
    first, second = project_ids(edition)[:2]
    codes = codes_for(edition, 2)
    response = api_client.post(
        ballots_url(edition),
        {"code": codes[0], "points": {str(first): 7, str(second): 4}},
        format="json",
    )
    assert response.status_code == 400
    assert "You gave 11 points; you have 10." in str(response.data["errors"]["points"])
    response = api_client.post(
        ballots_url(edition), {"code": codes[0], "choices": [first]}, format="json"
    )
    assert response.status_code == 400
    assert "points" in response.data["errors"]
    response = api_client.post(
        ballots_url(edition),
        {"code": codes[0], "points": {str(first): 7, str(second): 3}},
        format="json",
    )
    assert response.status_code == 201
    assert Ballot.objects.get().choices == {str(first): 7, str(second): 3}


def test_a_voter_of_a_zone_cannot_vote_for_another_zones_project(cast, api_client):
    edition = voting_edition(cast["city_a"], by_zone=True, projects=0)
    north = ZoneFactory(city=cast["city_a"], slug="norte")
    south = ZoneFactory(city=cast["city_a"], slug="sul")
    southern = ProjectFactory(edition=edition, zone=south)
    northern = ProjectFactory(edition=edition, zone=north)
    [code] = codes_for(edition, zone=north)
    response = api_client.post(
        ballots_url(edition), {"code": code, "choices": [southern.pk]}, format="json"
    )
    assert response.status_code == 400
    assert "another zone" in str(response.data["errors"]["choices"])
    response = api_client.post(
        ballots_url(edition), {"code": code, "choices": [northern.pk]}, format="json"
    )
    assert response.status_code == 201
    assert Ballot.objects.get().zone == north


@pytest.mark.parametrize("role", ROLES)
def test_anyone_with_a_receipt_replaces_its_ballot(role, cast, api_as):
    edition = voting_edition(cast["city_a"])
    [code] = codes_for(edition)
    first, second = project_ids(edition)[:2]
    receipt = ballot_cast(edition=edition, code=code, choices=[first])
    response = api_as(cast[role]).post(
        f"{ballots_url(edition)}replace/", {"receipt": receipt, "choices": [second]}, format="json"
    )
    assert response.status_code == 201
    assert Ballot.objects.get(superseded=False).choices == {str(second): 1}


@pytest.mark.parametrize("phase", [Phase.INFORMATION, Phase.REVIEW, Phase.COUNTING])
def test_ballots_are_refused_when_voting_is_not_open(phase, cast, api_client):
    edition = voting_edition(cast["city_a"])
    [code] = codes_for(edition)
    BudgetEdition.objects.filter(pk=edition.pk).update(phase=phase)
    data = {"code": code, "choices": project_ids(edition)[:1]}
    response = api_client.post(ballots_url(edition), data, format="json")
    assert response.status_code == 403
    assert response["Content-Type"] == PROBLEM
    assert response.data["code"] == "voting_closed"
    response = api_client.post(
        f"{ballots_url(edition)}replace/", {**data, "receipt": "X" * 20}, format="json"
    )
    assert response.status_code == 403
    assert not Ballot.objects.exists()


@pytest.mark.parametrize("role", ROLES)
def test_a_draft_takes_no_ballots_and_does_not_admit_it_exists(role, cast, api_as):
    edition = voting_edition(cast["city_a"])
    [code] = codes_for(edition)
    BudgetEdition.objects.filter(pk=edition.pk).update(phase=Phase.DRAFT)
    response = api_as(cast[role]).post(
        ballots_url(edition), {"code": code, "choices": project_ids(edition)[:1]}, format="json"
    )
    assert response.status_code == (403 if role in EDITORS_A else 404)
    assert not Ballot.objects.exists()


def test_an_unknown_edition_is_not_found(db, api_client):
    response = api_client.post("/api/v1/editions/987654/ballots/", {}, format="json")
    assert response.status_code == 404
    assert response["Content-Type"] == PROBLEM


def test_a_client_guessing_too_many_codes_is_throttled(cast, settings):
    settings.VOTING_GUESS_LIMIT = 2
    settings.VOTING_LOCKOUT_SECONDS = 600
    edition = voting_edition(cast["city_a"])
    [code] = codes_for(edition)
    choices = project_ids(edition)[:1]
    guesser = APIClient(REMOTE_ADDR="203.0.113.7")
    for guess in ("ABCD-EFGH-JKMN-PQRS", "BCDE-FGHJ-KMNP-QRST"):
        response = guesser.post(
            ballots_url(edition), {"code": guess, "choices": choices}, format="json"
        )
        assert response.status_code == 400
    response = guesser.post(
        ballots_url(edition), {"code": "CDEF-GHJK-MNPQ-RSTU", "choices": choices}, format="json"
    )
    assert response.status_code == 429
    assert response["Retry-After"] == "600"
    assert response["Content-Type"] == PROBLEM
    assert response.data["code"] == "throttled"
    assert "Too many wrong codes" in response.data["detail"]
    # Locked out, even with the right code; someone else still votes with theirs.
    response = guesser.post(ballots_url(edition), {"code": code, "choices": choices}, format="json")
    assert response.status_code == 429
    neighbour = APIClient(REMOTE_ADDR="198.51.100.2")
    response = neighbour.post(
        ballots_url(edition), {"code": code, "choices": choices}, format="json"
    )
    assert response.status_code == 201


def test_right_codes_do_not_count_as_guesses(cast, settings, api_client):
    settings.VOTING_GUESS_LIMIT = 2
    edition = voting_edition(cast["city_a"])
    for code in codes_for(edition, 5):
        response = api_client.post(
            ballots_url(edition), {"code": code, "choices": project_ids(edition)[:1]}, format="json"
        )
        assert response.status_code == 201


# --- Voting with a verified account -------------------------------------------------------


def test_a_verified_resident_votes_once_with_their_account(cast, api_as):
    edition = voting_edition(cast["city_a"], account_voting=True)
    resident_verify(city=cast["city_a"], user=cast["citizen"], zone=None, actor=cast["staff_a"])
    client = api_as(cast["citizen"])
    data = {"choices": project_ids(edition)[:1]}
    response = client.post(ballots_url(edition), data, format="json")
    assert response.status_code == 201
    assert RECEIPT.match(response.data["receipt"])
    response = client.post(ballots_url(edition), data, format="json")
    assert response.status_code == 409
    assert response.data["code"] == "already_used"
    assert "Your account has already voted" in response.data["detail"]
    assert Participation.objects.get().voter_key.startswith("u:")


def test_an_unverified_account_is_told_why_it_cannot_vote(cast, api_as):
    edition = voting_edition(cast["city_a"], account_voting=True)
    response = api_as(cast["integrator"]).post(
        ballots_url(edition), {"choices": project_ids(edition)[:1]}, format="json"
    )
    assert response.status_code == 400
    assert "not verified as a resident of Campinas" in str(response.data["errors"]["code"])


def test_an_edition_without_account_votes_asks_accounts_for_a_code(cast, api_as):
    edition = voting_edition(cast["city_a"])
    resident_verify(city=cast["city_a"], user=cast["citizen"], zone=None, actor=cast["staff_a"])
    response = api_as(cast["citizen"]).post(
        ballots_url(edition), {"choices": project_ids(edition)[:1]}, format="json"
    )
    assert response.status_code == 400
    assert "voting codes only" in str(response.data["errors"]["code"])


# --- CSRF: a code is the credential, a browser session still needs its token --------------


def test_anonymous_and_token_clients_cast_without_a_csrf_token(cast, integrator_key):
    edition = voting_edition(cast["city_a"])
    first, second = codes_for(edition, 2)
    client = APIClient(enforce_csrf_checks=True)
    data = {"choices": project_ids(edition)[:1]}
    response = client.post(ballots_url(edition), {**data, "code": first}, format="json")
    assert response.status_code == 201
    response = client.post(
        ballots_url(edition),
        {**data, "code": second},
        format="json",
        HTTP_AUTHORIZATION=f"Token {integrator_key}",
    )
    assert response.status_code == 201


def test_a_signed_in_browser_session_must_send_its_csrf_token(cast):
    edition = voting_edition(cast["city_a"], account_voting=True)
    resident_verify(city=cast["city_a"], user=cast["citizen"], zone=None, actor=cast["staff_a"])
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(cast["citizen"])
    data = {"choices": project_ids(edition)[:1]}
    response = client.post(ballots_url(edition), data, format="json")
    assert response.status_code == 403
    assert "CSRF" in response.data["detail"]
    assert not Ballot.objects.exists()
    token = "abcdefghijklmnopqrstuvwxyzABCDEF"  # a 32-character CSRF secret
    client.cookies["csrftoken"] = token
    response = client.post(ballots_url(edition), data, format="json", HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 201


# --- Replacing a ballot -------------------------------------------------------------------


def test_a_receipt_replaces_its_ballot_once(cast, api_client):
    edition = voting_edition(cast["city_a"])
    [code] = codes_for(edition)
    first, second = project_ids(edition)[:2]
    receipt = api_client.post(
        ballots_url(edition), {"code": code, "choices": [first]}, format="json"
    ).data["receipt"]
    url = f"{ballots_url(edition)}replace/"
    response = api_client.post(url, {"receipt": receipt, "choices": [second]}, format="json")
    assert response.status_code == 201
    new = response.data["receipt"]
    assert RECEIPT.match(new)
    assert new != receipt
    current = Ballot.objects.get(superseded=False)
    assert current.choices == {str(second): 1}
    kinds = list(BallotLogEntry.objects.order_by("seq").values_list("kind", flat=True))
    assert kinds == ["cast", "replace"]
    assert Participation.objects.count() == 1
    assert ballots_verify(edition=edition).ok
    response = api_client.post(url, {"receipt": receipt, "choices": [first]}, format="json")
    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM
    assert "replaced" in str(response.data["errors"]["receipt"])


def test_a_replacement_must_be_a_valid_ballot_too(cast, api_client):
    edition = voting_edition(cast["city_a"], max_choices=1)
    [code] = codes_for(edition)
    ids = project_ids(edition)
    receipt = api_client.post(
        ballots_url(edition), {"code": code, "choices": ids[:1]}, format="json"
    ).data["receipt"]
    response = api_client.post(
        f"{ballots_url(edition)}replace/", {"receipt": receipt, "choices": ids}, format="json"
    )
    assert response.status_code == 400
    assert "choices" in response.data["errors"]
    assert BallotLogEntry.objects.count() == 1


def test_an_unknown_receipt_is_a_field_error_and_guessing_receipts_is_throttled(
    cast, settings, api_client
):
    settings.VOTING_GUESS_LIMIT = 1
    edition = voting_edition(cast["city_a"])
    url = f"{ballots_url(edition)}replace/"
    data = {"receipt": "ABCD-EFGH-JKMN-PQRS-TUVW", "choices": project_ids(edition)[:1]}
    response = api_client.post(url, data, format="json")
    assert response.status_code == 400
    assert "receipt" in response.data["errors"]
    response = api_client.post(url, data, format="json")
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0


# --- Secrecy and the schema ---------------------------------------------------------------


def test_no_endpoint_puts_a_ballot_next_to_a_voter(cast, api_as):
    edition = voting_edition(cast["city_a"], account_voting=True)
    resident_verify(city=cast["city_a"], user=cast["citizen"], zone=None, actor=cast["staff_a"])
    api_as(cast["citizen"]).post(
        ballots_url(edition), {"choices": project_ids(edition)[:1]}, format="json"
    )
    voter_key = Participation.objects.get().voter_key
    ballot = Ballot.objects.get()
    client = api_as(cast["superuser"])
    for path in ("", "log/", "participation/", "projects/", "headings/"):
        text = client.get(f"/api/v1/editions/{edition.pk}/{path}").content.decode()
        assert voter_key not in text
        assert cast["citizen"].email not in text
        assert str(ballot.id) not in text
        assert ballot.salt not in text
    assert client.get(ballots_url(edition)).status_code == 405


def test_the_openapi_schema_documents_the_ballot_endpoints(db, client):
    spec = client.get("/api/schema/", headers={"Accept": "application/json"}).json()
    paths = spec["paths"]
    cast_ballot = paths["/api/v1/editions/{edition_pk}/ballots/"]["post"]
    assert {"201", "400", "403", "404", "409", "429"} <= set(cast_ballot["responses"])
    assert {} in cast_ballot["security"]  # anonymous clients may cast
    assert "/api/v1/editions/{edition_pk}/ballots/replace/" in paths
    for path in ("projects", "headings", "log", "participation"):
        assert f"/api/v1/editions/{{edition_pk}}/{path}/" in paths
    assert "/api/v1/editions/{id}/advance/" in paths
    ballot = spec["components"]["schemas"]["BallotRequest"]["properties"]
    assert {"code", "choices", "points"} <= set(ballot)

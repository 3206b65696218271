"""The results and delivery API: results per rule and per project, anonymised ballots, the
funded projects' delivery, milestones and updates, for every role, before and after the
results are published. Before, nothing reveals support, funding or results (the embargo)."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from freezegun import freeze_time

from budgeting.choices import CountStatus, Phase, VotingMethod
from budgeting.models import Count, Milestone, Project, ProjectUpdate
from budgeting.selectors import anonymised_ballots_export
from budgeting.services import (
    ballot_cast,
    count_publish,
    count_request,
    count_run,
    milestone_create,
    project_delivery_update,
    project_update_post,
)
from tests.budgeting.factories import EditionFactory, HeadingFactory, ProjectFactory, codes_for
from tests.budgeting.test_delivery_views import counted_election, set_phase
from tests.cities.factories import ZoneFactory
from tests.generic import ALL_ROLES, ROLES, APIViewTestCases
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db

MANAGERS = {"superuser", "staff_a"}
OUTSIDERS = sorted(set(ROLES) - MANAGERS)
PROBLEM = "application/problem+json"


@pytest.fixture
def election(cast):
    return counted_election(cast["city_a"], cast["staff_a"])


@pytest.fixture
def published(election, cast):
    return election.publish(cast["staff_a"])


def results_url(edition) -> str:
    return f"/api/v1/editions/{edition.pk}/results/"


def ballots_url(edition) -> str:
    return f"/api/v1/editions/{edition.pk}/ballots/anonymised/"


def delivery_list_url(edition) -> str:
    return f"/api/v1/editions/{edition.pk}/delivery/"


def delivery_url(project) -> str:
    return f"/api/v1/projects/{project.pk}/delivery/"


def milestones_url(project) -> str:
    return f"/api/v1/projects/{project.pk}/milestones/"


def updates_url(project) -> str:
    return f"/api/v1/projects/{project.pk}/updates/"


def refused(role) -> int:
    return 401 if role == "anonymous" else 403


# --- results ----------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_embargoed_results_are_the_staffs_preview_and_hidden_from_everyone_else(
    role, election, cast, api_as
):
    response = api_as(cast[role]).get(results_url(election.edition))
    if role in MANAGERS:
        assert response.status_code == 200
        assert response.data["published"] is False
        assert response.data["published_at"] is None
        assert response.data["count"] == election.count.pk
    else:
        assert response.status_code == 404
        assert response["Content-Type"] == PROBLEM
        assert "support" not in response.data


@pytest.mark.parametrize("role", ROLES)
def test_published_results_are_everyones(role, published, cast, api_as):
    response = api_as(cast[role]).get(results_url(published.edition))
    assert response.status_code == 200
    assert response.data["published"] is True
    assert response.data["count"] == published.count.pk


def test_the_results_match_the_published_count_rule_by_rule(published, api_client):
    data = api_client.get(results_url(published.edition)).json()
    count = published.count
    assert data["published_at"] is not None
    assert (data["log_length"], data["log_head"]) == (count.log_length, count.log_head)
    assert (data["log_length"], data["stale"]) == (6, False)
    assert (data["currency"], data["options"]) == ("BRL", "projects")
    stored = {result.rule: result for result in count.results.all()}
    assert [row["rule"] for row in data["results"]] == ["greedy", "equal-shares"]
    for row in data["results"]:
        result = stored[row["rule"]]
        assert row["official"] == result.official
        assert row["completion"] == result.completion
        assert row["selected"] == result.selected
        assert Decimal(row["budget"]) == result.budget
        assert Decimal(row["cost"]) == result.cost
        assert (row["voters"], row["satisfied"]) == (result.voters, result.satisfied)
        assert row["satisfied_share"] == pytest.approx(result.satisfied_share)
        assert row["tie_break"] == result.tie_break.split(",")
        assert row["engine_version"] == result.engine_version
        assert [unit["selected"] for unit in row["units"]] == [
            unit["selected"] for unit in result.units
        ]
    official = data["results"][0]
    assert official["official"] is True
    assert official["selected"] == [published.a.pk, published.c.pk]
    assert (official["cost"], official["voters"], official["satisfied"]) == ("100.00", 6, 6)


def test_each_project_shows_its_support_most_supported_first(published, api_client):
    published.a.external_id = "P-1"
    published.a.save()
    support = api_client.get(results_url(published.edition)).json()["support"]
    assert support == [
        {
            "id": published.a.pk,
            "external_id": "P-1",
            "title": "Praça Central",
            "cost": "60.00",
            "support": 5,
            "funded": True,
        },
        {
            "id": published.b.pk,
            "external_id": "",
            "title": "Biblioteca",
            "cost": "50.00",
            "support": 4,
            "funded": False,
        },
        {
            "id": published.c.pk,
            "external_id": "",
            "title": "Ciclovia",
            "cost": "40.00",
            "support": 3,
            "funded": True,
        },
        {
            "id": published.d.pk,
            "external_id": "",
            "title": "Horta",
            "cost": "10.00",
            "support": 1,
            "funded": False,
        },
    ]


def test_the_staffs_preview_says_when_ballots_changed_after_the_count(election, cast, api_as):
    set_phase(election.edition, Phase.VOTING)
    [code] = codes_for(election.edition)
    ballot_cast(edition=election.edition, code=code, choices=[election.d.pk])
    set_phase(election.edition, Phase.COUNTING)
    data = api_as(cast["staff_a"]).get(results_url(election.edition)).json()
    assert data["stale"] is True
    assert data["log_length"] == 6


def test_staff_see_nothing_before_a_count_has_finished(cast, api_as):
    edition = EditionFactory(city=cast["city_a"], phase=Phase.COUNTING)
    Count.objects.create(edition=edition, status=CountStatus.RUNNING)
    assert api_as(cast["staff_a"]).get(results_url(edition)).status_code == 404


@pytest.mark.parametrize("role", ["staff_b", "citizen", "anonymous"])
def test_a_draft_has_no_results_for_outsiders(role, cast, api_as):
    edition = EditionFactory(city=cast["city_a"], phase=Phase.DRAFT)
    assert api_as(cast[role]).get(results_url(edition)).status_code == 404


def test_a_heading_choice_shows_the_support_of_each_heading(cast, api_client):
    edition = EditionFactory(
        city=cast["city_a"], method=VotingMethod.HEADINGS, max_choices=1, total_amount=100
    )
    roads = HeadingFactory(edition=edition, name="Roadways", amount=Decimal(100))
    green = HeadingFactory(edition=edition, name="Green spaces", amount=Decimal(100))
    set_phase(edition, Phase.VOTING)
    for code, heading in zip(codes_for(edition, 3), [roads, roads, green], strict=True):
        ballot_cast(edition=edition, code=code, choices=[heading.pk])
    set_phase(edition, Phase.COUNTING)
    count = count_request(edition=edition, actor=cast["staff_a"])
    count_run(count_id=count.pk)
    count_publish(count=count, actor=cast["staff_a"])
    data = api_client.get(results_url(edition)).json()
    assert data["options"] == "headings"
    assert [(r["title"], r["support"], r["funded"]) for r in data["support"]] == [
        ("Roadways", 2, True),
        ("Green spaces", 1, False),
    ]
    assert [r["rule"] for r in data["results"]] == ["greedy"]


def test_the_results_cost_the_same_queries_for_many_projects(published, api_client):
    def more(n):
        ProjectFactory.create_batch(n, edition=published.edition)

    # savepoint, edition, published count, its results, the projects voted on, release
    assert_constant_queries(
        lambda: api_client.get(results_url(published.edition)), more, expected=6
    )


# --- anonymised ballots ---------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_anonymised_ballots_are_not_downloadable_before_the_results(role, election, cast, api_as):
    response = api_as(cast[role]).get(ballots_url(election.edition))
    assert response.status_code == 404
    assert "ballots" not in response.data


@pytest.mark.parametrize("role", ROLES)
def test_anonymised_ballots_are_everyones_once_published(role, published, cast, api_as):
    response = api_as(cast[role]).get(ballots_url(published.edition))
    assert response.status_code == 200
    assert response.json() == anonymised_ballots_export(edition=published.edition)
    ballots = response.json()["ballots"]
    assert len(ballots) == 6
    assert set(ballots[0]) == {"fingerprint", "salt", "channel", "zone", "choices"}
    assert [b["fingerprint"] for b in ballots] == sorted(b["fingerprint"] for b in ballots)


# --- the projects' delivery fields ----------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_whether_a_project_is_funded_is_hidden_until_the_results(role, election, cast, api_as):
    client = api_as(cast[role])
    detail = client.get(f"/api/v1/projects/{election.a.pk}/").json()
    assert detail["selected"] is None
    rows = client.get("/api/v1/projects/", {"edition": election.edition.pk}).json()["results"]
    assert [row["selected"] for row in rows] == [None] * 4
    ballot = client.get(f"/api/v1/editions/{election.edition.pk}/projects/").json()["results"]
    assert [row["selected"] for row in ballot] == [None] * 4


def test_a_project_says_whether_it_was_funded_and_how_its_delivery_goes(
    published, cast, api_client
):
    project_delivery_update(
        project=published.a,
        data={"delivery_status": "in_progress", "progress": 40, "spent": Decimal("20.5")},
        actor=cast["staff_a"],
    )
    rows = api_client.get("/api/v1/projects/", {"edition": published.edition.pk}).json()
    funded = {row["title"]: row["selected"] for row in rows["results"]}
    assert funded == {"Praça Central": True, "Biblioteca": False, "Ciclovia": True, "Horta": False}
    detail = api_client.get(f"/api/v1/projects/{published.a.pk}/").json()
    assert (detail["delivery_status"], detail["progress"], detail["spent"]) == (
        "in_progress",
        40,
        "20.50",
    )
    in_progress = api_client.get(
        "/api/v1/projects/", {"edition": published.edition.pk, "delivery_status": "in_progress"}
    ).json()
    assert [row["id"] for row in in_progress["results"]] == [published.a.pk]


def test_the_project_list_still_costs_the_same_queries(published, api_client):
    def more(n):
        for _ in range(n):
            edition = EditionFactory(phase=Phase.RESULTS)
            Count.objects.create(edition=edition, status="done", published_at="2026-10-01T00:00Z")
            ProjectFactory(edition=edition, selected=True, zone=ZoneFactory())

    # savepoint, count, page with zones and publication, release
    assert_constant_queries(lambda: api_client.get("/api/v1/projects/"), more, expected=4)


def test_the_delivery_fields_are_not_written_through_the_project(published, cast, api_as):
    response = api_as(cast["staff_a"]).patch(
        f"/api/v1/projects/{published.a.pk}/",
        {"progress": 90, "selected": False, "title": "Praça Central Renovada"},
        format="json",
    )
    assert response.status_code == 200
    published.a.refresh_from_db()
    assert published.a.title == "Praça Central Renovada"
    assert (published.a.progress, published.a.selected) == (0, True)


@pytest.mark.parametrize("role", ROLES)
def test_recording_delivery_answers_each_role(role, published, cast, api_as):
    data = {"delivery_status": "completed", "progress": 100, "spent": "58.00"}
    response = api_as(cast[role]).patch(delivery_url(published.a), data, format="json")
    published.a.refresh_from_db()
    if role in MANAGERS:
        assert response.status_code == 200, response.data
        assert (response.data["delivery_status"], response.data["progress"]) == ("completed", 100)
        assert response.data["selected"] is True
        assert published.a.spent == Decimal("58.00")
        assert published.a.history.first().history_user == cast[role]
    else:
        assert response.status_code == refused(role)
        assert published.a.progress == 0


def test_part_of_the_delivery_can_be_sent_alone(published, cast, api_as):
    client = api_as(cast["staff_a"])
    client.patch(delivery_url(published.a), {"delivery_status": "planning"}, format="json")
    response = client.patch(delivery_url(published.a), {"progress": 10}, format="json")
    assert response.status_code == 200
    assert (response.data["delivery_status"], response.data["progress"]) == ("planning", 10)


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"progress": 101}, "progress"),
        ({"spent": "-1"}, "spent"),
        ({"delivery_status": "finished"}, "delivery_status"),
    ],
)
def test_invalid_delivery_is_a_field_error_and_nothing_is_saved(
    data, field, published, cast, api_as
):
    response = api_as(cast["staff_a"]).patch(delivery_url(published.a), data, format="json")
    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM
    assert field in response.data["errors"]
    published.a.refresh_from_db()
    assert (published.a.progress, published.a.spent, published.a.delivery_status) == (
        0,
        0,
        "not_started",
    )


def test_an_unfunded_project_has_no_delivery_to_record(published, cast, api_as):
    response = api_as(cast["staff_a"]).patch(
        delivery_url(published.b), {"progress": 10}, format="json"
    )
    assert response.status_code == 403
    # A superuser passes every permission, but the service still refuses.
    response = api_as(cast["superuser"]).patch(
        delivery_url(published.b), {"progress": 10}, format="json"
    )
    assert response.status_code == 400
    assert "Only funded projects are delivered." in str(response.data["errors"])
    assert Project.objects.get(pk=published.b.pk).progress == 0


def test_no_delivery_is_recorded_while_the_results_are_embargoed(election, cast, api_as):
    response = api_as(cast["staff_a"]).patch(
        delivery_url(election.a), {"progress": 10}, format="json"
    )
    assert response.status_code == 403
    assert Project.objects.get(pk=election.a.pk).progress == 0


# --- the delivery list ----------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_the_delivery_list_is_not_found_before_the_results(role, election, cast, api_as):
    assert api_as(cast[role]).get(delivery_list_url(election.edition)).status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_the_delivery_list_shows_the_funded_projects_to_everyone(role, published, cast, api_as):
    response = api_as(cast[role]).get(delivery_list_url(published.edition))
    assert response.status_code == 200
    assert [row["title"] for row in response.data["results"]] == ["Ciclovia", "Praça Central"]


def test_the_delivery_list_filters_by_status_and_zone(cast, api_client):
    north = ZoneFactory(city=cast["city_a"], slug="norte")
    election = counted_election(cast["city_a"], cast["staff_a"], zone=north)
    election.publish(cast["staff_a"])
    project_delivery_update(
        project=election.c, data={"delivery_status": "completed"}, actor=cast["staff_a"]
    )
    url = delivery_list_url(election.edition)

    def ids(**query):
        return {row["id"] for row in api_client.get(url, query).json()["results"]}

    assert ids(status="completed") == {election.c.pk}
    assert ids(zone="norte") == {election.a.pk}
    assert ids(zone="city-wide") == {election.c.pk}


def test_the_delivery_list_costs_the_same_queries_for_many_projects(published, api_client):
    def more(n):
        for _ in range(n):
            ProjectFactory(edition=published.edition, selected=True, zone=ZoneFactory())

    # savepoint, edition, published count, count, page with zones and publication, release
    assert_constant_queries(
        lambda: api_client.get(delivery_list_url(published.edition)), more, expected=6
    )


# --- milestones -------------------------------------------------------------------------------


def make_milestone(cast, **fields) -> Milestone:
    election = counted_election(cast["city_a"], cast["staff_a"]).publish(cast["staff_a"])
    fields = {"title": "Design approved", "due_on": "2026-11-30", **fields}
    return milestone_create(project=election.a, actor=cast["staff_a"], **fields)


class TestMilestoneAPI(
    APIViewTestCases.GetObject, APIViewTestCases.UpdateObject, APIViewTestCases.DeleteObject
):
    """A milestone of a funded project: public; its city's staff change or remove it."""

    model = Milestone
    basename = "milestone"
    can_view = ALL_ROLES
    can_change = MANAGERS
    can_delete = MANAGERS
    update_data = {"completed_on": datetime.date(2026, 11, 28)}

    def make_object(self, cast):
        return make_milestone(cast)


def test_a_milestone_of_a_draft_does_not_exist_for_outsiders(cast, api_as):
    project = ProjectFactory(edition=EditionFactory(city=cast["city_a"], phase=Phase.DRAFT))
    milestone = Milestone.objects.create(project=project, title="Secret", due_on="2026-01-01")
    for role in ("staff_b", "citizen", "anonymous"):
        assert api_as(cast[role]).get(f"/api/v1/milestones/{milestone.pk}/").status_code == 404
        assert api_as(cast[role]).get(milestones_url(project)).status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_adding_a_milestone_answers_each_role(role, published, cast, api_as):
    data = {"title": "Works start", "due_on": "2027-01-15"}
    response = api_as(cast[role]).post(milestones_url(published.a), data, format="json")
    if role in MANAGERS:
        assert response.status_code == 201, response.data
        milestone = Milestone.objects.get(pk=response.data["id"])
        assert (milestone.project, milestone.title) == (published.a, "Works start")
        assert milestone.history.first().history_user == cast[role]
    else:
        assert response.status_code == refused(role)
        assert not Milestone.objects.exists()


def test_an_unfunded_project_takes_no_milestones_or_updates_even_from_a_superuser(
    published, cast, api_as
):
    client = api_as(cast["superuser"])  # passes every permission; the services still refuse
    data = {"title": "Works", "due_on": "2027-01-15"}
    response = client.post(milestones_url(published.b), data, format="json")
    assert response.status_code == 400
    assert "Only funded projects are delivered." in str(response.data["errors"])
    response = client.post(updates_url(published.b), {"text": "Begun."}, format="json")
    assert response.status_code == 400
    assert not Milestone.objects.exists()
    assert not ProjectUpdate.objects.exists()


def test_no_milestone_is_added_while_the_results_are_embargoed(election, cast, api_as):
    response = api_as(cast["staff_a"]).post(
        milestones_url(election.a), {"title": "Works", "due_on": "2027-01-15"}, format="json"
    )
    assert response.status_code == 403
    assert not Milestone.objects.exists()


def test_a_milestone_needs_a_title_and_a_date(published, cast, api_as):
    response = api_as(cast["staff_a"]).post(
        milestones_url(published.a), {"title": "", "due_on": "soon"}, format="json"
    )
    assert response.status_code == 400
    assert {"title", "due_on"} <= set(response.data["errors"])
    assert not Milestone.objects.exists()


@freeze_time("2026-12-01 12:00:00")
def test_milestones_are_listed_by_due_date_with_their_state(published, cast, api_client):
    actor = cast["staff_a"]
    a = published.a
    milestone_create(project=a, actor=actor, title="Works", due_on="2027-02-01")
    milestone_create(
        project=a, actor=actor, title="Design", due_on="2026-10-01", completed_on="2026-09-30"
    )
    milestone_create(project=a, actor=actor, title="Tender", due_on="2026-11-15")
    rows = api_client.get(milestones_url(a)).json()["results"]
    assert [(r["title"], r["due_on"], r["state"]) for r in rows] == [
        ("Design", "2026-10-01", "done"),
        ("Tender", "2026-11-15", "overdue"),
        ("Works", "2027-02-01", "upcoming"),
    ]


def test_the_milestone_list_costs_the_same_queries_for_many(published, api_client):
    milestone_create(project=published.a, actor=None, title="Start", due_on="2027-01-01")

    def more(n):
        for i in range(n):
            milestone_create(
                project=published.a, actor=None, title=f"Step {i}", due_on="2027-01-01"
            )

    # savepoint, project, count, page with the city, release
    assert_constant_queries(lambda: api_client.get(milestones_url(published.a)), more, expected=5)


# --- updates ----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_posting_an_update_answers_each_role(role, published, cast, api_as):
    data = {"text": "The tender was won.", "published_on": "2026-10-02"}
    response = api_as(cast[role]).post(updates_url(published.a), data, format="json")
    if role in MANAGERS:
        assert response.status_code == 201, response.data
        update = ProjectUpdate.objects.get(pk=response.data["id"])
        assert (update.text, update.author) == ("The tender was won.", cast[role])
        assert response.data["published_on"] == "2026-10-02"
        assert "author" not in response.data  # staff are not named publicly
    else:
        assert response.status_code == refused(role)
        assert not ProjectUpdate.objects.exists()


def test_an_update_needs_text_and_is_dated_today_by_default(published, cast, api_as):
    client = api_as(cast["staff_a"])
    response = client.post(updates_url(published.a), {"text": ""}, format="json")
    assert response.status_code == 400
    assert "text" in response.data["errors"]
    response = client.post(updates_url(published.a), {"text": "Begun."}, format="json")
    assert response.status_code == 201
    assert response.data["published_on"] == datetime.date.today().isoformat()


@pytest.mark.parametrize("role", ROLES)
def test_everyone_reads_the_updates_newest_first(role, published, cast, api_as):
    for day in (1, 3, 2):
        project_update_post(
            project=published.a,
            actor=cast["staff_a"],
            text=f"Day {day}",
            published_on=f"2026-10-0{day}",
        )
    rows = api_as(cast[role]).get(updates_url(published.a)).json()["results"]
    assert [row["text"] for row in rows] == ["Day 3", "Day 2", "Day 1"]


def test_no_update_is_posted_while_the_results_are_embargoed(election, cast, api_as):
    response = api_as(cast["staff_a"]).post(
        updates_url(election.a), {"text": "Too early."}, format="json"
    )
    assert response.status_code == 403


def test_the_update_list_costs_the_same_queries_for_many(published, api_client):
    project_update_post(project=published.a, actor=None, text="Begun.")

    def more(n):
        for i in range(n):
            project_update_post(project=published.a, actor=None, text=f"Note {i}")

    # savepoint, project, count, page, release
    assert_constant_queries(lambda: api_client.get(updates_url(published.a)), more, expected=5)


# --- the embargo, across pages and endpoints ------------------------------------------------


def walk(data):
    """Every (key, value) pair in a JSON body, however deep."""
    if isinstance(data, dict):
        for key, value in data.items():
            yield key, value
            yield from walk(value)
    elif isinstance(data, list):
        for item in data:
            yield from walk(item)


API_PATHS = [
    "/api/v1/editions/{e}/",
    "/api/v1/editions/?city=campinas",
    "/api/v1/projects/?edition={e}",
    "/api/v1/projects/{a}/",
    "/api/v1/editions/{e}/projects/",
    "/api/v1/editions/{e}/headings/",
    "/api/v1/editions/{e}/participation/",
    "/api/v1/editions/{e}/results/",
    "/api/v1/editions/{e}/ballots/anonymised/",
    "/api/v1/editions/{e}/delivery/",
    "/api/v1/projects/{a}/milestones/",
    "/api/v1/projects/{a}/updates/",
]
SECRET_KEYS = {"support", "satisfied", "satisfied_share", "tie_break", "choices", "fingerprint"}
EMBARGOED = ("/results/", "/ballots/anonymised/", "/delivery/")


def api_bodies(client, election):
    for path in API_PATHS:
        url = path.format(e=election.edition.pk, a=election.a.pk)
        response = client.get(url)
        yield url, response


def pages(election) -> dict[str, int]:
    """The pages that could tell, and what each answers before the results are published."""
    edition, a = election.edition, election.a
    return {
        reverse("budgeting:edition_detail", args=[edition.pk]): 200,
        a.get_absolute_url(): 200,
        "/cities/campinas/": 200,
        reverse("budgeting:results", args=[edition.pk]): 404,
        reverse("budgeting:delivery", args=[edition.pk]): 404,
    }


SUPPORT_FIGURE = re.compile(r"\b\d+\s+(votes?|points?)\b", re.IGNORECASE)


@pytest.mark.parametrize("role", OUTSIDERS)
def test_before_publishing_nothing_reveals_support_funding_or_results(
    role, election, cast, api_as, client_as
):
    for url, response in api_bodies(api_as(cast[role]), election):
        if url.endswith(EMBARGOED):
            assert response.status_code == 404, url
        else:
            assert response.status_code in (200, 401, 403), url
        for key, value in walk(response.json()):
            assert key not in SECRET_KEYS, (url, key)
            if key == "selected":
                assert value is None, url
    client = client_as(cast[role])
    for url, status in pages(election).items():
        response = client.get(url)
        assert response.status_code == status, url
        text = response.content.decode()
        assert not SUPPORT_FIGURE.search(text), (url, SUPPORT_FIGURE.search(text))
        assert "Funded" not in text, url  # no badge, no "Funded projects" section


@pytest.mark.parametrize("role", ROLES)
def test_after_publishing_the_results_are_out_and_match_the_count(
    role, published, cast, api_as, client_as
):
    official = published.count.results.get(official=True)
    client = api_as(cast[role])
    results = client.get(results_url(published.edition)).json()
    assert results["results"][0]["selected"] == official.selected
    assert {str(row["id"]): row["support"] for row in results["support"]} == official.support
    funded = {
        row["id"]
        for row in client.get("/api/v1/projects/", {"edition": published.edition.pk}).json()[
            "results"
        ]
        if row["selected"]
    }
    assert funded == set(official.selected)
    assert client.get(ballots_url(published.edition)).status_code == 200
    listed = client.get(delivery_list_url(published.edition)).json()["results"]
    assert {row["id"] for row in listed} == set(official.selected)
    page = client_as(cast[role]).get(reverse("budgeting:delivery", args=[published.edition.pk]))
    assert page.status_code == 200
    assert "Praça Central" in page.text
    # What the embargo test looks for is there now: the support figures on the results page.
    page = client_as(cast[role]).get(reverse("budgeting:results", args=[published.edition.pk]))
    assert SUPPORT_FIGURE.search(page.text)
    assert "Funded projects" in client_as(cast[role]).get("/cities/campinas/").text


# --- links and schema -------------------------------------------------------------------------


def test_an_edition_links_to_its_results_ballots_and_delivery(published, api_client):
    urls = api_client.get(f"/api/v1/editions/{published.edition.pk}/").json()["urls"]
    base = f"http://testserver/api/v1/editions/{published.edition.pk}"
    assert urls["results"] == f"{base}/results/"
    assert urls["ballots_anonymised"] == f"{base}/ballots/anonymised/"
    assert urls["delivery"] == f"{base}/delivery/"
    for key in ("results", "ballots_anonymised", "delivery"):
        assert api_client.get(urls[key]).status_code == 200


def test_the_openapi_schema_documents_results_and_delivery(db, client):
    spec = client.get("/api/schema/", headers={"Accept": "application/json"}).json()
    paths = spec["paths"]
    for path in ("results", "ballots/anonymised"):
        responses = paths[f"/api/v1/editions/{{edition_pk}}/{path}/"]["get"]["responses"]
        assert {"200", "404"} <= set(responses)
    assert "/api/v1/editions/{edition_pk}/delivery/" in paths
    assert "patch" in paths["/api/v1/projects/{id}/delivery/"]
    assert {"get", "post"} <= set(paths["/api/v1/projects/{project_pk}/milestones/"])
    assert {"get", "post"} <= set(paths["/api/v1/projects/{project_pk}/updates/"])
    assert {"get", "patch", "delete"} <= set(paths["/api/v1/milestones/{id}/"])
    project = spec["components"]["schemas"]["Project"]["properties"]
    assert {"selected", "delivery_status", "progress", "spent"} <= set(project)
    assert project["selected"].get("nullable") is True
    results = spec["components"]["schemas"]["EditionResults"]["properties"]
    assert {"log_length", "log_head", "stale", "results", "support"} <= set(results)

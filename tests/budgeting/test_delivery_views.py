"""Delivery of funded projects: the staff's page, everyone's list, the project's delivery tag
and the funded projects on the city page, for every role, before and after the results."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse
from freezegun import freeze_time

from budgeting.choices import Phase
from budgeting.models import BudgetEdition, Count, Milestone, Project, ProjectUpdate
from budgeting.services import (
    ballot_cast,
    count_publish,
    count_request,
    count_run,
    milestone_create,
    project_delivery_update,
    project_update_post,
)
from tests.budgeting.factories import EditionFactory, ProjectFactory, codes_for
from tests.cities.factories import ZoneFactory
from tests.generic import ROLES
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db

MANAGERS = {"superuser", "staff_a"}
# Django answers every permission question with yes for an active superuser, so only the
# services stop them: they see the page, and their refused changes save nothing.
SUPERUSER = {"superuser"}


def set_phase(edition, phase):
    BudgetEdition.objects.filter(pk=edition.pk).update(phase=phase)
    edition.refresh_from_db()
    return edition


@dataclass
class Election:
    """An edition of city A counted but not published: A (60) and C (40) will be funded."""

    edition: BudgetEdition
    a: Project
    b: Project
    c: Project
    d: Project
    count: Count

    def publish(self, actor):
        count_publish(count=self.count, actor=actor)
        for obj in (self.edition, self.a, self.b, self.c, self.d, self.count):
            obj.refresh_from_db()
        return self


def counted_election(city, actor, *, zone=None) -> Election:
    """Budget 100: A (cost 60) liked by 5, B (50) by 4, C (40) by 3, D (10) by 1; counted."""
    edition = EditionFactory(city=city, total_amount=Decimal(100), title="Orçamento 2026")
    a, b, c, d = (
        ProjectFactory(edition=edition, title=title, cost=Decimal(cost), zone=place)
        for title, cost, place in (
            ("Praça Central", 60, zone),
            ("Biblioteca", 50, None),
            ("Ciclovia", 40, None),
            ("Horta", 10, None),
        )
    )
    set_phase(edition, Phase.VOTING)
    ballots = [[a, b], [a, b], [a, b], [a, c], [a, c], [b, c, d]]
    for code, choices in zip(codes_for(edition, len(ballots)), ballots, strict=True):
        ballot_cast(edition=edition, code=code, choices=[p.pk for p in choices])
    set_phase(edition, Phase.COUNTING)
    count = count_request(edition=edition, actor=actor)
    count_run(count_id=count.pk)
    count.refresh_from_db()
    return Election(edition, a, b, c, d, count)


@pytest.fixture
def election(cast):
    return counted_election(cast["city_a"], cast["staff_a"])


@pytest.fixture
def published(election, cast):
    return election.publish(cast["staff_a"])


def delivery_url(project) -> str:
    return reverse("budgeting:project_delivery", args=[project.edition_id, project.pk])


def list_url(edition) -> str:
    return reverse("budgeting:delivery", args=[edition.pk])


# --- the rule ---------------------------------------------------------------------------------


@pytest.mark.parametrize("phase", [Phase.VOTING, Phase.COUNTING, Phase.RESULTS, Phase.DELIVERY])
@pytest.mark.parametrize("role", ROLES)
def test_the_citys_staff_record_delivery_of_funded_projects_after_the_results(role, phase, cast):
    edition = EditionFactory(city=cast["city_a"], phase=phase)
    funded = ProjectFactory(edition=edition, selected=True)
    unfunded = ProjectFactory(edition=edition)
    milestone = Milestone(project=funded, title="Start", due_on=datetime.date(2027, 1, 1))
    user = cast[role] or AnonymousUser()
    expected = role == "superuser" or (
        role == "staff_a" and phase in (Phase.RESULTS, Phase.DELIVERY)
    )
    assert user.has_perm("budgeting.change_delivery", funded) == expected
    assert user.has_perm("budgeting.change_milestone", milestone) == expected
    assert user.has_perm("budgeting.delete_milestone", milestone) == expected
    assert user.has_perm("budgeting.change_delivery", unfunded) == (role == "superuser")
    assert user.has_perm("budgeting.view_milestone", milestone)


# --- the staff's delivery page: who may open it -------------------------------------------


def expect_staff_page(response, role, allowed):
    if role == "anonymous":
        assert response.status_code == 302
        assert reverse("accounts:login") in response["Location"]
    else:
        assert response.status_code == (200 if allowed else 403)


@pytest.mark.parametrize("role", ROLES)
def test_the_delivery_page_of_a_funded_project_is_for_its_citys_staff(
    role, published, cast, client_as
):
    response = client_as(cast[role]).get(delivery_url(published.a))
    expect_staff_page(response, role, role in MANAGERS)
    if role in MANAGERS:
        assert "Delivery of Praça Central" in response.text
        assert 'name="progress"' in response.text


@pytest.mark.parametrize("role", ROLES)
def test_nobody_records_delivery_while_the_results_are_embargoed(role, election, cast, client_as):
    response = client_as(cast[role]).get(delivery_url(election.a))
    expect_staff_page(response, role, allowed=role in SUPERUSER)


@pytest.mark.parametrize("role", ROLES)
def test_an_unfunded_project_has_no_delivery_to_record(role, published, cast, client_as):
    response = client_as(cast[role]).get(delivery_url(published.b))
    expect_staff_page(response, role, allowed=role in SUPERUSER)


def test_even_a_superuser_cannot_record_the_delivery_of_an_unfunded_project(
    published, cast, client_as
):
    response = client_as(cast["superuser"]).post(
        delivery_url(published.b), {"delivery_status": "completed", "progress": 100, "spent": "5"}
    )
    assert response.status_code == 400
    assert "Only funded projects are delivered." in response.text
    published.b.refresh_from_db()
    assert (published.b.delivery_status, published.b.progress) == ("not_started", 0)


@pytest.mark.parametrize("role", ["staff_b", "citizen", "sponsor_a"])
def test_a_project_of_a_draft_edition_does_not_exist_for_outsiders(role, cast, client_as):
    project = ProjectFactory(edition=EditionFactory(city=cast["city_a"], phase=Phase.DRAFT))
    assert client_as(cast[role]).get(delivery_url(project)).status_code == 404


def test_a_project_under_another_editions_url_is_not_found(published, cast, client_as):
    other = EditionFactory(city=cast["city_a"], phase=Phase.RESULTS)
    url = reverse("budgeting:project_delivery", args=[other.pk, published.a.pk])
    assert client_as(cast["staff_a"]).get(url).status_code == 404


def test_staff_of_another_city_cannot_post_a_delivery_either(published, cast, client_as):
    response = client_as(cast["staff_b"]).post(
        delivery_url(published.a), {"delivery_status": "completed", "progress": 100, "spent": "60"}
    )
    assert response.status_code == 403
    published.a.refresh_from_db()
    assert (published.a.delivery_status, published.a.progress) == ("not_started", 0)


# --- the staff's delivery page: recording -------------------------------------------------


def test_staff_record_status_progress_and_spending(published, cast, client_as):
    client = client_as(cast["staff_a"])
    response = client.post(
        delivery_url(published.a),
        {"delivery_status": "in_progress", "progress": "45", "spent": "12.50"},
    )
    assert response.status_code == 302
    assert response["Location"] == delivery_url(published.a)
    project = Project.objects.get(pk=published.a.pk)
    assert (project.delivery_status, project.progress, project.spent) == (
        "in_progress",
        45,
        Decimal("12.50"),
    )
    assert project.history.first().history_user == cast["staff_a"]
    page = client.get(delivery_url(published.a))
    assert "The delivery was saved." in page.text
    assert "Works in progress" in page.text
    assert f'<progress id="progress-{project.pk}" max="100" value="45">' in page.text


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"progress": "101"}, "progress", "less than or equal to 100"),
        ({"spent": "-1"}, "spent", "greater than or equal to 0"),
        ({"delivery_status": "dreaming"}, "delivery_status", "Select a valid choice"),
    ],
)
def test_an_invalid_delivery_is_a_field_error_and_nothing_is_saved(
    data, field, message, published, cast, client_as
):
    form = {"delivery_status": "in_progress", "progress": "50", "spent": "10", **data}
    response = client_as(cast["staff_a"]).post(delivery_url(published.a), form)
    assert response.status_code == 400
    assert message in str(response.context["delivery_form"].errors[field])
    assert "Nothing was saved" in response.text
    project = Project.objects.get(pk=published.a.pk)
    assert (project.delivery_status, project.progress, project.spent) == ("not_started", 0, 0)
    # The summary shows what is saved, not what was refused.
    assert 'value="0">' in response.text


def test_the_services_refuse_the_delivery_of_an_unfunded_project(published, cast):
    actor = cast["staff_a"]
    with pytest.raises(ValidationError, match="Only funded projects"):
        project_delivery_update(project=published.b, data={"progress": 10}, actor=actor)
    with pytest.raises(ValidationError, match="Only funded projects"):
        milestone_create(project=published.b, actor=actor, title="Start", due_on="2027-01-01")
    with pytest.raises(ValidationError, match="Only funded projects"):
        project_update_post(project=published.b, actor=actor, text="Begun.")
    published.b.refresh_from_db()
    assert published.b.progress == 0
    assert not Milestone.objects.exists()
    assert not ProjectUpdate.objects.exists()


def test_staff_add_edit_and_remove_milestones(published, cast, client_as):
    client = client_as(cast["staff_a"])
    project = published.a
    add_url = reverse("budgeting:milestone_add", args=[project.edition_id, project.pk])
    response = client.post(
        add_url, {"milestone-title": "Design approved", "milestone-due_on": "2026-11-30"}
    )
    assert response.status_code == 302
    milestone = Milestone.objects.get(project=project)
    assert (milestone.title, milestone.due_on) == ("Design approved", datetime.date(2026, 11, 30))

    edit_url = reverse(
        "budgeting:milestone_edit", args=[project.edition_id, project.pk, milestone.pk]
    )
    page = client.get(edit_url)
    assert page.status_code == 200
    assert 'value="Design approved"' in page.text
    response = client.post(
        edit_url,
        {
            "milestone-title": "Design approved",
            "milestone-due_on": "2026-11-30",
            "milestone-completed_on": "2026-11-20",
        },
    )
    assert response.status_code == 302
    milestone.refresh_from_db()
    assert milestone.completed_on == datetime.date(2026, 11, 20)

    delete_url = reverse(
        "budgeting:milestone_delete", args=[project.edition_id, project.pk, milestone.pk]
    )
    assert "Remove the milestone" in client.get(delete_url).text
    assert Milestone.objects.filter(pk=milestone.pk).exists()  # a GET removes nothing
    response = client.post(delete_url)
    assert response.status_code == 302
    assert not Milestone.objects.filter(pk=milestone.pk).exists()
    page = client.get(delivery_url(project))
    assert "The milestone “Design approved” was removed." in page.text


def test_a_milestone_without_a_title_or_date_is_a_field_error(published, cast, client_as):
    project = published.a
    add_url = reverse("budgeting:milestone_add", args=[project.edition_id, project.pk])
    response = client_as(cast["staff_a"]).post(
        add_url, {"milestone-title": "", "milestone-due_on": "next week"}
    )
    assert response.status_code == 400
    errors = response.context["milestone_form"].errors
    assert set(errors) == {"title", "due_on"}
    assert not Milestone.objects.exists()


def test_a_milestone_of_another_project_is_not_found_here(published, cast, client_as):
    other = milestone_create(
        project=published.c, actor=cast["staff_a"], title="Tender", due_on="2026-12-01"
    )
    project = published.a
    url = reverse("budgeting:milestone_edit", args=[project.edition_id, project.pk, other.pk])
    client = client_as(cast["staff_a"])
    assert client.get(url).status_code == 404
    delete = reverse("budgeting:milestone_delete", args=[project.edition_id, project.pk, other.pk])
    assert client.post(delete).status_code == 404
    assert Milestone.objects.filter(pk=other.pk).exists()


@pytest.mark.parametrize("role", ["staff_b", "citizen", "sponsor_a"])
def test_only_the_citys_staff_change_a_milestone(role, published, cast, client_as):
    milestone = milestone_create(
        project=published.a, actor=cast["staff_a"], title="Tender", due_on="2026-12-01"
    )
    args = [published.edition.pk, published.a.pk, milestone.pk]
    client = client_as(cast[role])
    assert client.get(reverse("budgeting:milestone_edit", args=args)).status_code == 403
    assert client.post(reverse("budgeting:milestone_delete", args=args)).status_code == 403
    assert Milestone.objects.filter(pk=milestone.pk).exists()


def test_staff_post_public_updates(published, cast, client_as):
    client = client_as(cast["staff_a"])
    project = published.a
    url = reverse("budgeting:update_post", args=[project.edition_id, project.pk])
    response = client.post(url, {"update-text": "", "update-published_on": ""})
    assert response.status_code == 400
    assert "text" in response.context["update_form"].errors
    assert not ProjectUpdate.objects.exists()
    response = client.post(
        url, {"update-text": "The works started on Monday.", "update-published_on": "2026-10-05"}
    )
    assert response.status_code == 302
    update = ProjectUpdate.objects.get()
    assert (update.published_on, update.author) == (datetime.date(2026, 10, 5), cast["staff_a"])
    assert "The works started on Monday." in client.get(delivery_url(project)).text


# --- everyone's delivery list -------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_the_delivery_list_does_not_exist_before_the_results(role, election, cast, client_as):
    response = client_as(cast[role]).get(list_url(election.edition))
    assert response.status_code == 404
    assert "Praça Central" not in response.text


@pytest.mark.parametrize("role", ROLES)
def test_everyone_follows_the_funded_projects_once_published(role, published, cast, client_as):
    project_delivery_update(
        project=published.a,
        data={"delivery_status": "in_progress", "progress": 30, "spent": Decimal(15)},
        actor=cast["staff_a"],
    )
    milestone_create(
        project=published.a, actor=cast["staff_a"], title="Works start", due_on="2030-03-01"
    )
    project_update_post(
        project=published.a, actor=cast["staff_a"], text="Tender won.", published_on="2026-10-01"
    )
    response = client_as(cast[role]).get(list_url(published.edition))
    assert response.status_code == 200
    page = response.text
    assert "Praça Central" in page
    assert "Ciclovia" in page
    assert "Biblioteca" not in page  # not funded
    assert "Horta" not in page
    assert "2 funded projects, 0 completed." in page
    assert "R$15.00 spent of R$100.00." in page
    assert "Works in progress" in page
    assert 'value="30"' in page
    assert "Works start" in page
    assert "Oct. 1, 2026" in page or "October 1, 2026" in page
    assert "25%" in page  # 15 of 60


def test_the_delivery_list_filters_by_status_and_zone(cast, client_as):
    north = ZoneFactory(city=cast["city_a"], name="Norte", slug="norte")
    election = counted_election(cast["city_a"], cast["staff_a"], zone=north)
    election.publish(cast["staff_a"])
    project_delivery_update(
        project=election.c, data={"delivery_status": "completed"}, actor=cast["staff_a"]
    )
    client = client_as(None)
    url = list_url(election.edition)

    def titles(**query):
        response = client.get(url, query)
        assert response.status_code == 200
        return {p.title for p in response.context["object_list"]}

    assert titles() == {"Praça Central", "Ciclovia"}
    assert titles(status="completed") == {"Ciclovia"}
    assert titles(zone="norte") == {"Praça Central"}
    assert titles(zone="city-wide") == {"Ciclovia"}
    assert titles(zone="norte", status="completed") == set()
    assert (
        "No funded project matches these filters."
        in client.get(url, {"zone": "norte", "status": "completed"}).text
    )
    page = client.get(url).text
    assert '<option value="norte">Norte</option>' in page


def test_filtering_with_htmx_swaps_only_the_table(published, client_as):
    response = client_as(None).get(
        list_url(published.edition),
        {"status": "not_started"},
        headers={"HX-Request": "true", "HX-Target": "results"},
    )
    assert response.status_code == 200
    assert "<table" in response.text
    assert "<html" not in response.text


def test_the_delivery_list_costs_the_same_queries_for_many_projects(published, cast, client_as):
    client = client_as(None)
    a = published.a
    milestone_create(project=a, actor=None, title="Start", due_on="2030-01-01")
    project_update_post(project=a, actor=None, text="Begun.")

    def more(n):
        for i in range(n):
            project = ProjectFactory(
                edition=published.edition, selected=True, zone=ZoneFactory(city=cast["city_a"])
            )
            milestone_create(project=project, actor=None, title=f"Step {i}", due_on="2030-01-01")
            project_update_post(project=project, actor=None, text="Going.")

    # savepoint, edition, published count, zones for the filter, paginator count, totals,
    # page (with each project's zone, next milestone and latest update), release
    assert_constant_queries(lambda: client.get(list_url(published.edition)), more, expected=8)


# --- the {% project_delivery %} tag ----------------------------------------------------------


def render_tag(project, user=None):
    request = RequestFactory().get("/")
    request.user = user or AnonymousUser()
    template = Template("{% load budgeting_delivery %}{% project_delivery project %}")
    return template.render(Context({"project": project, "request": request}))


@freeze_time("2026-12-01 12:00:00")
def test_the_tag_shows_where_a_funded_project_stands(published, cast):
    project = published.a
    project_delivery_update(
        project=project,
        data={"delivery_status": "procurement", "progress": 20, "spent": Decimal("6")},
        actor=cast["staff_a"],
    )
    actor = cast["staff_a"]
    milestone_create(
        project=project, actor=actor, title="Design", due_on="2026-10-01", completed_on="2026-09-30"
    )
    milestone_create(project=project, actor=actor, title="Tender", due_on="2026-11-15")
    milestone_create(project=project, actor=actor, title="Works", due_on="2027-02-01")
    for day in range(1, 6):
        project_update_post(
            project=project, actor=actor, text=f"Note {day}", published_on=f"2026-11-0{day}"
        )
    project.refresh_from_db()
    html = render_tag(project)
    assert "Procurement" in html
    assert f'<progress id="progress-{project.pk}" max="100" value="20">' in html
    assert "20% done" in html
    assert "R$6.00 of R$60.00 (10%)" in " ".join(html.split())
    design, tender, works = (html.index(t) for t in ("Design", "Tender", "Works"))
    assert design < tender < works  # by due date
    assert html.index("Done") < tender < html.index("Overdue") < works < html.index("Upcoming")
    # The latest three updates are open, the two earlier ones fold away.
    assert (
        html.index("Note 5") < html.index("Note 4") < html.index("Note 3") < html.index("<details>")
    )
    assert html.index("<details>") < html.index("Note 2")
    assert "2 earlier updates" in html
    assert "Record the delivery" not in html  # the public sees no staff link
    assert "Record the delivery" in render_tag(project, cast["staff_a"])


def test_the_tag_shows_nothing_for_an_unfunded_project(published):
    assert render_tag(published.b).strip() == ""


def test_the_tag_shows_nothing_while_the_results_are_embargoed(election):
    assert render_tag(election.a).strip() == ""


def test_the_tag_costs_the_same_queries_for_many_milestones_and_updates(published):
    project = Project.objects.select_related("edition__city").get(pk=published.a.pk)

    def add(n):
        for i in range(n):
            milestone_create(project=project, actor=None, title=f"Step {i}", due_on="2030-01-01")
            project_update_post(project=project, actor=None, text=f"Note {i}")

    assert_constant_queries(lambda: render_tag(project), add, expected=2)


# --- the city page ----------------------------------------------------------------------------


def test_the_city_page_lists_no_funded_project_before_the_results(election, client_as):
    page = client_as(None).get("/cities/campinas/").text
    assert "Funded projects" not in page


def test_the_city_page_lists_the_funded_projects_with_their_progress(published, cast, client_as):
    project_delivery_update(
        project=published.c,
        data={"delivery_status": "completed", "progress": 100},
        actor=cast["staff_a"],
    )
    page = client_as(None).get("/cities/campinas/").text
    section = page[page.index("Funded projects") :]
    assert "2 projects funded by the participatory budgets of Campinas" in section
    assert "Praça Central" in section
    assert "Ciclovia" in section
    assert "Biblioteca" not in section
    assert "Completed" in section
    assert 'value="100"' in section
    assert list_url(published.edition) in section


def test_the_city_page_costs_one_query_for_any_number_of_funded_projects(published, client_as):
    client = client_as(None)

    def more(n):
        ProjectFactory.create_batch(n, edition=published.edition, selected=True)

    # The city page's ten queries (tests/cities/test_views.py) and the funded projects.
    assert_constant_queries(lambda: client.get("/cities/campinas/"), more, expected=11)
    assert "12 projects funded" in client.get("/cities/campinas/").text


def test_the_city_page_shows_no_funded_project_of_other_cities(published, cast, client_as):
    page = client_as(None).get("/cities/santos/").text
    assert "Praça Central" not in page

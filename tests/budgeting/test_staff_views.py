"""The staff's pages of participatory budgets: set-up, schedule, phases, review, codes, paper
ballots, turnout and verified residents, for every role of the cast."""

import csv
import datetime
import io
import re
import time
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.urls import reverse

from accounts.choices import Role
from accounts.services import role_grant
from budgeting.choices import Channel, Phase, ProjectStatus, VotingMethod
from budgeting.models import (
    Ballot,
    BudgetEdition,
    CodeBatch,
    Heading,
    Participation,
    PhaseSchedule,
    Project,
    ResidentVerification,
    VotingCode,
)
from budgeting.services import ballot_cast, project_propose, resident_verify
from budgeting.throttle import SPIKE_BUCKET_SECONDS, GuessGuard
from tests.accounts.factories import UserFactory
from tests.budgeting.factories import (
    EditionFactory,
    HeadingFactory,
    ProjectFactory,
    codes_for,
    voting_edition,
)
from tests.cities.factories import CityFactory, ZoneFactory
from tests.generic import ROLES
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db

ADMINS = {"superuser", "staff_a"}


def url(name: str, *args) -> str:
    return reverse(f"budgeting:{name}", args=[getattr(a, "pk", a) for a in args])


def text(response) -> str:
    """The page's text with tags removed and whitespace squeezed, as a reader sees it."""
    body = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", body)


def set_phase(edition, phase):
    BudgetEdition.objects.filter(pk=edition.pk).update(phase=phase)
    edition.refresh_from_db()
    return edition


def assert_answer(response, expected):
    """``expected`` is a status code, or "login" for the redirect to the login page."""
    if expected == "login":
        assert response.status_code == 302, response.status_code
        assert reverse("accounts:login") in response["Location"]
    else:
        assert response.status_code == expected, response.status_code


def outcome(role, *, allowed=ADMINS, hidden=False):
    """What a role gets: 200 when allowed, else the login page, 404 if hidden, else 403."""
    if role in allowed:
        return 200
    if role == "anonymous":
        return "login"
    return 404 if hidden else 403


def edition_data(**overrides) -> dict:
    data = {
        "title": "Orçamento Participativo 2026",
        "year": 2026,
        "description": "Choose what the city builds next year.",
        "total_amount": "550000.00",
        "currency": "BRL",
        "method": VotingMethod.APPROVAL,
        "max_choices": "3",
        "points": "",
        "counting_rule": "greedy",
        "completion": "none",
        "auto_advance": "on",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def heading_data(**overrides) -> dict:
    return {"name": "Public lighting", "description": "", "amount": "120000", "zone": ""} | (
        overrides
    )


def project_data(**overrides) -> dict:
    data = {
        "title": "Lights on Rua Barão",
        "description": "Twenty new street lights.",
        "heading": "",
        "zone": "",
        "cost": "45000",
        "external_id": "",
    }
    return data | overrides


@pytest.fixture
def draft(city_a):
    return EditionFactory(city=city_a, title="Campinas 2026", phase=Phase.DRAFT)


@pytest.fixture
def voting(city_a):
    return voting_edition(city_a, title="Campinas voting")


# --- who gets in: the role cast on every page ------------------------------------------


DRAFT_PAGES = [
    "edition_manage",
    "edition_edit",
    "edition_schedule",
    "edition_advance",
    "edition_history",
    "edition_delete",
    "heading_create",
    "project_create",
    "codes",
]


@pytest.mark.parametrize("page", DRAFT_PAGES)
@pytest.mark.parametrize("role", ROLES)
def test_a_draft_editions_pages_open_to_its_staff_and_are_hidden_from_others(
    page, role, cast, client_as, draft
):
    response = client_as(cast[role]).get(url(page, draft))
    assert_answer(response, outcome(role, hidden=True))


@pytest.mark.parametrize("page", ["edition_manage", "edition_edit", "edition_schedule", "codes"])
@pytest.mark.parametrize("role", ROLES)
def test_a_published_editions_staff_pages_are_refused_to_others(
    page, role, cast, client_as, city_a
):
    edition = EditionFactory(city=city_a, phase=Phase.INFORMATION)
    response = client_as(cast[role]).get(url(page, edition))
    assert_answer(response, outcome(role))


@pytest.mark.parametrize("role", ROLES)
def test_the_create_page_for_a_city_opens_to_its_staff_only(role, cast, client_as):
    response = client_as(cast[role]).get(url("edition_create"), {"city": "campinas"})
    assert_answer(response, outcome(role))


def test_the_create_page_for_an_unknown_city_is_not_found(cast, client_as):
    response = client_as(cast["staff_a"]).get(url("edition_create"), {"city": "atlantis"})
    assert response.status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_the_create_page_without_a_city_opens_to_anyone_who_runs_a_city(role, cast, client_as):
    response = client_as(cast[role]).get(url("edition_create"))
    assert_answer(response, outcome(role, allowed={"superuser", "staff_a", "staff_b"}))


@pytest.mark.parametrize("role", ROLES)
def test_the_paper_ballot_page_opens_to_staff_while_voting(role, cast, client_as, voting):
    response = client_as(cast[role]).get(url("paper_ballot", voting))
    assert_answer(response, outcome(role))


def test_paper_ballots_cannot_be_entered_before_voting_opens(cast, client_as, city_a):
    edition = EditionFactory(city=city_a, phase=Phase.REVIEW)
    response = client_as(cast["staff_a"]).get(url("paper_ballot", edition))
    assert response.status_code == 403


@pytest.mark.parametrize("role", ROLES)
def test_participation_is_for_staff_and_sponsors_while_voting(role, cast, client_as, voting):
    response = client_as(cast[role]).get(url("participation", voting))
    assert_answer(response, outcome(role, allowed={"superuser", "staff_a", "sponsor_a"}))


@pytest.mark.parametrize("role", ROLES)
def test_participation_is_public_once_results_are_out(role, cast, client_as, voting):
    set_phase(voting, Phase.RESULTS)
    response = client_as(cast[role]).get(url("participation", voting))
    assert response.status_code == 200


@pytest.mark.parametrize("role", ROLES)
def test_the_residents_page_opens_to_the_citys_staff_only(role, cast, client_as):
    response = client_as(cast[role]).get(url("residents", "campinas"))
    assert_answer(response, outcome(role))


@pytest.mark.parametrize("page", ["heading_edit", "heading_delete"])
@pytest.mark.parametrize("role", ROLES)
def test_heading_pages_open_to_staff_before_voting(page, role, cast, client_as, city_a):
    heading = HeadingFactory(edition=EditionFactory(city=city_a, phase=Phase.PROPOSALS))
    response = client_as(cast[role]).get(url(page, heading))
    assert_answer(response, outcome(role))


@pytest.mark.parametrize("page", ["project_edit", "project_review", "project_delete"])
@pytest.mark.parametrize("role", ROLES)
def test_project_pages_open_to_staff_during_review(page, role, cast, client_as, city_a):
    edition = EditionFactory(city=city_a, phase=Phase.REVIEW)
    project = ProjectFactory(edition=edition, status=ProjectStatus.SUBMITTED)
    response = client_as(cast[role]).get(url(page, edition, project))
    assert_answer(response, outcome(role))


@pytest.mark.parametrize("role", ROLES)
def test_a_projects_history_is_for_staff(role, cast, client_as, city_a):
    edition = EditionFactory(city=city_a, phase=Phase.REVIEW)
    project = ProjectFactory(edition=edition)
    response = client_as(cast[role]).get(url("project_history", edition, project))
    assert_answer(response, outcome(role))


def test_a_project_is_not_found_under_another_edition(cast, client_as, city_a):
    edition = EditionFactory(city=city_a, phase=Phase.REVIEW)
    project = ProjectFactory(edition=EditionFactory(city=city_a, phase=Phase.REVIEW))
    response = client_as(cast["staff_a"]).get(url("project_edit", edition, project))
    assert response.status_code == 404


# --- creating, editing and deleting an edition ------------------------------------------


def test_staff_create_a_draft_edition_for_their_city(cast, client_as, city_a):
    client = client_as(cast["staff_a"])
    response = client.post(f"{url('edition_create')}?city=campinas", edition_data(currency=""))
    edition = BudgetEdition.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("edition_manage", edition)
    assert edition.city == city_a
    assert edition.phase == Phase.DRAFT
    assert edition.currency == "BRL"  # the city's, as nothing else was given
    assert edition.max_choices == 3
    assert edition.history.get().history_user == cast["staff_a"]
    page = client.get(response["Location"])
    assert "The edition was created as a draft" in text(page)


def test_the_create_page_offers_only_the_users_cities(cast, client_as, city_a, city_b):
    CityFactory(name="Recife")
    staff = cast["staff_a"]
    role_grant(user=staff, role=Role.CITY_STAFF, scope=city_b, actor=None)
    client = client_as(staff)
    page = client.get(url("edition_create"))
    assert [c.name for c in page.context["form"].fields["city"].queryset] == ["Campinas", "Santos"]
    recife = CityFactory(name="Recife")
    refused = client.post(url("edition_create"), edition_data(city=recife.pk))
    assert refused.status_code == 400
    assert "city" in refused.context["form"].errors
    created = client.post(url("edition_create"), edition_data(city=city_b.pk))
    assert created.status_code == 302
    assert BudgetEdition.objects.get().city == city_b


def test_staff_of_one_city_are_not_asked_for_the_city(cast, client_as):
    page = client_as(cast["staff_a"]).get(url("edition_create"))
    assert "city" not in page.context["form"].fields
    assert page.context["form"].fields["currency"].initial == "BRL"


@pytest.mark.parametrize(
    ("bad", "fields"),
    [
        ({"method": VotingMethod.CUMULATIVE, "points": "", "max_choices": ""}, {"points"}),
        ({"method": VotingMethod.KNAPSACK}, {"max_choices"}),
        ({"total_amount": "-5"}, {"total_amount"}),
        ({"currency": "REAIS"}, {"currency"}),
        ({"points": "10"}, {"points"}),
    ],
)
def test_a_bad_edition_shows_field_errors_and_saves_nothing(bad, fields, cast, client_as):
    response = client_as(cast["staff_a"]).post(
        f"{url('edition_create')}?city=campinas", edition_data(**bad)
    )
    assert response.status_code == 400
    assert fields <= set(response.context["form"].errors), response.context["form"].errors
    assert "Nothing was saved" in text(response)
    assert not BudgetEdition.objects.exists()


def test_staff_of_another_city_cannot_create_an_edition_for_it(cast, client_as):
    response = client_as(cast["staff_b"]).post(
        f"{url('edition_create')}?city=campinas", edition_data()
    )
    assert response.status_code == 403
    assert not BudgetEdition.objects.exists()


def test_staff_edit_an_editions_rules_before_voting(cast, client_as, draft):
    response = client_as(cast["staff_a"]).post(
        url("edition_edit", draft),
        edition_data(title="Campinas decides 2026", total_amount="600000"),
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.title == "Campinas decides 2026"
    assert draft.total_amount == Decimal("600000")
    assert draft.history.first().history_user == cast["staff_a"]


def test_once_voting_opened_the_frozen_rules_are_shown_disabled_with_the_reason(
    cast, client_as, voting
):
    page = client_as(cast["staff_a"]).get(url("edition_edit", voting))
    form = page.context["form"]
    assert form.fields["total_amount"].disabled
    assert form.fields["method"].disabled
    assert not form.fields["title"].disabled
    assert "the rules and the ballot are frozen" in text(page)
    assert form.fields["total_amount"].help_text == "Frozen: voting has opened."
    assert re.search(r'<input[^>]*name="total_amount"[^>]*disabled', page.content.decode())


def test_once_voting_opened_the_texts_still_change(cast, client_as, voting):
    data = edition_data(title="Campinas votes")
    for name in BudgetEdition.FROZEN_FIELDS:  # a browser does not send disabled inputs
        data.pop(name, None)
    response = client_as(cast["staff_a"]).post(url("edition_edit", voting), data)
    assert response.status_code == 302
    voting.refresh_from_db()
    assert voting.title == "Campinas votes"
    assert voting.total_amount == Decimal("100000.00")


def test_a_page_opened_before_voting_cannot_change_the_frozen_rules(cast, client_as, voting):
    response = client_as(cast["staff_a"]).post(
        url("edition_edit", voting),
        edition_data(total_amount="999999", currency="BRL", max_choices="", method="approval"),
    )
    assert response.status_code == 400
    assert response.context["form"].errors["total_amount"] == [
        "Voting has opened: this can no longer change."
    ]
    voting.refresh_from_db()
    assert voting.total_amount == Decimal("100000.00")
    assert voting.history.count() == 1


def test_a_draft_edition_can_be_deleted(cast, client_as, draft, city_a):
    client = client_as(cast["staff_a"])
    assert "Delete the draft" in text(client.get(url("edition_manage", draft)))
    response = client.post(url("edition_delete", draft))
    assert response.status_code == 302
    assert response["Location"] == city_a.get_absolute_url()
    assert not BudgetEdition.objects.filter(pk=draft.pk).exists()


def test_a_published_edition_cannot_be_deleted(cast, client_as, city_a):
    edition = EditionFactory(city=city_a, phase=Phase.INFORMATION)
    client = client_as(cast["staff_a"])
    assert "Delete the draft" not in text(client.get(url("edition_manage", edition)))
    assert client.post(url("edition_delete", edition)).status_code == 403
    assert BudgetEdition.objects.filter(pk=edition.pk).exists()


def test_the_edition_history_names_who_changed_what(cast, client_as, draft):
    client = client_as(cast["staff_a"])
    client.post(url("edition_edit", draft), edition_data(title="Renamed"))
    page = client.get(url("edition_history", draft))
    assert page.status_code == 200
    assert "Renamed" in text(page)
    assert cast["staff_a"].full_name in text(page)


# --- the schedule -----------------------------------------------------------------------


def test_the_schedule_is_typed_in_the_citys_time_zone(cast, client_as, draft):
    response = client_as(cast["staff_a"]).post(
        url("edition_schedule", draft),
        {"information": "2026-03-01T09:00", "proposals": "2026-03-15T09:00", "voting": ""},
    )
    assert response.status_code == 302
    starts = dict(draft.schedule.values_list("phase", "starts_at"))
    sao_paulo = ZoneInfo("America/Sao_Paulo")
    assert starts == {
        "information": datetime.datetime(2026, 3, 1, 9, tzinfo=sao_paulo),
        "proposals": datetime.datetime(2026, 3, 15, 9, tzinfo=sao_paulo),
    }
    assert starts["information"].astimezone(datetime.UTC).hour == 12  # UTC-3
    page = client_as(cast["staff_a"]).get(url("edition_schedule", draft))
    assert 'value="2026-03-01T09:00"' in page.content.decode()


def test_a_schedule_out_of_order_is_refused_on_the_later_phase(cast, client_as, draft):
    response = client_as(cast["staff_a"]).post(
        url("edition_schedule", draft),
        {"information": "2026-03-15T09:00", "proposals": "2026-03-01T09:00"},
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert errors["proposals"] == ["This phase must start after the information phase."]
    assert not PhaseSchedule.objects.exists()


def test_a_time_skipped_by_a_clock_change_is_refused(cast, client_as, city_a, draft):
    city_a.time_zone = "Europe/Paris"
    city_a.save()
    response = client_as(cast["staff_a"]).post(
        url("edition_schedule", draft), {"voting": "2026-03-29T02:30"}
    )
    assert response.status_code == 400
    assert "clock change" in response.context["form"].errors["voting"][0]
    assert not PhaseSchedule.objects.exists()


def test_once_voting_opened_only_the_later_dates_change(cast, client_as, voting):
    client = client_as(cast["staff_a"])
    page = client.get(url("edition_schedule", voting))
    fields = page.context["form"].fields
    assert fields["voting"].disabled
    assert fields["information"].disabled
    assert not fields["results"].disabled
    response = client.post(url("edition_schedule", voting), {"results": "2026-07-01T18:00"})
    assert response.status_code == 302
    assert list(voting.schedule.values_list("phase", flat=True)) == ["results"]


def test_clearing_a_date_removes_it(cast, client_as, draft):
    client = client_as(cast["staff_a"])
    client.post(url("edition_schedule", draft), {"information": "2026-03-01T09:00"})
    response = client.post(url("edition_schedule", draft), {"information": ""})
    assert response.status_code == 302
    assert not draft.schedule.exists()


# --- moving through the phases ----------------------------------------------------------


def test_staff_publish_a_draft_by_moving_it_to_information(cast, client_as, draft):
    client = client_as(cast["staff_a"])
    response = client.post(url("edition_advance", draft))
    assert response["Location"] == url("edition_manage", draft)
    draft.refresh_from_db()
    assert draft.phase == Phase.INFORMATION
    assert "The edition is now in its information phase." in text(
        client.get(url("edition_manage", draft))
    )


def test_the_confirmation_warns_that_opening_voting_freezes_the_ballot(cast, client_as, city_a):
    edition = EditionFactory(city=city_a, phase=Phase.REVIEW)
    page = client_as(cast["staff_a"]).get(url("edition_advance", edition))
    assert "Opening voting freezes the rules and the ballot." in text(page)
    assert "Move to the voting phase" in text(page)
    manage = client_as(cast["staff_a"]).get(url("edition_manage", edition))
    assert "Opening voting freezes the rules and the ballot." in text(manage)


def test_advancing_to_voting_without_anything_on_the_ballot_is_refused(cast, client_as, city_a):
    edition = EditionFactory(city=city_a, phase=Phase.REVIEW)
    ProjectFactory(edition=edition, status=ProjectStatus.UNFEASIBLE, review_explanation="No.")
    client = client_as(cast["staff_a"])
    response = client.post(url("edition_advance", edition), follow=True)
    edition.refresh_from_db()
    assert edition.phase == Phase.REVIEW
    assert "Put at least one project on the ballot before voting opens." in text(response)


def test_advancing_to_voting_with_projects_left_to_review_is_refused(cast, client_as, city_a):
    edition = EditionFactory(city=city_a, phase=Phase.REVIEW)
    ProjectFactory(edition=edition)
    ProjectFactory(edition=edition, status=ProjectStatus.SUBMITTED)
    response = client_as(cast["staff_a"]).post(url("edition_advance", edition), follow=True)
    assert "Review every submitted project before voting opens." in text(response)
    edition.refresh_from_db()
    assert edition.phase == Phase.REVIEW


def test_staff_of_another_city_cannot_advance_an_edition(cast, client_as, city_a):
    edition = EditionFactory(city=city_a, phase=Phase.INFORMATION)
    response = client_as(cast["staff_b"]).post(url("edition_advance", edition))
    assert response.status_code == 403
    edition.refresh_from_db()
    assert edition.phase == Phase.INFORMATION


def test_the_last_phase_has_nothing_to_advance_to(cast, client_as, city_a):
    edition = EditionFactory(city=city_a, phase=Phase.DELIVERY)
    client = client_as(cast["staff_a"])
    assert "This is the last phase" in text(client.get(url("edition_advance", edition)))
    response = client.post(url("edition_advance", edition), follow=True)
    assert "The edition is already in its last phase." in text(response)


# --- the dashboard ----------------------------------------------------------------------


def test_the_dashboard_shows_headings_projects_codes_and_turnout(cast, client_as, city_a):
    zone = ZoneFactory(city=city_a, name="Barão Geraldo")
    edition = EditionFactory(city=city_a, phase=Phase.REVIEW)
    HeadingFactory(edition=edition, name="Sidewalks", zone=zone)
    ProjectFactory(edition=edition, title="New bus shelter", status=ProjectStatus.SUBMITTED)
    ProjectFactory(edition=edition, title="Skate park", status=ProjectStatus.SUBMITTED)
    ProjectFactory(edition=edition, title="Library roof")
    codes_for(edition, 5, zone=zone)
    page = client_as(cast["staff_a"]).get(url("edition_manage", edition))
    body = text(page)
    assert "Sidewalks" in body
    assert "Barão Geraldo" in body
    assert "2 projects wait for review." in body
    assert "1 project is on the ballot." in body
    assert "New bus shelter" in body
    assert "Library roof" in body
    assert "5 codes generated." in body
    assert "Voters 0" in body
    assert url("project_review", edition, Project.objects.get(title="Skate park")) in (
        page.content.decode()
    )


def test_the_dashboard_warns_when_many_wrong_codes_are_tried(
    cast, client_as, voting, settings, mailoutbox
):
    settings.VOTING_SPIKE_ALERT = 3
    bucket = int(time.time() // SPIKE_BUCKET_SECONDS)
    cache.delete_many([f"budgeting:failures:{voting.pk}:{b}" for b in (bucket - 1, bucket)])
    for _ in range(3):
        GuessGuard("ip:203.0.113.9", voting.pk).failed()
    page = client_as(cast["staff_a"]).get(url("edition_manage", voting))
    assert "Many wrong voting codes are being tried." in text(page)
    assert page.context["recent_failures"] >= 3


def test_the_dashboard_does_not_warn_about_a_few_wrong_codes(cast, client_as, voting, settings):
    settings.VOTING_SPIKE_ALERT = 10**9
    page = client_as(cast["staff_a"]).get(url("edition_manage", voting))
    assert "Many wrong voting codes are being tried." not in text(page)


def test_the_dashboard_costs_the_same_queries_for_many_rows(cast, client_as, city_a):
    edition = EditionFactory(city=city_a, phase=Phase.REVIEW)
    staff = cast["staff_a"]
    client = client_as(staff)

    def add_rows(n):
        for _ in range(n):
            zone = ZoneFactory(city=city_a)
            heading = HeadingFactory(edition=edition, zone=zone)
            ProjectFactory(edition=edition, heading=heading, zone=zone)
            codes_for(edition, 1, zone=zone)

    add_rows(1)
    # savepoint, session, user, roles, edition, headings, projects, batches, schedule (shown),
    # schedule (next phase), figures, release
    assert_constant_queries(
        lambda: client.get(url("edition_manage", edition)), add_rows, expected=12
    )


def test_the_public_page_actions_show_only_what_the_user_may_do(cast, voting):
    def actions(role):
        return render_to_string(
            "budgeting/staff/_edition_actions.html", {"edition": voting, "user": cast[role]}
        )

    staff = actions("staff_a")
    assert url("edition_manage", voting) in staff
    assert url("paper_ballot", voting) in staff
    assert url("codes", voting) in staff
    sponsor = actions("sponsor_a")
    assert url("participation", voting) in sponsor
    assert url("edition_manage", voting) not in sponsor
    assert actions("citizen").strip() == ""
    assert actions("staff_b").strip() == ""


# --- headings ---------------------------------------------------------------------------


def test_staff_add_a_heading_for_a_zone(cast, client_as, draft, city_a):
    zone = ZoneFactory(city=city_a, name="Taquaral")
    response = client_as(cast["staff_a"]).post(
        url("heading_create", draft), heading_data(zone=zone.pk)
    )
    assert response.status_code == 302
    assert response["Location"] == url("edition_manage", draft) + "#headings"
    heading = Heading.objects.get()
    assert (heading.edition, heading.zone, heading.amount) == (draft, zone, Decimal("120000"))


def test_a_heading_in_another_citys_zone_is_refused(cast, client_as, draft, city_b):
    elsewhere = ZoneFactory(city=city_b)
    response = client_as(cast["staff_a"]).post(
        url("heading_create", draft), heading_data(zone=elsewhere.pk, amount="-1")
    )
    assert response.status_code == 400
    assert {"zone", "amount"} <= set(response.context["form"].errors)
    assert not Heading.objects.exists()


def test_a_duplicate_heading_name_is_refused(cast, client_as, draft):
    HeadingFactory(edition=draft, name="Public lighting")
    response = client_as(cast["staff_a"]).post(url("heading_create", draft), heading_data())
    assert response.status_code == 400
    assert "The edition already has a city-wide heading of that name." in text(response)
    assert Heading.objects.count() == 1


def test_staff_edit_a_heading(cast, client_as, draft):
    heading = HeadingFactory(edition=draft)
    response = client_as(cast["staff_a"]).post(
        url("heading_edit", heading), heading_data(name="Roadways", amount="90000")
    )
    assert response.status_code == 302
    heading.refresh_from_db()
    assert (heading.name, heading.amount) == ("Roadways", Decimal("90000"))


def test_a_heading_still_used_by_projects_is_not_removed(cast, client_as, draft):
    heading = HeadingFactory(edition=draft)
    ProjectFactory(edition=draft, heading=heading)
    response = client_as(cast["staff_a"]).post(url("heading_delete", heading), follow=True)
    assert "still in use" in text(response)
    assert Heading.objects.filter(pk=heading.pk).exists()


def test_staff_remove_an_unused_heading(cast, client_as, draft):
    heading = HeadingFactory(edition=draft)
    response = client_as(cast["staff_a"]).post(url("heading_delete", heading))
    assert response["Location"] == url("edition_manage", draft) + "#headings"
    assert not Heading.objects.exists()


def test_headings_cannot_be_added_once_voting_opened(cast, client_as, voting):
    response = client_as(cast["staff_a"]).post(url("heading_create", voting), heading_data())
    assert response.status_code == 403
    assert not Heading.objects.exists()


# --- projects ---------------------------------------------------------------------------


def test_staff_add_a_project_that_waits_for_review(cast, client_as, draft):
    heading = HeadingFactory(edition=draft)
    response = client_as(cast["staff_a"]).post(
        url("project_create", draft), project_data(heading=heading.pk, external_id="P-12")
    )
    assert response.status_code == 302
    project = Project.objects.get()
    assert project.status == ProjectStatus.SUBMITTED
    assert (project.heading, project.external_id) == (heading, "P-12")


def test_a_project_outside_its_headings_zone_is_refused(cast, client_as, draft, city_a):
    north, south = ZoneFactory(city=city_a), ZoneFactory(city=city_a)
    heading = HeadingFactory(edition=draft, zone=north)
    response = client_as(cast["staff_a"]).post(
        url("project_create", draft), project_data(heading=heading.pk, zone=south.pk)
    )
    assert response.status_code == 400
    assert response.context["form"].errors["zone"] == ["The project must be in its heading's zone."]
    assert not Project.objects.exists()


def test_staff_put_a_project_on_the_ballot_with_an_adjusted_cost(cast, client_as, city_a):
    edition = EditionFactory(city=city_a, phase=Phase.REVIEW)
    project = ProjectFactory(edition=edition, status=ProjectStatus.SUBMITTED)
    response = client_as(cast["staff_a"]).post(
        url("project_review", edition, project),
        {"status": "feasible", "review_explanation": "Costed by Public Works.", "cost": "52000"},
    )
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.status == ProjectStatus.FEASIBLE
    assert project.cost == Decimal("52000")
    assert project.history.first().history_user == cast["staff_a"]


def test_a_project_found_not_feasible_needs_a_public_explanation(cast, client_as, city_a):
    edition = EditionFactory(city=city_a, phase=Phase.REVIEW)
    project = ProjectFactory(edition=edition, status=ProjectStatus.SUBMITTED)
    response = client_as(cast["staff_a"]).post(
        url("project_review", edition, project),
        {"status": "unfeasible", "review_explanation": "  ", "cost": "20000"},
    )
    assert response.status_code == 400
    assert response.context["form"].errors["review_explanation"] == [
        "Explain publicly why the project is not feasible."
    ]
    project.refresh_from_db()
    assert project.status == ProjectStatus.SUBMITTED


def test_once_voting_opened_a_projects_cost_cannot_change(cast, client_as, voting):
    project = voting.projects.first()
    client = client_as(cast["staff_a"])
    page = client.get(url("project_edit", voting, project))
    assert page.context["form"].fields["cost"].disabled
    response = client.post(
        url("project_edit", voting, project),
        project_data(title=project.title, cost="1"),
    )
    assert response.status_code == 400
    assert response.context["form"].errors["cost"] == [
        "Voting has opened: this can no longer change."
    ]
    project.refresh_from_db()
    assert project.cost == Decimal("20000.00")


def test_once_voting_opened_a_projects_text_can_still_be_corrected(cast, client_as, voting):
    project = voting.projects.first()
    data = {"title": "Lights, corrected", "description": "Typo fixed.", "external_id": ""}
    response = client_as(cast["staff_a"]).post(url("project_edit", voting, project), data)
    assert response.status_code == 302
    project.refresh_from_db()
    assert (project.title, project.cost) == ("Lights, corrected", Decimal("20000.00"))


def test_a_proposer_edits_their_proposal_until_it_is_reviewed(cast, client_as, city_a):
    edition = EditionFactory(city=city_a, phase=Phase.PROPOSALS)
    citizen = cast["citizen"]
    project = project_propose(
        edition=edition, actor=citizen, title="Bike lane", description="", cost=Decimal(9000)
    )
    client = client_as(citizen)
    page = client.get(url("project_edit", edition, project))
    assert page.status_code == 200
    assert set(page.context["form"].fields) == {"title", "description", "heading", "zone", "cost"}
    response = client.post(
        url("project_edit", edition, project),
        {"title": "Bike lane on Av. Norte", "description": "", "cost": "12000"},
    )
    assert response.status_code == 302
    assert response["Location"] == project.get_absolute_url()
    project.refresh_from_db()
    assert (project.title, project.cost) == ("Bike lane on Av. Norte", Decimal("12000"))
    Project.objects.filter(pk=project.pk).update(status=ProjectStatus.FEASIBLE)
    assert client.get(url("project_edit", edition, project)).status_code == 403


def test_another_resident_cannot_edit_a_proposal(cast, client_as, city_a):
    edition = EditionFactory(city=city_a, phase=Phase.PROPOSALS)
    project = project_propose(
        edition=edition, actor=cast["citizen"], title="Bike lane", cost=Decimal(9000)
    )
    other = UserFactory(email="neighbour@example.org")
    assert client_as(other).get(url("project_edit", edition, project)).status_code == 403


def test_staff_remove_a_project_before_voting(cast, client_as, draft):
    project = ProjectFactory(edition=draft)
    response = client_as(cast["staff_a"]).post(url("project_delete", draft, project))
    assert response["Location"] == url("edition_manage", draft) + "#projects"
    assert not Project.objects.exists()


def test_a_projects_history_lists_its_review(cast, client_as, city_a):
    edition = EditionFactory(city=city_a, phase=Phase.REVIEW)
    project = ProjectFactory(edition=edition, status=ProjectStatus.SUBMITTED)
    client = client_as(cast["staff_a"])
    client.post(
        url("project_review", edition, project),
        {"status": "feasible", "review_explanation": "Fine.", "cost": "20000"},
    )
    page = client.get(url("project_history", edition, project))
    assert "On the ballot" in text(page)
    assert len(page.context["entries"]) == 2


# --- voting codes -----------------------------------------------------------------------


def read_csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_codes_download_as_a_csv_that_voters_can_use(cast, client_as, voting):
    client = client_as(cast["staff_a"])
    response = client.post(
        url("codes", voting), {"count": "4", "label": "Assembly", "format": "csv"}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Cache-Control"] == "no-store"
    rows = read_csv(response)
    assert rows[0] == ["code"]
    codes = [row[0] for row in rows[1:]]
    assert len(codes) == 4 == len(set(codes))
    assert VotingCode.objects.filter(edition=voting).count() == 4
    batch = CodeBatch.objects.get()
    assert (batch.label, batch.size, batch.created_by) == ("Assembly", 4, cast["staff_a"])
    project = voting.projects.first()
    receipt = ballot_cast(edition=voting, code=codes[0], choices=[project.pk])
    assert receipt
    # The codes are never shown again: the page lists the batch, not its codes.
    page = client.get(url("codes", voting))
    assert "Assembly" in text(page)
    assert not any(code in page.content.decode() for code in codes)
    assert "shown only once" in text(page)


def test_codes_for_a_zone_carry_the_zone(cast, client_as, city_a):
    zone = ZoneFactory(city=city_a, name="Sousas", slug="sousas")
    edition = voting_edition(city_a, by_zone=True)
    Project.objects.filter(edition=edition).update(zone=zone)
    response = client_as(cast["staff_a"]).post(
        url("codes", edition), {"count": "2", "zone": zone.pk, "format": "csv"}
    )
    rows = read_csv(response)
    assert rows[0] == ["code", "zone"]
    assert {row[1] for row in rows[1:]} == {"sousas"}
    assert "sousas" in response["Content-Disposition"]
    ballot_cast(edition=edition, code=rows[1][0], choices=[edition.projects.first().pk])
    assert Participation.objects.get().zone == zone


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"count": "0", "format": "csv"}, "count"),
        ({"count": "20001", "format": "csv"}, "count"),
        ({"count": "1001", "format": "pdf"}, "count"),
        ({"count": "5", "format": "zip"}, "format"),
    ],
)
def test_bad_code_requests_show_field_errors_and_create_nothing(
    data, field, cast, client_as, voting
):
    response = client_as(cast["staff_a"]).post(url("codes", voting), data)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not CodeBatch.objects.exists()


def test_a_large_printable_sheet_is_refused_with_a_pointer_to_the_csv(cast, client_as, voting):
    response = client_as(cast["staff_a"]).post(
        url("codes", voting), {"count": "5000", "format": "pdf"}
    )
    assert "choose the CSV file" in response.context["form"].errors["count"][0]


def test_codes_for_another_citys_zone_are_refused(cast, client_as, voting, city_b):
    response = client_as(cast["staff_a"]).post(
        url("codes", voting), {"count": "2", "zone": ZoneFactory(city=city_b).pk, "format": "csv"}
    )
    assert response.status_code == 400
    assert "zone" in response.context["form"].errors
    assert not VotingCode.objects.exists()


def test_no_codes_are_generated_after_voting(cast, client_as, voting):
    set_phase(voting, Phase.COUNTING)
    response = client_as(cast["staff_a"]).post(
        url("codes", voting), {"count": "2", "format": "csv"}
    )
    assert response.status_code == 403
    assert not VotingCode.objects.exists()


# --- paper ballots ----------------------------------------------------------------------


def test_staff_enter_a_paper_ballot_and_see_the_running_count(cast, client_as, voting):
    first, second, _third = voting.projects.order_by("pk")
    client = client_as(cast["staff_a"])
    response = client.post(url("paper_ballot", voting), {"choices": [first.pk, second.pk]})
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert "The paper ballot was entered: 1 paper ballot so far." in text(page)
    ballot = Ballot.objects.get()
    assert ballot.channel == Channel.PAPER
    assert ballot.choices == {str(first.pk): 1, str(second.pk): 1}
    assert Participation.objects.get().channel == Channel.PAPER
    client.post(url("paper_ballot", voting), {"choices": [first.pk]})
    assert "2 paper ballots entered so far." in text(client.get(url("paper_ballot", voting)))


def test_a_paper_ballot_with_nothing_ticked_is_refused(cast, client_as, voting):
    response = client_as(cast["staff_a"]).post(url("paper_ballot", voting), {"choices": []})
    assert response.status_code == 400
    assert response.context["form"].errors["choices"] == ["Choose at least one project."]
    assert not Ballot.objects.exists()


def test_a_paper_ballot_uses_up_its_voting_code(cast, client_as, voting):
    code = codes_for(voting, 1)[0]
    project = voting.projects.first()
    client = client_as(cast["staff_a"])
    data = {"code": code.lower(), "choices": [project.pk]}
    assert client.post(url("paper_ballot", voting), data).status_code == 302
    again = client.post(url("paper_ballot", voting), data)
    assert again.status_code == 400
    assert again.context["form"].errors["code"] == [
        "This code has already been used to vote in this edition."
    ]
    assert Ballot.objects.count() == 1


def test_a_cumulative_paper_ballot_takes_points(cast, client_as, city_a):
    edition = voting_edition(city_a, method=VotingMethod.CUMULATIVE)
    first, second, _third = edition.projects.order_by("pk")
    client = client_as(cast["staff_a"])
    response = client.post(
        url("paper_ballot", edition), {f"points_{first.pk}": "6", f"points_{second.pk}": "4"}
    )
    assert response.status_code == 302
    assert Ballot.objects.get().choices == {str(first.pk): 6, str(second.pk): 4}
    too_many = client.post(
        url("paper_ballot", edition), {f"points_{first.pk}": "8", f"points_{second.pk}": "8"}
    )
    assert too_many.status_code == 400
    assert "You gave 16 points; you have 10." in text(too_many)
    assert Ballot.objects.count() == 1


def upload(rows: str):
    return SimpleUploadedFile("ballots.csv", rows.encode(), content_type="text/csv")


def test_a_file_of_paper_ballots_is_entered_in_full(cast, client_as, city_a):
    zone = ZoneFactory(city=city_a, slug="cambui")
    edition = voting_edition(city_a)
    a, b, c = (p.pk for p in edition.projects.order_by("pk"))
    code = codes_for(edition, 1)[0]
    content = f"code,zone,choices\n,cambui,{a} {b}\n{code},,{c}\n,,{a};{c}\n"
    client = client_as(cast["staff_a"])
    response = client.post(
        url("paper_ballot", edition), {"form": "import", "file": upload(content)}
    )
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert "3 paper ballots were entered from the file (3 so far)." in text(page)
    assert Ballot.objects.filter(edition=edition, channel=Channel.PAPER).count() == 3
    assert Participation.objects.filter(zone=zone).count() == 1


def test_one_bad_line_in_the_file_saves_nothing_and_is_named(cast, client_as, voting):
    a, b, _c = (p.pk for p in voting.projects.order_by("pk"))
    content = f"code,zone,choices\n,,{a}\n,,{b}\n,,999999\n,nowhere,{a}\n"
    response = client_as(cast["staff_a"]).post(
        url("paper_ballot", voting), {"form": "import", "file": upload(content)}
    )
    assert response.status_code == 400
    assert "Line 5: Campinas has no zone “nowhere”." in text(response)
    assert not Ballot.objects.exists()
    content = f"code,zone,choices\n,,{a}\n,,{b}\n,,999999\n"
    response = client_as(cast["staff_a"]).post(
        url("paper_ballot", voting), {"form": "import", "file": upload(content)}
    )
    assert response.status_code == 400
    assert "Line 4: 999999 is not on this ballot." in text(response)
    assert "No ballot was entered" in text(response)
    assert not Ballot.objects.exists()
    assert not Participation.objects.exists()


def test_a_cumulative_file_takes_id_points_pairs(cast, client_as, city_a):
    edition = voting_edition(city_a, method=VotingMethod.CUMULATIVE)
    a, b, _c = (p.pk for p in edition.projects.order_by("pk"))
    client = client_as(cast["staff_a"])
    bad = client.post(
        url("paper_ballot", edition), {"form": "import", "file": upload(f"choices\n{a}:5;{b}\n")}
    )
    assert "Line 2: write points as number:points" in text(bad)
    good = client.post(
        url("paper_ballot", edition),
        {"form": "import", "file": upload(f"choices\n{a}:5;{b}:5\n{b}:10\n")},
    )
    assert good.status_code == 302
    entered = {frozenset(ballot.choices.items()) for ballot in Ballot.objects.all()}
    assert entered == {frozenset({str(a): 5, str(b): 5}.items()), frozenset({str(b): 10}.items())}


def test_a_file_without_a_choices_column_is_refused(cast, client_as, voting):
    response = client_as(cast["staff_a"]).post(
        url("paper_ballot", voting), {"form": "import", "file": upload("code;zone\n")}
    )
    assert response.status_code == 400
    assert "“choices” column" in text(response)


def test_a_file_saved_with_semicolons_by_a_spreadsheet_is_read(cast, client_as, voting):
    a, b, _c = (p.pk for p in voting.projects.order_by("pk"))
    content = f'code;zone;choices\n;;{a} {b}\n;;"{a},{b}"\n'
    response = client_as(cast["staff_a"]).post(
        url("paper_ballot", voting), {"form": "import", "file": upload(content)}
    )
    assert response.status_code == 302
    assert [ballot.choices for ballot in Ballot.objects.all()] == [{str(a): 1, str(b): 1}] * 2


def test_a_line_with_more_cells_than_the_header_is_named(cast, client_as, voting):
    a, b, _c = (p.pk for p in voting.projects.order_by("pk"))
    content = f"code,zone,choices\n,,{a}\n,,{a},{b}\n"
    response = client_as(cast["staff_a"]).post(
        url("paper_ballot", voting), {"form": "import", "file": upload(content)}
    )
    assert response.status_code == 400
    assert "Line 3 has more cells than the header" in text(response)
    assert not Ballot.objects.exists()


def test_a_file_of_too_many_ballots_is_refused(cast, client_as, voting, monkeypatch):
    monkeypatch.setattr("budgeting.forms.MAX_IMPORT_ROWS", 2)
    a = voting.projects.first().pk
    content = f"choices\n{a}\n{a}\n{a}\n"
    response = client_as(cast["staff_a"]).post(
        url("paper_ballot", voting), {"form": "import", "file": upload(content)}
    )
    assert response.status_code == 400
    assert "A file holds at most 2 ballots; split it." in text(response)
    assert not Ballot.objects.exists()


def test_the_csv_template_downloads(cast, client_as, voting):
    response = client_as(cast["staff_a"]).get(url("paper_ballot", voting), {"template": "csv"})
    assert response["Content-Disposition"].startswith("attachment;")
    assert response.content.decode().splitlines() == ["code,zone,choices"]


# --- participation ----------------------------------------------------------------------


def test_participation_shows_turnout_by_channel_and_zone_and_nothing_per_voter(
    cast, client_as, city_a
):
    north = ZoneFactory(city=city_a, name="Norte", population=10)
    edition = voting_edition(city_a)
    project = edition.projects.first()
    for code in codes_for(edition, 3, zone=north):
        ballot_cast(edition=edition, code=code, choices=[project.pk])
    ballot_cast(edition=edition, code=codes_for(edition, 1)[0], choices=[project.pk])
    client_as(cast["staff_a"]).post(url("paper_ballot", edition), {"choices": [project.pk]})
    page = client_as(cast["sponsor_a"]).get(url("participation", edition))
    body = text(page)
    assert "5 voters took part." in body
    assert "Online 4" in body
    assert "Paper 1" in body
    assert "Norte 3 10 30%" in body  # voters, inhabitants, turnout
    assert "<svg" in page.content.decode()
    assert "Voters by zone in" in body
    for secret in Participation.objects.values_list("voter_key", flat=True):
        assert secret not in page.content.decode()


# --- verified residents -----------------------------------------------------------------


def test_staff_verify_a_resident_by_email(cast, client_as, city_a):
    zone = ZoneFactory(city=city_a, name="Centro")
    resident = UserFactory(email="Maria@example.org")
    client = client_as(cast["staff_a"])
    response = client.post(
        url("residents", "campinas"), {"email": "maria@EXAMPLE.org", "zone": zone.pk}
    )
    assert response.status_code == 302
    verification = ResidentVerification.objects.get()
    assert (verification.user, verification.zone, verification.city) == (resident, zone, city_a)
    page = client.get(response["Location"])
    assert "Maria@example.org is now a verified resident of Campinas." in text(page)
    assert "1 verified resident" in text(page)


def test_verifying_an_unknown_or_already_verified_account_is_refused(cast, client_as, city_a):
    client = client_as(cast["staff_a"])
    unknown = client.post(url("residents", "campinas"), {"email": "nobody@example.org"})
    assert unknown.status_code == 400
    assert "No account uses this email address" in unknown.context["form"].errors["email"][0]
    resident = UserFactory(email="joao@example.org")
    resident_verify(city=city_a, user=resident, actor=None)
    again = client.post(url("residents", "campinas"), {"email": "joao@example.org"})
    assert again.context["form"].errors["email"] == [
        "This account is already verified for the city."
    ]
    assert ResidentVerification.objects.count() == 1


def test_a_zone_of_another_city_is_refused_for_a_resident(cast, client_as, city_b):
    UserFactory(email="ana@example.org")
    response = client_as(cast["staff_a"]).post(
        url("residents", "campinas"),
        {"email": "ana@example.org", "zone": ZoneFactory(city=city_b).pk},
    )
    assert response.status_code == 400
    assert "zone" in response.context["form"].errors
    assert not ResidentVerification.objects.exists()


def test_staff_remove_a_verified_resident(cast, client_as, city_a):
    verification = resident_verify(city=city_a, user=UserFactory(), actor=None)
    client = client_as(cast["staff_a"])
    response = client.post(url("resident_remove", "campinas", verification.pk))
    assert response.status_code == 302
    assert not ResidentVerification.objects.exists()


def test_staff_of_another_city_cannot_remove_a_resident(cast, client_as, city_a):
    verification = resident_verify(city=city_a, user=UserFactory(), actor=None)
    response = client_as(cast["staff_b"]).post(url("resident_remove", "campinas", verification.pk))
    assert response.status_code == 403
    assert ResidentVerification.objects.exists()


def test_the_resident_list_searches_and_pages_at_a_constant_cost(cast, client_as, city_a):
    client = client_as(cast["staff_a"])
    resident_verify(city=city_a, user=UserFactory(email="zelia@example.org"), actor=None)

    def add_rows(n):
        for _ in range(n):
            resident_verify(city=city_a, user=UserFactory(), actor=None)

    # savepoint, session, user, city, roles, count, release, then rendering: page, zones
    assert_constant_queries(lambda: client.get(url("residents", "campinas")), add_rows, expected=9)
    found = client.get(url("residents", "campinas"), {"q": "zelia"})
    assert [v.user.email for v in found.context["verifications"]] == ["zelia@example.org"]


# --- the Django admin -------------------------------------------------------------------


def test_the_admin_shows_editions_read_mostly_and_never_ballots(cast, client_as, voting):
    from django.contrib import admin

    client = client_as(cast["superuser"])
    assert "Campinas voting" in text(client.get("/admin/budgeting/budgetedition/"))
    page = client.get(f"/admin/budgeting/budgetedition/{voting.pk}/change/")
    assert page.status_code == 200
    assert 'name="title"' in page.text
    assert 'name="total_amount"' not in page.text  # shown, not editable
    assert client.get("/admin/budgeting/budgetedition/add/").status_code == 403
    assert client.get("/admin/budgeting/project/").status_code == 200
    for model in (Participation, Ballot, VotingCode):
        assert not admin.site.is_registered(model)

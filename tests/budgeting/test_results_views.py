"""Counting and results pages: staff count and publish, the public sees results and downloads.

The embargo is the heart of it: until staff publish a count, nothing of it (a funded
project's votes, the word "funded", the ballots) reaches a public page, a download or the API.
"""

import csv
import io
import re
import uuid
from decimal import Decimal

import pytest
from django.core.cache.backends.locmem import LocMemCache
from django.urls import reverse

from budgeting import throttle
from budgeting.choices import Channel, Completion, CountingRule, CountStatus, Phase, VotingMethod
from budgeting.models import BudgetEdition, Count, Heading, Project
from budgeting.services import (
    ballot_cast,
    ballot_replace,
    count_publish,
    count_request,
    count_run,
    paper_ballot_enter,
    published_count,
    tally,
)
from budgeting.services.pabulib import pabulib_import
from tests.budgeting.factories import EditionFactory, HeadingFactory, ProjectFactory, codes_for
from tests.cities.factories import ZoneFactory
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "citizen", "sponsor_a", "staff_a", "staff_b", "superuser"]
MANAGERS = {"staff_a", "superuser"}
STATES = ["before", "running", "done", "published", "stale"]


@pytest.fixture(autouse=True)
def _own_guess_counters(monkeypatch):
    """Wrong-code counters of this test only, untouched by tests running in parallel."""
    monkeypatch.setattr(throttle, "cache", LocMemCache(f"guesses-{uuid.uuid4()}", {}))


def text(response) -> str:
    """The page's text with tags removed and whitespace squeezed, as a reader sees it."""
    body = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", body)


def set_phase(edition, phase):
    BudgetEdition.objects.filter(pk=edition.pk).update(phase=phase)
    edition.refresh_from_db()
    return edition


def vote(edition, ballots, zone=None):
    """Cast ``ballots`` (lists of projects or headings) with fresh codes; the receipts."""
    codes = codes_for(edition, len(ballots), zone=zone)
    return [
        ballot_cast(edition=edition, code=code, choices=[c.pk for c in choices])
        for code, choices in zip(codes, ballots, strict=True)
    ]


def counted(edition, actor=None) -> Count:
    """A finished count of the edition (the worker's part run here, as eager Celery would)."""
    count = count_request(edition=edition, actor=actor)
    count_run(count_id=count.pk)
    count.refresh_from_db()
    return count


def published(edition, actor=None) -> Count:
    count = counted(edition, actor)
    count_publish(count=count, actor=actor)
    edition.refresh_from_db()
    return count


def url(name, edition, **kwargs):
    return reverse(f"budgeting:{name}", kwargs={"pk": edition.pk, **kwargs})


@pytest.fixture
def election(city_a):
    """Budget R$100 and six voters: A (R$60) has 5 votes, B (R$50) 4, C (R$40) 3, D (R$10) 1.

    Greedy funds A and C; Equal Shares funds A then D (the sixth voter's share pays for D,
    and B no longer gathers enough money): the rules differ on C and D.
    """
    edition = EditionFactory(
        city=city_a,
        title="Campinas decides",
        total_amount=Decimal(100),
        counting_rule=CountingRule.GREEDY,
        completion=Completion.ADD1,
    )
    a, b, c, d = (
        ProjectFactory(edition=edition, title=title, cost=Decimal(cost))
        for title, cost in (("Ramps", 60), ("Benches", 50), ("Shade", 40), ("Library", 10))
    )
    set_phase(edition, Phase.VOTING)
    vote(edition, [[a, b], [a, b], [a, b], [a, c], [a, c], [b, c, d]])
    return set_phase(edition, Phase.COUNTING), (a, b, c, d)


def make_state(state, edition, staff):
    """Bring ``edition`` (in its counting phase) to ``state``."""
    if state == "running":
        count_request(edition=edition, actor=staff)  # queued: the worker has not run it
    elif state == "done":
        counted(edition, staff)
    elif state in ("published", "stale"):
        published(edition, staff)
    if state == "stale":  # a late ballot changes the log after the publication
        project = edition.projects.first()
        set_phase(edition, Phase.VOTING)
        vote(edition, [[project]])
        set_phase(edition, Phase.RESULTS)
    edition.refresh_from_db()
    return edition


# --- who sees what, in which state ------------------------------------------------------------


class TestAccess:
    @pytest.mark.parametrize("state", STATES)
    @pytest.mark.parametrize("role", ROLES)
    def test_the_results_page_is_public_once_published_and_staff_preview_it_before(
        self, role, state, cast, election, client_as
    ):
        edition = make_state(state, election[0], cast["staff_a"])
        response = client_as(cast[role]).get(url("results", edition))
        public = state in ("published", "stale")
        assert response.status_code == (200 if public or role in MANAGERS else 404)
        if response.status_code == 404:
            assert "Ramps" not in text(response)
            return
        page = text(response)
        assert ("Embargoed — not public until you publish." in page) == (state == "done")
        assert ("No count has finished yet." in page) == (state in ("before", "running"))
        assert ("5 votes" in page) == (state != "before" and state != "running")
        assert ("these results no longer match the current ballots" in page) == (state == "stale")

    @pytest.mark.parametrize(
        ("role", "status"),
        [
            ("anonymous", 302),
            ("citizen", 403),
            ("sponsor_a", 403),
            ("staff_b", 403),
            ("staff_a", 200),
            ("superuser", 200),
        ],
    )
    def test_the_counting_page_is_for_the_city_staff(self, role, status, cast, election, client_as):
        edition, _ = election
        count = counted(edition, cast["staff_a"])
        client = client_as(cast[role])
        response = client.get(url("count", edition))
        assert response.status_code == status
        if role == "anonymous":
            assert response["Location"].startswith("/accounts/login/")
        status_page = client.get(url("count_status", edition, count=count.pk))
        assert status_page.status_code == status
        publish = client.post(url("count_publish", edition, count=count.pk))
        assert publish.status_code == (302 if status != 403 else 403)
        count.refresh_from_db()
        assert (count.published_at is not None) == (role in MANAGERS)

    @pytest.mark.parametrize("state", STATES)
    @pytest.mark.parametrize("role", ROLES)
    def test_the_ballot_files_open_to_everyone_once_published_and_to_nobody_before(
        self, role, state, cast, election, client_as
    ):
        edition = make_state(state, election[0], cast["staff_a"])
        client = client_as(cast[role])
        expected = 200 if state in ("published", "stale") else 404
        for name in ("ballots_pb", "ballots_csv", "ballots_json"):
            kwargs = {"edition": edition.pk} if name == "ballots_json" else {"pk": edition.pk}
            response = client.get(reverse(f"budgeting:{name}", kwargs=kwargs))
            assert response.status_code == expected, name
            if expected == 404:
                assert "published once the results are out" in text(response)

    def test_a_draft_has_no_results_for_the_public(self, city_a, client):
        edition = EditionFactory(city=city_a, phase=Phase.DRAFT)
        assert client.get(url("results", edition)).status_code == 404
        assert client.get(url("ballots_pb", edition)).status_code == 404


# --- the embargo --------------------------------------------------------------------------


def public_views(client, edition, project) -> dict:
    """Everything a citizen can open about the edition, page by page and file by file."""
    edition_pk = {"edition": edition.pk}
    return {
        "edition page": client.get(edition.get_absolute_url()),
        "project page": client.get(project.get_absolute_url()),
        "edition list": client.get(reverse("budgeting:edition_list")),
        "city page": client.get(edition.city.get_absolute_url()),
        "log page": client.get(reverse("budgeting:ballot_log", kwargs=edition_pk)),
        "log json": client.get(reverse("budgeting:ballot_log_json", kwargs=edition_pk)),
        "ballots json": client.get(reverse("budgeting:ballots_json", kwargs=edition_pk)),
        "ballots pb": client.get(url("ballots_pb", edition)),
        "ballots csv": client.get(url("ballots_csv", edition)),
        "results": client.get(url("results", edition)),
        "results of the count": client.get(
            url("results", edition) + f"?count={edition.counts.first().pk}"
        ),
        "api edition": client.get(reverse("api:edition-detail", args=[edition.pk])),
        "api projects": client.get(reverse("api:edition-projects", args=[edition.pk])),
        "api project": client.get(reverse("api:project-detail", args=[project.pk])),
    }


def body(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8-sig")
    return response.content.decode()


class TestEmbargo:
    def test_nothing_of_a_finished_count_leaks_before_it_is_published(
        self, election, staff_a, client
    ):
        edition, (ramps, *_rest) = election
        counted(edition, staff_a)
        for name, response in public_views(client, edition, ramps).items():
            content = body(response)
            assert not re.search(r"\bfunded\b", content, re.IGNORECASE), name
            assert "5 votes" not in content, name
            assert "See the results" not in content, name
            assert '"selected": true' not in content, name
        views = public_views(client, edition, ramps)
        for name in ("ballots json", "ballots pb", "ballots csv", "results"):
            assert views[name].status_code == 404, name
        assert not Project.objects.filter(edition=edition, selected=True).exists()

    def test_once_published_the_pages_show_the_results_and_the_files_open(
        self, election, staff_a, client
    ):
        edition, (ramps, benches, shade, _library) = election
        published(edition, staff_a)
        views = public_views(client, edition, ramps)
        edition_page = text(views["edition page"])
        assert "See the results" in edition_page
        assert edition_page.count("Funded") == 2  # Ramps and Shade
        assert "Funded" in text(views["project page"])
        assert "The vote funded this project." in text(views["project page"])
        assert "Funded" not in text(client.get(benches.get_absolute_url()))
        assert "5 votes" in text(views["results"])
        assert "See the results and recount them" in text(views["log page"])
        for name in ("ballots json", "ballots pb", "ballots csv"):
            assert views[name].status_code == 200, name

    def test_a_public_visitor_cannot_open_an_unpublished_recount_by_its_number(
        self, election, staff_a, client
    ):
        edition, _ = election
        first = published(edition, staff_a)
        later = counted(edition, staff_a)
        page = client.get(url("results", edition) + f"?count={later.pk}")
        assert page.status_code == 200
        assert page.context["summary"]["count"] == first
        assert "Embargoed" not in text(page)


# --- the counting page ----------------------------------------------------------------------


class TestCounting:
    def test_staff_count_the_ballots_and_see_the_count_finish(
        self, election, staff_a, client_as, django_capture_on_commit_callbacks
    ):
        edition, _ = election
        client = client_as(staff_a)
        page = text(client.get(url("count", edition)))
        assert "The ballots have not been counted yet." in page
        assert "Count the ballots" in page
        assert "Greedy (most votes first) (completion: Add 1" in page
        # Eager Celery counts when the request's transaction commits, before the redirect.
        with django_capture_on_commit_callbacks(execute=True):
            posted = client.post(url("count", edition))
        assert posted["Location"] == url("count", edition)
        response = client.get(posted["Location"])
        page = text(response)
        assert "The ballots are being counted." in page
        count = Count.objects.get(edition=edition)
        assert count.status == CountStatus.DONE
        assert "Status: Done" in page
        assert "100% done" in page
        assert '<progress max="100" value="100"' in response.content.decode()
        assert "Embargoed: not public" in page
        assert "Preview the results and the comparison" in page
        assert "Publish these results" in page
        assert f"?count={count.pk}" in response.content.decode()
        assert "hx-trigger" not in response.content.decode()  # nothing left to follow

    def test_a_running_count_is_followed_every_two_seconds_until_it_finishes(
        self, election, staff_a, client_as
    ):
        edition, _ = election
        client = client_as(staff_a)
        count = count_request(edition=edition, actor=staff_a)  # queued
        page = client.get(url("count", edition))
        status_url = url("count_status", edition, count=count.pk)
        html = page.content.decode()
        assert f'hx-get="{status_url}" hx-trigger="every 2s" hx-swap="outerHTML"' in html
        assert "A count is under way" in text(page)
        assert "Count the ballots</button>" not in html
        assert "refresh the page" in text(page)  # the way without JavaScript
        assert "Publish these results" not in text(page)

        running = client.get(status_url, HTTP_HX_REQUEST="true")
        assert "every 2s" in running.content.decode()
        assert "Status: Queued" in text(running)
        count_run(count_id=count.pk)
        finished = client.get(status_url, HTTP_HX_REQUEST="true")
        assert "hx-trigger" not in finished.content.decode()  # polling stops
        assert "Status: Done" in text(finished)
        assert "Publish these results" in text(finished)

    def test_asking_again_while_a_count_runs_is_refused_with_the_reason(
        self, election, staff_a, client_as
    ):
        edition, _ = election
        count_request(edition=edition, actor=staff_a)
        response = client_as(staff_a).post(url("count", edition), follow=True)
        assert "A count of this edition is already under way." in text(response)
        assert Count.objects.filter(edition=edition).count() == 1

    def test_counting_waits_for_voting_to_close(self, election, staff_a, client_as):
        edition, _ = election
        set_phase(edition, Phase.VOTING)
        client = client_as(staff_a)
        page = text(client.get(url("count", edition)))
        assert "Ballots are counted once voting has closed." in page
        assert "Count the ballots</button>" not in page
        refused = client.post(url("count", edition), follow=True)
        assert "Ballots are counted once voting has closed." in text(refused)
        assert not Count.objects.filter(edition=edition).exists()

    def test_a_failed_count_says_why(self, election, staff_a, client_as):
        edition, _ = election
        count = count_request(edition=edition, actor=staff_a)
        Count.objects.filter(pk=count.pk).update(
            status=CountStatus.FAILED, error="the worker ran out of memory"
        )
        page = text(client_as(staff_a).get(url("count", edition)))
        assert "The count failed: the worker ran out of memory" in page
        assert "Count the ballots" in page  # and staff may count again

    def test_staff_publish_a_count_and_the_edition_moves_to_its_results(
        self, election, staff_a, client_as
    ):
        edition, (ramps, _b, shade, _d) = election
        count = counted(edition, staff_a)
        response = client_as(staff_a).post(
            url("count_publish", edition, count=count.pk), follow=True
        )
        assert response.redirect_chain[-1][0] == url("results", edition)
        assert "The results are published: everyone can see them now." in text(response)
        assert "Embargoed" not in text(response)
        edition.refresh_from_db()
        assert edition.phase == Phase.RESULTS
        assert published_count(edition) == count
        assert set(Project.objects.filter(edition=edition, selected=True)) == {ramps, shade}
        page = text(client_as(staff_a).get(url("count", edition)))
        assert "Results are published." in page
        assert "Publish these results" not in page

    def test_a_count_whose_ballots_changed_cannot_be_published(self, election, staff_a, client_as):
        edition, (ramps, *_rest) = election
        count = counted(edition, staff_a)
        set_phase(edition, Phase.VOTING)
        vote(edition, [[ramps]])  # a late ballot
        set_phase(edition, Phase.COUNTING)
        client = client_as(staff_a)
        page = text(client.get(url("count", edition)))
        assert "Ballots changed after this count" in page
        assert "Publish these results" not in page
        preview = text(client.get(url("results", edition)))
        assert "these results no longer match the current ballots. Count again" in preview
        assert "Publish these results" not in preview
        response = client.post(url("count_publish", edition, count=count.pk), follow=True)
        assert "count again before publishing" in text(response)
        assert published_count(edition) is None

    def test_a_count_of_another_edition_is_not_found(self, election, city_a, staff_a, client_as):
        edition, _ = election
        other = EditionFactory(city=city_a, phase=Phase.COUNTING)
        count = counted(other, staff_a)
        client = client_as(staff_a)
        assert client.post(url("count_publish", edition, count=count.pk)).status_code == 404
        assert client.get(url("count_status", edition, count=count.pk)).status_code == 404
        assert published_count(other) is None

    def test_the_edition_page_offers_staff_the_counting_page(self, election, staff_a, client_as):
        edition, _ = election
        assert (
            url("count", edition)
            in client_as(staff_a).get(edition.get_absolute_url()).content.decode()
        )
        assert (
            url("count", edition)
            not in client_as(None).get(edition.get_absolute_url()).content.decode()
        )


# --- the results page ---------------------------------------------------------------------


class TestResultsPage:
    def test_the_preview_shows_the_rule_the_figures_and_the_comparison(
        self, election, staff_a, client_as
    ):
        edition, (ramps, benches, shade, library) = election
        count = counted(edition, staff_a)
        response = client_as(staff_a).get(url("results", edition))
        page = text(response)
        html = response.content.decode()
        assert "Embargoed — not public until you publish." in page
        assert "Publish these results" in page
        # The rule, how ties are broken, the engine and the log head counted.
        assert "Counting rule Greedy (most votes first)" in page
        assert "the cheaper one" in page
        assert "the one with more votes" in page
        assert "the one entered first (the lower number)" in page
        assert "Counting engine version 1" in page
        assert count.log_head in page
        assert "This is still the head of the public ballot log" in page
        # The money.
        assert "Budget R$100.00" in page
        assert "Cost of the funded projects R$100.00" in page
        assert "Budget used 100%" in page
        assert "Voters with at least one funded project they supported 100%" in page
        # Every project, by support, funded or not.
        rows = re.findall(
            r"<tr>\s*<th scope=\"row\"><a [^>]+>([^<]+)</a></th>\s*<td class=\"num\">(\d+)</td>"
            r".*?<td>(?:<strong>)?(yes|no)",
            html,
            re.DOTALL,
        )
        assert rows == [
            ("Ramps", "5", "yes"),
            ("Benches", "4", "no"),
            ("Shade", "3", "yes"),
            ("Library", "1", "no"),
        ]
        assert "2 projects funded" in page
        # The chart marks the funded bars in words, with the numbers as a table.
        assert '<svg xmlns="http://www.w3.org/2000/svg"' in html
        assert "5 votes ✓ funded" in html
        assert "Show the data as a table" in page
        # Turnout.
        assert "6 voters took part." in page
        assert re.search(r"Online\s*</th>\s*<td class=\"num\">6</td>", html)
        # The comparison, side by side, and what only one rule funds.
        assert "Method of Equal Shares, completed with Add 1 (stop when exhaustive)" in page
        equal_shares = count.results.get(rule=CountingRule.EQUAL_SHARES)
        assert set(equal_shares.selected) == {ramps.pk, library.pk}
        assert "Projects funded by only one of the rules" in page
        only = re.findall(r"<h4>Only with ([^<]+)</h4>\s*<ul><li>([^<]+)</li></ul>", html)
        assert only == [
            ("Greedy (most votes first)", "Shade"),
            ("Method of Equal Shares, completed with Add 1 (stop when exhaustive)", "Library"),
        ]
        # No downloads before publishing.
        assert url("ballots_pb", edition) not in html
        assert "once the results are published" in page

    def test_the_published_page_links_the_files_and_says_how_to_recount(
        self, election, staff_a, client
    ):
        edition, _ = election
        published(edition, staff_a)
        response = client.get(url("results", edition))
        html = response.content.decode()
        for name in ("ballots_pb", "ballots_csv"):
            assert url(name, edition) in html
        assert reverse("budgeting:ballots_json", kwargs={"edition": edition.pk}) in html
        assert reverse("budgeting:verify_script") in html
        assert "python manage.py pabulib_import ballots.pb" in text(response)
        assert "python manage.py tally ID --rule greedy --completion none" in text(response)
        assert "parse_pabulib" in html
        assert "Embargoed" not in html
        assert "Counting page" not in html

    def test_staff_preview_any_finished_count_by_its_number(self, election, staff_a, client_as):
        edition, _ = election
        first = counted(edition, staff_a)
        second = counted(edition, staff_a)
        client = client_as(staff_a)
        assert client.get(url("results", edition)).context["summary"]["count"] == second
        older = client.get(url("results", edition) + f"?count={first.pk}")
        assert older.context["summary"]["count"] == first
        unfinished = count_request(edition=edition, actor=staff_a)
        assert client.get(url("results", edition) + f"?count={unfinished.pk}").status_code == 404

    def test_per_zone_budgets_are_shown_one_by_one(self, city_a, staff_a, client_as):
        north = ZoneFactory(city=city_a, name="North")
        south = ZoneFactory(city=city_a, name="South")
        edition = EditionFactory(city=city_a, by_zone=True, total_amount=Decimal(200))
        HeadingFactory(edition=edition, zone=north, amount=Decimal(100), name="Lighting")
        HeadingFactory(edition=edition, zone=south, amount=Decimal(100), name="Lighting")
        n1 = ProjectFactory(edition=edition, zone=north, cost=Decimal(80), title="North lamps")
        n2 = ProjectFactory(edition=edition, zone=north, cost=Decimal(70), title="North path")
        s1 = ProjectFactory(edition=edition, zone=south, cost=Decimal(90), title="South lamps")
        set_phase(edition, Phase.VOTING)
        vote(edition, [[n1], [n2, n1]], zone=north)
        vote(edition, [[s1]], zone=south)
        edition = set_phase(edition, Phase.COUNTING)
        counted(edition, staff_a)
        response = client_as(staff_a).get(url("results", edition))
        page = text(response)
        assert "Each budget, counted on its own" in page
        assert re.search(
            r"North \(Campinas\) Budget R\$100\.00 .* Voters 2 Funded North lamps", page
        )
        assert re.search(
            r"South \(Campinas\) Budget R\$100\.00 .* Voters 1 Funded South lamps", page
        )
        assert re.search(r"North\s*</th>\s*<td class=\"num\">2</td>", response.content.decode())

    def test_a_heading_choice_edition_shows_the_opened_heading(self, city_a, staff_a, client_as):
        edition = EditionFactory(
            city=city_a, method=VotingMethod.HEADINGS, max_choices=1, total_amount=Decimal(100)
        )
        roads = HeadingFactory(edition=edition, name="Roadways", amount=Decimal(100))
        parks = HeadingFactory(edition=edition, name="Parks", amount=Decimal(100))
        set_phase(edition, Phase.VOTING)
        vote(edition, [[roads], [roads], [parks]])
        edition = set_phase(edition, Phase.COUNTING)
        published(edition, staff_a)
        page = text(client_as(None).get(url("results", edition)))
        assert "1 heading opened" in page
        assert "Roadways 2 votes" in page
        assert "There is no other rule to compare with." in page
        assert list(Heading.objects.filter(edition=edition, opened=True)) == [roads]

    def test_cumulative_results_count_points(self, city_a, staff_a, client_as):
        edition = EditionFactory(
            city=city_a,
            method=VotingMethod.CUMULATIVE,
            points=10,
            total_amount=Decimal(100),
            counting_rule=CountingRule.EQUAL_SHARES,
            completion=Completion.ADD1,
        )
        big = ProjectFactory(edition=edition, title="Big", cost=Decimal(70))
        small = ProjectFactory(edition=edition, title="Small", cost=Decimal(30))
        set_phase(edition, Phase.VOTING)
        for code, points in zip(
            codes_for(edition, 2), [{big.pk: 7, small.pk: 3}, {big.pk: 10}], strict=True
        ):
            ballot_cast(edition=edition, code=code, points=points)
        edition = set_phase(edition, Phase.COUNTING)
        published(edition, staff_a)
        page = text(client_as(None).get(url("results", edition)))
        assert "Big 17 points" in page
        assert "Counting rule Method of Equal Shares, completed with Add 1" in page
        assert "Greedy (most votes first)" in page  # the comparison

    def test_turnout_counts_paper_ballots_apart(self, election, staff_a, client_as):
        edition, (ramps, *_rest) = election
        set_phase(edition, Phase.VOTING)
        paper_ballot_enter(edition=edition, actor=staff_a, choices=[ramps.pk])
        edition = set_phase(edition, Phase.COUNTING)
        published(edition, staff_a)
        html = client_as(None).get(url("results", edition)).content.decode()
        assert re.search(r"Online\s*</th>\s*<td class=\"num\">6</td>", html)
        assert re.search(r"Paper\s*</th>\s*<td class=\"num\">1</td>", html)

    def test_the_page_costs_the_same_queries_for_many_projects(self, election, staff_a, client):
        edition, _ = election
        published(edition, staff_a)

        def add(n):
            for _ in range(n):
                ProjectFactory(edition=edition, zone=ZoneFactory(city=edition.city))

        # savepoint, edition with its city, published count, its results, the projects with
        # their zones, turnout, release
        assert_constant_queries(lambda: client.get(url("results", edition)), add, expected=7)


# --- the downloads, and recounting them -----------------------------------------------------


def pb_text(client, edition, unit=None) -> str:
    query = f"?unit={unit}" if unit else ""
    response = client.get(url("ballots_pb", edition) + query)
    assert response.status_code == 200
    return response.content.decode()


def recount(text_of_file, rule, completion) -> list[str]:
    """Import a downloaded .pb as a new edition, count it, and name the winners by file id."""
    imported = pabulib_import(text=text_of_file)
    result = tally(imported, rule=rule, completion=completion)
    ids = dict(imported.projects.values_list("pk", "external_id"))
    return [ids[pk] for pk in result.selected]


class TestDownloads:
    def test_the_pabulib_file_is_named_after_the_city_and_year(self, election, staff_a, client):
        edition, _ = election
        published(edition, staff_a)
        response = client.get(url("ballots_pb", edition))
        assert response["Content-Type"] == "text/plain; charset=utf-8"
        assert response["Content-Disposition"] == (
            'attachment; filename="campinas-2026-ballots.pb"'
        )
        content = response.content.decode()
        assert "num_votes;6" in content
        assert re.search(rf"{edition.projects.get(title='Ramps').pk};60;5;Ramps;1", content)

    @pytest.mark.parametrize(
        ("rule", "completion"),
        [(CountingRule.GREEDY, Completion.NONE), (CountingRule.EQUAL_SHARES, Completion.ADD1)],
    )
    def test_recounting_the_downloaded_ballots_gives_the_published_results(
        self, rule, completion, election, staff_a, client
    ):
        edition, _ = election
        count = published(edition, staff_a)
        result = count.results.get(rule=rule)
        assert recount(pb_text(client, edition), rule, completion) == [
            str(pk) for pk in result.selected
        ]

    def test_pabutools_recounts_the_downloaded_ballots_to_the_same_projects(
        self, election, staff_a, client, tmp_path
    ):
        pytest.importorskip("pabutools")
        from pabutools.election import Cost_Sat, parse_pabulib
        from pabutools.rules import greedy_utilitarian_welfare, method_of_equal_shares

        edition, _ = election
        count = published(edition, staff_a)
        path = tmp_path / "ballots.pb"
        path.write_text(pb_text(client, edition))
        instance, profile = parse_pabulib(str(path))
        greedy = greedy_utilitarian_welfare(instance, profile, sat_class=Cost_Sat)
        shares = method_of_equal_shares(
            instance, profile, sat_class=Cost_Sat, voter_budget_increment=1
        )
        official = count.results.get(rule=CountingRule.GREEDY)
        other = count.results.get(rule=CountingRule.EQUAL_SHARES)
        assert {p.name for p in greedy} == {str(pk) for pk in official.selected}
        assert {p.name for p in shares} == {str(pk) for pk in other.selected}

    def test_each_zone_budget_downloads_apart_and_recounts_to_its_outcome(
        self, city_a, staff_a, client
    ):
        north = ZoneFactory(city=city_a, name="North")
        south = ZoneFactory(city=city_a, name="South")
        edition = EditionFactory(city=city_a, by_zone=True, total_amount=Decimal(300))
        HeadingFactory(edition=edition, zone=north, amount=Decimal(100), name="Lighting")
        HeadingFactory(edition=edition, zone=south, amount=Decimal(100), name="Lighting")
        HeadingFactory(edition=edition, amount=Decimal(100), name="City")
        n1 = ProjectFactory(edition=edition, zone=north, cost=Decimal(80))
        n2 = ProjectFactory(edition=edition, zone=north, cost=Decimal(70))
        s1 = ProjectFactory(edition=edition, zone=south, cost=Decimal(90))
        c1 = ProjectFactory(edition=edition, cost=Decimal(60))
        c2 = ProjectFactory(edition=edition, cost=Decimal(50))
        set_phase(edition, Phase.VOTING)
        vote(edition, [[n1, c2], [n2, n1, c1], [n2]], zone=north)
        vote(edition, [[s1, c1], [c1]], zone=south)
        edition = set_phase(edition, Phase.COUNTING)
        count = published(edition, staff_a)
        official = count.results.get(official=True)
        assert len(official.units) == 3
        for index, unit in enumerate(official.units, start=1):
            content = pb_text(client, edition, unit=index)
            assert recount(content, CountingRule.GREEDY, Completion.NONE) == [
                str(pk) for pk in unit["selected"]
            ], unit["label"]
            assert f"num_votes;{unit['voters']}" in content
        response = client.get(url("ballots_pb", edition) + "?unit=1")
        assert response["Content-Disposition"] == (
            'attachment; filename="campinas-2026-north-campinas-ballots.pb"'
        )
        assert client.get(url("ballots_pb", edition) + "?unit=4").status_code == 404
        assert client.get(url("ballots_pb", edition) + "?unit=x").status_code == 404
        page = text(client.get(url("results", edition)))
        assert "Ballots of North (Campinas) (.pb)" in page

    def test_heading_choice_ballots_download_as_headings_and_recount(self, city_a, staff_a, client):
        edition = EditionFactory(
            city=city_a, method=VotingMethod.HEADINGS, max_choices=2, total_amount=Decimal(150)
        )
        parks = HeadingFactory(edition=edition, name="Parks", amount=Decimal(100))
        roads = HeadingFactory(edition=edition, name="Roadways", amount=Decimal(100))
        lamps = HeadingFactory(edition=edition, name="Lighting", amount=Decimal(50))
        set_phase(edition, Phase.VOTING)
        vote(edition, [[roads, lamps], [roads], [parks, lamps], [roads]])
        edition = set_phase(edition, Phase.COUNTING)
        count = published(edition, staff_a)
        content = pb_text(client, edition)
        assert "Roadways" in content
        assert "num_votes;4" in content
        official = count.results.get(official=True)
        assert official.selected == [roads.pk, lamps.pk]
        assert recount(content, CountingRule.GREEDY, Completion.NONE) == [
            str(roads.pk),
            str(lamps.pk),
        ]

    def test_cumulative_ballots_recount_to_the_published_results(self, city_a, staff_a, client):
        edition = EditionFactory(
            city=city_a,
            method=VotingMethod.CUMULATIVE,
            points=10,
            total_amount=Decimal(100),
            counting_rule=CountingRule.EQUAL_SHARES,
            completion=Completion.ADD1,
        )
        projects = [
            ProjectFactory(edition=edition, title=f"P{n}", cost=Decimal(cost))
            for n, cost in enumerate((70, 30, 40, 20))
        ]
        set_phase(edition, Phase.VOTING)
        spreads = [(7, 3, 0, 0), (0, 0, 5, 5), (10, 0, 0, 0), (0, 4, 4, 2), (2, 0, 8, 0)]
        for code, spread in zip(codes_for(edition, len(spreads)), spreads, strict=True):
            points = {p.pk: n for p, n in zip(projects, spread, strict=True) if n}
            ballot_cast(edition=edition, code=code, points=points)
        edition = set_phase(edition, Phase.COUNTING)
        count = published(edition, staff_a)
        content = pb_text(client, edition)
        for result in count.results.all():
            assert recount(content, result.rule, result.completion) == [
                str(pk) for pk in result.selected
            ], result.rule

    def test_the_csv_has_one_row_per_current_ballot(self, city_a, staff_a, client):
        north = ZoneFactory(city=city_a, name="North")
        edition = EditionFactory(city=city_a, total_amount=Decimal(100))
        a = ProjectFactory(edition=edition, external_id="A-1")
        b = ProjectFactory(edition=edition)
        set_phase(edition, Phase.VOTING)
        [first, _second] = vote(edition, [[a], [a, b]])
        vote(edition, [[b]], zone=north)
        ballot_replace(edition=edition, receipt=first, choices=[b.pk])  # the first no longer counts
        paper_ballot_enter(edition=edition, actor=staff_a, choices=[a.pk])
        edition = set_phase(edition, Phase.COUNTING)
        published(edition, staff_a)
        response = client.get(url("ballots_csv", edition))
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert response["Content-Disposition"] == (
            'attachment; filename="campinas-2026-ballots.csv"'
        )
        rows = list(csv.DictReader(io.StringIO(body(response))))
        ballots = edition.ballots.filter(superseded=False).order_by("fingerprint")
        assert [row["fingerprint"] for row in rows] == [ballot.fingerprint for ballot in ballots]
        assert len(rows) == 4
        assert sorted(row["choices"] for row in rows) == sorted(
            ["A-1", f"A-1,{b.pk}", str(b.pk), str(b.pk)]
        )
        assert sorted(row["zone"] for row in rows) == ["", "", "", "North"]
        assert sorted(row["channel"] for row in rows) == [
            Channel.ONLINE,
            Channel.ONLINE,
            Channel.ONLINE,
            Channel.PAPER,
        ]
        assert "points" not in rows[0]

    def test_the_csv_of_cumulative_ballots_has_the_points(self, city_a, staff_a, client):
        edition = EditionFactory(
            city=city_a, method=VotingMethod.CUMULATIVE, points=10, total_amount=Decimal(100)
        )
        a, b = ProjectFactory(edition=edition), ProjectFactory(edition=edition)
        set_phase(edition, Phase.VOTING)
        [code] = codes_for(edition, 1)
        ballot_cast(edition=edition, code=code, points={a.pk: 6, b.pk: 4})
        edition = set_phase(edition, Phase.COUNTING)
        published(edition, staff_a)
        [row] = list(csv.DictReader(io.StringIO(body(client.get(url("ballots_csv", edition))))))
        assert row["choices"] == f"{a.pk},{b.pk}"
        assert row["points"] == "6,4"

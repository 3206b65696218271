"""The citizens' pages of participatory budgets: editions, proposals, voting, the public log."""

import datetime
import json
import re
import subprocess
import sys
import uuid
from decimal import Decimal

import pytest
from django.core.cache.backends.locmem import LocMemCache
from django.urls import reverse

from budgeting import throttle
from budgeting.choices import Phase, ProjectStatus, VotingMethod
from budgeting.codes import receipt_fingerprint
from budgeting.models import Ballot, BallotLogEntry, BudgetEdition, Participation, Project
from budgeting.services import (
    ballot_cast,
    ballot_replace,
    count_publish,
    count_request,
    count_run,
    edition_schedule_set,
    resident_verify,
)
from tests.budgeting.factories import (
    EditionFactory,
    HeadingFactory,
    ProjectFactory,
    codes_for,
    voting_edition,
)
from tests.cities.factories import CityFactory, ZoneFactory
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _own_guess_counters(monkeypatch):
    """Wrong-code counters of this test only: a private cache, untouched by tests running
    in parallel that share (and clear) the Redis database."""
    monkeypatch.setattr(throttle, "cache", LocMemCache(f"guesses-{uuid.uuid4()}", {}))


def url(name, edition, **kwargs):
    return reverse(f"budgeting:{name}", kwargs={"edition": edition.pk, **kwargs})


def ids(edition):
    return [str(pk) for pk in edition.projects.order_by("pk").values_list("pk", flat=True)]


def text(response) -> str:
    """The page's text with tags removed and whitespace squeezed, as a reader sees it."""
    body = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", body)


def set_phase(edition, phase):
    BudgetEdition.objects.filter(pk=edition.pk).update(phase=phase)
    edition.refresh_from_db()
    return edition


def hidden_value(response, name) -> str | None:
    match = re.search(
        rf'<input type="hidden" name="{name}" value="([^"]*)"', response.content.decode()
    )
    return match.group(1) if match else None


# --- the list of editions -------------------------------------------------------------------


class TestEditionList:
    def test_drafts_are_hidden_from_the_public_and_shown_to_their_city_staff(self, cast, client_as):
        EditionFactory(city=cast["city_a"], title="Orçamento 2027", phase=Phase.DRAFT)
        EditionFactory(city=cast["city_a"], title="Orçamento 2026", phase=Phase.INFORMATION)
        public = client_as(None).get("/budgets/")
        assert "Orçamento 2026" in text(public)
        assert "Orçamento 2027" not in text(public)
        assert "Orçamento 2027" not in text(client_as(cast["staff_b"]).get("/budgets/"))
        assert "Orçamento 2027" in text(client_as(cast["staff_a"]).get("/budgets/"))

    def test_each_edition_shows_city_year_phase_method_and_amount_and_voting_ones_a_call(
        self, city_a, client
    ):
        voting_edition(city_a, title="Campinas decides", total_amount=Decimal("550000"), year=2026)
        EditionFactory(city=city_a, title="Campinas proposes", phase=Phase.PROPOSALS)
        page = text(client.get("/budgets/"))
        assert "Campinas decides" in page
        assert "Campinas · 2026" in page
        assert "Voting" in page
        assert "Voting method: Approval" in page
        assert "R$550,000.00 at stake" in page
        assert page.count("Vote now") == 1

    def test_it_filters_by_city_phase_and_year(self, city_a, city_b, client):
        voting_edition(city_a, title="A in voting", year=2026)
        EditionFactory(city=city_b, title="B in proposals", phase=Phase.PROPOSALS, year=2025)
        by_city = text(client.get("/budgets/?city=santos"))
        assert "B in proposals" in by_city
        assert "A in voting" not in by_city
        by_phase = text(client.get("/budgets/?phase=voting"))
        assert "A in voting" in by_phase
        assert "B in proposals" not in by_phase
        by_year = text(client.get("/budgets/?year=2025"))
        assert "B in proposals" in by_year
        assert "A in voting" not in by_year

    def test_the_list_costs_the_same_queries_for_many_editions(self, city_a, client):
        EditionFactory(city=city_a, phase=Phase.INFORMATION)

        def add(n):
            for _ in range(n):
                EditionFactory(city=CityFactory(), phase=Phase.VOTING)

        # savepoint, cities for the filter, count, editions with their city, release
        assert_constant_queries(lambda: client.get("/budgets/"), add, expected=5)


# --- an edition's page ----------------------------------------------------------------------


class TestEditionPage:
    @pytest.mark.parametrize(
        ("role", "status"),
        [("anonymous", 404), ("citizen", 404), ("staff_b", 404), ("staff_a", 200)],
    )
    def test_a_draft_is_seen_by_its_city_staff_only(self, role, status, cast, client_as):
        edition = EditionFactory(city=cast["city_a"], phase=Phase.DRAFT)
        response = client_as(cast[role]).get(edition.get_absolute_url())
        assert response.status_code == status

    def test_it_shows_amount_phases_in_the_city_time_and_the_current_one(self, city_a, client):
        edition = EditionFactory(city=city_a, total_amount=Decimal("1200000"))
        edition_schedule_set(
            edition=edition,
            dates={
                Phase.INFORMATION: datetime.datetime(2026, 3, 1, 12, 0, tzinfo=datetime.UTC),
                Phase.PROPOSALS: datetime.datetime(2026, 4, 1, 12, 0, tzinfo=datetime.UTC),
            },
            actor=None,
        )
        set_phase(edition, Phase.PROPOSALS)
        response = client.get(edition.get_absolute_url())
        page = text(response)
        assert "R$1,200,000.00" in page
        # 12:00 UTC is 09:00 in São Paulo
        assert "April 1, 2026, 9 a.m." in page
        assert "America/Sao_Paulo" in page
        current = re.search(r'<li class="timeline-current" aria-current="step">(.*?)</li>',
                            response.content.decode(), re.S)  # fmt: skip
        assert current
        assert "Proposals" in current.group(1)
        assert "Propose a project" in page
        assert "Vote now" not in page

    @pytest.mark.parametrize(
        ("method", "fields", "sentence"),
        [
            (VotingMethod.APPROVAL, {"max_choices": 3}, "Choose up to 3 projects."),
            (
                VotingMethod.KNAPSACK,
                {"total_amount": Decimal("550000")},
                "Pick projects whose total cost fits within TND550,000.000.",
            ),
            (VotingMethod.CUMULATIVE, {"points": 10}, "Spread 10 points over the projects"),
            (VotingMethod.HEADINGS, {"max_choices": 1}, "Choose the heading to open."),
        ],
    )
    def test_the_voting_method_is_explained_in_words(self, method, fields, sentence, client):
        city = CityFactory(name="La Marsa", currency="TND", time_zone="Africa/Tunis")
        edition = voting_edition(city, method=method, **fields)
        assert sentence in text(client.get(edition.get_absolute_url()))

    def test_projects_are_grouped_by_review_with_the_public_explanation(self, city_a, client):
        edition = EditionFactory(city=city_a, phase=Phase.REVIEW)
        zone = ZoneFactory(city=city_a, name="Barão Geraldo")
        heading = HeadingFactory(edition=edition, name="Green spaces", zone=zone)
        ProjectFactory(edition=edition, title="A park", heading=heading, zone=zone)
        ProjectFactory(edition=edition, title="A bridge", status=ProjectStatus.SUBMITTED)
        ProjectFactory(
            edition=edition,
            title="A stadium",
            status=ProjectStatus.UNFEASIBLE,
            review_explanation="It costs more than the whole budget.",
        )
        page = text(client.get(edition.get_absolute_url()))
        assert "Green spaces" in page
        assert "Barão Geraldo" in page
        assert re.search(r"1 project on the ballot A park .*Barão Geraldo", page)
        assert re.search(r"1 project under review A bridge", page)
        assert re.search(r"1 project not feasible A stadium .*It costs more than", page)

    def test_during_voting_it_offers_to_vote_replace_and_see_the_log_with_its_head(
        self, city_a, client
    ):
        edition = voting_edition(city_a)
        [code] = codes_for(edition)
        ballot_cast(edition=edition, code=code, choices=ids(edition)[:1])
        edition.refresh_from_db()
        page = text(client.get(edition.get_absolute_url()))
        assert "Vote now" in page
        assert "Replace my ballot" in page
        assert "The public ballot log has 1 entry." in page
        assert edition.log_head in page

    def test_the_page_costs_the_same_queries_for_many_projects(self, city_a, client):
        edition = voting_edition(city_a, projects=1)
        HeadingFactory(edition=edition)

        def add(n):
            for _ in range(n):
                heading = HeadingFactory(edition=edition, zone=ZoneFactory(city=city_a))
                ProjectFactory(edition=edition, heading=heading, zone=heading.zone)

        # savepoint, edition with its city, schedule, headings, projects, published count,
        # release
        assert_constant_queries(lambda: client.get(edition.get_absolute_url()), add, expected=7)


# --- a project ------------------------------------------------------------------------------


class TestProjectPage:
    def test_it_says_who_proposed_without_naming_them(self, city_a, citizen, client):
        edition = EditionFactory(city=city_a, phase=Phase.REVIEW)
        mine = ProjectFactory(
            edition=edition, proposed_by=citizen, status=ProjectStatus.SUBMITTED, cost=1500
        )
        theirs = ProjectFactory(edition=edition)
        page = text(client.get(mine.get_absolute_url()))
        assert "Proposed by a resident" in page
        assert citizen.email not in page
        assert "awaiting review" in page
        assert "R$1,500.00" in page
        assert "Proposed by the city" in text(client.get(theirs.get_absolute_url()))

    def test_a_not_feasible_project_shows_why(self, city_a, client):
        edition = EditionFactory(city=city_a, phase=Phase.REVIEW)
        project = ProjectFactory(
            edition=edition, status=ProjectStatus.UNFEASIBLE, review_explanation="Private land."
        )
        page = text(client.get(project.get_absolute_url()))
        assert "Not feasible" in page
        assert "Private land." in page

    def test_a_project_of_a_draft_or_of_another_edition_is_not_found(self, city_a, client):
        draft = EditionFactory(city=city_a, phase=Phase.DRAFT)
        hidden = ProjectFactory(edition=draft)
        assert client.get(hidden.get_absolute_url()).status_code == 404
        other = EditionFactory(city=city_a, phase=Phase.REVIEW)
        project = ProjectFactory(edition=other)
        wrong = reverse("budgeting:project_detail", kwargs={"edition": draft.pk, "pk": project.pk})
        assert client.get(wrong).status_code == 404


# --- proposing ------------------------------------------------------------------------------


class TestProposing:
    def test_a_resident_proposes_during_the_proposal_phase(self, city_a, citizen, client_as):
        edition = EditionFactory(city=city_a, phase=Phase.PROPOSALS)
        heading = HeadingFactory(edition=edition, name="Sidewalks")
        client = client_as(citizen)
        form = client.get(url("project_propose", edition))
        assert form.status_code == 200
        assert "Sidewalks" in text(form)
        response = client.post(
            url("project_propose", edition),
            {
                "title": "Ramps at every crossing",
                "description": "For wheelchairs and prams.",
                "heading": heading.pk,
                "zone": "",
                "cost": "42000",
            },
            follow=True,
        )
        project = Project.objects.get(title="Ramps at every crossing")
        assert project.proposed_by == citizen
        assert project.status == ProjectStatus.SUBMITTED
        assert response.redirect_chain[-1][0] == project.get_absolute_url()
        assert "awaiting review" in text(response)

    def test_a_negative_cost_is_refused_on_the_field(self, city_a, citizen, client_as):
        edition = EditionFactory(city=city_a, phase=Phase.PROPOSALS)
        response = client_as(citizen).post(
            url("project_propose", edition),
            {"title": "Less", "description": "x", "cost": "-5"},
        )
        assert response.status_code == 400
        assert "greater than or equal to 0" in text(response)
        assert not Project.objects.exists()

    def test_the_anonymous_visitor_is_asked_to_log_in(self, city_a, client):
        edition = EditionFactory(city=city_a, phase=Phase.PROPOSALS)
        response = client.get(url("project_propose", edition))
        assert response.status_code == 302
        assert reverse("accounts:login") in response["Location"]

    @pytest.mark.parametrize(
        ("phase", "message"),
        [
            (Phase.INFORMATION, "does not take proposals yet"),
            (Phase.VOTING, "The time for proposals is over"),
        ],
    )
    def test_outside_the_phase_it_explains_instead_of_taking_a_proposal(
        self, phase, message, city_a, citizen, client_as
    ):
        edition = EditionFactory(city=city_a, phase=Phase.DRAFT)
        edition_schedule_set(
            edition=edition,
            dates={Phase.PROPOSALS: datetime.datetime(2026, 5, 4, 15, tzinfo=datetime.UTC)},
            actor=None,
        )
        set_phase(edition, phase)
        client = client_as(citizen)
        response = client.get(url("project_propose", edition))
        assert response.status_code == 403
        assert message in text(response)
        if phase == Phase.INFORMATION:
            assert "Proposals open on May 4, 2026, noon." in text(response)
        post = client.post(url("project_propose", edition), {"title": "x", "cost": "1"})
        assert post.status_code == 403
        assert not Project.objects.exists()


# --- voting ---------------------------------------------------------------------------------


def start(client, edition, code):
    """Enter a code: the ballot page, carrying the code in a hidden input."""
    return client.post(url("ballot", edition), {"code": code})


def cast_ballot(client, edition, code, **choices):
    data = {"code": code, "step": "cast"}
    if "points" in choices:
        data.update({f"points-{k}": v for k, v in choices["points"].items()})
    else:
        data["choices"] = choices.get("choices", [])
    return client.post(url("ballot", edition), data)


def receipt_in(response) -> str:
    match = re.search(r'id="receipt-code">([A-Z0-9-]+)<', response.content.decode())
    assert match, "no receipt on the page"
    return match.group(1)


class TestVoting:
    def test_voting_closed_explains_when_it_opens(self, city_a, client):
        edition = EditionFactory(city=city_a, phase=Phase.DRAFT)
        edition_schedule_set(
            edition=edition,
            dates={Phase.VOTING: datetime.datetime(2026, 9, 1, 11, tzinfo=datetime.UTC)},
            actor=None,
        )
        set_phase(edition, Phase.REVIEW)
        response = client.get(url("vote", edition))
        assert response.status_code == 403
        assert "Voting has not opened yet" in text(response)
        assert "Voting opens on Sept. 1, 2026, 8 a.m." in text(response)
        assert start(client, edition, "anything").status_code == 403

    def test_after_voting_it_says_voting_closed(self, city_a, client):
        edition = voting_edition(city_a)
        [code] = codes_for(edition)
        set_phase(edition, Phase.COUNTING)
        response = client.get(url("vote", edition))
        assert response.status_code == 403
        assert "Voting has closed" in text(response)
        assert cast_ballot(client, edition, code, choices=ids(edition)[:1]).status_code == 403
        assert not Ballot.objects.exists()

    def test_a_draft_edition_has_no_vote_page(self, city_a, client):
        edition = EditionFactory(city=city_a, phase=Phase.DRAFT)
        assert client.get(url("vote", edition)).status_code == 404

    def test_the_code_page_asks_for_a_code_in_a_big_plain_box(self, city_a, client):
        edition = voting_edition(city_a, max_choices=2)
        response = client.get(url("vote", edition))
        html = response.content.decode()
        assert response.status_code == 200
        assert 'autocomplete="off"' in html
        assert 'inputmode="text"' in html
        assert f'action="{url("ballot", edition)}"' in html
        assert "Choose up to 2 projects." in text(response)

    def test_a_voter_enters_a_code_ticks_projects_and_gets_a_receipt(self, city_a, client):
        edition = voting_edition(city_a, max_choices=2)
        [code] = codes_for(edition)
        ballot_page = start(client, edition, code.lower().replace("-", " "))
        assert ballot_page.status_code == 200
        assert "no-store" in ballot_page["Cache-Control"]
        assert hidden_value(ballot_page, "code") == code.lower().replace("-", " ")
        assert all(f'value="{pk}"' in ballot_page.content.decode() for pk in ids(edition))
        assert "0 of 2 chosen" in text(ballot_page)

        response = cast_ballot(client, edition, code, choices=ids(edition)[:2])
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"]
        receipt = receipt_in(response)
        assert "Save or write down this code" in text(response)
        assert code not in response.content.decode()
        ballot = Ballot.objects.get(edition=edition)
        assert ballot.fingerprint == receipt_fingerprint(receipt)
        assert ballot.choices == dict.fromkeys(ids(edition)[:2], 1)
        assert url("ballot_log", edition) in response.content.decode()
        assert url("replace", edition) in response.content.decode()

    def test_a_wrong_code_is_refused_before_the_ballot(self, city_a, client):
        edition = voting_edition(city_a)
        response = start(client, edition, "ABCD-EFGH-JKMN-PQRS")
        assert response.status_code == 400
        assert "This voting code is not valid for this edition" in text(response)
        assert 'name="choices"' not in response.content.decode()
        malformed = start(client, edition, "12")
        assert "A voting code has 16 letters and digits" in text(malformed)

    def test_an_empty_code_is_asked_for_without_counting_as_a_wrong_guess(
        self, city_a, client, settings
    ):
        settings.VOTING_GUESS_LIMIT = 1
        edition = voting_edition(city_a)
        [code] = codes_for(edition)
        for _ in range(3):
            response = start(client, edition, "  ")
            assert response.status_code == 400
            assert "Enter the voting code you received." in text(response)
        assert start(client, edition, code).status_code == 200

    def test_a_used_code_is_refused_with_its_own_message(self, city_a, client):
        edition = voting_edition(city_a)
        [code] = codes_for(edition)
        cast_ballot(client, edition, code, choices=ids(edition)[:1])
        response = start(client, edition, code)
        assert response.status_code == 400
        assert "This code has already been used to vote in this edition." in text(response)
        again = cast_ballot(client, edition, code, choices=ids(edition)[1:2])
        assert "already been used" in text(again)
        assert Ballot.objects.count() == 1

    def test_the_code_never_appears_in_a_url_a_get_starts_again(self, city_a, client):
        edition = voting_edition(city_a)
        response = client.get(url("ballot", edition))
        assert response.status_code == 302
        assert response["Location"] == url("vote", edition)

    def test_an_over_budget_knapsack_is_refused_and_the_choices_stay_ticked(self, city_a, client):
        edition = voting_edition(
            city_a, method=VotingMethod.KNAPSACK, total_amount=Decimal("50000")
        )
        [code] = codes_for(edition)
        chosen = ids(edition)  # 3 × 20,000 > 50,000
        response = cast_ballot(client, edition, code, choices=chosen)
        assert response.status_code == 400
        assert "more than the budget of 50,000.00 BRL" in text(response)
        html = response.content.decode()
        for pk in chosen:
            assert re.search(rf'value="{pk}" id="option-{pk}" checked', html)
        assert "Budget left: -R$10,000.00 of R$50,000.00" in text(response)
        assert not Ballot.objects.exists()
        assert not Participation.objects.exists()
        fixed = cast_ballot(client, edition, code, choices=chosen[:2])
        assert fixed.status_code == 200
        assert receipt_in(fixed)

    def test_cumulative_voting_refuses_too_many_points_and_keeps_them(self, city_a, client):
        edition = voting_edition(city_a, method=VotingMethod.CUMULATIVE, points=10)
        [code] = codes_for(edition)
        a, b, _c = ids(edition)
        response = cast_ballot(client, edition, code, points={a: 7, b: 5})
        assert response.status_code == 400
        assert "You gave 12 points; you have 10." in text(response)
        assert f'name="points-{a}" id="option-{a}" value="7"' in response.content.decode()
        assert "Points left: -2 of 10" in text(response)
        ok = cast_ballot(client, edition, code, points={a: 7, b: 3})
        assert ok.status_code == 200
        assert Ballot.objects.get().choices == {a: 7, b: 3}

    def test_a_heading_choice_ballot_offers_the_headings(self, city_a, client):
        edition = voting_edition(city_a, method=VotingMethod.HEADINGS, max_choices=1)
        [code] = codes_for(edition)
        heading = edition.headings.order_by("pk").first()
        page = start(client, edition, code)
        assert heading.name in text(page)
        assert "Choose the heading to open." in text(page)
        response = cast_ballot(client, edition, code, choices=[str(heading.pk)])
        assert response.status_code == 200
        assert Ballot.objects.get().choices == {str(heading.pk): 1}

    def test_a_by_zone_ballot_shows_only_the_city_wide_and_the_voters_zone(self, city_a, client):
        edition = voting_edition(city_a, by_zone=True, projects=1)
        north, south = ZoneFactory(city=city_a), ZoneFactory(city=city_a)
        Project.objects.create(
            edition=edition, title="North square", cost=5, status="feasible", zone=north
        )
        Project.objects.create(
            edition=edition, title="South square", cost=5, status="feasible", zone=south
        )
        [code] = codes_for(edition, zone=north)
        page = text(start(client, edition, code))
        assert "North square" in page
        assert "South square" not in page

    def test_a_verified_resident_votes_with_their_account(self, city_a, citizen, client_as):
        edition = voting_edition(city_a, account_voting=True)
        client = client_as(citizen)
        assert "Vote with your verified account" in text(client.get(url("vote", edition)))
        refused = client.post(url("ballot", edition), {"account": "1"})
        assert refused.status_code == 400
        assert "not verified as a resident of Campinas" in text(refused)
        resident_verify(city=city_a, user=citizen, zone=None, actor=None)
        page = client.post(url("ballot", edition), {"account": "1"})
        assert page.status_code == 200
        assert hidden_value(page, "account") == "1"
        done = client.post(
            url("ballot", edition), {"account": "1", "step": "cast", "choices": ids(edition)[:1]}
        )
        assert receipt_in(done)
        again = client.post(url("ballot", edition), {"account": "1"})
        assert "Your account has already been used to vote" in text(again)

    @pytest.mark.parametrize("limit", [3])
    def test_too_many_wrong_codes_answer_429_with_retry_after(
        self, limit, city_a, client, settings
    ):
        settings.VOTING_GUESS_LIMIT = limit
        settings.VOTING_LOCKOUT_SECONDS = 600
        edition = voting_edition(city_a)
        [code] = codes_for(edition)
        for _ in range(limit):
            assert start(client, edition, "ABCD-EFGH-JKMN-PQRS").status_code == 400
        response = start(client, edition, "ABCD-EFGH-JKMN-PQRS")
        assert response.status_code == 429
        assert response["Retry-After"] == "600"
        assert "Too many wrong codes" in text(response)
        assert "about 10 minutes" in text(response)
        assert start(client, edition, code).status_code == 429  # even a right one, for now


class TestLiveSummary:
    def check(self, client, edition, code, **choices):
        data = {"code": code}
        if "points" in choices:
            data.update({f"points-{k}": v for k, v in choices["points"].items()})
        else:
            data["choices"] = choices.get("choices", [])
        return client.post(url("ballot_check", edition), data, headers={"HX-Request": "true"})

    def test_it_shows_the_budget_left_and_warns_past_it(self, city_a, client):
        edition = voting_edition(
            city_a, method=VotingMethod.KNAPSACK, total_amount=Decimal("50000")
        )
        [code] = codes_for(edition)
        one = self.check(client, edition, code, choices=ids(edition)[:1])
        assert one.status_code == 200
        assert "Budget left: R$30,000.00 of R$50,000.00" in text(one)
        assert "more than the budget" not in text(one)
        three = self.check(client, edition, code, choices=ids(edition))
        assert "Budget left: -R$10,000.00 of R$50,000.00" in text(three)
        assert "more than the budget of 50,000.00 BRL" in text(three)
        assert not Participation.objects.exists()  # checking uses nothing up

    def test_it_counts_choices_and_points(self, city_a, client):
        approval = voting_edition(city_a, max_choices=3)
        [code] = codes_for(approval)
        assert "2 of 3 chosen" in text(
            self.check(client, approval, code, choices=ids(approval)[:2])
        )
        cumulative = voting_edition(city_a, method=VotingMethod.CUMULATIVE, points=10)
        [code] = codes_for(cumulative)
        a, b, _c = ids(cumulative)
        assert "Points left: 4 of 10" in text(
            self.check(client, cumulative, code, points={a: 5, b: 1})
        )

    def test_a_wrong_code_gets_nothing_to_show(self, city_a, client):
        edition = voting_edition(city_a)
        response = self.check(client, edition, "ABCD-EFGH-JKMN-PQRS", choices=ids(edition)[:1])
        assert response.status_code == 204


# --- replacing a ballot ---------------------------------------------------------------------


class TestReplacing:
    def test_a_voter_replaces_their_ballot_with_the_receipt(self, city_a, client):
        edition = voting_edition(city_a, max_choices=2)
        [code] = codes_for(edition)
        a, b, c = ids(edition)
        old = ballot_cast(edition=edition, code=code, choices=[a, b])
        form = client.get(url("replace", edition))
        assert form.status_code == 200
        assert 'name="receipt"' in form.content.decode()

        prefilled = client.post(url("replace", edition), {"receipt": old.lower()})
        assert prefilled.status_code == 200
        assert "no-store" in prefilled["Cache-Control"]
        html = prefilled.content.decode()
        assert re.search(rf'value="{a}" id="option-{a}" checked', html)
        assert re.search(rf'value="{b}" id="option-{b}" checked', html)
        assert not re.search(rf'value="{c}" id="option-{c}" checked', html)
        assert hidden_value(prefilled, "receipt") == old.lower()

        summary = client.post(url("ballot_check", edition), {"receipt": old, "choices": [c]})
        assert "1 of 2 chosen" in text(summary)

        done = client.post(
            url("replace", edition), {"receipt": old, "step": "cast", "choices": [c]}
        )
        assert done.status_code == 200
        new = receipt_in(done)
        assert new != old
        assert "Your old receipt no longer counts" in text(done)
        current = Ballot.objects.get(edition=edition, superseded=False)
        assert current.fingerprint == receipt_fingerprint(new)
        assert current.choices == {c: 1}

    def test_a_wrong_receipt_is_refused(self, city_a, client):
        edition = voting_edition(city_a)
        response = client.post(url("replace", edition), {"receipt": "ABCD-EFGH-JKMN-PQRS-TUVW"})
        assert response.status_code == 400
        assert "No current ballot has this receipt" in text(response)

    def test_an_invalid_replacement_keeps_the_new_choices(self, city_a, client):
        edition = voting_edition(city_a, max_choices=1)
        [code] = codes_for(edition)
        a, b, c = ids(edition)
        old = ballot_cast(edition=edition, code=code, choices=[a])
        response = client.post(
            url("replace", edition), {"receipt": old, "step": "cast", "choices": [b, c]}
        )
        assert response.status_code == 400
        assert "Choose at most 1" in text(response)
        assert re.search(rf'value="{c}" id="option-{c}" checked', response.content.decode())
        assert Ballot.objects.get(superseded=False).fingerprint == receipt_fingerprint(old)


# --- the ballot log -------------------------------------------------------------------------


def voted(edition, count=1):
    receipts = []
    for code in codes_for(edition, count):
        receipts.append(ballot_cast(edition=edition, code=code, choices=ids(edition)[:1]))
    edition.refresh_from_db()
    return receipts


class TestBallotLog:
    def test_it_lists_the_entries_with_the_head_and_length(self, city_a, client):
        edition = voting_edition(city_a)
        [receipt] = voted(edition)
        response = client.get(url("ballot_log", edition))
        page = text(response)
        fingerprint = receipt_fingerprint(receipt)
        entry = BallotLogEntry.objects.get(edition=edition)
        assert f'title="{fingerprint}">{fingerprint[:12]}…' in response.content.decode()
        assert f'title="{entry.entry_hash}">{entry.entry_hash[:12]}…' in response.content.decode()
        assert edition.log_head in page
        assert "Entries 1" in page
        assert "Ballot cast" in page

    def test_looking_up_a_receipt_finds_it_and_says_whether_it_counts(self, city_a, client):
        edition = voting_edition(city_a)
        first, second = voted(edition, 2)
        found = client.post(url("ballot_log", edition), {"receipt": second.lower()})
        assert "Found at entry 2. This is a current ballot: it counts." in text(found)
        assert 'id="entry-2" class="log-found" aria-current="true"' in found.content.decode()
        assert "?page=1#entry-2" in found.content.decode()

        ballot_replace(edition=edition, receipt=first, choices=ids(edition)[1:2])
        replaced = client.post(url("ballot_log", edition), {"receipt": first})
        assert "Found at entry 1. This ballot was replaced (entry 3)" in text(replaced)

    def test_a_receipt_on_a_later_page_opens_that_page(self, city_a, client, monkeypatch):
        from budgeting.views.public import log

        monkeypatch.setattr(log, "LOG_PAGE_SIZE", 2)
        edition = voting_edition(city_a)
        receipts = voted(edition, 3)
        found = client.post(url("ballot_log", edition), {"receipt": receipts[2]})
        assert "Page 2 of 2" in text(found)
        assert 'id="entry-3" class="log-found"' in found.content.decode()

    def test_an_unknown_or_malformed_receipt_says_so(self, city_a, client):
        edition = voting_edition(city_a)
        voted(edition)
        missing = client.post(url("ballot_log", edition), {"receipt": "ABCD-EFGH-JKMN-PQRS-TUVW"})
        assert "No entry of the log has this receipt" in text(missing)
        malformed = client.post(url("ballot_log", edition), {"receipt": "hello"})
        assert malformed.status_code == 400
        assert "A receipt has 20 letters and digits" in text(malformed)

    def test_the_log_costs_the_same_queries_for_many_entries(self, city_a, client):
        edition = voting_edition(city_a)
        voted(edition)
        # savepoint, edition with its city, count, page of entries, published count, release
        assert_constant_queries(
            lambda: client.get(url("ballot_log", edition)),
            lambda n: voted(edition, n),
            expected=6,
        )

    def test_the_log_of_a_draft_is_not_found(self, city_a, client):
        edition = EditionFactory(city=city_a, phase=Phase.DRAFT)
        assert client.get(url("ballot_log", edition)).status_code == 404
        assert client.get(url("ballot_log_json", edition)).status_code == 404


def publish_results(edition):
    """Count the edition's ballots and publish the results (the staff's two steps)."""
    count = count_request(edition=edition, actor=None)
    count_run(count_id=count.pk)
    count_publish(count=count, actor=None)


class TestDownloads:
    def test_the_anonymised_ballots_wait_for_the_results(self, city_a, client):
        edition = voting_edition(city_a)
        voted(edition)
        response = client.get(url("ballots_json", edition))
        assert response.status_code == 404
        assert "published once the results are out" in text(response)
        log_page = text(client.get(url("ballot_log", edition)))
        assert "published once the results are out" in log_page
        assert "Download the anonymised ballots" not in log_page

        set_phase(edition, Phase.RESULTS)  # the phase alone publishes nothing: a count does
        assert client.get(url("ballots_json", edition)).status_code == 404

        publish_results(set_phase(edition, Phase.COUNTING))
        published = client.get(url("ballots_json", edition))
        assert published.status_code == 200
        assert published["Content-Disposition"] == 'attachment; filename="ballots.json"'
        assert len(json.loads(published.content)["ballots"]) == 1
        assert "Download the anonymised ballots" in text(client.get(url("ballot_log", edition)))

    def test_the_log_downloads_as_json_during_voting(self, city_a, client):
        edition = voting_edition(city_a)
        voted(edition, 2)
        response = client.get(url("ballot_log_json", edition))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/json"
        assert response["Content-Disposition"] == 'attachment; filename="ballot-log.json"'
        data = json.loads(response.content)
        assert data["length"] == 2
        assert data["head"] == edition.log_head
        assert [entry["seq"] for entry in data["entries"]] == [1, 2]

    def test_the_checker_is_served_and_passes_on_the_downloaded_files(
        self, city_a, client, tmp_path
    ):
        edition = voting_edition(city_a, max_choices=2)
        first, _second = voted(edition, 2)
        ballot_replace(edition=edition, receipt=first, choices=ids(edition)[1:3])
        publish_results(set_phase(edition, Phase.COUNTING))

        script = client.get(reverse("budgeting:verify_script"))
        assert script.status_code == 200
        assert script["Content-Type"] == "text/x-python"
        assert script["Content-Disposition"] == 'attachment; filename="verify.py"'
        (tmp_path / "verify.py").write_bytes(b"".join(script.streaming_content))
        log = client.get(url("ballot_log_json", edition)).content
        (tmp_path / "ballot-log.json").write_bytes(log)
        (tmp_path / "ballots.json").write_bytes(client.get(url("ballots_json", edition)).content)

        run = subprocess.run(
            [sys.executable, "verify.py", "ballot-log.json", "ballots.json"],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            check=False,
        )
        assert run.returncode == 0, run.stdout + run.stderr
        assert "OK: 3 log entries form an intact chain and 2 ballots match it." in run.stdout

        tampered = json.loads(log)
        tampered["entries"][0]["kind"] = "replace"
        (tmp_path / "ballot-log.json").write_text(json.dumps(tampered))
        broken = subprocess.run(
            [sys.executable, "verify.py", "ballot-log.json", "ballots.json"],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            check=False,
        )
        assert broken.returncode == 1


# --- the city page and the navigation -------------------------------------------------------


def test_the_city_page_lists_its_public_editions(city_a, client):
    voting_edition(city_a, title="Campinas decides 2026")
    EditionFactory(city=city_a, title="Secret draft", phase=Phase.DRAFT)
    page = text(client.get("/cities/campinas/"))
    assert "Campinas decides 2026" in page
    assert "Secret draft" not in page
    assert "Vote now" in page


def test_the_main_navigation_links_to_the_participatory_budgets(client):
    assert 'href="/budgets/"' in client.get("/").content.decode()

"""Casting ballots through the services every channel shares: rules, eligibility, receipts."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from budgeting.choices import Channel, Phase, ProjectStatus, VotingMethod
from budgeting.codes import receipt_fingerprint
from budgeting.models import Ballot, BallotLogEntry, BudgetEdition, Participation, VotingCode
from budgeting.selectors import ballots_verify, participation_figures
from budgeting.services import (
    AlreadyVoted,
    ballot_cast,
    ballot_replace,
    edition_advance,
    edition_create,
    edition_update,
    heading_create,
    paper_ballot_enter,
    paper_ballots_import,
    project_create,
    project_propose,
    project_review,
    project_update,
    resident_verify,
    voting_codes_generate,
)
from tests.budgeting.factories import (
    EditionFactory,
    ProjectFactory,
    codes_for,
    voting_edition,
)
from tests.cities.factories import ZoneFactory

pytestmark = pytest.mark.django_db


def ids(edition):
    return list(edition.projects.order_by("pk").values_list("pk", flat=True))


def messages(exc_info, field):
    return " ".join(exc_info.value.message_dict[field])


class TestCasting:
    def test_a_valid_code_casts_one_ballot_and_returns_a_receipt(self, city_a):
        edition = voting_edition(city_a, max_choices=2)
        [code] = codes_for(edition)
        receipt = ballot_cast(edition=edition, code=code, choices=ids(edition)[:2])
        assert len(receipt.replace("-", "")) == 20
        ballot = Ballot.objects.get(edition=edition)
        assert ballot.fingerprint == receipt_fingerprint(receipt)
        assert ballot.choices == {str(pk): 1 for pk in ids(edition)[:2]}
        assert Participation.objects.filter(edition=edition).count() == 1
        assert BallotLogEntry.objects.get(edition=edition).seq == 1

    def test_codes_are_accepted_in_lower_case_and_with_spaces(self, city_a):
        edition = voting_edition(city_a)
        [code] = codes_for(edition)
        typed = code.lower().replace("-", " ")
        assert ballot_cast(edition=edition, code=typed, choices=ids(edition)[:1])

    def test_it_rejects_a_second_ballot_with_the_same_code(self, city_a):
        edition = voting_edition(city_a)
        [code] = codes_for(edition)
        ballot_cast(edition=edition, code=code, choices=ids(edition)[:1])
        with pytest.raises(AlreadyVoted) as exc:
            ballot_cast(edition=edition, code=code, choices=ids(edition)[1:2])
        assert "already been used" in messages(exc, "code")
        assert Ballot.objects.filter(edition=edition).count() == 1

    def test_a_code_of_another_edition_is_not_valid(self, city_a):
        edition, other = voting_edition(city_a), voting_edition(city_a)
        [code] = codes_for(other)
        with pytest.raises(ValidationError) as exc:
            ballot_cast(edition=edition, code=code, choices=ids(edition)[:1])
        assert "not valid for this edition" in messages(exc, "code")

    def test_a_malformed_code_says_what_a_code_looks_like(self, city_a):
        edition = voting_edition(city_a)
        with pytest.raises(ValidationError) as exc:
            ballot_cast(edition=edition, code="hello", choices=ids(edition)[:1])
        assert "16 letters and digits" in messages(exc, "code")

    def test_voting_must_be_open(self, city_a):
        edition = voting_edition(city_a)
        [code] = codes_for(edition)
        BudgetEdition.objects.filter(pk=edition.pk).update(phase=Phase.COUNTING)
        edition.refresh_from_db()
        with pytest.raises(PermissionDenied):
            ballot_cast(edition=edition, code=code, choices=ids(edition)[:1])
        assert not Participation.objects.exists()

    def test_the_codes_are_stored_only_as_hashes(self, city_a):
        edition = voting_edition(city_a)
        codes = voting_codes_generate(edition=edition, count=5)
        stored = set(VotingCode.objects.values_list("code_hash", flat=True))
        assert len(stored) == 5
        for code in codes:
            raw = code.replace("-", "")
            assert len(raw) >= 16
            assert not any(raw in digest.upper() for digest in stored)
            assert not set(raw) & set("01OIL")


class TestMethodRules:
    def test_approval_refuses_more_than_the_maximum(self, city_a):
        edition = voting_edition(city_a, max_choices=2, projects=3)
        [code] = codes_for(edition)
        with pytest.raises(ValidationError) as exc:
            ballot_cast(edition=edition, code=code, choices=ids(edition))
        assert "at most 2" in messages(exc, "choices")
        # The refused ballot did not use up the code.
        assert ballot_cast(edition=edition, code=code, choices=ids(edition)[:2])

    def test_an_empty_ballot_is_refused(self, city_a):
        edition = voting_edition(city_a)
        [code] = codes_for(edition)
        with pytest.raises(ValidationError) as exc:
            ballot_cast(edition=edition, code=code, choices=[])
        assert "at least one project" in messages(exc, "choices")

    def test_a_project_of_another_edition_is_refused(self, city_a):
        edition, other = voting_edition(city_a), voting_edition(city_a)
        [code] = codes_for(edition)
        with pytest.raises(ValidationError) as exc:
            ballot_cast(edition=edition, code=code, choices=ids(other)[:1])
        assert "is not on this ballot" in messages(exc, "choices")

    def test_a_project_not_on_the_ballot_is_refused(self, city_a):
        edition = voting_edition(city_a)
        rejected = ProjectFactory(edition=edition, status=ProjectStatus.SUBMITTED)
        [code] = codes_for(edition)
        with pytest.raises(ValidationError):
            ballot_cast(edition=edition, code=code, choices=[rejected.pk])

    def test_the_same_project_twice_is_refused(self, city_a):
        edition = voting_edition(city_a)
        [code] = codes_for(edition)
        first = ids(edition)[0]
        with pytest.raises(ValidationError) as exc:
            ballot_cast(edition=edition, code=code, choices=[first, str(first)])
        assert "chosen twice" in messages(exc, "choices")

    def test_knapsack_refuses_projects_over_the_budget(self, city_a):
        edition = voting_edition(
            city_a, method=VotingMethod.KNAPSACK, total_amount=Decimal("50000"), projects=3
        )  # three projects of 20,000
        [code] = codes_for(edition)
        with pytest.raises(ValidationError) as exc:
            ballot_cast(edition=edition, code=code, choices=ids(edition))
        assert "cost 60,000.00 BRL, more than the budget of 50,000.00 BRL" in messages(
            exc, "choices"
        )
        assert ballot_cast(edition=edition, code=code, choices=ids(edition)[:2])

    def test_cumulative_points_must_not_exceed_the_allowance(self, city_a):
        edition = voting_edition(city_a, method=VotingMethod.CUMULATIVE, points=10)
        [code] = codes_for(edition)
        first, second, _third = ids(edition)
        with pytest.raises(ValidationError) as exc:
            ballot_cast(edition=edition, code=code, points={first: 6, second: 5})
        assert "You gave 11 points; you have 10." in messages(exc, "points")
        with pytest.raises(ValidationError) as exc:
            ballot_cast(edition=edition, code=code, points={first: 0})
        assert "whole numbers above zero" in messages(exc, "points")
        ballot_cast(edition=edition, code=code, points={str(first): 6, second: 4})
        assert Ballot.objects.get().choices == {str(first): 6, str(second): 4}

    def test_heading_choice_votes_on_headings(self, city_a):
        edition = voting_edition(city_a, method=VotingMethod.HEADINGS, max_choices=1, projects=6)
        headings = list(edition.headings.values_list("pk", flat=True))
        [code, other] = codes_for(edition, 2)
        ballot_cast(edition=edition, code=code, choices=[headings[0]])
        with pytest.raises(ValidationError) as exc:
            ballot_cast(edition=edition, code=other, choices=headings[:2])
        assert "at most 1" in messages(exc, "choices")

    def test_a_zone_code_only_reaches_city_wide_projects_and_its_zone(self, city_a):
        north, south = ZoneFactory(city=city_a), ZoneFactory(city=city_a)
        edition = voting_edition(city_a, by_zone=True, projects=1)
        BudgetEdition.objects.filter(pk=edition.pk).update(phase=Phase.DRAFT)
        edition.refresh_from_db()
        in_north = ProjectFactory(edition=edition, zone=north)
        in_south = ProjectFactory(edition=edition, zone=south)
        BudgetEdition.objects.filter(pk=edition.pk).update(phase=Phase.VOTING)
        edition.refresh_from_db()
        [code] = codes_for(edition, zone=north)
        with pytest.raises(ValidationError) as exc:
            ballot_cast(edition=edition, code=code, choices=[in_south.pk])
        assert "in another zone" in messages(exc, "choices")
        city_wide = edition.projects.get(zone=None)
        ballot_cast(edition=edition, code=code, choices=[city_wide.pk, in_north.pk])
        assert Ballot.objects.get().zone == north
        assert participation_figures(edition=edition)["by_zone"] == [(north.name, 1)]


class TestAccounts:
    def test_a_verified_resident_votes_once_with_their_account(self, city_a, citizen):
        edition = voting_edition(city_a, account_voting=True)
        resident_verify(city=city_a, user=citizen, actor=None)
        ballot_cast(edition=edition, user=citizen, choices=ids(edition)[:1])
        with pytest.raises(AlreadyVoted):
            ballot_cast(edition=edition, user=citizen, choices=ids(edition)[:1])

    def test_an_unverified_account_may_not_vote(self, city_a, citizen):
        edition = voting_edition(city_a, account_voting=True)
        with pytest.raises(ValidationError) as exc:
            ballot_cast(edition=edition, user=citizen, choices=ids(edition)[:1])
        assert "not verified as a resident" in messages(exc, "code")

    def test_accounts_do_not_vote_where_only_codes_are_taken(self, city_a, citizen):
        edition = voting_edition(city_a)
        resident_verify(city=city_a, user=citizen, actor=None)
        with pytest.raises(ValidationError) as exc:
            ballot_cast(edition=edition, user=citizen, choices=ids(edition)[:1])
        assert "voting codes only" in messages(exc, "code")


class TestReplacing:
    def test_a_receipt_replaces_the_ballot_and_the_old_receipt_stops_working(self, city_a):
        edition = voting_edition(city_a)
        [code] = codes_for(edition)
        first, second = ids(edition)[:2]
        receipt = ballot_cast(edition=edition, code=code, choices=[first])
        new_receipt = ballot_replace(edition=edition, receipt=receipt, choices=[second])
        assert new_receipt != receipt
        current = Ballot.objects.get(edition=edition, superseded=False)
        assert current.choices == {str(second): 1}
        entries = list(BallotLogEntry.objects.filter(edition=edition).order_by("seq"))
        assert [e.kind for e in entries] == ["cast", "replace"]
        assert entries[1].supersedes == entries[0].fingerprint
        with pytest.raises(ValidationError) as exc:
            ballot_replace(edition=edition, receipt=receipt, choices=[first])
        assert "may have been replaced" in messages(exc, "receipt")
        assert ballots_verify(edition=edition).ok

    def test_an_invalid_replacement_keeps_the_old_ballot(self, city_a):
        edition = voting_edition(city_a, max_choices=1)
        [code] = codes_for(edition)
        receipt = ballot_cast(edition=edition, code=code, choices=ids(edition)[:1])
        with pytest.raises(ValidationError):
            ballot_replace(edition=edition, receipt=receipt, choices=ids(edition)[:2])
        assert Ballot.objects.get(edition=edition).superseded is False
        assert BallotLogEntry.objects.filter(edition=edition).count() == 1


class TestPaperBallots:
    def test_staff_enter_a_paper_ballot_marked_as_paper(self, city_a, staff_a):
        edition = voting_edition(city_a)
        paper_ballot_enter(edition=edition, actor=staff_a, choices=ids(edition)[:1])
        assert Ballot.objects.get().channel == Channel.PAPER
        figures = participation_figures(edition=edition)
        assert figures["total"] == 1
        assert dict(figures["by_channel"])["Paper"] == 1

    def test_a_paper_ballot_with_a_code_uses_up_the_code(self, city_a, staff_a):
        edition = voting_edition(city_a)
        [code] = codes_for(edition)
        paper_ballot_enter(edition=edition, actor=staff_a, code=code, choices=ids(edition)[:1])
        with pytest.raises(AlreadyVoted):
            ballot_cast(edition=edition, code=code, choices=ids(edition)[:1])

    def test_an_upload_with_one_bad_line_enters_nothing(self, city_a, staff_a):
        edition = voting_edition(city_a, max_choices=1)
        first, second, _ = ids(edition)
        rows = [
            {"line": 2, "choices": [first]},
            {"line": 3, "choices": [first, second]},
            {"line": 4, "choices": [second]},
        ]
        with pytest.raises(ValidationError) as exc:
            paper_ballots_import(edition=edition, actor=staff_a, rows=rows)
        assert "Line 3:" in messages(exc, "file")
        assert not Ballot.objects.exists()
        assert not Participation.objects.exists()
        assert BudgetEdition.objects.get(pk=edition.pk).log_length == 0
        del rows[1]
        assert paper_ballots_import(edition=edition, actor=staff_a, rows=rows) == 2
        assert ballots_verify(edition=edition).ok


class TestFrozenRules:
    def test_opening_voting_freezes_method_amounts_headings_and_projects(self, city_a, staff_a):
        edition = edition_create(
            city=city_a, actor=staff_a, title="PB", year=2026, total_amount=Decimal(1000)
        )
        heading = heading_create(edition=edition, actor=staff_a, name="Lighting", amount=500)
        project = project_create(edition=edition, actor=staff_a, title="Lamps", cost=100)
        project_review(project=project, data={"status": ProjectStatus.FEASIBLE}, actor=staff_a)
        edition_advance(edition=edition, actor=staff_a, to=Phase.VOTING)
        edition.refresh_from_db()
        for data, field in [
            ({"method": VotingMethod.KNAPSACK}, "method"),
            ({"total_amount": Decimal(2000)}, "total_amount"),
            ({"max_choices": 3}, "max_choices"),
        ]:
            with pytest.raises(ValidationError) as exc:
                edition_update(edition=edition, data=data, actor=staff_a)
            assert "Voting has opened" in messages(exc, field)
            edition.refresh_from_db()
        edition_update(edition=edition, data={"description": "Now with a map."}, actor=staff_a)
        with pytest.raises(ValidationError) as exc:
            project_update(project=project, data={"cost": Decimal(90)}, actor=staff_a)
        assert "Voting has opened" in messages(exc, "cost")
        with pytest.raises(ValidationError):
            project_review(project=project, data={"status": "withdrawn"}, actor=staff_a)
        with pytest.raises(ValidationError):
            project_create(edition=edition, actor=staff_a, title="Late", cost=1)
        from budgeting.services import heading_update

        with pytest.raises(ValidationError) as exc:
            heading_update(heading=heading, data={"amount": Decimal(1)}, actor=staff_a)
        assert "Voting has opened" in messages(exc, "amount")

    def test_voting_cannot_open_with_an_empty_or_unreviewed_ballot(self, city_a, staff_a):
        edition = EditionFactory(city=city_a, phase=Phase.REVIEW)
        with pytest.raises(ValidationError) as exc:
            edition_advance(edition=edition, actor=staff_a)
        assert "at least one project" in messages(exc, "phase")
        ProjectFactory(edition=edition)
        ProjectFactory(edition=edition, status=ProjectStatus.SUBMITTED)
        with pytest.raises(ValidationError) as exc:
            edition_advance(edition=edition, actor=staff_a)
        assert "Review every submitted project" in messages(exc, "phase")

    def test_an_edition_only_moves_forward(self, city_a, staff_a):
        edition = EditionFactory(city=city_a, phase=Phase.PROPOSALS)
        with pytest.raises(ValidationError):
            edition_advance(edition=edition, actor=staff_a, to=Phase.INFORMATION)


class TestProposals:
    def test_citizens_propose_only_during_the_proposal_phase(self, city_a, citizen):
        edition = EditionFactory(city=city_a, phase=Phase.INFORMATION)
        with pytest.raises(ValidationError):
            project_propose(edition=edition, actor=citizen, title="Benches", cost=500)
        edition.phase = Phase.PROPOSALS
        edition.save()
        project = project_propose(edition=edition, actor=citizen, title="Benches", cost=500)
        assert project.status == ProjectStatus.SUBMITTED
        assert project.proposed_by == citizen

    def test_an_unfeasible_project_needs_a_public_explanation(self, city_a, staff_a):
        project = ProjectFactory(
            edition=EditionFactory(city=city_a, phase=Phase.REVIEW),
            status=ProjectStatus.SUBMITTED,
        )
        with pytest.raises(ValidationError) as exc:
            project_review(project=project, data={"status": "unfeasible"}, actor=staff_a)
        assert "Explain publicly" in messages(exc, "review_explanation")

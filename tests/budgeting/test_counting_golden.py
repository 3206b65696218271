"""Golden tests: the counting engine reproduces real cities' official outcomes and pabutools.

The Pabulib files live in ``../shared/pabulib`` (``JUNTOS_SHARED`` overrides the location);
without them these tests skip. Each file's stated rule gives the file's official ``selected``
projects. The engine is also compared with pabutools 1.2 (parsing the file with pabutools'
own reader) wherever pabutools is quick; the slow comparisons (pabutools needs from 5 s to
more than a minute for an ``add1`` count here) run only with ``JUNTOS_SLOW_TESTS=1``.

The end of the file has small hand-computed elections: tie-breaking, validation, outcome
fields.
"""

from __future__ import annotations

import os
from fractions import Fraction
from pathlib import Path

import pytest

from budgeting.counting import (
    ENGINE_VERSION,
    Election,
    ElectionError,
    Project,
    TieBreak,
    count,
    pabulib,
)


def shared_dir() -> Path:
    configured = os.environ.get("JUNTOS_SHARED")
    if configured:
        return Path(configured)
    return Path(__file__).resolve().parents[2].parent / "shared"


PABULIB = shared_dir() / "pabulib"
SLOW = os.environ.get("JUNTOS_SLOW_TESTS") == "1"

needs_shared = pytest.mark.skipif(
    not PABULIB.is_dir(), reason=f"the shared Pabulib files are not in {PABULIB}"
)

ASSEN = "Netherlands_Assen_2024.pb"
SWIECIE = "Poland_Swiecie_2023.pb"
WIELICZKA = "Poland_Wieliczka_2023_Green_Budget.pb"
CZESTOCHOWA = "Poland_Czestochowa_2024_Tysiaclecie.pb"

_cache: dict[str, pabulib.PabulibElection] = {}


def read(name: str) -> pabulib.PabulibElection:
    if name not in _cache:
        _cache[name] = pabulib.read(PABULIB / name)
    return _cache[name]


OFFICIAL = [
    # file, rule, completion: the rule each city says it used
    pytest.param(ASSEN, "equal-shares", "add1", id="assen-equal-shares-add1"),
    pytest.param(SWIECIE, "equal-shares", "add1", id="swiecie-equal-shares-add1"),
    pytest.param(WIELICZKA, "equal-shares", "add1-no-stop", id="wieliczka-add1-without-stop"),
    pytest.param(CZESTOCHOWA, "greedy", "none", id="czestochowa-cumulative-greedy"),
]


@needs_shared
@pytest.mark.parametrize(("name", "rule", "completion"), OFFICIAL)
def test_official_outcome(name, rule, completion):
    election = read(name)
    outcome = count(election.to_election(), rule, completion)
    assert sorted(outcome.selected) == sorted(election.selected_ids())
    assert outcome.cost <= election.budget


@needs_shared
def test_the_cities_rules_are_the_ones_the_files_state():
    assert read(ASSEN).rule == "equalshares/add1"
    assert read(SWIECIE).rule == "equalshares/add1"
    assert read(WIELICZKA).rule.startswith("equalshares/add1")
    assert read(CZESTOCHOWA).rule == "greedy"
    assert read(CZESTOCHOWA).vote_type == "cumulative"


@needs_shared
def test_wieliczka_shows_why_the_exhaustiveness_stop_matters():
    """add1 stops at the first exhaustive outcome; the city kept raising the budget."""
    election = read(WIELICZKA).to_election()
    with_stop = count(election, "equal-shares", "add1")
    without_stop = count(election, "equal-shares", "add1-no-stop")
    assert set(with_stop.selected) != set(without_stop.selected)
    assert with_stop.increments < without_stop.increments
    assert without_stop.voter_budget == Fraction(1_000_000, 6586) + without_stop.increments


# pabutools comparisons: (file, rule, completion, slow)
PABUTOOLS = [
    (ASSEN, "greedy", "none", False),
    (ASSEN, "equal-shares", "none", False),
    (ASSEN, "equal-shares", "add1", False),
    (ASSEN, "equal-shares", "add1-no-stop", False),
    (ASSEN, "equal-shares", "add1-greedy", False),
    (SWIECIE, "greedy", "none", False),
    (SWIECIE, "equal-shares", "none", False),
    (SWIECIE, "equal-shares", "add1", True),
    (SWIECIE, "equal-shares", "add1-no-stop", True),
    (SWIECIE, "equal-shares", "add1-greedy", True),
    (WIELICZKA, "greedy", "none", False),
    (WIELICZKA, "equal-shares", "none", False),
    (WIELICZKA, "equal-shares", "add1", True),
    (WIELICZKA, "equal-shares", "add1-no-stop", True),
    (CZESTOCHOWA, "greedy", "none", False),
    (CZESTOCHOWA, "equal-shares", "none", False),
    (CZESTOCHOWA, "equal-shares", "add1", True),
    (CZESTOCHOWA, "equal-shares", "add1-no-stop", True),
    (CZESTOCHOWA, "equal-shares", "add1-greedy", True),
]


@needs_shared
@pytest.mark.parametrize(
    ("name", "rule", "completion"),
    [
        pytest.param(
            name,
            rule,
            completion,
            id=f"{name.split('_')[1].lower()}-{rule}-{completion}",
            marks=[
                pytest.mark.skipif(
                    slow and not SLOW, reason="pabutools is slow here; JUNTOS_SLOW_TESTS=1 runs it"
                )
            ],
        )
        for name, rule, completion, slow in PABUTOOLS
    ],
)
def test_same_outcome_as_pabutools(name, rule, completion):
    pytest.importorskip("pabutools", reason="pabutools (a dev dependency) is not installed")
    from pabutools.election import parse_pabulib

    from budgeting.counting.reference import pabutools_rule, pabutools_tie_break

    election = read(name).to_election()
    instance, profile = parse_pabulib(str(PABULIB / name))
    tie_breaking = pabutools_tie_break(election)
    theirs = pabutools_rule(instance, profile, election.vote_type, rule, completion, tie_breaking)()
    mine = count(election, rule, completion).selected
    assert list(mine) == theirs


# Hand-computed elections -------------------------------------------------------------------


def approval(budget, costs, ballots):
    projects = {pid: Project(pid, cost) for pid, cost in costs.items()}
    return Election(budget, projects, [(w, dict.fromkeys(b, 1)) for w, b in ballots], "approval")


def test_greedy_funds_by_votes_and_skips_what_does_not_fit():
    election = approval(
        100, {"a": 60, "b": 50, "c": 40, "d": 10}, [(5, "a"), (4, "bc"), (3, "c"), (1, "d")]
    )
    outcome = count(election, "greedy")
    # c (7 votes) then a (5): the budget is spent, b (4) and d (1) no longer fit.
    assert outcome.selected == ("c", "a")
    assert outcome.cost == 100
    assert outcome.support == {"a": 5, "b": 4, "c": 7, "d": 1}
    assert outcome.rule == "greedy"
    assert outcome.engine_version == ENGINE_VERSION


def test_greedy_funds_what_still_fits_even_without_votes():
    # As pabutools: a (5 votes), b (4) does not fit, d (1), then c (no votes) still fits.
    election = approval(100, {"a": 60, "b": 50, "c": 30, "d": 10}, [(5, "a"), (4, "b"), (1, "d")])
    assert count(election, "greedy").selected == ("a", "d", "c")


def test_equal_shares_on_a_hand_computed_election():
    # 10 voters with 10 each. a (cost 60) has 6 supporters: 10 each -> rho = 1/6 per cost unit.
    # b (cost 40) has 4 supporters (disjoint): 10 each -> rho = 1/4. a first, then b.
    election = approval(100, {"a": 60, "b": 40}, [(6, "a"), (4, "b")])
    outcome = count(election, "equal-shares")
    assert outcome.selected == ("a", "b")
    assert outcome.voter_budget == 10


def test_equal_shares_leaves_money_and_add1_spends_it():
    # 4 voters, 25 each. Three back a (cost 60): 75 >= 60, funded. The fourth backs b (cost 40)
    # alone: 25 < 40. add1 raises each budget until b is affordable: 40 at k = 15.
    election = approval(100, {"a": 60, "b": 40}, [(3, "a"), (1, "b")])
    assert count(election, "equal-shares").selected == ("a",)
    outcome = count(election, "equal-shares", "add1")
    assert outcome.selected == ("a", "b")
    assert outcome.increments == 15
    assert outcome.voter_budget == 40


def test_add1_stops_when_exhaustive_and_add1_no_stop_when_infeasible():
    # 2 voters with 50 each. At 60 each b is funded, and a (70) no longer fits: exhaustive.
    # Without that stop, at 70 each both are funded, 130 > 100: the previous outcome is kept.
    election = approval(100, {"a": 70, "b": 60}, [(1, "a"), (1, "b")])
    assert count(election, "equal-shares").selected == ()
    outcome = count(election, "equal-shares", "add1")
    assert (outcome.selected, outcome.increments, outcome.voter_budget) == (("b",), 10, 60)
    outcome = count(election, "equal-shares", "add1-no-stop")
    assert (outcome.selected, outcome.increments, outcome.voter_budget) == (("b",), 19, 69)
    assert count(election, "equal-shares", "add1-greedy").selected == ("b",)


def test_default_tie_break_is_lowest_cost_then_most_votes_then_id():
    # Same votes and cost: ids compare as numbers -> 2, 9, 10.
    ties = approval(10, {"10": 5, "9": 5, "2": 5}, [(1, ["10"]), (1, ["9"]), (1, ["2"])])
    assert TieBreak().ranking(ties) == ["2", "9", "10"]
    assert count(ties, "greedy").selected == ("2", "9")
    named = approval(10, {"b": 5, "a10": 5, "a9": 5}, [(1, ["b"]), (1, ["a10"]), (1, ["a9"])])
    assert TieBreak().ranking(named) == ["a10", "a9", "b"]  # not all integers: as strings
    cost_first = approval(10, {"1": 6, "2": 4, "3": 4}, [(1, ["1"]), (1, ["2"]), (2, ["3"])])
    assert TieBreak().ranking(cost_first) == ["3", "2", "1"]  # cheaper, then more votes
    assert TieBreak(("highest-cost",)).ranking(cost_first) == ["1", "2", "3"]
    assert TieBreak(("fewest-votes",)).ranking(cost_first) == ["1", "2", "3"]


def test_tie_break_decides_equal_shares_ties():
    # Two voters approve all three: every rho is 1/2, the tie-breaking order decides.
    election = approval(10, {"1": 5, "2": 5, "3": 4}, [(2, ["1", "2", "3"])])
    assert count(election, "equal-shares").selected[0] == "3"
    assert count(election, "equal-shares", tie_break=TieBreak(("id",))).selected[0] == "1"
    reverse = TieBreak(("highest-cost", "fewest-votes"))
    assert count(election, "greedy", tie_break=reverse).selected[0] == "1"


def test_cumulative_ballots_rank_by_points():
    projects = {"a": Project("a", 50), "b": Project("b", 50)}
    election = Election(100 - 1, projects, [(1, {"a": 3}), (2, {"b": 1})], "cumulative")
    assert count(election, "greedy").selected == ("a",)  # 3 points beat 2
    assert count(election, "greedy").support == {"a": 3, "b": 2}


def test_identical_ballots_are_merged():
    election = approval(10, {"a": 4, "b": 4}, [(1, "a"), (1, "ab"), (1, "a"), (2, "ab")])
    assert election.merged_ballots() == [(2, {"a": 1}), (3, {"a": 1, "b": 1})]
    assert election.num_voters == 5


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"budget": 10.0}, "int or a Fraction"),
        ({"budget": -1}, "negative"),
        ({"vote_type": "ordinal"}, "vote_type"),
        ({"projects": {"a": Project("b", 1)}}, "filed under"),
        ({"projects": {"a": Project("a", -1)}}, "negative"),
        ({"ballots": [(0, {"a": 1})]}, "positive int"),
        ({"ballots": [(1, {"z": 1})]}, "unknown project"),
        ({"ballots": [(1, {"a": -1})]}, "negative"),
    ],
)
def test_invalid_elections_are_refused(kwargs, message):
    fields = {
        "budget": 10,
        "projects": {"a": Project("a", 1)},
        "ballots": [],
        "vote_type": "approval",
    }
    fields.update(kwargs)
    with pytest.raises(ElectionError, match=message):
        Election(**fields)


def test_unknown_rule_completion_or_criterion_is_refused():
    election = approval(10, {"a": 4}, [(1, "a")])
    with pytest.raises(ValueError, match="rule"):
        count(election, "phragmen")
    with pytest.raises(ValueError, match="completion"):
        count(election, "equal-shares", "add2")
    with pytest.raises(ValueError, match="no completion"):
        count(election, "greedy", "add1")
    with pytest.raises(ElectionError, match="criterion"):
        TieBreak(("random",))


def test_an_election_without_voters_funds_nothing():
    election = approval(10, {"a": 4}, [])
    for completion in ("none", "add1", "add1-no-stop", "add1-greedy"):
        outcome = count(election, "equal-shares", completion)
        assert outcome.selected == () if completion != "add1-greedy" else ("a",)
    assert count(election, "greedy").selected == ("a",)

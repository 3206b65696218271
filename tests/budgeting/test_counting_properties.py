"""Property tests: on random small elections the engine's outcome is pabutools' outcome.

Random elections have 1-12 projects, 1-40 voters, approval or cumulative ballots, small
costs and budgets drawn so that costs and votes often tie (and ids like "9" and "10" test the
numeric id order). pabutools is called with the README's calls and the engine's tie-breaking.
Further properties check the engine against itself: the ``add1`` scans that jump over budget
steps with the same outcome give what a plain step-by-step scan gives, on elections with
budgets too large for pabutools.
"""

from __future__ import annotations

from fractions import Fraction

import pytest

pytest.importorskip("pabutools", reason="pabutools (a dev dependency) is not installed")
hypothesis = pytest.importorskip("hypothesis", reason="hypothesis is not installed")

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from budgeting.counting import (  # noqa: E402
    APPROVAL,
    CUMULATIVE,
    DEFAULT_TIE_BREAK,
    Election,
    Project,
    TieBreak,
    count,
)
from budgeting.counting.completion import _exhaustive, _feasible  # noqa: E402
from budgeting.counting.instance import Prepared  # noqa: E402
from budgeting.counting.mes import EqualShares  # noqa: E402
from budgeting.counting.reference import pabutools_count  # noqa: E402

SETTINGS = settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    derandomize=True,
)


@st.composite
def elections(draw, vote_type=None, max_budget=60, max_cost=15, max_voters=40):
    """A random small election with many ties on cost and votes."""
    vote_type = vote_type or draw(st.sampled_from([APPROVAL, CUMULATIVE]))
    size = draw(st.integers(1, 12))
    if draw(st.booleans()):
        numbers = draw(st.lists(st.integers(1, 30), min_size=size, max_size=size, unique=True))
        ids = [str(n) for n in numbers]
    else:
        ids = [f"p{i}" for i in range(size)]
    # Few distinct costs, so that costs tie; a cost of 0 (an edge case) now and then.
    cost_values = draw(st.lists(st.integers(1, max_cost), min_size=1, max_size=5))
    if draw(st.integers(0, 9)) == 0:
        cost_values.append(0)
    costs = draw(st.lists(st.sampled_from(cost_values), min_size=size, max_size=size))
    budget = draw(st.integers(0, max_budget))
    if draw(st.integers(0, 4)) == 0:
        budget = Fraction(2 * budget + 1, 2)
    projects = {pid: Project(pid, cost) for pid, cost in zip(ids, costs, strict=True)}
    # A few distinct ballots, each cast by several voters, so that votes tie too.
    pool = draw(st.lists(st.lists(st.sampled_from(ids), unique=True), min_size=1, max_size=8))
    if vote_type == CUMULATIVE:
        points = draw(st.lists(st.integers(1, 5), min_size=size, max_size=size))
        pool = [{pid: points[ids.index(pid)] for pid in chosen} for chosen in pool]
    else:
        pool = [dict.fromkeys(chosen, 1) for chosen in pool]
    casts = draw(
        st.lists(
            st.tuples(st.integers(1, 12), st.integers(0, len(pool) - 1)), min_size=1, max_size=8
        )
    )
    ballots = []
    voters = 0
    for weight, which in casts:
        weight = min(weight, max_voters - voters)
        if weight > 0:
            ballots.append((weight, pool[which]))
            voters += weight
    return Election(budget, projects, ballots, vote_type)


@st.composite
def diverse_elections(draw):
    """Many voters with distinct random ballots: many voter classes, so budgets cross the
    point where a voter can no longer pay their share often, and the parametric runs prove
    only short ranges; certification then has work to do."""
    rng = draw(st.randoms(use_true_random=False))
    size = rng.randint(4, 10)
    cumulative = rng.random() < 0.3
    costs = {str(i): rng.choice([rng.randint(50, 400), 100, 200]) for i in range(1, size + 1)}
    ballots = []
    for _ in range(rng.randint(20, 60)):
        chosen = rng.sample(sorted(costs), rng.randint(1, size))
        ballots.append((1, {p: rng.randint(1, 4) if cumulative else 1 for p in chosen}))
    projects = {pid: Project(pid, cost) for pid, cost in costs.items()}
    return Election(
        rng.randint(200, 1500), projects, ballots, CUMULATIVE if cumulative else APPROVAL
    )


def _normalise(selected, election):
    """Projects costing nothing that Equal Shares funds up front come in pabutools' set
    order: compare them as a set, and the others in order."""
    free = sorted(str(p) for p in selected if election.projects[p].cost == 0)
    return free, [str(p) for p in selected if election.projects[p].cost != 0]


def _check(election, rule, completion, tie_break=DEFAULT_TIE_BREAK):
    mine = count(election, rule, completion, tie_break).selected
    theirs = pabutools_count(election, rule, completion, tie_break)
    if rule == "greedy":
        assert list(mine) == theirs, (rule, completion)
    else:
        assert _normalise(mine, election) == _normalise(theirs, election), (rule, completion)


RULES = [
    ("greedy", "none"),
    ("equal-shares", "none"),
    ("equal-shares", "add1"),
    ("equal-shares", "add1-no-stop"),
    ("equal-shares", "add1-greedy"),
]


@pytest.mark.parametrize("vote_type", [APPROVAL, CUMULATIVE])
@SETTINGS
@given(data=st.data())
def test_every_rule_and_completion_matches_pabutools(vote_type, data):
    """greedy, Equal Shares without completion, add1, add1-no-stop and add1-greedy."""
    election = data.draw(elections(vote_type))
    for rule, completion in RULES:
        _check(election, rule, completion)


@settings(max_examples=40, deadline=None, derandomize=True)
@given(diverse_elections())
def test_add1_on_many_distinct_ballots_matches_pabutools(election):
    """Where the scan mostly relies on certified intervals (see diverse_elections)."""
    _check(election, "equal-shares", "add1")
    _check(election, "equal-shares", "add1-no-stop")


@settings(max_examples=60, deadline=None, derandomize=True)
@given(
    elections(),
    st.permutations(["lowest-cost", "highest-cost", "most-votes", "fewest-votes", "most-points"]),
    st.integers(1, 3),
)
def test_other_tie_breaking_orders_match_pabutools(election, criteria, length):
    tie_break = TieBreak(tuple(criteria[:length]))
    _check(election, "greedy", "none", tie_break)
    _check(election, "equal-shares", "add1", tie_break)


def _step_by_step(election, stop_when_exhaustive):
    """add1 / add1-no-stop recounting every +1 step from scratch (no jumps, no reuse)."""
    prep = Prepared.build(election, TieBreak())
    engine = EqualShares(prep)
    previous = list(engine.free)
    last = None if stop_when_exhaustive else prep.scaled_budget // prep.scale
    k = 0
    while last is None or k <= last:
        outcome = engine.free + EqualShares(prep).run(k).selected
        if not _feasible(prep, outcome):
            return [prep.ids[p] for p in previous]
        if stop_when_exhaustive and _exhaustive(prep, outcome, engine.candidates):
            return [prep.ids[p] for p in outcome]
        previous = outcome
        k += 1
    return [prep.ids[p] for p in previous]


@settings(max_examples=100, deadline=None, derandomize=True)
@given(st.one_of(elections(max_budget=800, max_cost=200, max_voters=12), diverse_elections()))
def test_add1_jumps_equal_a_step_by_step_scan(election):
    """Large budgets: hundreds of steps, many of them jumped over by parametric runs."""
    for completion, stop in (("add1", True), ("add1-no-stop", False)):
        outcome = count(election, "equal-shares", completion)
        assert list(outcome.selected) == _step_by_step(election, stop)
        assert outcome.voter_budget == Fraction(election.budget, election.num_voters) + (
            outcome.increments
        )


@settings(max_examples=80, deadline=None, derandomize=True)
@given(elections())
def test_outcomes_are_feasible_and_merging_ballots_changes_nothing(election):
    split = Election(
        election.budget,
        election.projects,
        [(1, ballot) for weight, ballot in election.ballots for _ in range(weight)],
        election.vote_type,
    )
    for rule, completion in [
        ("greedy", "none"),
        ("equal-shares", "none"),
        ("equal-shares", "add1"),
        ("equal-shares", "add1-no-stop"),
        ("equal-shares", "add1-greedy"),
    ]:
        outcome = count(election, rule, completion)
        assert outcome.cost <= election.budget
        assert outcome.cost == sum(election.projects[p].cost for p in outcome.selected)
        assert len(set(outcome.selected)) == len(outcome.selected)
        assert count(split, rule, completion).selected == outcome.selected


@settings(max_examples=150, deadline=None, derandomize=True)
@given(
    st.one_of(elections(max_budget=600, max_cost=150, max_voters=15), diverse_elections()),
    st.integers(0, 40),
    st.integers(1, 80),
)
def test_claimed_stable_ranges_and_certified_intervals_hold(election, k, span):
    """Every budget a parametric run or a certification vouches for funds the same projects,
    in the same order, as a plain run at that budget."""
    prep = Prepared.build(election, TieBreak())
    if not prep.n:
        return
    engine = EqualShares(prep)
    run = engine.run(k, parametric=True)
    stable = run.stable_for if run.stable_for is not None else span
    proven = engine.certify(k, k + span)
    assert k <= proven <= k + span
    for x in range(k, max(k + min(stable, span), proven) + 1):
        assert EqualShares(prep).run(x).selected == run.selected, (x, stable, proven)

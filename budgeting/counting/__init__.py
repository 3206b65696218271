"""Counting participatory-budgeting votes: exact, deterministic, identical to pabutools 1.2.

Pure Python, no Django. The public API::

    from budgeting.counting import Election, Project, TieBreak, count

    election = Election(
        budget=100_000,
        projects={"1": Project("1", 60_000), "2": Project("2", 50_000)},
        ballots=[(3, {"1": 1}), (2, {"1": 1, "2": 1})],   # (weight, {project: points})
        vote_type="approval",                              # or "cumulative"
    )
    outcome = count(election, rule="equal-shares", completion="add1")
    outcome.selected   # ("1",): project ids in the order they were funded

Rules (``rule``):

``greedy``
    Fund projects by decreasing support — votes on approval ballots, total points on
    cumulative ballots — skipping a project that no longer fits. ``completion`` must be
    ``none``. pabutools: ``greedy_utilitarian_welfare`` with ``Cost_Sat`` (approval) or a
    satisfaction of ``points x cost`` (cumulative).
``equal-shares``
    The Method of Equal Shares; a voter's satisfaction with a project is its cost on approval
    ballots (``Cost_Sat``) and the points they gave on cumulative ballots
    (``Additive_Cardinal_Sat``). Completions: ``none``, ``add1``, ``add1-no-stop``,
    ``add1-greedy`` — see :mod:`budgeting.counting.completion`.

Ties are broken by an explicit :class:`TieBreak` order, by default lowest cost, then most
votes, then project id (numeric when every id is an integer, else as strings). The same order
passed to pabutools (``TieBreakingRule(lambda inst, prof, p: rank[p.name])``) gives the same
outcomes. Identical ballots are merged before counting. All arithmetic is on integers and
fractions; no float ever decides anything.
"""

from __future__ import annotations

from fractions import Fraction

from .completion import ADD1, ADD1_GREEDY, ADD1_NO_STOP, COMPLETIONS, NONE, equal_shares
from .greedy import greedy
from .instance import (
    APPROVAL,
    CUMULATIVE,
    DEFAULT_TIE_BREAK,
    VOTE_TYPES,
    Election,
    ElectionError,
    Number,
    Outcome,
    Prepared,
    Project,
    ProjectId,
    TieBreak,
    as_number,
)

ENGINE_VERSION = "1"

GREEDY = "greedy"
EQUAL_SHARES = "equal-shares"
RULES = (GREEDY, EQUAL_SHARES)

__all__ = [
    "ADD1",
    "ADD1_GREEDY",
    "ADD1_NO_STOP",
    "APPROVAL",
    "COMPLETIONS",
    "CUMULATIVE",
    "DEFAULT_TIE_BREAK",
    "ENGINE_VERSION",
    "EQUAL_SHARES",
    "GREEDY",
    "NONE",
    "RULES",
    "VOTE_TYPES",
    "Election",
    "ElectionError",
    "Number",
    "Outcome",
    "Project",
    "ProjectId",
    "TieBreak",
    "count",
]


def count(
    election: Election,
    rule: str = EQUAL_SHARES,
    completion: str = NONE,
    tie_break: TieBreak = DEFAULT_TIE_BREAK,
) -> Outcome:
    """Count ``election`` with ``rule`` and ``completion``; see the module docstring."""
    if rule not in RULES:
        raise ValueError(f"unknown rule {rule!r}; use one of {RULES}")
    if completion not in COMPLETIONS:
        raise ValueError(f"unknown completion {completion!r}; use one of {COMPLETIONS}")
    if rule == GREEDY and completion != NONE:
        raise ValueError("the greedy rule takes no completion")
    prep = Prepared.build(election, tie_break)
    voter_budget: Number | None = None
    increments = runs = 0
    if rule == GREEDY:
        indices = greedy(prep)
    else:
        result = equal_shares(prep, completion)
        indices = result.selected
        increments = result.increments
        runs = result.runs
        if prep.n:
            voter_budget = as_number(Fraction(election.budget, prep.n) + increments, "budget")
    selected = tuple(prep.ids[p] for p in indices)
    support = dict(zip(prep.ids, prep.points, strict=True))
    return Outcome(
        selected=selected,
        cost=prep.total_cost(indices),
        support={pid: support[pid] for pid in election.projects},
        rule=rule,
        completion=completion,
        vote_type=election.vote_type,
        tie_break=tie_break,
        voter_budget=voter_budget,
        increments=increments,
        runs=runs,
        engine_version=ENGINE_VERSION,
    )

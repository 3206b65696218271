"""Equal Shares with its completion methods, as pabutools 1.2 runs them.

``none``
    One run with the per-voter budget ``b0 = budget / n`` (``n`` voters).
``add1``
    ``method_of_equal_shares(..., voter_budget_increment=1)``: run with ``b0``, ``b0 + 1``,
    ``b0 + 2``, ... and stop at the first outcome that is *exhaustive* — no project Equal
    Shares considers (cost > 0, some support) is left out while it would still fit in the
    real budget — or that is *infeasible* (costs more than the real budget): then the
    previous outcome is kept.
``add1-no-stop``
    ``exhaustion_by_budget_increase(..., budget_step=n, exhaustive_stop=False)``: the same
    sequence of runs (a budget ``budget + k * n`` shared by ``n`` voters is ``b0 + k`` each),
    but only an infeasible outcome stops it (the previous one is kept), or reaching pabutools'
    bound ``budget * (n + 1)``, i.e. ``k = budget`` (the last outcome is kept). Because the
    outcome is not monotone in the budget, this can end on a different outcome than ``add1``.
``add1-greedy``
    ``completion_by_rule_combination`` of ``add1`` and the greedy rule: the ``add1`` outcome,
    then, if some project still fits, the greedy rule fills the rest of the budget.

Every step of the scan is accounted for: a parametric run reports for how many further
steps its outcome is unchanged, and the scan jumps over exactly those.
"""

from __future__ import annotations

from dataclasses import dataclass

from .greedy import greedy
from .instance import Prepared
from .mes import EqualShares

NONE = "none"
ADD1 = "add1"
ADD1_NO_STOP = "add1-no-stop"
ADD1_GREEDY = "add1-greedy"
COMPLETIONS = (NONE, ADD1, ADD1_NO_STOP, ADD1_GREEDY)


@dataclass(frozen=True, slots=True)
class EqualSharesResult:
    """Project indices funded (in order), the ``k`` of the per-voter budget ``b0 + k`` whose
    Equal Shares outcome was kept, and the number of runs made."""

    selected: list[int]
    increments: int
    runs: int


def _cost(prep: Prepared, selected: list[int]) -> int:
    return sum(prep.scaled_costs[p] for p in selected)


def _feasible(prep: Prepared, selected: list[int]) -> bool:
    return _cost(prep, selected) <= prep.scaled_budget


def _exhaustive(prep: Prepared, selected: list[int], candidates: list[int]) -> bool:
    cost = _cost(prep, selected)
    chosen = set(selected)
    return all(p in chosen or cost + prep.scaled_costs[p] > prep.scaled_budget for p in candidates)


def equal_shares(prep: Prepared, completion: str = NONE) -> EqualSharesResult:
    """Equal Shares with a completion method (see the module docstring)."""
    if completion not in COMPLETIONS:
        raise ValueError(f"unknown completion {completion!r}; use one of {COMPLETIONS}")
    engine = EqualShares(prep)
    free = engine.free
    if prep.n == 0:
        # Nobody voted: Equal Shares has no one to share the budget between.
        result = EqualSharesResult(list(free), 0, 0)
    elif completion == NONE:
        return EqualSharesResult(free + engine.run(0).selected, 0, engine.runs)
    elif completion == ADD1_NO_STOP:
        return _scan(prep, engine, stop_when_exhaustive=False)
    else:
        result = _scan(prep, engine, stop_when_exhaustive=True)
    if completion != ADD1_GREEDY:
        return result
    everything = list(range(len(prep.ids)))
    if _exhaustive(prep, result.selected, everything):
        return result
    return EqualSharesResult(greedy(prep, result.selected), result.increments, result.runs)


def _scan(prep: Prepared, engine: EqualShares, stop_when_exhaustive: bool) -> EqualSharesResult:
    """Run ``b0 + k`` for ``k = 0, 1, 2...``, jumping over steps with the same outcome.

    Each parametric run at ``k`` proves its outcome for ``k`` to ``k + stable_for``. Beyond
    that, :meth:`EqualShares.certify` tries to prove it up to ``k + span`` (a few more runs):
    ``span`` doubles when it succeeds, shrinks to what was proven otherwise, so long stretches
    of budgets with one outcome cost a few runs; when nothing more can be proven even over the
    shortest span, the next tries wait for 1, 3, 7... runs, so outcomes changing at every step
    cost little extra.
    """
    free = engine.free
    previous: list[int] = list(free)
    previous_k = 0
    # exhaustion_by_budget_increase stops once budget + k * n exceeds budget * (n + 1).
    last_k = None if stop_when_exhaustive else prep.scaled_budget // prep.scale
    k = 0
    span = _FIRST_SPAN
    wait = pause = 0
    while last_k is None or k <= last_k:
        run = engine.run(k, parametric=True)
        outcome = free + run.selected
        if not _feasible(prep, outcome):
            return EqualSharesResult(previous, previous_k, engine.runs)
        if stop_when_exhaustive and _exhaustive(prep, outcome, engine.candidates):
            return EqualSharesResult(outcome, k, engine.runs)
        if run.stable_for is None:
            if stop_when_exhaustive:
                # Unreachable: with a large enough budget every candidate is funded, so an
                # outcome that never changes again is exhaustive or infeasible.
                raise RuntimeError("Equal Shares completion found no end")
            return EqualSharesResult(outcome, last_k, engine.runs)
        if run.stable_for < 0:
            raise RuntimeError("Equal Shares parametric run returned a negative range")
        end = k + run.stable_for
        if run.stable_for + 1 >= span:
            span = 2 * (run.stable_for + 1)
        elif wait:
            wait -= 1
        else:
            target = k + span if last_k is None else min(k + span, last_k)
            proven = engine.certify(k, target) if target > end else end
            if proven >= target:
                span *= 2
                pause = 0
            elif proven > end:
                span = max(_FIRST_SPAN, proven - k)
                pause = 0
            elif span > _FIRST_SPAN:
                span //= 2
            else:
                # Outcomes change at almost every step: try again only after a while.
                pause = min(2 * pause + 1, _LONGEST_PAUSE)
                wait = pause
            end = max(end, proven)
        previous = outcome
        k = end + 1
        previous_k = end if last_k is None else min(end, last_k)
    return EqualSharesResult(previous, previous_k, engine.runs)


_FIRST_SPAN = 4
_LONGEST_PAUSE = 32

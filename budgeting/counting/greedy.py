"""Greedy by support: fund projects by decreasing votes (or points), skipping what no longer fits.

This is pabutools' ``greedy_utilitarian_welfare`` with an additive satisfaction whose total for
a project, divided by its cost, is the project's support: ``Cost_Sat`` on approval ballots
(cost x votes / cost = votes) and ``points x cost`` on cumulative ballots (total points).
Like pabutools, a project nobody supports, or one costing nothing, ranks with support 0
(pabutools divides its total satisfaction, 0, by the cost) — but is still funded if it fits.
Ties are broken by the tie-breaking ranking (the index of a project in :class:`Prepared`).
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

from .instance import Prepared


def greedy_order(prep: Prepared) -> list[int]:
    """All project indices, in the order the greedy rule considers them."""
    support = prep.points if prep.cumulative else prep.votes

    def key(p: int) -> tuple[Fraction | int, int]:
        density = support[p] if prep.costs[p] > 0 and support[p] > 0 else 0
        return (-density, p)

    return sorted(range(len(prep.ids)), key=key)


def greedy(prep: Prepared, initial: Sequence[int] = ()) -> list[int]:
    """Project indices funded by the greedy rule, in selection order, after ``initial``.

    ``initial`` (already funded, e.g. by Equal Shares) is kept first; the remaining budget is
    then filled greedily.
    """
    chosen = set(initial)
    selected = list(initial)
    remaining = prep.scaled_budget - sum(prep.scaled_costs[p] for p in initial)
    for p in greedy_order(prep):
        if p in chosen:
            continue
        cost = prep.scaled_costs[p]
        if cost <= remaining:
            selected.append(p)
            chosen.add(p)
            remaining -= cost
    return selected

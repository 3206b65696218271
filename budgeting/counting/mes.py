"""The Method of Equal Shares, exactly as pabutools 1.2 computes it, but fast.

Rule (pabutools' ``method_of_equal_shares``): every voter starts with the same budget ``b``.
A project ``p`` of cost ``c`` is affordable when its supporters hold at least ``c`` together;
it then costs each supporter ``min(budget, rho * sat)``, where ``rho`` is the smallest factor
for which these payments add up to ``c``. The satisfaction ``sat`` of a supporter is the cost
of the project on approval ballots (``Cost_Sat``) and the points given on cumulative ballots
(``Additive_Cardinal_Sat``). Each round funds the affordable project with the smallest
``rho`` (ties: the tie-breaking ranking), until no project is affordable. Supported projects
costing nothing are funded first (pabutools' behaviour); projects nobody supports are never
funded.

How it is made fast while staying exact:

* identical ballots are merged into weighted *groups*;
* voters whose budgets are always equal — those whose ballots agree on every project funded so
  far — form a *class*; a round only ever looks at classes, never at voters. The partition
  into classes depends only on the set of funded projects, not on ``b`` nor on the order, so
  it is cached and reused from one run to the next;
* budgets are integers over a common denominator (money is scaled so that the budget, the
  costs and ``b`` are integers): no ``Fraction`` in the loops, only ``int`` arithmetic;
* like pabutools, a project's ``rho`` is only recomputed while its last known value (a lower
  bound, since budgets only go down) does not exceed the best value found in the round, and
  a project whose supporters never had its cost between them is dropped at once;
* **parametric runs** (for the ``add1`` completions): with ``b = b0 + k + x``, every budget and
  every ``rho`` is an affine function of ``x`` as long as the same decisions are taken. A run
  records the linear conditions under which its decisions (which project wins each round,
  which supporters pay all their budget, which projects are unaffordable) stay the same, and
  returns the largest integer ``x`` for which they all hold: the outcome is the same for every
  per-voter budget from ``b0 + k`` to ``b0 + k + x``, and the completion jumps over them. For a
  project that is not funded, the ``rho`` computed with any guess of who pays all their budget
  is a lower bound of the true one, so only the funded projects' payments need conditions.
  The next run restarts from the first round whose conditions fail at its budget: the rounds
  before it are reused, their budgets evaluated from the affine forms;
* **certified intervals** (:meth:`EqualShares.certify`): while the same projects are funded in
  the same order, budgets only grow with ``b`` and every ``rho`` only shrinks, so one more run
  at the far end of an interval can prove that the whole interval has one outcome, even where
  the affine forms change at every step (voters who pay all they have at one budget keep a
  little at the next).
"""

from __future__ import annotations

from array import array
from dataclasses import dataclass
from math import gcd
from operator import mul

from .instance import Prepared

_KEY_BITS = 64
_MAX_POINTS = 16
_WINS, _LOOSE, _CHANGED = 0, 1, 2

_Items = tuple[list[int], list[int], list[int]]  # classes, points, weights
_Transition = tuple["_Level", list[int], list[int], list[int] | None]


class _Level:
    """The partition of voter groups into classes once a given *set* of projects is funded.

    Two groups are in the same class when their ballots agree (same points) on every funded
    project: their voters then always hold the same budget. The partition does not depend on
    the order the projects were funded in, so levels are shared between runs through
    :class:`_Levels`; ``transitions[s]`` leads to the level with ``s`` funded too.
    """

    __slots__ = ("funded", "cls", "class_weights", "reps", "_items", "_item_index", "transitions")

    def __init__(
        self, funded: frozenset[int], cls: array, class_weights: list[int], reps: list[int]
    ) -> None:
        self.funded = funded
        self.cls = cls  # group index -> class index
        self.class_weights = class_weights  # class index -> number of voters
        self.reps = reps  # class index -> one of its groups
        self._items: dict[int, _Items] = {}
        self._item_index: dict[int, dict[tuple[int, int], int]] = {}
        # s -> (next level, sources, paid, keep): each class of the next level comes from the
        # class ``sources[c]`` here, having paid as item ``paid[c]`` of s (-1: did not support
        # s). When the next level lists first the classes that did not pay, then the items of
        # s in order, ``keep`` is the sources of the first ones (a faster path), else None.
        self.transitions: dict[int, _Transition] = {}

    def items(self, prep: Prepared, p: int) -> _Items:
        """Supporters of project ``p`` aggregated by (class, points), with their weight."""
        cached = self._items.get(p)
        if cached is not None:
            return cached
        cls = self.cls
        weights = prep.group_weights
        if prep.cumulative:
            acc: dict[tuple[int, int], int] = {}
            for g, pts in prep.supporters[p]:
                key = (cls[g], pts)
                acc[key] = acc.get(key, 0) + weights[g]
            items = ([c for c, _ in acc], [pts for _, pts in acc], list(acc.values()))
        else:
            by_class: dict[int, int] = {}
            for g, _ in prep.supporters[p]:
                c = cls[g]
                by_class[c] = by_class.get(c, 0) + weights[g]
            items = (list(by_class), [1] * len(by_class), list(by_class.values()))
        self._items[p] = items
        return items

    def item_index(self, prep: Prepared, p: int) -> dict[tuple[int, int], int]:
        """``(class, points) -> index`` in :meth:`items` for project ``p``."""
        index = self._item_index.get(p)
        if index is None:
            item_cls, item_pts, _ = self.items(prep, p)
            index = {key: j for j, key in enumerate(zip(item_cls, item_pts, strict=True))}
            self._item_index[p] = index
        return index


class _Levels:
    """The levels met so far, by funded set, with a cap on how many are kept in memory."""

    def __init__(self, prep: Prepared) -> None:
        self.prep = prep
        groups = len(prep.group_weights)
        self.root = _Level(
            frozenset(),
            array("l", [0]) * groups,
            [sum(prep.group_weights)],
            [0] if groups else [],
        )
        self.by_set: dict[frozenset[int], _Level] = {frozenset(): self.root}
        # Keep about 16 million class entries (a level costs one per voter group, 8 bytes).
        self.capacity = max(64, 16_000_000 // max(groups, 1))

    def descend(self, level: _Level, s: int) -> _Transition:
        """The level after also funding ``s``, and how its classes come from ``level``'s."""
        found = level.transitions.get(s)
        if found is not None:
            return found
        prep = self.prep
        funded = level.funded | {s}
        child = self.by_set.get(funded)
        if child is None:
            child = self._split(level, s, funded)
            self.by_set[funded] = child
        index = level.item_index(prep, s)
        parent_cls = level.cls
        points = prep.group_points
        sources = [parent_cls[g] for g in child.reps]
        paid = [index[(parent_cls[g], points[g][s])] if s in points[g] else -1 for g in child.reps]
        base = len(paid) - len(index)
        ordered = paid[:base].count(-1) == base and paid[base:] == list(range(len(index)))
        found = (child, sources, paid, sources[:base] if ordered else None)
        level.transitions[s] = found
        return found

    def _split(self, level: _Level, s: int, funded: frozenset[int]) -> _Level:
        prep = self.prep
        item_cls, item_pts, item_w = level.items(prep, s)
        remaining = list(level.class_weights)
        for c, w in zip(item_cls, item_w, strict=True):
            remaining[c] -= w
        keep = [c for c, w in enumerate(remaining) if w > 0]
        remap = [-1] * len(remaining)
        for new, c in enumerate(keep):
            remap[c] = new
        base = len(keep)
        index = level.item_index(prep, s)
        old = level.cls
        cls = array("l", map(remap.__getitem__, old))
        for g, pts in prep.supporters[s]:
            cls[g] = base + index[(old[g], pts)]
        # The first group of each class (the dict keeps the last value written: go backwards).
        first = dict(zip(reversed(cls), range(len(cls) - 1, -1, -1), strict=True))
        reps = [first[c] for c in range(base + len(item_cls))]
        return _Level(funded, cls, [remaining[c] for c in keep] + list(item_w), reps)

    def prune(self, keep: list[_Level]) -> None:
        """Past the memory cap, forget every level but the root and those in ``keep``."""
        if len(self.by_set) <= self.capacity:
            return
        kept = {id(level) for level in keep} | {id(self.root)}
        self.by_set = {level.funded: level for level in [self.root, *keep]}
        for level in self.by_set.values():
            level.transitions = {
                s: found for s, found in level.transitions.items() if id(found[0]) in kept
            }


@dataclass(frozen=True, slots=True)
class MESRun:
    """One run of Equal Shares: the funded projects (indices, in order) and, for a parametric
    run, how many more +1 steps of the per-voter budget keep exactly this outcome
    (``None``: every larger budget does)."""

    selected: list[int]
    stable_for: int | None


class _Bound:
    """The largest integer ``x >= 0`` with every recorded ``f0 + f1 * x >= 0`` (or ``> 0``)."""

    __slots__ = ("limit",)

    def __init__(self, limit: int | None = None) -> None:
        self.limit = limit

    def add(self, f0: int, f1: int, strict: bool) -> None:
        if f1 >= 0:
            return
        bound = (f0 - 1) // -f1 if strict else f0 // -f1
        if self.limit is None or bound < self.limit:
            self.limit = bound


class _State:
    """A parametric run's state at the start of a round, as affine functions of ``x``.

    Budgets are ``(budgets[c] + slopes[c] * x) / denominator`` with ``x = k - origin``; each
    ``stale[p] = (t0, t1, q)`` is the lower bound ``(t0 + t1 * x) / q`` of project ``p``'s
    rho. ``valid_until`` is the last ``k`` at which every decision before this round holds.
    """

    __slots__ = (
        "origin",
        "valid_until",
        "level",
        "budgets",
        "slopes",
        "denominator",
        "stale",
        "remaining",
        "selected",
        "chosen",
    )

    def __init__(
        self,
        origin: int,
        valid_until: int | None,
        level: _Level,
        budgets: list[int],
        slopes: list[int],
        denominator: int,
        stale: dict[int, tuple[int, int, int]],
        remaining: set[int],
        selected: list[int],
    ) -> None:
        self.origin = origin
        self.valid_until = valid_until
        self.level = level
        self.budgets = budgets
        self.slopes = slopes
        self.denominator = denominator
        self.stale = stale
        self.remaining = remaining
        self.selected = selected
        # The project funded in this round and its rho (t0 + t1 * x) / q, once known.
        self.chosen: tuple[int, tuple[int, int, int]] | None = None


class EqualShares:
    """Runs Equal Shares on one prepared election for any per-voter budget ``b0 + k``.

    ``b0`` is the budget divided by the number of voters. Runs share the cached class
    partitions, and a parametric run reuses the still-valid rounds of the previous one, so
    the successive runs of the ``add1`` completions are cheap.
    """

    def __init__(self, prep: Prepared) -> None:
        self.prep = prep
        self.runs = 0
        self.rounds = 0
        cumulative = prep.cumulative
        self.gamma = [1 if cumulative else c for c in prep.scaled_costs]
        weights = prep.group_weights
        self.total_sat = [sum(weights[g] * pts for g, pts in sup) for sup in prep.supporters]
        self.supporter_weight = [sum(weights[g] for g, _ in sup) for sup in prep.supporters]
        self.levels = _Levels(prep)
        self.root = self.levels.root
        # Supported projects costing nothing are funded before the rule starts (pabutools;
        # with approval ballots their Cost_Sat is 0, so they never are).
        self.free = [
            p
            for p, cost in enumerate(prep.scaled_costs)
            if cost == 0 and self.total_sat[p] > 0 and cumulative
        ]
        # The projects Equal Shares considers (pabutools' MES projects).
        self.candidates = [
            p for p, cost in enumerate(prep.scaled_costs) if cost > 0 and self.total_sat[p] > 0
        ]
        self._trace: list[_State] = []

    def _initial_state(self, k: int) -> _State:
        prep = self.prep
        start = prep.scaled_budget // prep.n + k * prep.scale if prep.n else 0
        classes = len(self.root.class_weights)
        # A project whose supporters together never had its cost is never affordable: drop it
        # now (this holds while start + scale * x stays below cost / supporters).
        costs = prep.scaled_costs
        bound = _Bound()
        remaining = set()
        for p in self.candidates:
            spare = self.supporter_weight[p] * start - costs[p]
            if spare < 0:
                bound.add(-spare, -self.supporter_weight[p] * prep.scale, True)
            else:
                remaining.add(p)
        stale = {p: (costs[p], 0, self.total_sat[p] * self.gamma[p]) for p in remaining}
        return _State(
            k,
            None if bound.limit is None else k + bound.limit,
            self.root,
            [start] * classes,
            [prep.scale] * classes,
            1,
            stale,
            remaining,
            [],
        )

    def _resume(self, k: int) -> _State:
        """The state to start a parametric run at ``k`` from: the latest round of the previous
        run whose decisions all still hold at ``k``, moved to origin ``k``."""
        trace = self._trace
        keep = 0
        while keep < len(trace) and (
            trace[keep].valid_until is None or trace[keep].valid_until >= k
        ):
            keep += 1
        del trace[keep:]
        if not trace:
            return self._initial_state(k)
        state = trace.pop()  # the run records it again, moved to origin k
        x = k - state.origin
        if x:
            budgets = [n + m * x for n, m in zip(state.budgets, state.slopes, strict=True)]
            stale = {p: (t0 + t1 * x, t1, q) for p, (t0, t1, q) in state.stale.items()}
        else:
            budgets, stale = list(state.budgets), dict(state.stale)
        return _State(
            k,
            state.valid_until,
            state.level,
            budgets,
            state.slopes,
            state.denominator,
            stale,
            set(state.remaining),
            list(state.selected),
        )

    def run(self, k: int, parametric: bool = False) -> MESRun:
        """Fund projects with per-voter budget ``b0 + k``; see :class:`MESRun`."""
        self.runs += 1
        prep = self.prep
        costs = prep.scaled_costs
        if parametric:
            state = self._resume(k)
            bound = _Bound(None if state.valid_until is None else state.valid_until - k)
        else:
            state = self._initial_state(k)
            bound = None
        level = state.level
        budgets = state.budgets
        slopes = state.slopes
        denominator = state.denominator
        stale = state.stale
        remaining = state.remaining
        selected = state.selected
        trace = self._trace
        while remaining:
            self.rounds += 1
            if parametric:
                trace.append(
                    _State(
                        k,
                        None if bound.limit is None else k + bound.limit,
                        level,
                        budgets,
                        slopes,
                        denominator,
                        dict(stale),
                        set(remaining),
                        list(selected),
                    )
                )
            # Visit projects by increasing last rho, a lower bound of the current one. The sort
            # key floor(rho * 2**64) never reverses the exact order; exact comparisons decide.
            keys = {p: (stale[p][0] << _KEY_BITS) // stale[p][2] for p in remaining}
            order = sorted(remaining, key=lambda p: (keys[p], p))
            best = -1
            best_rho = (0, 0, 1)
            best_key = 0
            best_eval: tuple = ()
            for p in order:
                t0, _, q = stale[p]
                if best >= 0:
                    if keys[p] > best_key:
                        break  # this and every later lower bound exceed the best rho
                    if t0 * best_rho[2] > best_rho[0] * q:
                        continue
                # (pabutools also drops the unaffordable projects it meets before stopping;
                # which of those it drops does not change the outcome.)
                items = level.items(prep, p)
                item_cls, _, item_w = items
                bud = list(map(budgets.__getitem__, item_cls))
                avail = sum(map(mul, bud, item_w))
                need = costs[p] * denominator
                if avail < need:
                    remaining.discard(p)
                    if bound is not None:
                        slope = sum(map(mul, map(slopes.__getitem__, item_cls), item_w))
                        bound.add(need - avail, -slope, True)
                    continue
                evaluation = self._rho(
                    p, items, bud, slopes if parametric else None, denominator, need
                )
                rho = evaluation[0]
                stale[p] = rho
                if best < 0:
                    better = True
                else:
                    lhs = rho[0] * best_rho[2]
                    rhs = best_rho[0] * rho[2]
                    better = lhs < rhs or (lhs == rhs and p < best)
                if better:
                    best, best_rho, best_eval = p, rho, evaluation
                    best_key = (rho[0] << _KEY_BITS) // rho[2]
            if best < 0:
                break
            s = best
            rich_den = best_eval[3]
            if parametric:
                trace[-1].chosen = (s, best_rho)
            if bound is not None:
                self._record(
                    bound, s, best_eval, level.items(prep, s), budgets, slopes, stale, remaining
                )
            remaining.discard(s)
            selected.append(s)
            items = level.items(prep, s)
            transition = self.levels.descend(level, s)
            level = transition[0]
            budgets, slopes = self._pay(
                items, transition, budgets, slopes if parametric else None, best_eval
            )
            denominator *= rich_den
        if bound is not None:
            trace.append(
                _State(
                    k,
                    None if bound.limit is None else k + bound.limit,
                    level,
                    budgets,
                    slopes,
                    denominator,
                    dict(stale),
                    set(remaining),
                    list(selected),
                )
            )
        self.levels.prune([state.level for state in trace])
        return MESRun(selected, None if bound is None else bound.limit)

    def certify(self, k: int, last: int, max_points: int = _MAX_POINTS) -> int:
        """Prove that per-voter budgets ``b0 + x`` for ``x`` from ``k`` on fund the same
        projects, in the same order, as the parametric run just made at ``k``; return the
        largest ``e <= last`` for which every ``x`` in ``k..e`` is proven (``k``: none beyond).

        While the same projects are funded in the same order, every budget is a nondecreasing
        function of ``x`` (a voter pays ``min(budget, rho * sat)``, and ``rho`` only goes down
        when budgets go up), so every ``rho`` is nonincreasing and every project's available
        money nondecreasing. On an interval ``a..c`` it therefore suffices, round by round, that
        the project funded costs at ``a`` a ``rho`` no larger than every other project's at ``c``
        (or than a lower bound of it), a project being out of the race on the whole interval
        when it is unaffordable at ``c``; and, at the end, that every project left is
        unaffordable at ``c``. The interval starts as ``k..last`` with a run at ``last`` that
        follows the known order; where two projects' ``rho`` are too close for the bounds,
        the interval is split at its middle (one more run to that point), up to ``max_points``
        points; beyond a point that cannot be proven, the interval is cut.
        """
        trace = self._trace
        if last <= k or not trace:
            return k
        points = [k, last]
        states = {last: self._point(last, 0, None)}
        for step, round_state in enumerate(trace):
            level = round_state.level
            chosen = round_state.chosen
            if chosen is None:
                # The run at k ends here: every project left must be unaffordable on each
                # interval, that is at its right end.
                for i in range(1, len(points)):
                    if not self._all_unaffordable(level, states[points[i]]):
                        return points[i - 1]
                return points[-1]
            s, (t0, t1, q) = chosen
            rhos = {k: (t0 + t1 * (k - round_state.origin), q)}
            evaluations = {}
            for x in points[1:]:
                evaluations[x] = self._rho_at(level, s, states[x])
                rhos[x] = evaluations[x][0][::2]  # (t0, q): no slope here
            i = 1
            while i < len(points):
                left, right = points[i - 1], points[i]
                # Between consecutive integers there is nothing to bound: compare at right.
                rho_s = rhos[right] if right == left + 1 else rhos[left]
                verdict = self._wins(level, s, rho_s, rhos[right], states[right])
                if verdict == _WINS:
                    i += 1
                    continue
                # Split where only the bounds are too loose (s still wins at ``right``); where
                # the order really changes, cut instead.
                if verdict == _LOOSE and right - left >= 2 and len(points) < max_points:
                    middle = (left + right) // 2
                    states[middle] = self._point(middle, step, states[right])
                    evaluations[middle] = self._rho_at(level, s, states[middle])
                    rhos[middle] = evaluations[middle][0][::2]
                    points.insert(i, middle)
                    continue
                if left == k:
                    return k
                for x in points[i:]:
                    del states[x]
                del points[i:]
            for x in points[1:]:
                state = states[x]
                state.budgets = self._pay(
                    level.items(self.prep, s),
                    self.levels.descend(level, s),
                    state.budgets,
                    None,
                    evaluations[x],
                )[0]
                state.denominator *= evaluations[x][3]
                state.remaining.discard(s)
        return points[-1]

    def _point(self, x: int, rounds: int, like: _State | None) -> _State:
        """The state at per-voter budget ``b0 + x`` after the first ``rounds`` rounds of the
        run in the trace (whose order is proven at ``x``); lower bounds of rho and the projects
        left are taken from ``like``, a state at a larger budget after as many rounds."""
        self.runs += 1
        state = self._initial_state(x)
        for round_state in self._trace[:rounds]:
            level = round_state.level
            s = round_state.chosen[0]
            evaluation = self._rho_at(level, s, state)
            state.budgets = self._pay(
                level.items(self.prep, s),
                self.levels.descend(level, s),
                state.budgets,
                None,
                evaluation,
            )[0]
            state.denominator *= evaluation[3]
        if like is not None:
            state.stale = dict(like.stale)
            state.remaining = set(like.remaining)
        return state

    def _rho_at(self, level: _Level, s: int, state: _State) -> tuple:
        """The exact rho evaluation of project ``s`` (known to be affordable) in ``state``."""
        items = level.items(self.prep, s)
        bud = list(map(state.budgets.__getitem__, items[0]))
        if sum(map(mul, bud, items[2])) < self.prep.scaled_costs[s] * state.denominator:
            # Budgets grow with x while the order holds: this cannot happen.
            raise RuntimeError("Equal Shares: a funded project became unaffordable")
        return self._rho(
            s, items, bud, None, state.denominator, self.prep.scaled_costs[s] * state.denominator
        )

    def _wins(
        self,
        level: _Level,
        s: int,
        rho_s: tuple[int, int],
        rho_here: tuple[int, int],
        state: _State,
    ) -> int:
        """Whether ``rho_s`` beats every project left in ``state`` (ties: the ranking), using
        the lower bounds of ``state`` and refreshing them, or dropping unaffordable projects,
        where they are not enough: ``_WINS``, else ``_LOOSE`` if ``s`` still wins with its own
        rho ``rho_here`` in ``state``, else ``_CHANGED``."""
        s0, q = rho_s
        stale = state.stale
        remaining = state.remaining
        keys = {p: (stale[p][0] << _KEY_BITS) // stale[p][2] for p in remaining}
        s_key = (s0 << _KEY_BITS) // q
        prep = self.prep
        for p in sorted(remaining, key=lambda p: (keys[p], p)):
            if p == s:
                continue
            if keys[p] > s_key:
                return _WINS  # this and every later lower bound exceed rho_s
            p0, _, pq = stale[p]
            if p0 * q > s0 * pq or (p0 * q == s0 * pq and s < p):
                continue
            items = level.items(prep, p)
            bud = list(map(state.budgets.__getitem__, items[0]))
            need = prep.scaled_costs[p] * state.denominator
            if sum(map(mul, bud, items[2])) < need:
                remaining.discard(p)
                continue
            rho = self._rho(p, items, bud, None, state.denominator, need)[0]
            stale[p] = rho
            p0, _, pq = rho
            if p0 * q < s0 * pq or (p0 * q == s0 * pq and p < s):
                h0, hq = rho_here
                if p0 * hq < h0 * pq or (p0 * hq == h0 * pq and p < s):
                    return _CHANGED
                return _LOOSE
        return _WINS

    def _all_unaffordable(self, level: _Level, state: _State) -> bool:
        prep = self.prep
        for p in state.remaining:
            item_cls, _, item_w = level.items(prep, p)
            avail = sum(map(mul, map(state.budgets.__getitem__, item_cls), item_w))
            if avail >= prep.scaled_costs[p] * state.denominator:
                return False
        return True

    @staticmethod
    def _pay(
        items: _Items,
        transition: _Transition,
        budgets: list[int],
        slopes: list[int] | None,
        evaluation: tuple,
    ) -> tuple[list[int], list[int] | None]:
        """Budgets (and slopes) of the next level's classes once the project is paid for.

        A rich item pays ``pts * t0 / rich_den``; a poor one, or one without money, pays all it
        has. Everything is brought to the new common denominator (times ``rich_den``).
        """
        _, t0, t1, rich_den, poor = evaluation
        _, sources, paid, keep = transition
        item_cls, item_pts, _ = items
        scale = rich_den.__mul__
        bud = list(map(budgets.__getitem__, item_cls))
        if slopes is None:
            # max(0, ...): a poor item's share exceeds its budget, so it is left with 0.
            after = [max(0, b * rich_den - pts * t0) for b, pts in zip(bud, item_pts, strict=True)]
            if keep is not None:
                return list(map(scale, map(budgets.__getitem__, keep))) + after, None
            return [
                budgets[c] * rich_den if j < 0 else after[j]
                for c, j in zip(sources, paid, strict=True)
            ], None
        slo = list(map(slopes.__getitem__, item_cls))
        # Items paying all they have (now and for larger budgets) are left with nothing.
        broke = [not (b or m) for b, m in zip(bud, slo, strict=True)]
        for j in poor:
            broke[j] = True
        after = [
            0 if out else b * rich_den - pts * t0
            for out, b, pts in zip(broke, bud, item_pts, strict=True)
        ]
        after_slopes = [
            0 if out else m * rich_den - pts * t1
            for out, m, pts in zip(broke, slo, item_pts, strict=True)
        ]
        if keep is not None:
            return (
                list(map(scale, map(budgets.__getitem__, keep))) + after,
                list(map(scale, map(slopes.__getitem__, keep))) + after_slopes,
            )
        return (
            [
                budgets[c] * rich_den if j < 0 else after[j]
                for c, j in zip(sources, paid, strict=True)
            ],
            [
                slopes[c] * rich_den if j < 0 else after_slopes[j]
                for c, j in zip(sources, paid, strict=True)
            ],
        )

    def _rho(
        self,
        p: int,
        items: _Items,
        bud: list[int],
        slopes: list[int] | None,
        denominator: int,
        need: int,
    ) -> tuple:
        """Exact ``rho`` of an affordable project; ``bud`` are its items' budgets.

        Returns ``((t0, t1, q), t0, t1, rich_den, poor)``: a rich supporter giving ``pts``
        points pays ``pts * (t0 + t1 * x) / (rich_den * denominator)``; the items in ``poor``
        (indices) and those with no money at all pay all their budget; and
        ``rho = (t0 + t1 * x) / q``. With ``slopes`` (a parametric run), an item with no money
        now but a positive slope is not "without money".

        pabutools scans the supporters by increasing ``budget / sat`` until one can pay its
        share. Here only the supporters that might be poor are sorted: those whose
        ``budget / pts`` is below twice the share if nobody were poor; if the share found is
        not below that bound, every supporter left out is rich, else all are sorted.
        """
        item_cls, item_pts, item_w = items
        if slopes is None:
            alive = [j for j, b in enumerate(bud) if b]
        else:
            alive = [j for j, b in enumerate(bud) if b or slopes[item_cls[j]]]
        if self.prep.cumulative:
            scale = self.prep.points_lcm
            ratio = [b * (scale // pts) for b, pts in zip(bud, item_pts, strict=True)]
            total = sum(map(mul, map(item_pts.__getitem__, alive), map(item_w.__getitem__, alive)))
        else:
            scale = 1
            ratio = bud
            total = sum(map(item_w.__getitem__, alive))
        # ratio[j] / scale is budget / pts; a supporter is poor when it is below the share
        # t0 / rich_den. Candidates: ratio below twice the share with nobody poor.
        limit = 2 * -(-need * scale // total)
        candidates = [j for j in alive if ratio[j] < limit]
        for attempt in (candidates, alive):
            attempt.sort(key=ratio.__getitem__)
            poor_sum = 0
            rich_den = total
            count = 0
            for j in attempt:
                # rich when budget * rich_den >= (need - poor_sum) * pts
                if bud[j] * rich_den >= (need - poor_sum) * item_pts[j]:
                    break
                poor_sum += item_w[j] * bud[j]
                rich_den -= item_w[j] * item_pts[j]
                count += 1
            t0 = need - poor_sum
            # Items not in ``attempt`` have ratio >= limit: rich if the share is below it.
            if attempt is alive or t0 * scale <= limit * rich_den:
                break
        poor = set(attempt[:count])
        t1 = 0
        if slopes is not None:
            for j in poor:
                t1 -= item_w[j] * slopes[item_cls[j]]
        # The share is (t0 + t1 * x) / (rich_den * denominator): reduce it, so that the common
        # denominator of the budgets grows as little as possible.
        common = gcd(t0, t1, rich_den)
        if common > 1:
            t0, t1, rich_den = t0 // common, t1 // common, rich_den // common
        q = rich_den * denominator * self.gamma[p]
        return ((t0, t1, q), t0, t1, rich_den, poor)

    def _record(
        self,
        bound: _Bound,
        s: int,
        evaluation: tuple,
        items: _Items,
        budgets: list[int],
        slopes: list[int],
        stale: dict[int, tuple[int, int, int]],
        remaining: set[int],
    ) -> None:
        """Conditions for ``s`` to stay the project funded this round, paid the same way."""
        (s0, s1, sq), t0, t1, rich_den, poor = evaluation
        item_cls, item_pts, _ = items
        for j, (c, pts) in enumerate(zip(item_cls, item_pts, strict=True)):
            n0, n1 = budgets[c], slopes[c]
            if not n0 and not n1:
                continue  # no money now nor at any larger budget
            f1 = rich_den * n1 - pts * t1
            if j in poor:
                if f1 > 0:
                    bound.add(pts * t0 - rich_den * n0, -f1, False)
            elif f1 < 0:
                bound.add(rich_den * n0 - pts * t0, f1, False)
        for p in remaining:
            if p != s:
                p0, p1, pq = stale[p]
                bound.add(p0 * sq - s0 * pq, p1 * sq - s1 * pq, p < s)

"""Elections, tie-breaking orders and outcomes: the plain data the counting engine works on.

Everything here is exact: money (the budget, costs) and points are ``int`` or
:class:`fractions.Fraction`, never floats. Nothing imports Django.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from math import lcm

Number = int | Fraction
ProjectId = Hashable
"""A project id: usually a ``str`` (Pabulib ids are strings) or an ``int`` (a primary key)."""

APPROVAL = "approval"
CUMULATIVE = "cumulative"
VOTE_TYPES = (APPROVAL, CUMULATIVE)

# Tie-breaking criteria, each a key where lower sorts (and so wins) first.
LOWEST_COST = "lowest-cost"
HIGHEST_COST = "highest-cost"
MOST_VOTES = "most-votes"
FEWEST_VOTES = "fewest-votes"
MOST_POINTS = "most-points"
FEWEST_POINTS = "fewest-points"
ID = "id"
TIE_BREAK_CRITERIA = (
    LOWEST_COST,
    HIGHEST_COST,
    MOST_VOTES,
    FEWEST_VOTES,
    MOST_POINTS,
    FEWEST_POINTS,
    ID,
)


class ElectionError(ValueError):
    """The election is malformed (unknown project, negative cost, bad vote type...)."""


def as_number(value: object, what: str) -> Number:
    """Return ``value`` as an exact ``int`` or ``Fraction``; refuse floats and booleans."""
    if isinstance(value, bool) or not isinstance(value, int | Fraction):
        raise ElectionError(f"{what} must be an int or a Fraction, not {value!r}")
    if isinstance(value, Fraction) and value.denominator == 1:
        return value.numerator
    return value


@dataclass(frozen=True, slots=True)
class Project:
    """A project on the ballot: its id, its cost and, for display, a name."""

    id: ProjectId
    cost: Number
    name: str = ""


@dataclass(frozen=True, slots=True)
class Election:
    """One participatory-budgeting election.

    ``ballots`` is a sequence of ``(weight, {project_id: points})``: ``weight`` identical
    ballots (at least 1). For approval ballots the points are 1 (any positive number means
    "approved"); for cumulative ballots they are the points given. A project given 0 points is
    not supported. Empty ballots count as voters (they share the budget under Equal Shares).
    """

    budget: Number
    projects: Mapping[ProjectId, Project]
    ballots: Sequence[tuple[int, Mapping[ProjectId, Number]]]
    vote_type: str = APPROVAL

    def __post_init__(self) -> None:
        if self.vote_type not in VOTE_TYPES:
            raise ElectionError(f"vote_type must be one of {VOTE_TYPES}, not {self.vote_type!r}")
        budget = as_number(self.budget, "the budget")
        if budget < 0:
            raise ElectionError("the budget cannot be negative")
        for pid, project in self.projects.items():
            if project.id != pid:
                raise ElectionError(f"project {project.id!r} is filed under the key {pid!r}")
            if as_number(project.cost, f"the cost of {pid!r}") < 0:
                raise ElectionError(f"the cost of {pid!r} cannot be negative")
        for weight, ballot in self.ballots:
            if isinstance(weight, bool) or not isinstance(weight, int) or weight < 1:
                raise ElectionError(f"a ballot weight must be a positive int, not {weight!r}")
            for pid, points in ballot.items():
                if pid not in self.projects:
                    raise ElectionError(f"a ballot names the unknown project {pid!r}")
                if as_number(points, f"the points for {pid!r}") < 0:
                    raise ElectionError(f"the points for {pid!r} cannot be negative")

    @property
    def num_voters(self) -> int:
        """The number of voters (the sum of the ballot weights)."""
        return sum(weight for weight, _ in self.ballots)

    def merged_ballots(self) -> list[tuple[int, dict[ProjectId, Number]]]:
        """Identical ballots merged into one with the summed weight, zero points dropped.

        The order is that of each ballot's first appearance; empty ballots are merged too.
        """
        merged: dict[frozenset, int] = {}
        for weight, ballot in self.ballots:
            key = frozenset((pid, pts) for pid, pts in ballot.items() if pts > 0)
            merged[key] = merged.get(key, 0) + weight
        return [(weight, dict(key)) for key, weight in merged.items()]

    def tally(
        self, ballots: Sequence[tuple[int, Mapping[ProjectId, Number]]] | None = None
    ) -> tuple[dict[ProjectId, int], dict[ProjectId, Number]]:
        """For each project, its votes (voters giving it positive points) and its total points
        (approval ballots: its votes), in one pass over ``ballots`` (default: all of them)."""
        votes = dict.fromkeys(self.projects, 0)
        totals: dict[ProjectId, Number] = dict.fromkeys(self.projects, 0)
        cumulative = self.vote_type == CUMULATIVE
        for weight, ballot in self.ballots if ballots is None else ballots:
            for pid, points in ballot.items():
                if points > 0:
                    votes[pid] += weight
                    if cumulative:
                        totals[pid] += weight * points
        if not cumulative:
            return votes, dict(votes)
        return votes, {pid: as_number(Fraction(total), "points") for pid, total in totals.items()}

    def votes(self) -> dict[ProjectId, int]:
        """For each project, the number of voters supporting it (positive points)."""
        return self.tally()[0]

    def points(self) -> dict[ProjectId, Number]:
        """For each project, its total points (approval ballots: its number of votes)."""
        return self.tally()[1]

    def support(self) -> dict[ProjectId, Number]:
        """What the rules rank by: votes for approval ballots, total points for cumulative."""
        return self.points()


def ids_are_integers(ids: Sequence[ProjectId]) -> bool:
    """True when every id is an ``int`` or a string of an integer (then ids sort numerically)."""
    for pid in ids:
        if isinstance(pid, bool):
            return False
        if isinstance(pid, int):
            continue
        if not isinstance(pid, str):
            return False
        text = pid.strip()
        if text.startswith(("-", "+")):
            text = text[1:]
        if not text.isdigit():
            return False
    return True


@dataclass(frozen=True, slots=True)
class TieBreak:
    """The explicit order that decides between projects the rule cannot separate.

    ``order`` lists criteria, most important first; each is one of
    ``lowest-cost``, ``highest-cost``, ``most-votes``, ``fewest-votes``, ``most-points``,
    ``fewest-points`` and ``id``. The project id always ends the order, so it is total:
    ids compare as integers when every id is an integer (``int`` or a digit string),
    otherwise as strings. Votes are the number of voters supporting a project; points are
    the total points (equal to the votes on approval ballots).

    The default — lowest cost, then most votes, then id — favours the cheaper project, then
    the more popular one, then the older (lower) id.
    """

    order: tuple[str, ...] = (LOWEST_COST, MOST_VOTES, ID)

    def __post_init__(self) -> None:
        for criterion in self.order:
            if criterion not in TIE_BREAK_CRITERIA:
                raise ElectionError(
                    f"unknown tie-breaking criterion {criterion!r}; use {TIE_BREAK_CRITERIA}"
                )

    def ranking(
        self,
        election: Election,
        tally: tuple[Mapping[ProjectId, int], Mapping[ProjectId, Number]] | None = None,
    ) -> list[ProjectId]:
        """All project ids, the one that wins every tie first (``tally``: the election's, if
        already computed)."""
        ids = list(election.projects)
        numeric = ids_are_integers(ids)
        votes, points = tally or election.tally()

        def id_key(pid: ProjectId) -> int | str:
            return int(pid) if numeric else str(pid)

        def key(pid: ProjectId) -> tuple:
            cost = election.projects[pid].cost
            parts: list = []
            for criterion in self.order:
                if criterion == LOWEST_COST:
                    parts.append(cost)
                elif criterion == HIGHEST_COST:
                    parts.append(-cost)
                elif criterion == MOST_VOTES:
                    parts.append(-votes[pid])
                elif criterion == FEWEST_VOTES:
                    parts.append(votes[pid])
                elif criterion == MOST_POINTS:
                    parts.append(-points[pid])
                elif criterion == FEWEST_POINTS:
                    parts.append(points[pid])
                else:
                    parts.append(id_key(pid))
            parts.append(id_key(pid))
            return tuple(parts)

        ranked = sorted(ids, key=key)
        if len({id_key(pid) for pid in ids}) != len(ids):
            raise ElectionError("two project ids are the same once compared as ids")
        return ranked

    def ranks(self, election: Election) -> dict[ProjectId, int]:
        """Each project's position in :meth:`ranking` (0 wins every tie)."""
        return {pid: position for position, pid in enumerate(self.ranking(election))}


DEFAULT_TIE_BREAK = TieBreak()


@dataclass(frozen=True, slots=True)
class Outcome:
    """The result of a count.

    ``selected`` lists the funded projects in the order the rule picked them (for Equal Shares
    with a greedy top-up: the Equal Shares part first). ``support`` gives, for every project,
    the votes (approval) or total points (cumulative). For Equal Shares, ``voter_budget`` is the
    per-voter budget of the run whose outcome was kept (``budget / voters + increments``),
    ``increments`` how many times the completion added 1 to it, and ``runs`` how many Equal
    Shares runs the engine made (one run covers a whole interval of budgets proven to have the
    same outcome; the runs that prove such intervals count too).
    """

    selected: tuple[ProjectId, ...]
    cost: Number
    support: Mapping[ProjectId, Number]
    rule: str
    completion: str
    vote_type: str
    tie_break: TieBreak
    voter_budget: Number | None = None
    increments: int = 0
    runs: int = 0
    engine_version: str = ""


@dataclass(slots=True)
class Prepared:
    """An election turned into integer arrays for fast exact counting (internal).

    Projects are numbered by tie-breaking rank (index 0 wins every tie). Money is scaled by
    ``scale = n * L`` (``L`` the least common multiple of the denominators of the budget and of
    the costs), so that the budget, the costs and the initial per-voter budget ``budget / n``
    are integers. Points are scaled to integers by the least common multiple of their
    denominators.
    """

    election: Election
    ids: list[ProjectId]
    costs: list[Number]
    scaled_costs: list[int]
    scale: int
    scaled_budget: int
    n: int
    votes: list[int]
    points: list[Number]
    group_weights: list[int]
    group_points: list[dict[int, int]]
    supporters: list[list[tuple[int, int]]]
    cumulative: bool
    points_lcm: int

    @classmethod
    def build(cls, election: Election, tie_break: TieBreak) -> Prepared:
        merged = election.merged_ballots()
        votes_by_id, points_by_id = election.tally(merged)
        ranking = tie_break.ranking(election, (votes_by_id, points_by_id))
        index = {pid: i for i, pid in enumerate(ranking)}
        costs = [as_number(election.projects[pid].cost, "cost") for pid in ranking]
        budget = as_number(election.budget, "budget")
        n = election.num_voters
        denominators = [Fraction(budget).denominator] + [Fraction(c).denominator for c in costs]
        scale = max(n, 1) * lcm(*denominators)
        cumulative = election.vote_type == CUMULATIVE
        point_denominators = [1]
        if cumulative:
            point_denominators += [
                Fraction(pts).denominator for _, ballot in merged for pts in ballot.values()
            ]
        point_scale = lcm(*point_denominators)
        group_weights: list[int] = []
        group_points: list[dict[int, int]] = []
        supporters: list[list[tuple[int, int]]] = [[] for _ in ranking]
        distinct_points: set[int] = {1}
        for weight, ballot in merged:
            if not ballot:
                continue
            g = len(group_weights)
            scaled: dict[int, int] = {}
            for pid in sorted(ballot, key=index.__getitem__):
                pts = int(Fraction(ballot[pid]) * point_scale) if cumulative else 1
                scaled[index[pid]] = pts
                supporters[index[pid]].append((g, pts))
                distinct_points.add(pts)
            group_weights.append(weight)
            group_points.append(scaled)
        return cls(
            election=election,
            ids=ranking,
            costs=costs,
            scaled_costs=[int(c * scale) for c in costs],
            scale=scale,
            scaled_budget=int(budget * scale),
            n=n,
            votes=[votes_by_id[pid] for pid in ranking],
            points=[points_by_id[pid] for pid in ranking],
            group_weights=group_weights,
            group_points=group_points,
            supporters=supporters,
            cumulative=cumulative,
            points_lcm=lcm(*distinct_points),
        )

    def total_cost(self, selected: Sequence[int]) -> Number:
        """The cost of a list of project indices."""
        return as_number(Fraction(sum(self.costs[p] for p in selected)), "cost")

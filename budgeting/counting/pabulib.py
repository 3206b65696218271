"""Read and write Pabulib files (https://pabulib.org/format), the research community's format.

A file has three sections, each a ``;``-separated CSV table with a header row::

    META                     PROJECTS                        VOTES
    key;value                project_id;cost;votes;...       voter_id;vote[;points];...
    budget;100000            1;60000;12;...                  v1;1,3[;5,5]

Fields may be quoted (``"a;b"``); section names are case-insensitive; blank lines are
skipped; a UTF-8 byte-order mark is ignored. Numbers (budget, cost, points) are read exactly:
``12000`` -> ``int``, ``12000.50`` or ``12000,50`` -> ``Fraction``; ``None`` marks a missing
value. :func:`parse` returns plain dataclasses that keep every column, so :func:`dumps`
writes back an equivalent file, and :meth:`PabulibElection.to_election` gives the
:class:`~budgeting.counting.instance.Election` to count.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

from .instance import APPROVAL, CUMULATIVE, Election, Number, Project

APPROVAL_TYPES = ("approval", "choose-1")
POINTS_TYPES = ("cumulative", "scoring")
ORDINAL = "ordinal"
VOTE_TYPES = (*APPROVAL_TYPES, *POINTS_TYPES, ORDINAL)


class PabulibError(ValueError):
    """The text is not a valid Pabulib file."""


def parse_number(text: str) -> Number:
    """``"1200"`` -> 1200, ``"12.5"`` / ``"12,5"`` -> Fraction(25, 2); exact, never a float."""
    cleaned = text.strip().replace(",", ".")
    if not cleaned:
        raise PabulibError("an empty number")
    try:
        value = Fraction(cleaned)
    except ValueError as exc:
        raise PabulibError(f"not a number: {text!r}") from exc
    return value.numerator if value.denominator == 1 else value


def format_number(value: Number) -> str:
    """The inverse of :func:`parse_number`: an integer, or an exact decimal when there is one."""
    value = Fraction(value)
    if value.denominator == 1:
        return str(value.numerator)
    denominator = value.denominator
    twos = fives = 0
    while denominator % 2 == 0:
        denominator //= 2
        twos += 1
    while denominator % 5 == 0:
        denominator //= 5
        fives += 1
    if denominator != 1:
        raise PabulibError(f"{value} has no exact decimal form")
    places = max(twos, fives)
    scaled = abs(value.numerator) * 10**places // value.denominator
    digits = str(scaled).rjust(places + 1, "0")
    sign = "-" if value < 0 else ""
    return f"{sign}{digits[:-places]}.{digits[-places:]}".rstrip("0").rstrip(".")


@dataclass(slots=True)
class PabulibProject:
    """A row of the PROJECTS section: its id, exact cost and its other columns as read."""

    project_id: str
    cost: Number
    fields: dict[str, str] = field(default_factory=dict)

    @property
    def name(self) -> str:
        name = self.fields.get("name", "")
        return "" if name.lower() == "none" else name

    @property
    def selected(self) -> bool | None:
        """The ``selected`` column (``1`` = funded), or None when the file has none."""
        value = self.fields.get("selected")
        if value is None or value.strip().lower() in ("", "none"):
            return None
        return value.strip() not in ("0", "0.0")


@dataclass(slots=True)
class PabulibVote:
    """A row of the VOTES section: the voter, their projects, (points ballots) their points
    and the other columns as read."""

    voter_id: str
    vote: list[str]
    points: list[Number] | None = None
    fields: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class PabulibElection:
    """A whole Pabulib file. ``project_columns``/``vote_columns`` keep the column order."""

    meta: dict[str, str]
    projects: list[PabulibProject]
    votes: list[PabulibVote]
    project_columns: list[str] = field(default_factory=lambda: ["project_id", "cost"])
    vote_columns: list[str] = field(default_factory=lambda: ["voter_id", "vote"])

    @property
    def budget(self) -> Number:
        return parse_number(self.meta["budget"])

    @property
    def vote_type(self) -> str:
        return self.meta.get("vote_type", APPROVAL).strip().lower()

    def _meta_number(self, key: str) -> Number | None:
        value = self.meta.get(key)
        if value is None or value.strip().lower() in ("", "none"):
            return None
        return parse_number(value)

    @property
    def min_length(self) -> Number | None:
        return self._meta_number("min_length")

    @property
    def max_length(self) -> Number | None:
        return self._meta_number("max_length")

    @property
    def max_sum_points(self) -> Number | None:
        return self._meta_number("max_sum_points")

    @property
    def rule(self) -> str:
        return self.meta.get("rule", "")

    def selected_ids(self) -> list[str]:
        """Ids of the projects marked ``selected`` (funded), in file order."""
        return [p.project_id for p in self.projects if p.selected]

    def to_election(self) -> Election:
        """The election to count. Approval ballots give 1 point per project listed;
        cumulative and scoring ballots their points. Ordinal ballots cannot be counted here."""
        vote_type = self.vote_type
        if vote_type in APPROVAL_TYPES:
            kind = APPROVAL
        elif vote_type in POINTS_TYPES:
            kind = CUMULATIVE
        else:
            raise PabulibError(f"cannot count {vote_type!r} ballots")
        projects = {p.project_id: Project(p.project_id, p.cost, p.name) for p in self.projects}
        ballots: list[tuple[int, dict[str, Number]]] = []
        for vote in self.votes:
            ballot: dict[str, Number] = {}
            if kind == APPROVAL:
                for pid in vote.vote:
                    ballot[pid] = 1
            else:
                for pid, pts in zip(vote.vote, vote.points or [], strict=True):
                    ballot[pid] = ballot.get(pid, 0) + pts
            unknown = [pid for pid in ballot if pid not in projects]
            if unknown:
                raise PabulibError(f"voter {vote.voter_id} votes for unknown {unknown}")
            ballots.append((1, ballot))
        return Election(self.budget, projects, ballots, kind)

    @classmethod
    def from_election(
        cls,
        election: Election,
        meta: Mapping[str, str] | None = None,
        selected: Iterable | None = None,
    ) -> PabulibElection:
        """A Pabulib file for ``election`` (one row per voter, ids ``1``, ``2``, ...).

        ``meta`` adds or overrides META keys; ``selected`` (project ids) fills a
        ``selected`` column.
        """
        votes_by_id = election.votes()
        chosen = None if selected is None else {str(pid) for pid in selected}
        cumulative = election.vote_type == CUMULATIVE
        head = {
            "description": "Exported by Juntos",
            "country": "",
            "unit": "",
            "instance": "",
            "num_projects": str(len(election.projects)),
            "num_votes": str(election.num_voters),
            "budget": format_number(election.budget),
            "vote_type": election.vote_type,
            "rule": "",
        }
        head.update(meta or {})
        project_columns = ["project_id", "cost", "votes", "name"]
        if chosen is not None:
            project_columns.append("selected")
        projects = []
        for pid, project in election.projects.items():
            fields = {"votes": str(votes_by_id[pid]), "name": project.name}
            if chosen is not None:
                fields["selected"] = "1" if str(pid) in chosen else "0"
            projects.append(PabulibProject(str(pid), project.cost, fields))
        votes = []
        voter = 0
        for weight, ballot in election.ballots:
            ids = [pid for pid, pts in ballot.items() if pts > 0]
            for _ in range(weight):
                voter += 1
                points = [ballot[pid] for pid in ids] if cumulative else None
                votes.append(PabulibVote(str(voter), [str(pid) for pid in ids], points, {}))
        vote_columns = ["voter_id", "vote", "points"] if cumulative else ["voter_id", "vote"]
        return cls(head, projects, votes, project_columns, vote_columns)


def _split_list(text: str) -> list[str]:
    text = text.strip()
    if not text or text.lower() == "none":
        return []
    return [part.strip() for part in text.split(",") if part.strip()]


def parse(text: str) -> PabulibElection:
    """Parse the text of a Pabulib file."""
    if text.startswith("\ufeff"):
        text = text[1:]
    meta: dict[str, str] = {}
    projects: list[PabulibProject] = []
    votes: list[PabulibVote] = []
    project_columns: list[str] = []
    vote_columns: list[str] = []
    section = None
    header: list[str] = []
    rows = csv.reader(io.StringIO(text, newline=""), delimiter=";")
    for row in rows:
        if not row or (len(row) == 1 and not row[0].strip()):
            continue
        name = row[0].strip().lower()
        if name in ("meta", "projects", "votes") and len(row) == 1:
            section = name
            header = [column.strip() for column in next(rows, [])]
            if section == "projects":
                project_columns = header
            elif section == "votes":
                vote_columns = header
            continue
        if section is None:
            raise PabulibError("data before the META section")
        if section == "meta":
            if len(row) < 2:
                raise PabulibError(f"a META row without a value: {row!r}")
            meta[row[0].strip()] = row[1].strip()
            continue
        if len(row) > len(header):
            raise PabulibError(f"a {section.upper()} row has more fields than its header: {row!r}")
        fields = {header[i]: row[i].strip() for i in range(len(row))}
        if section == "projects":
            if "project_id" not in fields or "cost" not in fields:
                raise PabulibError("a project needs project_id and cost")
            pid = fields.pop("project_id")
            projects.append(PabulibProject(pid, parse_number(fields.pop("cost")), fields))
        else:
            if "voter_id" not in fields:
                raise PabulibError("a vote needs a voter_id")
            voter_id = fields.pop("voter_id")
            ids = _split_list(fields.pop("vote", ""))
            points = None
            if "points" in fields:
                points = [parse_number(x) for x in _split_list(fields.pop("points"))]
                if len(points) != len(ids):
                    raise PabulibError(f"voter {voter_id}: not as many points as projects")
            votes.append(PabulibVote(voter_id, ids, points, fields))
    if "budget" not in meta:
        raise PabulibError("META has no budget")
    return PabulibElection(meta, projects, votes, project_columns, vote_columns)


def read(path: str | Path) -> PabulibElection:
    """Read a Pabulib file."""
    return parse(Path(path).read_text(encoding="utf-8-sig"))


def dumps(election: PabulibElection) -> str:
    """The text of a Pabulib file for ``election`` (fields quoted only when needed)."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=";", lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    out.write("META\n")
    writer.writerow(["key", "value"])
    for key, value in election.meta.items():
        writer.writerow([key, value])
    out.write("PROJECTS\n")
    writer.writerow(election.project_columns)
    for project in election.projects:
        fields = dict(project.fields)
        fields["project_id"] = project.project_id
        fields["cost"] = format_number(project.cost)
        writer.writerow([fields.get(column, "None") for column in election.project_columns])
    out.write("VOTES\n")
    writer.writerow(election.vote_columns)
    for vote in election.votes:
        fields = dict(vote.fields)
        fields["voter_id"] = vote.voter_id
        fields["vote"] = ",".join(vote.vote)
        if vote.points is not None:
            fields["points"] = ",".join(format_number(p) for p in vote.points)
            if not vote.vote:
                # An empty points ballot: pabutools expects both columns to read None.
                fields["vote"] = fields["points"] = "None"
        writer.writerow([fields.get(column, "None") for column in election.vote_columns])
    return out.getvalue()


def write(election: PabulibElection, path: str | Path) -> None:
    """Write ``election`` as a Pabulib file (UTF-8)."""
    Path(path).write_text(dumps(election), encoding="utf-8")

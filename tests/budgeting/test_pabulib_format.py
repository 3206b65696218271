"""The Pabulib reader and writer: parsing, exact numbers, round trips, pabutools compatibility."""

from __future__ import annotations

import os
from fractions import Fraction
from pathlib import Path

import pytest

from budgeting.counting import Election, Project, count
from budgeting.counting.pabulib import (
    PabulibError,
    dumps,
    format_number,
    parse,
    parse_number,
    read,
    write,
)

SAMPLE = """\ufeffMETA
key;value
description;"Sample; with a semicolon"
budget;1000,50
vote_type;approval
rule;greedy
min_length;1
max_length;3

PROJECTS
project_id;cost;votes;name;selected
1;500;3;"Park; benches";1
2;400.25;2;Library;0
10;100;1;None;1
VOTES
voter_id;vote;age
v1;1,2;30
v2;1,10;None
v3;1;41
v4;;22
"""

CUMULATIVE = """META
key;value
budget;100
vote_type;cumulative
max_sum_points;10
projects
project_id;cost
a;60
b;50
votes
voter_id;vote;points
1;a,b;7,3
2;b;10
3;None;None
"""


def shared_pabulib() -> Path:
    configured = os.environ.get("JUNTOS_SHARED")
    base = Path(configured) if configured else Path(__file__).resolve().parents[2].parent / "shared"
    return base / "pabulib"


PABULIB = shared_pabulib()
FILES = sorted(PABULIB.glob("*.pb")) if PABULIB.is_dir() else []


def test_parse_reads_every_section_exactly():
    election = parse(SAMPLE)
    assert election.meta["description"] == "Sample; with a semicolon"
    assert election.budget == Fraction(2001, 2)
    assert election.vote_type == "approval"
    assert (election.min_length, election.max_length) == (1, 3)
    assert election.rule == "greedy"
    assert [p.project_id for p in election.projects] == ["1", "2", "10"]
    assert [p.cost for p in election.projects] == [500, Fraction(1601, 4), 100]
    assert election.projects[0].name == "Park; benches"
    assert election.projects[0].fields == {"votes": "3", "name": "Park; benches", "selected": "1"}
    assert election.selected_ids() == ["1", "10"]
    assert [v.vote for v in election.votes] == [["1", "2"], ["1", "10"], ["1"], []]
    assert election.votes[0].fields == {"age": "30"}
    assert election.votes[0].points is None
    assert election.project_columns == ["project_id", "cost", "votes", "name", "selected"]
    assert election.vote_columns == ["voter_id", "vote", "age"]


def test_to_election_gives_the_ballots_to_count():
    election = parse(SAMPLE).to_election()
    assert election.budget == Fraction(2001, 2)
    assert election.projects["2"] == Project("2", Fraction(1601, 4), "Library")
    assert election.num_voters == 4  # the empty ballot counts as a voter
    assert election.votes() == {"1": 3, "2": 1, "10": 1}
    assert count(election, "greedy").selected == ("1", "10", "2")  # 2 and 10 tie: cheaper first


def test_cumulative_ballots_keep_their_points():
    pb = parse(CUMULATIVE)
    assert pb.vote_type == "cumulative"
    assert pb.max_sum_points == 10
    assert [v.points for v in pb.votes] == [[7, 3], [10], []]
    election = pb.to_election()
    assert election.vote_type == "cumulative"
    assert election.points() == {"a": 7, "b": 13}
    assert count(election, "greedy").selected == ("b",)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("META\nkey;value\nvote_type;approval\n", "no budget"),
        ("1;2\nMETA\nkey;value\nbudget;1\n", "before the META"),
        ("META\nkey;value\nbudget;1\nPROJECTS\nproject_id;cost\n1;2;3\n", "more fields"),
        ("META\nkey;value\nbudget;x\n", None),
        ("META\nkey;value\nbudget;1\nPROJECTS\nproject_id;name\n1;a\n", "project_id and cost"),
        (
            "META\nkey;value\nbudget;1\nvote_type;cumulative\nPROJECTS\nproject_id;cost\n1;1\n"
            "VOTES\nvoter_id;vote;points\n1;1;2,3\n",
            "points",
        ),
    ],
)
def test_malformed_files_are_refused(text, message):
    with pytest.raises(PabulibError, match=message):
        parse(text).budget  # noqa: B018 - reading the budget parses it


def test_unknown_projects_and_uncountable_ballots_are_refused():
    text = "META\nkey;value\nbudget;1\nPROJECTS\nproject_id;cost\n1;1\nVOTES\nvoter_id;vote\n1;2\n"
    with pytest.raises(PabulibError, match="unknown"):
        parse(text).to_election()
    ordinal = text.replace("budget;1\n", "budget;1\nvote_type;ordinal\n").replace("1;2\n", "1;1\n")
    with pytest.raises(PabulibError, match="ordinal"):
        parse(ordinal).to_election()


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("12", 12),
        ("12.50", Fraction(25, 2)),
        ("12,5", Fraction(25, 2)),
        ("0.001", Fraction(1, 1000)),
    ],
)
def test_numbers_are_exact(text, value):
    assert parse_number(text) == value
    assert parse_number(format_number(value)) == value


def test_numbers_without_a_decimal_form_are_refused():
    assert format_number(Fraction(-7, 4)) == "-1.75"
    with pytest.raises(PabulibError, match="decimal"):
        format_number(Fraction(1, 3))


@pytest.mark.parametrize("text", [SAMPLE, CUMULATIVE])
def test_samples_round_trip(text, tmp_path):
    first = parse(text)
    write(first, tmp_path / "out.pb")
    assert read(tmp_path / "out.pb") == first
    assert parse(dumps(first)) == first


@pytest.mark.skipif(not FILES, reason=f"the shared Pabulib files are not in {PABULIB}")
@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_shared_files_round_trip(path):
    first = read(path)
    assert parse(dumps(first)) == first
    assert first.to_election() == parse(dumps(first)).to_election()


def test_written_elections_read_back_the_same():
    projects = {
        "1": Project("1", 300, "Trees"),
        "2": Project("2", Fraction(501, 2), "Benches; and tables"),
        "3": Project("3", 100),
    }
    ballots = [(2, {"1": 1, "2": 1}), (1, {"3": 1}), (1, {})]
    election = Election(Fraction(1001, 2), projects, ballots, "approval")
    pb = parse(dumps(_export(election)))
    again = pb.to_election()
    assert again.budget == election.budget
    assert again.projects == election.projects
    assert again.merged_ballots() == election.merged_ballots()
    assert pb.selected_ids() == ["1", "2"]
    assert (
        count(again, "equal-shares", "add1").selected
        == count(election, "equal-shares", "add1").selected
    )


def _export(election):
    from budgeting.counting.pabulib import PabulibElection

    return PabulibElection.from_election(election, meta={"rule": "greedy"}, selected=["1", "2"])


def _pabutools_view(text):
    """What pabutools reads: budget, costs and the ballots as sorted (project, points) lists."""
    from pabutools.election.pabulib import parse_pabulib_from_string

    instance, profile = parse_pabulib_from_string(text)
    costs = {p.name: Fraction(int(p.cost.numerator), int(p.cost.denominator)) for p in instance}
    ballots = []
    for ballot in profile:
        if hasattr(ballot, "items"):
            ballots.append(sorted((p.name, Fraction(str(v))) for p, v in ballot.items()))
        else:
            ballots.append(sorted((p.name, Fraction(1)) for p in ballot))
    budget = instance.budget_limit
    return Fraction(int(budget.numerator), int(budget.denominator)), costs, sorted(ballots)


@pytest.mark.parametrize("vote_type", ["approval", "cumulative"])
def test_pabutools_reads_what_we_write(vote_type):
    pytest.importorskip("pabutools", reason="pabutools (a dev dependency) is not installed")
    projects = {
        "1": Project("1", 300),
        "2": Project("2", Fraction(501, 2)),
        "10": Project("10", 100),
    }
    if vote_type == "approval":
        ballots = [(2, {"1": 1, "2": 1}), (1, {"10": 1}), (1, {})]
    else:
        ballots = [(2, {"1": 3, "2": 2}), (1, {"10": Fraction(5, 2)}), (1, {})]
    election = Election(1000, projects, ballots, vote_type)
    from budgeting.counting.pabulib import PabulibElection

    text = dumps(PabulibElection.from_election(election))
    budget, costs, pabutools_ballots = _pabutools_view(text)
    assert budget == 1000
    assert costs == {"1": 300, "2": Fraction(501, 2), "10": 100}
    expected = sorted(
        sorted((pid, Fraction(pts)) for pid, pts in ballot.items())
        for weight, ballot in ballots
        for _ in range(weight)
    )
    assert pabutools_ballots == expected


@pytest.mark.skipif(not FILES, reason=f"the shared Pabulib files are not in {PABULIB}")
def test_pabutools_reads_our_copy_of_a_real_file():
    pytest.importorskip("pabutools", reason="pabutools (a dev dependency) is not installed")
    path = PABULIB / "Poland_Czestochowa_2024_Tysiaclecie.pb"
    from pabutools.election.pabulib import parse_pabulib_from_string

    original = path.read_text(encoding="utf-8-sig")
    assert _pabutools_view(dumps(read(path))) == _pabutools_view(original)
    instance, _ = parse_pabulib_from_string(dumps(read(path)))
    assert instance.meta["rule"] == "greedy"

"""The command-line interfaces scripts rely on: pabulib_import, tally, pabulib_export."""

import json
import os
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from budgeting.counting import pabulib
from budgeting.models import BudgetEdition
from budgeting.selectors import ballots_verify

pytestmark = pytest.mark.django_db

SHARED = Path(os.environ.get("JUNTOS_SHARED", Path(__file__).resolve().parents[3] / "shared"))
GOLDEN = SHARED / "pabulib"
needs_shared = pytest.mark.skipif(
    not GOLDEN.is_dir(), reason=f"the Pabulib golden files are not at {GOLDEN}"
)


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


def import_file(path, *extra) -> BudgetEdition:
    output = run("pabulib_import", str(path), *extra)
    return BudgetEdition.objects.get(pk=int(output.strip().splitlines()[-1]))


def tally_json(edition, rule, completion="none") -> dict:
    args = ["tally", str(edition.pk), "--rule", rule, "--completion", completion, "--json"]
    return json.loads(run(*args))


@needs_shared
@pytest.mark.parametrize(
    ("name", "rule", "completion"),
    [
        ("Netherlands_Assen_2024.pb", "equal-shares", "add1"),
        ("Poland_Swiecie_2023.pb", "equal-shares", "add1"),
        ("Poland_Wieliczka_2023_Green_Budget.pb", "equal-shares", "add1-no-stop"),
        ("Poland_Czestochowa_2024_Tysiaclecie.pb", "greedy", "none"),
    ],
)
def test_a_tally_of_an_imported_election_gives_the_official_outcome(name, rule, completion):
    edition = import_file(GOLDEN / name)
    official = pabulib.read(GOLDEN / name)
    assert edition.projects.count() == len(official.projects)
    assert edition.log_length == len(official.votes)
    assert ballots_verify(edition=edition).ok
    result = tally_json(edition, rule, completion)
    assert sorted(result["selected"]) == sorted(official.selected_ids())
    assert set(result) >= {"selected", "cost", "budget", "rule", "completion", "seconds"}
    assert (result["rule"], result["completion"]) == (rule, completion)
    assert result["budget"] == str(edition.total_amount)


@needs_shared
def test_the_rule_the_file_names_becomes_the_editions_rule(city_a):
    edition = import_file(GOLDEN / "Netherlands_Assen_2024.pb", "--city", city_a.slug)
    assert edition.city == city_a
    assert (edition.counting_rule, edition.completion) == ("equal-shares", "add1")
    assert edition.phase == "counting"
    assert edition.projects.exclude(external_id="").count() == 14


@needs_shared
def test_exported_ballots_recount_to_the_same_outcome(tmp_path):
    edition = import_file(GOLDEN / "Poland_Czestochowa_2024_Tysiaclecie.pb")
    exported = tmp_path / "export.pb"
    call_command("pabulib_export", str(edition.pk), "-o", str(exported), stderr=StringIO())
    again = import_file(exported)
    for rule, completion in (("greedy", "none"), ("equal-shares", "add1")):
        assert (
            tally_json(again, rule, completion)["selected"]
            == tally_json(edition, rule, completion)["selected"]
        )
    text = exported.read_text()
    assert "vote_type;cumulative" in text
    assert "pabulib:" not in text  # no voter key leaks into the file


def test_a_tally_refuses_a_completion_for_greedy(city_a):
    from tests.budgeting.factories import voting_edition

    edition = voting_edition(city_a)
    with pytest.raises(CommandError, match="greedy rule takes no completion"):
        run("tally", str(edition.pk), "--rule", "greedy", "--completion", "add1")


def test_importing_a_file_that_is_not_pabulib_is_a_clear_error(tmp_path):
    bad = tmp_path / "bad.pb"
    bad.write_text("hello;world\n")
    with pytest.raises(CommandError, match="could not be read as a Pabulib election"):
        run("pabulib_import", str(bad))
    assert not BudgetEdition.objects.exists()
    with pytest.raises(CommandError, match="No file at"):
        run("pabulib_import", str(tmp_path / "missing.pb"))

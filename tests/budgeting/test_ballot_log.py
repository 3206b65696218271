"""The public ballot log: any edit, deletion, insertion or reordering is detected."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

import budgeting
from budgeting import verify
from budgeting.models import Ballot, BallotLogEntry, BudgetEdition, Participation
from budgeting.selectors import anonymised_ballots_export, ballot_log_export
from budgeting.services import ballot_cast, ballot_replace
from tests.budgeting.factories import codes_for, voting_edition

pytestmark = pytest.mark.django_db

VERIFY_SCRIPT = Path(budgeting.__file__).parent / "verify.py"


@pytest.fixture
def edition(city_a):
    """An edition with five ballots cast and one of them replaced (six log entries)."""
    edition = voting_edition(city_a, projects=3)
    projects = list(edition.projects.values_list("pk", flat=True))
    receipts = [
        ballot_cast(edition=edition, code=code, choices=projects[: 1 + i % 3])
        for i, code in enumerate(codes_for(edition, 5))
    ]
    ballot_replace(edition=edition, receipt=receipts[1], choices=projects[2:])
    edition.refresh_from_db()
    return edition


def verify_command(edition) -> str:
    """The command's complaint about ``edition`` (it must fail with exit status 1)."""
    with pytest.raises(CommandError) as exc:
        call_command("ballots_verify", edition.pk)
    assert exc.value.returncode == 1
    return str(exc.value)


def entry(edition, seq):
    return BallotLogEntry.objects.get(edition=edition, seq=seq)


def test_an_intact_log_verifies(edition, capsys):
    call_command("ballots_verify", edition.pk)
    out = capsys.readouterr().out
    assert "6 log entries form an intact chain and 5 ballots match it" in out


def test_editing_an_entry_is_detected(edition):
    tampered = entry(edition, 3)
    tampered.fingerprint = "0" * 64
    tampered.save()
    assert "entry 3" in verify_command(edition)


def test_editing_an_entry_and_rehashing_it_breaks_the_next_link(edition):
    tampered = entry(edition, 3)
    tampered.content_digest = "f" * 64
    tampered.entry_hash = verify.entry_hash(
        prev_hash=tampered.prev_hash,
        seq=3,
        kind=tampered.kind,
        fingerprint=tampered.fingerprint,
        supersedes=tampered.supersedes,
        content_digest=tampered.content_digest,
    )
    tampered.save()
    assert "entry 4" in verify_command(edition)


def test_deleting_an_entry_is_detected(edition):
    entry(edition, 2).delete()
    assert "entry 3 (position 2)" in verify_command(edition)


def test_cutting_the_end_of_the_log_is_detected(edition):
    entry(edition, 6).delete()
    assert "5 entries; the edition published 6" in verify_command(edition)


def test_inserting_an_entry_is_detected(edition):
    for row in BallotLogEntry.objects.filter(edition=edition, seq__gte=3).order_by("-seq"):
        row.seq += 1  # make room, from the end so sequence numbers stay unique
        row.save()
    first = entry(edition, 2)
    BallotLogEntry.objects.create(
        edition=edition,
        seq=3,
        kind="cast",
        fingerprint="a" * 64,
        content_digest="b" * 64,
        prev_hash=first.entry_hash,
        entry_hash=verify.entry_hash(
            prev_hash=first.entry_hash,
            seq=3,
            kind="cast",
            fingerprint="a" * 64,
            supersedes="",
            content_digest="b" * 64,
        ),
    )
    assert "entry 4" in verify_command(edition)


def test_reordering_entries_is_detected(edition):
    second, third = entry(edition, 2), entry(edition, 3)
    second.seq, third.seq = 0, 2
    second.save()
    third.save()
    second.seq = 3
    second.save()
    assert "entry 2" in verify_command(edition)


def test_changing_a_ballot_is_detected(edition):
    ballot = Ballot.objects.filter(edition=edition, superseded=False).first()
    ballot.choices = {"999": 1}
    ballot.save()
    assert "published ballot's content does not match" in verify_command(edition)


def test_removing_a_ballot_is_detected(edition):
    Ballot.objects.filter(edition=edition, superseded=False).first().delete()
    assert "missing from the published ballots" in verify_command(edition)


def test_a_ballot_without_a_voter_is_detected(edition):
    Participation.objects.filter(edition=edition).first().delete()
    assert "4 voters took part but the log has 5 ballots cast" in verify_command(edition)


def test_an_unknown_edition_is_an_error():
    with pytest.raises(CommandError, match="No budget edition has id 999999"):
        call_command("ballots_verify", 999999)


def test_the_published_script_verifies_the_published_files(edition, tmp_path):
    log_file, ballots_file = tmp_path / "log.json", tmp_path / "ballots.json"
    log_file.write_text(json.dumps(ballot_log_export(edition=edition)))
    ballots = anonymised_ballots_export(edition=edition)
    ballots_file.write_text(json.dumps(ballots))
    run = [sys.executable, str(VERIFY_SCRIPT), str(log_file), str(ballots_file)]
    done = subprocess.run(run, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout
    assert "6 log entries form an intact chain and 5 ballots match it" in done.stdout
    ballots["ballots"][0]["choices"] = {"1": 1}
    ballots_file.write_text(json.dumps(ballots))
    done = subprocess.run(run, capture_output=True, text=True, check=False)
    assert done.returncode == 1
    assert "FAILED" in done.stdout


def test_the_log_reveals_no_choices_before_the_ballots_are_published(edition):
    """Entries hold salted digests: guessing a ballot's content from the log is hopeless."""
    log = ballot_log_export(edition=edition)
    projects = list(edition.projects.values_list("pk", flat=True))
    guesses = {
        verify.content_digest(salt="", choices={str(p): 1}, zone=None, channel="online")
        for p in projects
    }
    assert not guesses & {e["content_digest"] for e in log["entries"]}


def test_a_replacement_must_follow_the_ballot_it_replaces(edition):
    report = verify.verify(edition.pk, ballot_log_export(edition=edition)["entries"][4:])
    assert not report.ok


def test_the_log_head_is_kept_with_the_edition(edition):
    last = entry(edition, 6)
    edition = BudgetEdition.objects.get(pk=edition.pk)
    assert (edition.log_length, edition.log_head) == (6, last.entry_hash)

#!/usr/bin/env python3
"""Check a Juntos participatory budget's ballot log and its anonymised ballots.

Standard library only, so anyone can run it on the two files an edition publishes:

    python verify.py ballot-log.json ballots.json

The log is a hash chain: each entry commits to the one before it, so editing, removing,
inserting or reordering entries breaks the chain; the log's head and length are published
with the edition, so cutting entries off the end is caught too. Each entry holds a ballot's
receipt fingerprint and a salted digest of its content: the published ballots must be exactly
the ones the log says are current (cast and not replaced), with the same content.
Exit status 0 when everything matches; otherwise 1, naming the first bad entry.
"""

import hashlib
import json
import sys
from dataclasses import dataclass, field

__all__ = ["content_digest", "entry_hash", "genesis", "verify"]


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def genesis(edition_id) -> str:
    """The hash the first entry of an edition's log points back to."""
    return _sha256(f"juntos-ballot-log:{edition_id}")


def entry_hash(*, prev_hash, seq, kind, fingerprint, supersedes, content_digest) -> str:
    return _sha256("|".join([prev_hash, str(seq), kind, fingerprint, supersedes, content_digest]))


def content_digest(*, salt, choices, zone, channel) -> str:
    """A ballot's content, salted so the log reveals nothing until the ballots are published."""
    canonical = json.dumps(
        {
            "channel": channel,
            "choices": {str(k): int(v) for k, v in choices.items()},
            "salt": salt,
            "zone": zone,
        },
        sort_keys=True,
        separators=(",", ":"),
    )
    return _sha256(canonical)


@dataclass
class Report:
    entries: int = 0
    ballots: int = 0
    problems: list = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def verify(edition_id, entries, ballots=None, *, head=None, length=None) -> Report:
    """Check ``entries`` (dicts in log order) and, if given, the published ``ballots``."""
    report = Report(entries=len(entries))
    problems = report.problems
    prev = genesis(edition_id)
    current = {}  # fingerprint -> content digest of ballots not replaced
    seen = set()
    for position, entry in enumerate(entries, start=1):
        seq = entry.get("seq")
        where = f"entry {seq if seq is not None else '?'} (position {position})"
        if seq != position:
            problems.append(f"{where}: expected sequence number {position}")
            break
        if entry.get("prev_hash") != prev:
            problems.append(f"{where}: does not point back to the entry before it")
            break
        expected = entry_hash(
            prev_hash=entry["prev_hash"],
            seq=seq,
            kind=entry["kind"],
            fingerprint=entry["fingerprint"],
            supersedes=entry.get("supersedes", ""),
            content_digest=entry["content_digest"],
        )
        if entry.get("entry_hash") != expected:
            problems.append(f"{where}: its content does not match its hash")
            break
        if entry["fingerprint"] in seen:
            problems.append(f"{where}: receipt fingerprint appears twice")
            break
        seen.add(entry["fingerprint"])
        if entry["kind"] == "replace":
            if entry.get("supersedes") not in current:
                problems.append(f"{where}: replaces a ballot that is not current")
                break
            del current[entry["supersedes"]]
        elif entry["kind"] != "cast" or entry.get("supersedes"):
            problems.append(f"{where}: unknown kind of entry")
            break
        current[entry["fingerprint"]] = entry["content_digest"]
        prev = entry["entry_hash"]
    if problems:
        return report
    if length is not None and len(entries) != length:
        problems.append(f"the log has {len(entries)} entries; the edition published {length}")
    elif head is not None and entries and prev != head:
        problems.append(f"entry {len(entries)}: the last entry is not the published head")
    if ballots is None or problems:
        return report
    report.ballots = len(ballots)
    published = set()
    for ballot in ballots:
        fp = ballot.get("fingerprint")
        if fp in published:
            problems.append(f"ballot {fp}: published twice")
            return report
        published.add(fp)
        if fp not in current:
            problems.append(f"ballot {fp}: not a current ballot of the log")
            return report
        digest = content_digest(
            salt=ballot["salt"],
            choices=ballot["choices"],
            zone=ballot.get("zone"),
            channel=ballot["channel"],
        )
        if digest != current[fp]:
            seq = next(e["seq"] for e in entries if e["fingerprint"] == fp)
            problems.append(f"entry {seq}: the published ballot's content does not match it")
            return report
    missing = set(current) - published
    if missing:
        seq = min(e["seq"] for e in entries if e["fingerprint"] in missing)
        problems.append(f"entry {seq}: its ballot is missing from the published ballots")
    return report


def main(argv: list[str]) -> int:
    if len(argv) not in (2, 3):
        print(__doc__.strip().splitlines()[0])
        print("usage: verify.py BALLOT_LOG.json [BALLOTS.json]")
        return 2
    with open(argv[1], encoding="utf-8") as handle:
        log = json.load(handle)
    ballots = None
    if len(argv) == 3:
        with open(argv[2], encoding="utf-8") as handle:
            ballots = json.load(handle)["ballots"]
    report = verify(
        log["edition"], log["entries"], ballots, head=log.get("head"), length=log.get("length")
    )
    if report.ok:
        extra = f" and {report.ballots} ballots match it" if ballots is not None else ""
        print(f"OK: {report.entries} log entries form an intact chain{extra}.")
        return 0
    print(f"FAILED: {report.problems[0]}")
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))

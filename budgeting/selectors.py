"""Reads of participatory budgets: the public log, anonymised ballots, participation figures."""

from django.db.models import Count

from . import verify
from .choices import Channel
from .models import Ballot, BallotLogEntry, BudgetEdition, Participation

LOG_FIELDS = (
    "seq",
    "kind",
    "fingerprint",
    "supersedes",
    "content_digest",
    "prev_hash",
    "entry_hash",
)


def ballot_log_export(*, edition: BudgetEdition) -> dict:
    """The public ballot log as published: every entry, the head and the length."""
    entries = list(
        BallotLogEntry.objects.filter(edition=edition).order_by("seq").values(*LOG_FIELDS)
    )
    return {
        "edition": edition.pk,
        "length": edition.log_length,
        "head": edition.log_head or verify.genesis(edition.pk),
        "entries": entries,
    }


def anonymised_ballots_export(*, edition: BudgetEdition) -> dict:
    """The current ballots, sorted by fingerprint (a random order), without any voter."""
    ballots = (
        Ballot.objects.filter(edition=edition, superseded=False)
        .order_by("fingerprint")
        .values("fingerprint", "salt", "channel", "zone_id", "choices")
    )
    return {
        "edition": edition.pk,
        "method": edition.method,
        "ballots": [
            {
                "fingerprint": b["fingerprint"],
                "salt": b["salt"],
                "channel": b["channel"],
                "zone": b["zone_id"],
                "choices": b["choices"],
            }
            for b in ballots
        ],
    }


def ballots_verify(*, edition: BudgetEdition) -> verify.Report:
    """Check the stored log against itself, the edition's head, and the stored ballots.

    Also checks that there are as many participations as ballots cast.
    """
    edition.refresh_from_db(fields=["log_length", "log_head"])
    log = ballot_log_export(edition=edition)
    ballots = anonymised_ballots_export(edition=edition)["ballots"]
    report = verify.verify(
        edition.pk, log["entries"], ballots, head=log["head"], length=log["length"]
    )
    if report.ok:
        cast = sum(1 for entry in log["entries"] if entry["kind"] == "cast")
        voters = Participation.objects.filter(edition=edition).count()
        if cast != voters:
            report.problems.append(f"{voters} voters took part but the log has {cast} ballots cast")
    return report


def participation_figures(*, edition: BudgetEdition) -> dict:
    """Turnout in total, by channel and by zone: aggregates only, never a voter."""
    rows = (
        Participation.objects.filter(edition=edition)
        .values("channel", "zone__name")
        .annotate(voters=Count("id"))
        .order_by("zone__name", "channel")
    )
    total = 0
    by_channel = dict.fromkeys(Channel.values, 0)
    by_zone: dict[str | None, int] = {}
    for row in rows:
        total += row["voters"]
        by_channel[row["channel"]] += row["voters"]
        by_zone[row["zone__name"]] = by_zone.get(row["zone__name"], 0) + row["voters"]
    return {
        "total": total,
        "by_channel": [(Channel(k).label, v) for k, v in by_channel.items()],
        "by_zone": sorted(by_zone.items(), key=lambda item: (item[0] is None, item[0] or "")),
    }

"""Importing Pabulib elections (to simulate a count) and exporting an edition's ballots.

An import creates an edition in its counting phase, with the file's projects (their ids kept
as external ids) and its ballots chained in the ballot log like any other, so every count,
comparison and verification works on it. An export writes the anonymised current ballots, in
the random order of their receipt fingerprints, with project ids as the file had them.
"""

import datetime
import secrets
from decimal import Decimal
from fractions import Fraction

from babel import Locale
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from cities.models import City

from .. import counting, verify
from ..choices import (
    Channel,
    Completion,
    CountingRule,
    LogEntryKind,
    Phase,
    ProjectStatus,
    VotingMethod,
)
from ..codes import new_receipt, receipt_fingerprint
from ..counting import pabulib
from ..models import Ballot, BallotLogEntry, BudgetEdition, Heading, Participation, Project
from .results import count_units, published_count

RULES = {  # Pabulib's ``rule`` -> (counting rule, completion)
    "greedy": (CountingRule.GREEDY, Completion.NONE),
    "equalshares": (CountingRule.EQUAL_SHARES, Completion.NONE),
    "equalshares/add1": (CountingRule.EQUAL_SHARES, Completion.ADD1),
    "equalshares/add1-comparison": (CountingRule.EQUAL_SHARES, Completion.ADD1_NO_STOP),
    "equalshares/add1-greedy": (CountingRule.EQUAL_SHARES, Completion.ADD1_GREEDY),
}
BATCH = 5000


def _decimal(value) -> Decimal:
    value = Fraction(value)
    return Decimal(value.numerator) / Decimal(value.denominator)


def _country_code(name: str) -> str:
    if len(name) == 2 and name.isalpha():
        return name.upper()
    territories = Locale("en").territories
    for code, label in territories.items():
        if label.lower() == name.strip().lower() and len(code) == 2 and code.isalpha():
            return code
    return "ZZ"


def _city_for(meta: dict, actor) -> City:
    from cities.services import city_create

    name = meta.get("unit") or meta.get("description") or "Pabulib"
    slug = slugify(f"pabulib-{name}")[:120] or "pabulib"
    city = City.objects.filter(slug=slug).first()
    if city is not None:
        return city
    return city_create(
        actor=actor,
        name=name,
        slug=slug,
        country=_country_code(meta.get("country", "")),
        currency=meta.get("currency") or "EUR",
    )


@transaction.atomic
def pabulib_import(*, text: str, city: City | None = None, actor=None) -> BudgetEdition:
    """Create an edition from a Pabulib file's text; raises ``ValidationError`` on a bad file."""
    try:
        election = pabulib.parse(text)
        counted = election.to_election()
    except (pabulib.PabulibError, ValueError) as exc:
        message = _("The file could not be read as a Pabulib election: %(error)s") % {"error": exc}
        raise ValidationError({"file": message}) from None
    meta = election.meta
    city = city or _city_for(meta, actor)
    cumulative = counted.vote_type == "cumulative"
    rule, completion = RULES.get(
        meta.get("rule", "").strip().lower(), (CountingRule.GREEDY, Completion.NONE)
    )
    max_length = election.max_length
    year = meta.get("instance", "")[:4]
    title = meta.get("description") or meta.get("instance") or "Pabulib"
    edition = BudgetEdition(
        city=city,
        title=title[:200],
        year=int(year) if year.isdigit() else datetime.date.today().year,
        description=meta.get("comment", ""),
        total_amount=_decimal(election.budget),
        currency=meta.get("currency") or city.currency,
        method=VotingMethod.CUMULATIVE if cumulative else VotingMethod.APPROVAL,
        points=int(election.max_sum_points or 0) or (None if not cumulative else 1),
        max_choices=None if cumulative or not max_length else int(max_length),
        counting_rule=rule,
        completion=completion,
        auto_advance=False,
    )
    if cumulative and edition.points == 1:
        edition.points = max((sum(b.values()) for _w, b in counted.ballots), default=1) or 1
    edition.full_clean()
    edition.save()
    projects = Project.objects.bulk_create(
        Project(
            edition=edition,
            title=(p.name or f"Project {p.project_id}")[:200],
            cost=_decimal(p.cost),
            status=ProjectStatus.FEASIBLE,
            external_id=p.project_id[:64],
        )
        for p in election.projects
    )
    pk_of = {p.external_id: p.pk for p in projects}
    ballots = []
    for vote in election.votes:
        if cumulative:
            choices = {}
            for pid, points in zip(vote.vote, vote.points or [], strict=True):
                choices[str(pk_of[pid])] = choices.get(str(pk_of[pid]), 0) + int(points)
        else:
            choices = {str(pk_of[pid]): 1 for pid in vote.vote}
        ballots.append((f"pabulib:{vote.voter_id}", choices))
    _ballots_append(edition, ballots)
    BudgetEdition.objects.filter(pk=edition.pk).update(phase=Phase.COUNTING)
    edition.refresh_from_db()
    return edition


def _ballots_append(edition: BudgetEdition, ballots: list[tuple[str, dict]]) -> None:
    """Chain many ballots into the log at once (imports), as ``ballot_cast`` would one by one."""
    locked = BudgetEdition.objects.select_for_update().get(pk=edition.pk)
    seq, head = locked.log_length, locked.log_head or verify.genesis(edition.pk)
    participations, rows, entries = [], [], []
    for voter_key, choices in ballots:
        seq += 1
        fingerprint = receipt_fingerprint(new_receipt())
        salt = secrets.token_hex(16)
        digest = verify.content_digest(salt=salt, choices=choices, zone=None, channel=Channel.PAPER)
        entry = verify.entry_hash(
            prev_hash=head,
            seq=seq,
            kind=LogEntryKind.CAST,
            fingerprint=fingerprint,
            supersedes="",
            content_digest=digest,
        )
        participations.append(
            Participation(edition=edition, voter_key=voter_key, channel=Channel.PAPER)
        )
        rows.append(
            Ballot(
                edition=edition,
                channel=Channel.PAPER,
                choices=choices,
                fingerprint=fingerprint,
                salt=salt,
            )
        )
        entries.append(
            BallotLogEntry(
                edition=edition,
                seq=seq,
                kind=LogEntryKind.CAST,
                fingerprint=fingerprint,
                content_digest=digest,
                prev_hash=head,
                entry_hash=entry,
            )
        )
        head = entry
    Participation.objects.bulk_create(participations, batch_size=BATCH)
    Ballot.objects.bulk_create(rows, batch_size=BATCH)
    BallotLogEntry.objects.bulk_create(entries, batch_size=BATCH)
    BudgetEdition.objects.filter(pk=edition.pk).update(log_length=seq, log_head=head)


def pabulib_export(*, edition: BudgetEdition, unit: int | None = None) -> str | None:
    """The edition's anonymised current ballots as a Pabulib file.

    ``unit`` (from 1) picks one of the budgets the edition is counted as (a zone's, the
    city-wide one), with that budget's projects, voters and amount, so the file recounts to
    that budget's published outcome; None for an unknown unit. Heading-choice editions are
    always one budget of headings.
    """
    if unit is not None or edition.votes_on_headings:
        return _unit_file(edition, 1 if unit is None else unit)
    projects = list(Project.objects.filter(edition=edition).on_ballot().order_by("pk"))
    file_id = {p.pk: p.external_id or str(p.pk) for p in projects}
    cumulative = edition.method == VotingMethod.CUMULATIVE
    votes_for = dict.fromkeys(file_id, 0)
    votes = []
    choices_rows = (
        Ballot.objects.filter(edition=edition, superseded=False)
        .order_by("fingerprint")
        .values_list("choices", flat=True)
    )
    for number, choices in enumerate(choices_rows, start=1):
        ids = [int(pk) for pk in choices if int(pk) in file_id]
        for pk in ids:
            votes_for[pk] += 1
        votes.append(
            pabulib.PabulibVote(
                str(number),
                [file_id[pk] for pk in ids],
                [int(choices[str(pk)]) for pk in ids] if cumulative else None,
            )
        )
    published = published_count(edition)
    official = published.results.get(official=True) if published else None
    chosen = set(official.selected) if official else None
    meta = {
        "description": edition.title,
        "country": edition.city.country,
        "unit": edition.city.name,
        "instance": str(edition.year),
        "num_projects": str(len(projects)),
        "num_votes": str(len(votes)),
        "budget": pabulib.format_number(Fraction(edition.total_amount)),
        "vote_type": "cumulative" if cumulative else "approval",
        "rule": _rule_name(edition),
        "currency": edition.currency,
    }
    if edition.max_choices:
        meta["max_length"] = str(edition.max_choices)
    if cumulative and edition.points:
        meta["max_sum_points"] = str(edition.points)
    columns = ["project_id", "cost", "votes", "name"] + (["selected"] if chosen is not None else [])
    rows = []
    for p in projects:
        fields = {"votes": str(votes_for[p.pk]), "name": p.title}
        if chosen is not None:
            fields["selected"] = "1" if p.pk in chosen else "0"
        rows.append(pabulib.PabulibProject(file_id[p.pk], Fraction(p.cost), fields))
    vote_columns = ["voter_id", "vote", "points"] if cumulative else ["voter_id", "vote"]
    return pabulib.dumps(pabulib.PabulibElection(meta, rows, votes, columns, vote_columns))


def _rule_name(edition: BudgetEdition) -> str:
    if edition.votes_on_headings:
        return "greedy"
    for name, pair in RULES.items():
        if pair == (edition.counting_rule, edition.completion):
            return name
    return "greedy"


def _unit_file(edition: BudgetEdition, index: int) -> str | None:
    """The Pabulib text of the ``index``-th (from 1) budget the edition is counted as."""
    units = count_units(edition)
    if not 1 <= index <= len(units):
        return None
    unit = units[index - 1]
    model = Heading if edition.votes_on_headings else Project
    name_field = "name" if edition.votes_on_headings else "title"
    names = dict(
        model.objects.filter(pk__in=list(unit.election.projects)).values_list("pk", name_field)
    )
    # In id order, so that ids given to the projects of a re-imported file keep the ties.
    projects = {
        pk: counting.Project(pk, project.cost, names.get(pk, ""))
        for pk, project in sorted(unit.election.projects.items())
    }
    election = counting.Election(
        unit.election.budget, projects, unit.election.ballots, unit.election.vote_type
    )
    count = published_count(edition)
    official = count.results.get(official=True) if count else None
    meta = {
        "description": edition.title,
        "country": edition.city.country,
        "unit": edition.city.name,
        "instance": str(edition.year),
        "currency": edition.currency,
        "rule": _rule_name(edition),
    }
    if len(units) > 1:
        meta["district"] = unit.label
    if edition.method == VotingMethod.CUMULATIVE and edition.points:
        meta["max_sum_points"] = str(edition.points)
    chosen = [pk for pk in official.selected if pk in projects] if official else None
    return pabulib.dumps(pabulib.PabulibElection.from_election(election, meta, chosen))

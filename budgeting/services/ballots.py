"""Casting, replacing and entering ballots: one per voter, secret, chained in the public log.

Every channel (the ballot page, the API, staff entering paper ballots) comes through
``ballot_cast`` or ``ballot_replace``, so the checks are the same everywhere:

1. voting is open (``VotingClosed``);
2. the code or account is eligible (field ``code``), guesses rate-limited per client;
3. the choices follow the method's rules (field ``choices`` or ``points``);
4. the participation row is inserted: the database's unique constraint on (edition, voter)
   is what makes a second ballot impossible (``AlreadyVoted``), even under concurrency;
5. the ballot and its log entry are appended under a lock on the edition row, which keeps
   the hash chain linear.
"""

import secrets
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .. import verify
from ..choices import Channel, LogEntryKind, VotingMethod
from ..codes import CODE_LENGTH, account_key, code_hash, new_receipt, normalise, receipt_fingerprint
from ..models import (
    Ballot,
    BallotLogEntry,
    BudgetEdition,
    Heading,
    Participation,
    Project,
    ResidentVerification,
    VotingCode,
)
from ..throttle import GuessGuard


class VotingClosed(PermissionDenied):
    """The edition is not in its voting phase."""


class AlreadyVoted(ValidationError):
    """This code or account has already been used for a ballot in the edition."""

    def __init__(self):
        super().__init__(
            {"code": _("This code has already been used to vote in this edition.")},
        )


def _check_open(edition: BudgetEdition) -> None:
    if not edition.is_voting_open:
        raise VotingClosed(_("Voting is not open in this edition."))


def ballot_options(edition: BudgetEdition, zone=None) -> dict[int, object]:
    """What a voter of ``zone`` may choose: headings, or the projects on the ballot."""
    if edition.votes_on_headings:
        options = Heading.objects.filter(edition=edition)
    else:
        options = Project.objects.filter(edition=edition).on_ballot()
        if edition.by_zone:
            options = options.filter_zone(zone)
    return {option.pk: option for option in options.select_related("zone")}


def _as_id(value) -> int | None:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return number if number > 0 else None


def ballot_validate(*, edition: BudgetEdition, zone=None, choices=None, points=None) -> dict:
    """The ballot as stored (``{"id": points}``), or field-level ``ValidationError``s."""
    cumulative = edition.method == VotingMethod.CUMULATIVE
    field = "points" if cumulative else "choices"
    headings = edition.votes_on_headings
    if cumulative:
        if not isinstance(points, dict):
            raise ValidationError(
                {"points": _("Give points as an object from project id to points.")}
            )
        raw = list(points.items())
    else:
        if choices is None or isinstance(choices, (str, dict)):
            raise ValidationError({"choices": _("Give the chosen ids as a list.")})
        raw = [(choice, 1) for choice in choices]
    if not raw:
        message = _("Choose at least one project.")
        if headings:
            message = _("Choose at least one heading.")
        raise ValidationError({field: message})
    options = ballot_options(edition, zone)
    ballot: dict[str, int] = {}
    for key, value in raw:
        pk = _as_id(key)
        if pk is None:
            raise ValidationError({field: _("“%(value)s” is not an id.") % {"value": key}})
        if pk not in options:
            exists = Project.objects.filter(edition=edition, pk=pk, status="feasible").exists()
            if exists and not edition.votes_on_headings:
                message = _("Project %(id)s is in another zone: you cannot vote for it.")
            else:
                message = _("%(id)s is not on this ballot.")
            raise ValidationError({field: message % {"id": pk}})
        if str(pk) in ballot:
            raise ValidationError({field: _("“%(name)s” is chosen twice.") % {"name": options[pk]}})
        if cumulative:
            given = _as_id(value) if not isinstance(value, bool) else None
            if given is None:
                raise ValidationError(
                    {
                        "points": _("Points must be whole numbers above zero (“%(name)s”).")
                        % {"name": options[pk]}
                    }
                )
            value = given
        ballot[str(pk)] = value
    if edition.max_choices and len(ballot) > edition.max_choices:
        raise ValidationError(
            {
                field: (
                    ngettext(
                        "Choose at most %(max)s heading; you chose %(count)s.",
                        "Choose at most %(max)s headings; you chose %(count)s.",
                        edition.max_choices,
                    )
                    if headings
                    else ngettext(
                        "Choose at most %(max)s project; you chose %(count)s.",
                        "Choose at most %(max)s projects; you chose %(count)s.",
                        edition.max_choices,
                    )
                )
                % {"max": edition.max_choices, "count": len(ballot)}
            }
        )
    if edition.method == VotingMethod.KNAPSACK:
        total = sum((options[int(pk)].cost for pk in ballot), Decimal(0))
        if total > edition.total_amount:
            raise ValidationError(
                {
                    "choices": _(
                        "The projects you chose cost %(total)s %(currency)s, more than the "
                        "budget of %(budget)s %(currency)s. Remove one and try again."
                    )
                    % {
                        "total": f"{total:,.2f}",
                        "budget": f"{edition.total_amount:,.2f}",
                        "currency": edition.currency,
                    }
                }
            )
    if cumulative:
        spent = sum(ballot.values())
        if spent > edition.points:
            raise ValidationError(
                {
                    "points": _("You gave %(spent)s points; you have %(points)s.")
                    % {"spent": spent, "points": edition.points}
                }
            )
    return ballot


def _voter_from_code(edition: BudgetEdition, code: str | None, client: str | None):
    """The participation key and zone of ``code``; refuses bad codes, rate-limited."""
    raw = normalise(code or "", CODE_LENGTH)
    guard = GuessGuard(client, edition.pk)
    guard.reserve()
    voting_code = None
    if raw is not None:
        voting_code = (
            VotingCode.objects.filter(edition=edition, code_hash=code_hash(edition.pk, raw))
            .only("code_hash", "zone_id")
            .first()
        )
    if voting_code is None:
        guard.failed()
        if raw is None:
            message = _("A voting code has 16 letters and digits, like ABCD-EFGH-JKMN-PQRS.")
        else:
            message = _("This voting code is not valid for this edition. Check it and try again.")
        raise ValidationError({"code": message}, code="invalid_code")
    guard.succeeded()
    return voting_code.code_hash, voting_code.zone


def _voter_from_account(edition: BudgetEdition, user):
    if not edition.account_voting:
        raise ValidationError({"code": _("This edition takes votes with voting codes only.")})
    verification = (
        ResidentVerification.objects.filter(city_id=edition.city_id, user=user)
        .select_related("zone")
        .first()
    )
    if verification is None:
        raise ValidationError(
            {
                "code": _("Your account is not verified as a resident of %(city)s.")
                % {"city": edition.city}
            }
        )
    return account_key(edition.pk, user.pk), verification.zone


def voting_code_check(*, edition: BudgetEdition, code: str | None, client: str | None = None):
    """The zone of a voting ``code`` that may still vote, checked without using it up.

    Lets the ballot page refuse a wrong or used code before the voter fills the ballot.
    Rate-limited like casting; raises ``VotingClosed``, ``TooManyGuesses``,
    ``ValidationError`` (field ``code``) or ``AlreadyVoted``.
    """
    _check_open(edition)
    voter_key, zone = _voter_from_code(edition, code, client)
    if Participation.objects.filter(edition=edition, voter_key=voter_key).exists():
        raise AlreadyVoted()
    return zone


def voting_account_check(*, edition: BudgetEdition, user):
    """The zone of a verified ``user`` who may still vote with their account.

    Raises ``VotingClosed``, ``ValidationError`` (field ``code``) or ``AlreadyVoted``.
    """
    _check_open(edition)
    voter_key, zone = _voter_from_account(edition, user)
    if Participation.objects.filter(edition=edition, voter_key=voter_key).exists():
        raise AlreadyVoted()
    return zone


def _append(edition, *, zone, channel, ballot, kind, supersedes="") -> str:
    """Store ``ballot`` and chain its log entry; returns the voter's receipt."""
    locked = (
        BudgetEdition.objects.select_for_update()
        .only("pk", "log_length", "log_head")
        .get(pk=edition.pk)
    )
    receipt = new_receipt()
    fingerprint = receipt_fingerprint(receipt)
    salt = secrets.token_hex(16)
    digest = verify.content_digest(
        salt=salt, choices=ballot, zone=zone.pk if zone else None, channel=channel
    )
    seq = locked.log_length + 1
    prev = locked.log_head or verify.genesis(edition.pk)
    head = verify.entry_hash(
        prev_hash=prev,
        seq=seq,
        kind=kind,
        fingerprint=fingerprint,
        supersedes=supersedes,
        content_digest=digest,
    )
    Ballot.objects.create(
        edition_id=edition.pk,
        zone=zone,
        channel=channel,
        choices=ballot,
        fingerprint=fingerprint,
        salt=salt,
    )
    BallotLogEntry.objects.create(
        edition_id=edition.pk,
        seq=seq,
        kind=kind,
        fingerprint=fingerprint,
        supersedes=supersedes,
        content_digest=digest,
        prev_hash=prev,
        entry_hash=head,
    )
    BudgetEdition.objects.filter(pk=edition.pk).update(log_length=seq, log_head=head)
    return receipt


def ballot_cast(
    *,
    edition: BudgetEdition,
    code: str | None = None,
    user=None,
    choices=None,
    points=None,
    channel: str = Channel.ONLINE,
    client: str | None = None,
) -> str:
    """Cast a ballot with a voting ``code`` (or a verified ``user``); returns the receipt.

    ``client`` names who is guessing (an IP address, an API token) for the rate limit.
    Raises ``VotingClosed``, ``AlreadyVoted``, ``TooManyGuesses`` or ``ValidationError``.
    """
    _check_open(edition)
    if code or user is None:
        voter_key, zone = _voter_from_code(edition, code, client)
    else:
        voter_key, zone = _voter_from_account(edition, user)
    ballot = ballot_validate(edition=edition, zone=zone, choices=choices, points=points)
    return _record(edition, voter_key=voter_key, zone=zone, channel=channel, ballot=ballot)


def _record(edition, *, voter_key, zone, channel, ballot) -> str:
    with transaction.atomic():
        try:
            with transaction.atomic():
                Participation.objects.create(
                    edition_id=edition.pk, voter_key=voter_key, zone=zone, channel=channel
                )
        except IntegrityError:
            raise AlreadyVoted() from None
        return _append(edition, zone=zone, channel=channel, ballot=ballot, kind=LogEntryKind.CAST)


def ballot_replace(
    *, edition: BudgetEdition, receipt: str, choices=None, points=None, client: str | None = None
) -> str:
    """Replace the ballot behind ``receipt`` while voting is open; returns the new receipt."""
    _check_open(edition)
    fingerprint = receipt_fingerprint(receipt)
    guard = GuessGuard(client, edition.pk)
    guard.reserve()
    with transaction.atomic():
        old = None
        if fingerprint:
            old = (
                Ballot.objects.select_for_update(of=("self",))
                .filter(edition=edition, fingerprint=fingerprint, superseded=False)
                .select_related("zone")
                .first()
            )
        if old is None:
            guard.failed()
            raise ValidationError(
                {"receipt": _("No current ballot has this receipt. It may have been replaced.")},
                code="invalid_receipt",
            )
        guard.succeeded()
        ballot = ballot_validate(edition=edition, zone=old.zone, choices=choices, points=points)
        Ballot.objects.filter(pk=old.pk).update(superseded=True)
        return _append(
            edition,
            zone=old.zone,
            channel=old.channel,
            ballot=ballot,
            kind=LogEntryKind.REPLACE,
            supersedes=old.fingerprint,
        )


def receipt_ballot(*, edition: BudgetEdition, receipt: str, client: str | None = None):
    """The current ballot behind ``receipt`` (to prefill a replacement), rate-limited."""
    fingerprint = receipt_fingerprint(receipt)
    guard = GuessGuard(client, edition.pk)
    guard.reserve()
    ballot = None
    if fingerprint:
        ballot = Ballot.objects.filter(
            edition=edition, fingerprint=fingerprint, superseded=False
        ).first()
    if ballot is None:
        guard.failed()
        raise ValidationError(
            {"receipt": _("No current ballot has this receipt. It may have been replaced.")},
            code="invalid_receipt",
        )
    guard.succeeded()
    return ballot


def paper_ballot_enter(
    *, edition: BudgetEdition, actor, choices=None, points=None, code: str = "", zone=None
) -> str:
    """Staff enter a paper ballot from an assembly; it is counted with the online ones.

    With a voting code, the code is used up as online. Without one, staff vouch for the voter
    (the assembly's register), and ``zone`` says where it was cast.
    """
    _check_open(edition)
    if code:
        voter_key, code_zone = _voter_from_code(edition, code, None)
        zone = code_zone or zone
    else:
        voter_key = f"p:{secrets.token_hex(16)}"
    if zone is not None and zone.city_id != edition.city_id:
        raise ValidationError({"zone": _("The zone must be in the edition's city.")})
    ballot = ballot_validate(edition=edition, zone=zone, choices=choices, points=points)
    return _record(edition, voter_key=voter_key, zone=zone, channel=Channel.PAPER, ballot=ballot)


@transaction.atomic
def paper_ballots_import(*, edition: BudgetEdition, actor, rows: list[dict]) -> int:
    """Enter many paper ballots at once: all of them, or none with each bad row named.

    ``rows`` are dicts with ``code``, ``zone`` (a Zone or None) and ``choices`` or ``points``,
    each carrying its ``line`` number for messages.
    """
    errors = []
    for row in rows:
        try:
            with transaction.atomic():
                paper_ballot_enter(
                    edition=edition,
                    actor=actor,
                    code=row.get("code", ""),
                    zone=row.get("zone"),
                    choices=row.get("choices"),
                    points=row.get("points"),
                )
        except ValidationError as exc:
            messages = "; ".join(str(m) for m in exc.messages)
            line = {"line": row["line"], "messages": messages}
            errors.append(_("Line %(line)s: %(messages)s") % line)
    if errors:  # raising inside the transaction undoes the rows that were entered
        raise ValidationError({"file": errors})
    return len(rows)

"""Setting up an edition: its rules, phases, headings and projects, and moving it along."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from config.services import audited_create, audited_delete, audited_update

from ..choices import PHASE_ORDER, Phase, ProjectStatus, VotingMethod, phase_index
from ..models import BudgetEdition, Heading, PhaseSchedule, Project

EDITION_FIELDS = (
    "title",
    "year",
    "description",
    "total_amount",
    "currency",
    "auto_advance",
    "method",
    "max_choices",
    "points",
    "counting_rule",
    "completion",
    "by_zone",
    "account_voting",
)
HEADING_FIELDS = ("name", "description", "amount", "zone")
PROJECT_FIELDS = ("title", "description", "heading", "zone", "cost", "external_id")
PROPOSAL_FIELDS = ("title", "description", "heading", "zone", "cost")
REVIEW_FIELDS = ("status", "review_explanation", "cost")


def _only(fields: dict, allowed: tuple[str, ...]) -> dict:
    return {name: value for name, value in fields.items() if name in allowed}


def edition_create(*, city, actor, **fields) -> BudgetEdition:
    """Start a city's participatory budget edition, as a draft only its staff see."""
    fields = _only(fields, EDITION_FIELDS)
    fields.setdefault("currency", city.currency)
    return audited_create(BudgetEdition, city=city, actor=actor, **fields)


def edition_update(*, edition: BudgetEdition, data: dict, actor) -> BudgetEdition:
    """Change an edition; its method and amounts are refused once voting has opened."""
    return audited_update(edition, data=data, fields=EDITION_FIELDS, actor=actor)


def edition_delete(*, edition: BudgetEdition, actor) -> None:
    """Remove an edition; only a draft, so no citizen's proposal or ballot is lost."""
    if edition.phase != Phase.DRAFT:
        raise ValidationError(_("Only a draft edition can be deleted."))
    audited_delete(edition, actor=actor)


@transaction.atomic
def edition_schedule_set(*, edition: BudgetEdition, dates: dict, actor) -> None:
    """Set when each phase starts (``{phase: datetime or None}``); dates must follow the order."""
    ordered = [(phase, dates[phase]) for phase in Phase.values[1:] if dates.get(phase)]
    errors = {}
    for (first, first_at), (second, second_at) in zip(ordered, ordered[1:], strict=False):
        if second_at <= first_at:
            errors[second] = _("This phase must start after the %(phase)s phase.") % {
                "phase": Phase(first).label.lower()
            }
    if edition.is_frozen:
        current = dict(edition.schedule.values_list("phase", "starts_at"))
        for phase in Phase.values[1:]:
            if phase_index(phase) <= phase_index(Phase.VOTING) and dates.get(phase) != current.get(
                phase
            ):
                errors[phase] = _("Voting has opened: this date can no longer change.")
    if errors:
        raise ValidationError(errors)
    existing = {row.phase: row for row in edition.schedule.all()}
    for phase in Phase.values[1:]:
        row, when = existing.get(phase), dates.get(phase)
        if when and row is None:
            audited_create(PhaseSchedule, edition=edition, phase=phase, starts_at=when, actor=actor)
        elif when and row.starts_at != when:
            audited_update(row, data={"starts_at": when}, fields=("starts_at",), actor=actor)
        elif not when and row is not None:
            audited_delete(row, actor=actor)


def _next_phase(edition: BudgetEdition) -> str | None:
    scheduled = set(edition.schedule.values_list("phase", flat=True))
    later = [p for p in Phase.values if PHASE_ORDER[p] > PHASE_ORDER[edition.phase]]
    if scheduled:
        later_scheduled = [p for p in later if p in scheduled]
        if later_scheduled:
            return later_scheduled[0]
    return later[0] if later else None


def edition_next_phase(edition: BudgetEdition) -> str | None:
    """The phase "advance" moves the edition to: the next scheduled one, else the next."""
    return _next_phase(edition)


@transaction.atomic
def edition_advance(*, edition: BudgetEdition, actor, to: str | None = None) -> BudgetEdition:
    """Move the edition forward to ``to`` (default: its next phase); never backwards.

    Opening voting freezes the rules and the ballot, so it needs something to vote on.
    """
    edition = BudgetEdition.objects.select_for_update().get(pk=edition.pk)
    target = to or _next_phase(edition)
    if target is None or target not in PHASE_ORDER:
        raise ValidationError({"phase": _("The edition is already in its last phase.")})
    if PHASE_ORDER[target] <= PHASE_ORDER[edition.phase]:
        raise ValidationError({"phase": _("An edition only moves forward.")})
    if PHASE_ORDER[edition.phase] < PHASE_ORDER[Phase.VOTING] <= PHASE_ORDER[target]:
        _check_ballot_ready(edition)
    edition.phase = target
    edition._history_user = actor
    edition.save(update_fields=["phase", "updated_at"])
    return edition


def _check_ballot_ready(edition: BudgetEdition) -> None:
    if edition.method == VotingMethod.HEADINGS:
        if not edition.headings.exists():
            raise ValidationError({"phase": _("Add the headings to vote on before voting opens.")})
        return
    if not edition.projects.filter(status=ProjectStatus.FEASIBLE).exists():
        raise ValidationError(
            {"phase": _("Put at least one project on the ballot before voting opens.")}
        )
    if edition.projects.filter(status=ProjectStatus.SUBMITTED).exists():
        raise ValidationError({"phase": _("Review every submitted project before voting opens.")})


def editions_advance_on_schedule(now=None) -> list[BudgetEdition]:
    """Advance published editions whose next phase's start date has come (Celery beat)."""
    now = now or timezone.now()
    moved = []
    editions = BudgetEdition.objects.exclude(phase=Phase.DRAFT).filter(auto_advance=True)
    for edition in editions.prefetch_related("schedule"):
        due = [row.phase for row in edition.schedule.all() if row.starts_at <= now]
        target = max(due, key=PHASE_ORDER.__getitem__, default=None)
        if target and PHASE_ORDER[target] > PHASE_ORDER[edition.phase]:
            try:
                moved.append(edition_advance(edition=edition, actor=None, to=target))
            except ValidationError:
                continue  # e.g. nothing on the ballot yet: staff see it on the edition page
    return moved


def heading_create(*, edition: BudgetEdition, actor, **fields) -> Heading:
    """Add a budget heading (city-wide or for a zone) to an edition."""
    return audited_create(Heading, edition=edition, actor=actor, **_only(fields, HEADING_FIELDS))


def heading_update(*, heading: Heading, data: dict, actor) -> Heading:
    return audited_update(heading, data=data, fields=HEADING_FIELDS, actor=actor)


def heading_delete(*, heading: Heading, actor) -> None:
    if heading.edition.is_frozen:
        raise ValidationError(_("Voting has opened: the headings can no longer change."))
    audited_delete(heading, actor=actor)


def project_create(*, edition: BudgetEdition, actor, **fields) -> Project:
    """Staff add a project (or import one); it starts as submitted, awaiting review."""
    fields = _only(fields, PROJECT_FIELDS + ("status", "review_explanation"))
    return audited_create(Project, edition=edition, actor=actor, **fields)


def project_propose(*, edition: BudgetEdition, actor, **fields) -> Project:
    """A citizen proposes a project during the proposal phase."""
    if edition.phase != Phase.PROPOSALS:
        raise ValidationError(_("Proposals are only taken during the proposal phase."))
    return audited_create(
        Project,
        edition=edition,
        proposed_by=actor,
        status=ProjectStatus.SUBMITTED,
        actor=actor,
        **_only(fields, PROPOSAL_FIELDS),
    )


def project_update(*, project: Project, data: dict, actor) -> Project:
    """Change a project; its cost and place on the ballot are refused once voting opened."""
    return audited_update(project, data=data, fields=PROJECT_FIELDS, actor=actor)


def project_review(*, project: Project, data: dict, actor) -> Project:
    """Staff decide whether a project goes on the ballot, with a public explanation."""
    return audited_update(project, data=data, fields=REVIEW_FIELDS, actor=actor)


def project_delete(*, project: Project, actor) -> None:
    if project.edition.is_frozen:
        raise ValidationError(_("Voting has opened: the projects can no longer change."))
    audited_delete(project, actor=actor)

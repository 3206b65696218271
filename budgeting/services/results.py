"""Counting an edition's ballots, publishing the results, and following delivery.

The counting itself is ``budgeting.counting`` (exact, pabutools-identical); this module turns
an edition into the elections it counts. An edition is counted as one budget, or, when it
votes by zone and its headings carry zone amounts, as one budget per zone (the zone's
voters, the zone's projects) plus a city-wide one. Heading-choice editions open the headings
with the most votes while their amounts fit the edition's total.
"""

import logging
import time
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from config.services import audited_create, audited_delete, audited_update

from .. import counting
from ..choices import Completion, CountingRule, CountStatus, Phase, VotingMethod, phase_index
from ..models import (
    Ballot,
    BudgetEdition,
    Count,
    Heading,
    Milestone,
    Project,
    ProjectUpdate,
    Result,
)
from .editions import edition_advance

logger = logging.getLogger(__name__)
TIE_BREAK = counting.DEFAULT_TIE_BREAK
CENTS = Decimal("0.01")


@dataclass
class Unit:
    """One budget counted on its own: a zone's, the city-wide one, or the whole edition's."""

    label: str
    budget: Decimal
    election: counting.Election
    ballots: list = field(default_factory=list)  # the choices (sets of ids), for satisfaction


@dataclass
class Tally:
    """What a count of an edition with one rule gives."""

    rule: str
    completion: str
    selected: list[int]
    budget: Decimal
    cost: Decimal
    support: dict[int, int]
    voters: int
    satisfied: int
    units: list[dict]
    seconds: float


def _money(value) -> Fraction:
    return Fraction(Decimal(value))


def _decimal(value) -> Decimal:
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(CENTS)


def _election(budget, options: dict[int, Decimal], ballots: list[dict], cumulative: bool):
    merged = Counter(
        tuple(sorted((int(k), int(v)) for k, v in ballot.items() if int(k) in options))
        for ballot in ballots
    )
    return counting.Election(
        budget=_money(budget),
        projects={pk: counting.Project(pk, _money(cost)) for pk, cost in options.items()},
        ballots=[(weight, dict(items)) for items, weight in merged.items()],
        vote_type=counting.CUMULATIVE if cumulative else counting.APPROVAL,
    )


def count_units(edition: BudgetEdition) -> list[Unit]:
    """The separately counted budgets of ``edition``, each with its voters' ballots."""
    rows = list(
        Ballot.objects.filter(edition=edition, superseded=False).values_list("zone_id", "choices")
    )
    cumulative = edition.method == VotingMethod.CUMULATIVE
    if edition.votes_on_headings:
        options = dict(Heading.objects.filter(edition=edition).values_list("pk", "amount"))
        ballots = [choices for _zone, choices in rows]
        election = _election(edition.total_amount, options, ballots, cumulative)
        return [Unit(str(edition), edition.total_amount, election, ballots)]
    projects = list(Project.objects.filter(edition=edition).on_ballot().select_related("zone"))
    zone_budgets = dict(
        Heading.objects.filter(edition=edition, zone__isnull=False)
        .values("zone")
        .annotate(total=Sum("amount"))
        .values_list("zone", "total")
    )
    if not (edition.by_zone and zone_budgets):
        options = {p.pk: p.cost for p in projects}
        ballots = [choices for _zone, choices in rows]
        election = _election(edition.total_amount, options, ballots, cumulative)
        return [Unit(str(edition), edition.total_amount, election, ballots)]
    units = []
    zones = {p.zone_id: p.zone for p in projects if p.zone_id}
    for zone_id, budget in sorted(zone_budgets.items()):
        options = {p.pk: p.cost for p in projects if p.zone_id == zone_id}
        if not options:
            continue
        ballots = [choices for zone, choices in rows if zone == zone_id]
        label = str(zones[zone_id])
        units.append(Unit(label, budget, _election(budget, options, ballots, cumulative), ballots))
    city_wide = {p.pk: p.cost for p in projects if p.zone_id is None}
    if city_wide:
        budget = Heading.objects.filter(edition=edition, zone__isnull=True).aggregate(
            total=Sum("amount")
        )["total"] or max(edition.total_amount - sum(zone_budgets.values()), Decimal(0))
        ballots = [choices for _zone, choices in rows]
        election = _election(budget, city_wide, ballots, cumulative)
        units.append(Unit(_t("City-wide"), budget, election, ballots))
    return units


def tally(
    edition: BudgetEdition,
    *,
    rule: str,
    completion: str = Completion.NONE,
    units: list[Unit] | None = None,
) -> Tally:
    """Count ``edition`` with ``rule`` and ``completion`` (nothing is written)."""
    if rule == CountingRule.GREEDY and completion != Completion.NONE:
        raise ValidationError({"completion": _("The greedy rule takes no completion.")})
    if edition.votes_on_headings and rule != CountingRule.GREEDY:
        raise ValidationError({"rule": _("Heading choice opens the most voted headings (greedy).")})
    started = time.perf_counter()
    units = units if units is not None else count_units(edition)
    selected: list[int] = []
    support: dict[int, int] = {}
    described = []
    cost = budget = Decimal(0)
    for unit in units:
        outcome = counting.count(unit.election, rule=rule, completion=completion)
        selected.extend(outcome.selected)
        support.update({pk: int(value) for pk, value in outcome.support.items()})
        unit_cost = _decimal(Fraction(outcome.cost))
        cost += unit_cost
        budget += unit.budget
        described.append(
            {
                "label": unit.label,
                "budget": str(unit.budget),
                "cost": str(unit_cost),
                "selected": list(outcome.selected),
                "voters": unit.election.num_voters,
            }
        )
    chosen = set(selected)
    voters = {id(choices) for unit in units for choices in unit.ballots}
    satisfied = {
        id(choices)
        for unit in units
        for choices in unit.ballots
        if chosen & {int(pk) for pk in choices}
    }
    return Tally(
        rule=rule,
        completion=completion,
        selected=selected,
        budget=budget,
        cost=cost,
        support=support,
        voters=len(voters),
        satisfied=len(satisfied),
        units=described,
        seconds=time.perf_counter() - started,
    )


def count_request(*, edition: BudgetEdition, actor) -> Count:
    """Ask the worker to count the edition (from the counting phase on)."""
    if phase_index(edition.phase) < phase_index(Phase.COUNTING):
        raise ValidationError({"phase": _("Ballots are counted once voting has closed.")})
    running = edition.counts.filter(status__in=[CountStatus.QUEUED, CountStatus.RUNNING])
    if running.exists():
        raise ValidationError({"phase": _("A count of this edition is already under way.")})
    count = Count.objects.create(edition=edition, requested_by=actor)
    from ..tasks import count_run

    transaction.on_commit(lambda: count_run.delay(count.pk))
    return count


def _rules_for(edition: BudgetEdition) -> list[tuple[str, str, bool]]:
    """(rule, completion, official) pairs a count computes: the edition's and the other one."""
    if edition.votes_on_headings:
        return [(CountingRule.GREEDY, Completion.NONE, True)]
    official = (edition.counting_rule, edition.completion)
    if edition.counting_rule == CountingRule.GREEDY:
        official = (CountingRule.GREEDY, Completion.NONE)
        other_completion = edition.completion
        if other_completion == Completion.NONE:
            other_completion = Completion.ADD1
        other = (CountingRule.EQUAL_SHARES, other_completion)
    else:
        other = (CountingRule.GREEDY, Completion.NONE)
    return [(*official, True), (*other, False)]


def count_run(*, count_id: int) -> Count | None:
    """Carry out a requested count (the worker calls this); safe to run twice."""
    with transaction.atomic():
        count = Count.objects.select_for_update().filter(pk=count_id).first()
        if count is None or count.status != CountStatus.QUEUED:
            return count
        count.status = CountStatus.RUNNING
        count.save(update_fields=["status"])
    edition = BudgetEdition.objects.get(pk=count.edition_id)
    try:
        # The ballots and the log head are read in one snapshot, so a count never mixes them.
        with transaction.atomic():
            locked = BudgetEdition.objects.select_for_update().get(pk=edition.pk)
            log = (locked.log_length, locked.log_head)
            units = count_units(edition)
        plans = _rules_for(edition)
        results = []
        for step, (rule, completion, official) in enumerate(plans, start=1):
            outcome = tally(edition, rule=rule, completion=completion, units=units)
            results.append((outcome, official))
            Count.objects.filter(pk=count.pk).update(progress=int(100 * step / len(plans)))
        with transaction.atomic():
            for outcome, official in results:
                Result.objects.create(
                    count=count,
                    rule=outcome.rule,
                    completion=outcome.completion,
                    official=official,
                    tie_break=",".join(TIE_BREAK.order),
                    engine_version=counting.ENGINE_VERSION,
                    budget=outcome.budget,
                    cost=outcome.cost,
                    selected=outcome.selected,
                    support={str(pk): v for pk, v in outcome.support.items()},
                    voters=outcome.voters,
                    satisfied=outcome.satisfied,
                    units=outcome.units,
                    seconds=outcome.seconds,
                )
            Count.objects.filter(pk=count.pk).update(
                status=CountStatus.DONE,
                progress=100,
                log_length=log[0],
                log_head=log[1],
                finished_at=timezone.now(),
            )
    except Exception as exc:  # the count failed: say so on the page instead of hanging
        logger.exception("Count %s of edition %s failed", count.pk, count.edition_id)
        Count.objects.filter(pk=count.pk).update(
            status=CountStatus.FAILED, error=str(exc)[:2000], finished_at=timezone.now()
        )
    count.refresh_from_db()
    return count


@transaction.atomic
def count_publish(*, count: Count, actor) -> Count:
    """Publish a finished count: the embargo ends, funded projects are marked."""
    count = Count.objects.select_for_update().select_related("edition").get(pk=count.pk)
    edition = count.edition
    if count.status != CountStatus.DONE:
        raise ValidationError(_("Only a finished count can be published."))
    if count.is_stale:
        raise ValidationError(_("Ballots changed after this count: count again before publishing."))
    if phase_index(edition.phase) < phase_index(Phase.COUNTING):
        raise ValidationError(_("Results are published once voting has closed."))
    official = count.results.get(official=True)
    Count.objects.filter(edition=edition, published_at__isnull=False).update(published_at=None)
    count.published_at = timezone.now()
    count.save(update_fields=["published_at"])
    chosen = set(official.selected)
    if edition.votes_on_headings:
        Heading.objects.filter(edition=edition).update(opened=False)
        Heading.objects.filter(edition=edition, pk__in=chosen).update(opened=True)
    else:
        Project.objects.filter(edition=edition).update(selected=False)
        Project.objects.filter(edition=edition, pk__in=chosen).update(selected=True)
    if edition.phase == Phase.COUNTING:
        edition_advance(edition=edition, actor=actor, to=Phase.RESULTS)
    return count


def published_count(edition: BudgetEdition) -> Count | None:
    """The count whose results are public, or None while they are embargoed."""
    return edition.counts.filter(published_at__isnull=False).first()


DELIVERY_FIELDS = ("delivery_status", "progress", "spent")


def project_delivery_update(*, project: Project, data: dict, actor) -> Project:
    """Record where a funded project stands: status, progress, money spent."""
    if not project.selected:
        raise ValidationError(_("Only funded projects are delivered."))
    return audited_update(project, data=data, fields=DELIVERY_FIELDS, actor=actor)


def milestone_create(*, project: Project, actor, **fields) -> Milestone:
    """Add a dated step to a funded project's delivery."""
    if not project.selected:
        raise ValidationError(_("Only funded projects are delivered."))
    fields = {k: v for k, v in fields.items() if k in ("title", "due_on", "completed_on")}
    return audited_create(Milestone, project=project, actor=actor, **fields)


def milestone_update(*, milestone: Milestone, data: dict, actor) -> Milestone:
    return audited_update(
        milestone, data=data, fields=("title", "due_on", "completed_on"), actor=actor
    )


def milestone_delete(*, milestone: Milestone, actor) -> None:
    audited_delete(milestone, actor=actor)


def project_update_post(*, project: Project, actor, text: str, published_on=None) -> ProjectUpdate:
    """Publish a dated note on a funded project's delivery."""
    if not project.selected:
        raise ValidationError(_("Only funded projects are delivered."))
    fields = {"text": text, "author": actor}
    if published_on:
        fields["published_on"] = published_on
    return audited_create(ProjectUpdate, project=project, actor=actor, **fields)

"""Participatory budgets: editions, their headings and projects, and secret ballots.

Secrecy is structural: a ``Participation`` says *that* a voter took part, a ``Ballot`` says
*what* was chosen, and nothing links the two (no foreign key, random ids, no timestamps).
A ballot is found again only through its receipt, whose fingerprint is in the public
``BallotLogEntry`` hash chain.
"""

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cities.models import City, Zone
from cities.validators import validate_currency

from .choices import (
    Channel,
    Completion,
    CountingRule,
    CountStatus,
    DeliveryStatus,
    LogEntryKind,
    Phase,
    ProjectStatus,
    VotingMethod,
    phase_index,
)
from .querysets import EditionQuerySet, HeadingQuerySet, ProjectQuerySet

MONEY = {"max_digits": 18, "decimal_places": 2}
NON_NEGATIVE = [MinValueValidator(Decimal(0))]


class BudgetEdition(models.Model):
    """A city's participatory budget for a year: money, phases, the voting method and rule."""

    city = models.ForeignKey(
        City, on_delete=models.PROTECT, related_name="budget_editions", verbose_name=_("city")
    )
    title = models.CharField(_("title"), max_length=200)
    year = models.PositiveSmallIntegerField(_("year"))
    description = models.TextField(_("description"), blank=True)
    total_amount = models.DecimalField(
        _("total amount"), **MONEY, validators=NON_NEGATIVE, help_text=_("The money at stake.")
    )
    currency = models.CharField(
        _("currency"), max_length=3, validators=[validate_currency], help_text=_("ISO 4217 code.")
    )
    phase = models.CharField(_("phase"), max_length=16, choices=Phase.choices, default=Phase.DRAFT)
    auto_advance = models.BooleanField(
        _("advance on schedule"),
        default=True,
        help_text=_("Move to the next phase when its start date comes."),
    )
    method = models.CharField(
        _("voting method"),
        max_length=16,
        choices=VotingMethod.choices,
        default=VotingMethod.APPROVAL,
    )
    max_choices = models.PositiveSmallIntegerField(
        _("maximum choices"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("How many headings or projects a voter may pick; empty for any number."),
    )
    points = models.PositiveIntegerField(
        _("points per voter"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("For cumulative voting: the points each voter spreads over projects."),
    )
    counting_rule = models.CharField(
        _("counting rule"), max_length=16, choices=CountingRule.choices, default=CountingRule.GREEDY
    )
    completion = models.CharField(
        _("completion"), max_length=16, choices=Completion.choices, default=Completion.NONE
    )
    by_zone = models.BooleanField(
        _("vote by zone"),
        default=False,
        help_text=_("Voters see city-wide projects and those of their own zone only."),
    )
    account_voting = models.BooleanField(
        _("verified accounts may vote"),
        default=False,
        help_text=_("Besides voting codes, residents the city verified vote with their account."),
    )
    # The head of the ballot log, kept with the edition so that cutting entries off the end
    # of the log is detected too.
    log_length = models.PositiveIntegerField(_("ballot log entries"), default=0, editable=False)
    log_head = models.CharField(_("ballot log head"), max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = EditionQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["log_length", "log_head"])

    # Changing these once voting has opened is refused.
    FROZEN_FIELDS = ("method", "max_choices", "points", "total_amount", "currency", "by_zone")

    class Meta:
        verbose_name = _("budget edition")
        verbose_name_plural = _("budget editions")
        ordering = ["-year", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(total_amount__gte=0), name="budgeting_edition_amount_non_negative"
            ),
            models.CheckConstraint(
                condition=~Q(method=VotingMethod.CUMULATIVE) | Q(points__isnull=False),
                name="budgeting_edition_cumulative_has_points",
                violation_error_message=_("Cumulative voting needs the points per voter."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("budgeting:edition_detail", kwargs={"pk": self.pk})

    @property
    def is_frozen(self) -> bool:
        """Once voting opens, the rules and the ballot no longer change."""
        return phase_index(self.phase) >= phase_index(Phase.VOTING)

    @property
    def is_voting_open(self) -> bool:
        return self.phase == Phase.VOTING

    @property
    def is_public(self) -> bool:
        return self.phase != Phase.DRAFT

    @property
    def votes_on_headings(self) -> bool:
        return self.method == VotingMethod.HEADINGS

    def phase_reached(self, phase: str) -> bool:
        return phase_index(self.phase) >= phase_index(phase)

    def clean(self) -> None:
        if self.method == VotingMethod.CUMULATIVE and not self.points:
            raise ValidationError({"points": _("Cumulative voting needs the points per voter.")})
        if self.method != VotingMethod.CUMULATIVE and self.points:
            raise ValidationError({"points": _("Only cumulative voting uses points.")})
        if self.method == VotingMethod.KNAPSACK and self.max_choices:
            raise ValidationError(
                {"max_choices": _("A knapsack ballot is limited by the budget, not a count.")}
            )
        if self.city_id and not self.currency:
            self.currency = self.city.currency
        if self.pk and self.is_frozen:
            before = type(self).objects.filter(pk=self.pk).values(*self.FROZEN_FIELDS).first()
            if before:
                changed = {
                    name: _("Voting has opened: this can no longer change.")
                    for name in self.FROZEN_FIELDS
                    if before[name] != getattr(self, name)
                }
                if changed:
                    raise ValidationError(changed)


class PhaseSchedule(models.Model):
    """When a phase of an edition starts; it ends when the next scheduled one starts."""

    edition = models.ForeignKey(
        BudgetEdition, on_delete=models.CASCADE, related_name="schedule", verbose_name=_("edition")
    )
    phase = models.CharField(_("phase"), max_length=16, choices=Phase.choices)
    starts_at = models.DateTimeField(_("starts"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("phase date")
        verbose_name_plural = _("phase dates")
        ordering = ["edition", "starts_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "phase"],
                name="budgeting_schedule_one_date_per_phase",
                violation_error_message=_("This phase already has a date."),
            ),
            models.CheckConstraint(
                condition=~Q(phase=Phase.DRAFT), name="budgeting_schedule_not_draft"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_phase_display()}: {self.starts_at:%Y-%m-%d}"


class Heading(models.Model):
    """A line of the budget (public lighting, roadways...): an amount, city-wide or per zone."""

    edition = models.ForeignKey(
        BudgetEdition, on_delete=models.CASCADE, related_name="headings", verbose_name=_("edition")
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    amount = models.DecimalField(_("amount"), **MONEY, validators=NON_NEGATIVE)
    zone = models.ForeignKey(
        Zone,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="budget_headings",
        verbose_name=_("zone"),
        help_text=_("Leave empty for a city-wide heading."),
    )
    opened = models.BooleanField(
        _("opened"),
        default=False,
        help_text=_("In a heading-choice edition: the voters chose to open this heading."),
    )

    objects = HeadingQuerySet.as_manager()
    history = HistoricalRecords()

    FROZEN_FIELDS = ("name", "amount", "zone_id", "edition_id")

    class Meta:
        verbose_name = _("heading")
        verbose_name_plural = _("headings")
        ordering = ["edition", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gte=0), name="budgeting_heading_amount_non_negative"
            ),
            models.UniqueConstraint(
                fields=["edition", "name"],
                condition=Q(zone__isnull=True),
                name="budgeting_heading_unique_citywide_name",
                violation_error_message=_(
                    "The edition already has a city-wide heading of that name."
                ),
            ),
            models.UniqueConstraint(
                fields=["edition", "name", "zone"],
                name="budgeting_heading_unique_zone_name",
                violation_error_message=_("The edition already has a heading of that name here."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.zone})" if self.zone_id else self.name

    def clean(self) -> None:
        if self.zone_id and self.edition_id and self.zone.city_id != self.edition.city_id:
            raise ValidationError({"zone": _("The zone must be in the edition's city.")})
        refuse_frozen_change(self)


class Project(models.Model):
    """A proposal from a citizen or staff: reviewed for feasibility, then on the ballot or not."""

    edition = models.ForeignKey(
        BudgetEdition, on_delete=models.CASCADE, related_name="projects", verbose_name=_("edition")
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    heading = models.ForeignKey(
        Heading,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="projects",
        verbose_name=_("heading"),
    )
    zone = models.ForeignKey(
        Zone,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="budget_projects",
        verbose_name=_("zone"),
        help_text=_("Leave empty for a city-wide project."),
    )
    cost = models.DecimalField(_("cost"), **MONEY, validators=NON_NEGATIVE)
    status = models.CharField(
        _("status"), max_length=16, choices=ProjectStatus.choices, default=ProjectStatus.SUBMITTED
    )
    review_explanation = models.TextField(
        _("review explanation"),
        blank=True,
        help_text=_("Public: why the project is or is not on the ballot."),
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="budget_proposals",
        verbose_name=_("proposed by"),
    )
    external_id = models.CharField(
        _("external id"),
        max_length=64,
        blank=True,
        help_text=_("The project's id in an imported file (Pabulib)."),
    )
    selected = models.BooleanField(
        _("funded"), default=False, help_text=_("Chosen by the published count.")
    )
    delivery_status = models.CharField(
        _("delivery status"),
        max_length=16,
        choices=DeliveryStatus.choices,
        default=DeliveryStatus.NOT_STARTED,
    )
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"), default=0, validators=[MaxValueValidator(100)]
    )
    spent = models.DecimalField(_("spent"), **MONEY, default=Decimal(0), validators=NON_NEGATIVE)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ProjectQuerySet.as_manager()
    history = HistoricalRecords()

    FROZEN_FIELDS = ("cost", "status", "heading_id", "zone_id", "edition_id")

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["edition", "title", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(cost__gte=0), name="budgeting_project_cost_non_negative"
            ),
            models.CheckConstraint(
                condition=Q(spent__gte=0), name="budgeting_project_spent_non_negative"
            ),
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="budgeting_project_progress_percent"
            ),
            models.UniqueConstraint(
                fields=["edition", "external_id"],
                condition=~Q(external_id=""),
                name="budgeting_project_unique_external_id",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse(
            "budgeting:project_detail", kwargs={"edition": self.edition_id, "pk": self.pk}
        )

    @property
    def on_ballot(self) -> bool:
        return self.status == ProjectStatus.FEASIBLE

    def clean(self) -> None:
        errors = {}
        if self.edition_id:
            city_id = self.edition.city_id
            if self.zone_id and self.zone.city_id != city_id:
                errors["zone"] = _("The zone must be in the edition's city.")
            if self.heading_id and self.heading.edition_id != self.edition_id:
                errors["heading"] = _("The heading must belong to the same edition.")
            elif self.heading_id and self.heading.zone_id and self.zone_id != self.heading.zone_id:
                errors["zone"] = _("The project must be in its heading's zone.")
        if self.status == ProjectStatus.UNFEASIBLE and not self.review_explanation.strip():
            errors["review_explanation"] = _("Explain publicly why the project is not feasible.")
        if errors:
            raise ValidationError(errors)
        refuse_frozen_change(self)


def refuse_frozen_change(obj) -> None:
    """Refuse changing a heading's or project's ``FROZEN_FIELDS`` once voting has opened."""
    if not obj.edition_id or not obj.edition.is_frozen:
        return
    if obj.pk is None:
        raise ValidationError(_("Voting has opened: nothing can be added to the ballot."))
    before = type(obj).objects.filter(pk=obj.pk).values(*obj.FROZEN_FIELDS).first()
    if before is None:
        return
    changed = {
        name.removesuffix("_id"): _("Voting has opened: this can no longer change.")
        for name in obj.FROZEN_FIELDS
        if before[name] != getattr(obj, name)
    }
    if changed:
        raise ValidationError(changed)


class ResidentVerification(models.Model):
    """A city's word that an account belongs to a resident (of a zone): a second way to vote."""

    city = models.ForeignKey(
        City, on_delete=models.CASCADE, related_name="verified_residents", verbose_name=_("city")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="resident_verifications",
        verbose_name=_("account"),
    )
    zone = models.ForeignKey(
        Zone, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("zone")
    )
    verified_on = models.DateField(_("verified on"), default=timezone.localdate)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("verified resident")
        verbose_name_plural = _("verified residents")
        ordering = ["city", "user"]
        constraints = [
            models.UniqueConstraint(
                fields=["city", "user"],
                name="budgeting_resident_once_per_city",
                violation_error_message=_("This account is already verified for the city."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.city})"

    def clean(self) -> None:
        if self.zone_id and self.city_id and self.zone.city_id != self.city_id:
            raise ValidationError({"zone": _("The zone must be in the city.")})


class CodeBatch(models.Model):
    """A batch of voting codes handed out together (say, for one zone's assembly)."""

    edition = models.ForeignKey(
        BudgetEdition, on_delete=models.CASCADE, related_name="code_batches"
    )
    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, null=True, blank=True)
    label = models.CharField(_("label"), max_length=120, blank=True)
    size = models.PositiveIntegerField(_("codes"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )

    class Meta:
        verbose_name = _("voting code batch")
        verbose_name_plural = _("voting code batches")
        ordering = ["edition", "-created_at"]

    def __str__(self) -> str:
        return self.label or f"{self.size}"


class VotingCode(models.Model):
    """A single-use voting code, kept only as a keyed hash (see ``budgeting.codes``)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    edition = models.ForeignKey(
        BudgetEdition, on_delete=models.CASCADE, related_name="voting_codes"
    )
    batch = models.ForeignKey(CodeBatch, on_delete=models.CASCADE, related_name="codes")
    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, null=True, blank=True)
    code_hash = models.CharField(max_length=64, unique=True)

    class Meta:
        verbose_name = _("voting code")
        verbose_name_plural = _("voting codes")

    def __str__(self) -> str:
        return f"{self.edition_id}:{self.code_hash[:8]}"


class Participation(models.Model):
    """That a voter took part in an edition: one per voter, held by a unique constraint.

    ``voter_key`` is the code's hash or a keyed hash of the account. No timestamp and a random
    id, so nothing orders participations against ballots.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    edition = models.ForeignKey(
        BudgetEdition, on_delete=models.CASCADE, related_name="participations"
    )
    voter_key = models.CharField(max_length=80)
    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, null=True, blank=True)
    channel = models.CharField(max_length=8, choices=Channel.choices)

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "voter_key"], name="budgeting_one_ballot_per_voter"
            )
        ]

    def __str__(self) -> str:
        return f"{self.edition_id}:{self.id}"


class Ballot(models.Model):
    """What one voter chose, with no link to who voted.

    ``choices`` maps a project's (or, in a heading-choice edition, a heading's) id to the points
    given: 1 for approval. ``fingerprint`` is the SHA-256 of the voter's receipt; ``salt`` hides
    the choices in the public log until the anonymised ballots are published.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    edition = models.ForeignKey(BudgetEdition, on_delete=models.CASCADE, related_name="ballots")
    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, null=True, blank=True)
    channel = models.CharField(max_length=8, choices=Channel.choices)
    choices = models.JSONField(default=dict)
    fingerprint = models.CharField(max_length=64, unique=True)
    salt = models.CharField(max_length=32)
    superseded = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
        ordering = ["fingerprint"]  # a random order, unrelated to when ballots were cast

    def __str__(self) -> str:
        return self.fingerprint[:12]


class BallotLogEntry(models.Model):
    """One entry of an edition's public ballot log, a hash chain of receipt fingerprints."""

    edition = models.ForeignKey(BudgetEdition, on_delete=models.CASCADE, related_name="log_entries")
    seq = models.PositiveIntegerField()
    kind = models.CharField(max_length=8, choices=LogEntryKind.choices)
    fingerprint = models.CharField(max_length=64)
    supersedes = models.CharField(max_length=64, blank=True)
    content_digest = models.CharField(max_length=64)
    prev_hash = models.CharField(max_length=64)
    entry_hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("ballot log entry")
        verbose_name_plural = _("ballot log entries")
        ordering = ["edition", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "seq"], name="budgeting_log_unique_seq")
        ]

    def __str__(self) -> str:
        return f"{self.edition_id}#{self.seq}"


class Milestone(models.Model):
    """A dated step in delivering a funded project (design approved, works start...)."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="milestones", verbose_name=_("project")
    )
    title = models.CharField(_("title"), max_length=200)
    due_on = models.DateField(_("due on"))
    completed_on = models.DateField(_("completed on"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["project", "due_on", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def edition(self):
        return self.project.edition


class ProjectUpdate(models.Model):
    """A public note on how a funded project is going."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="updates", verbose_name=_("project")
    )
    published_on = models.DateField(_("date"), default=timezone.localdate)
    text = models.TextField(_("update"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("project update")
        verbose_name_plural = _("project updates")
        ordering = ["project", "-published_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.project}: {self.published_on}"

    @property
    def edition(self):
        return self.project.edition


class Count(models.Model):
    """One counting of an edition's ballots by the worker, with its progress.

    It produces one ``Result`` per rule (the edition's rule, and the other one for the
    comparison); staff publish a finished count, which ends the embargo.
    """

    edition = models.ForeignKey(
        BudgetEdition, on_delete=models.CASCADE, related_name="counts", verbose_name=_("edition")
    )
    status = models.CharField(
        _("status"), max_length=8, choices=CountStatus.choices, default=CountStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    error = models.TextField(_("error"), blank=True)
    log_length = models.PositiveIntegerField(_("ballot log entries counted"), default=0)
    log_head = models.CharField(_("ballot log head counted"), max_length=64, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    class Meta:
        verbose_name = _("count")
        verbose_name_plural = _("counts")
        ordering = ["edition", "-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["edition"],
                condition=Q(published_at__isnull=False),
                name="budgeting_one_published_count",
                violation_error_message=_("The edition already has published results."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.edition} #{self.pk}"

    @property
    def is_stale(self) -> bool:
        """The ballot log changed after this count: its results no longer match the ballots."""
        return (self.log_length, self.log_head) != (
            self.edition.log_length,
            self.edition.log_head,
        )


class Result(models.Model):
    """The outcome of counting with one rule: reproducible from the anonymised ballots."""

    count = models.ForeignKey(
        Count, on_delete=models.CASCADE, related_name="results", verbose_name=_("count")
    )
    rule = models.CharField(_("rule"), max_length=16, choices=CountingRule.choices)
    completion = models.CharField(_("completion"), max_length=16, choices=Completion.choices)
    official = models.BooleanField(
        _("official"), default=False, help_text=_("Counted with the rule the edition chose.")
    )
    tie_break = models.CharField(_("tie-breaking"), max_length=120)
    engine_version = models.CharField(_("engine version"), max_length=16)
    budget = models.DecimalField(_("budget"), **MONEY)
    cost = models.DecimalField(_("cost of what was funded"), **MONEY)
    selected = models.JSONField(_("selected"), default=list)
    support = models.JSONField(_("support"), default=dict)
    voters = models.PositiveIntegerField(_("voters"), default=0)
    satisfied = models.PositiveIntegerField(
        _("voters with a funded choice"),
        default=0,
        help_text=_("Voters who supported at least one of the funded projects."),
    )
    units = models.JSONField(
        _("budgets counted"),
        default=list,
        help_text=_("Each zone's or heading's budget, counted on its own."),
    )
    seconds = models.FloatField(_("seconds"), default=0)

    class Meta:
        verbose_name = _("result")
        verbose_name_plural = _("results")
        ordering = ["count", "-official", "rule"]
        constraints = [
            models.UniqueConstraint(fields=["count", "rule"], name="budgeting_result_one_per_rule")
        ]

    def __str__(self) -> str:
        return f"{self.count}: {self.get_rule_display()}"

    @property
    def satisfied_share(self) -> float:
        return self.satisfied / self.voters if self.voters else 0.0

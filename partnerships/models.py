"""Partners, the partnerships they form in cities, and what they put in, risk and learn."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cities.models import City
from cities.validators import validate_currency

from .choices import (
    KINDS_BY_SECTOR,
    SECTOR_OF_KIND,
    Approach,
    ContributionKind,
    Direction,
    ParticipationRole,
    PartnerKind,
    PartnershipStatus,
    Pillar,
    RiskCategory,
    RiskStatus,
    Sector,
    Theme,
)
from .querysets import (
    ContributionQuerySet,
    LessonQuerySet,
    OutcomeContractQuerySet,
    OutcomeMeasurementQuerySet,
    ParticipationQuerySet,
    PartnerQuerySet,
    PartnershipQuerySet,
    RiskQuerySet,
)

MONEY = {"max_digits": 18, "decimal_places": 2}
SCORE = [MinValueValidator(1), MaxValueValidator(5)]


# Paths under /partnerships/ that a partnership's slug would shadow.
RESERVED_PARTNERSHIP_SLUGS = frozenset(
    {"partners", "contributions", "participations", "risks", "lessons", "new"}
)


def _valid_sector_kind() -> Q:
    condition = Q()
    for sector, kinds in KINDS_BY_SECTOR.items():
        condition |= Q(sector=sector, kind__in=kinds)
    return condition


class Partner(models.Model):
    """An organisation from the public, private or community sector."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    sector = models.CharField(_("sector"), max_length=16, choices=Sector.choices)
    kind = models.CharField(_("kind"), max_length=32, choices=PartnerKind.choices)
    country = models.CharField(_("country"), max_length=2, blank=True)
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)
    home_city = models.ForeignKey(
        City,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="registered_partners",
        verbose_name=_("registered by city"),
        help_text=_("The city whose staff registered the partner."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = PartnerQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=_valid_sector_kind(),
                name="partnerships_partner_kind_matches_sector",
                violation_error_message=_("This kind of organisation belongs to another sector."),
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("partnerships:partner_detail", kwargs={"slug": self.slug})

    def clean(self) -> None:
        if self.kind and self.sector and SECTOR_OF_KIND.get(self.kind) != self.sector:
            raise ValidationError(
                {
                    "kind": _("“%(kind)s” is not a kind of %(sector)s partner.")
                    % {
                        "kind": PartnerKind(self.kind).label,
                        "sector": Sector(self.sector).label.lower(),
                    }
                }
            )


class Partnership(models.Model):
    """An initiative in a city that partners run together."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    city = models.ForeignKey(
        City,
        on_delete=models.PROTECT,
        related_name="partnerships",
        verbose_name=_("city"),
        help_text=_("The city that runs the partnership; its staff keep it up to date."),
    )
    cities_served = models.ManyToManyField(
        City, blank=True, related_name="partnerships_served", verbose_name=_("other cities served")
    )
    objective = models.TextField(_("objective"))
    description = models.TextField(_("description"), blank=True)
    theme = models.CharField(_("theme"), max_length=24, choices=Theme.choices)
    approach = models.CharField(_("approach"), max_length=16, choices=Approach.choices)
    pillar = models.CharField(_("pillar"), max_length=24, choices=Pillar.choices, blank=True)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=PartnershipStatus.choices,
        default=PartnershipStatus.PROPOSED,
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    partners = models.ManyToManyField(
        Partner, through="Participation", related_name="partnerships", verbose_name=_("partners")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = PartnershipQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("partnership")
        verbose_name_plural = _("partnerships")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=F("start_date")),
                name="partnerships_partnership_dates_in_order",
                violation_error_message=_("The end date cannot be before the start date."),
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("partnerships:partnership_detail", kwargs={"slug": self.slug})

    def clean(self) -> None:
        errors = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("The end date cannot be before the start date.")
        if self.slug in RESERVED_PARTNERSHIP_SLUGS:
            errors["slug"] = _("“%(slug)s” is reserved for a page of the site; choose another.") % {
                "slug": self.slug
            }
        if errors:
            raise ValidationError(errors)


class Participation(models.Model):
    """The role a partner plays in a partnership (IATI organisation roles)."""

    partnership = models.ForeignKey(
        Partnership,
        on_delete=models.CASCADE,
        related_name="participations",
        verbose_name=_("partnership"),
    )
    partner = models.ForeignKey(
        Partner, on_delete=models.PROTECT, related_name="participations", verbose_name=_("partner")
    )
    role = models.CharField(_("role"), max_length=16, choices=ParticipationRole.choices)
    is_lead = models.BooleanField(
        _("lead partner"), default=False, help_text=_("The partner that owns the partnership.")
    )
    notes = models.CharField(_("notes"), max_length=300, blank=True)

    objects = ParticipationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        ordering = ["-is_lead", "partner__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "partner", "role"],
                name="partnerships_participation_unique_role",
                violation_error_message=_("This partner already has this role here."),
            ),
            models.UniqueConstraint(
                fields=["partnership"],
                condition=Q(is_lead=True),
                name="partnerships_participation_one_lead",
                violation_error_message=_("The partnership already has a lead partner."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.partner} · {self.get_role_display()}"

    def get_absolute_url(self) -> str:
        return self.partnership.get_absolute_url()

    def clean(self) -> None:
        # The one-lead constraint would report a form-wide error; say which field is wrong.
        if (
            self.is_lead
            and self.partnership_id
            and Participation.objects.filter(partnership_id=self.partnership_id, is_lead=True)
            .exclude(pk=self.pk)
            .exists()
        ):
            raise ValidationError({"is_lead": _("The partnership already has a lead partner.")})


class Contribution(models.Model):
    """Money or in-kind support a partner pledges to a partnership, then delivers.

    ``value`` is the amount in the city's currency (amount × exchange rate), computed by the
    database; in-kind contributions carry their valued amount.
    """

    partnership = models.ForeignKey(
        Partnership,
        on_delete=models.CASCADE,
        related_name="contributions",
        verbose_name=_("partnership"),
    )
    partner = models.ForeignKey(
        Partner, on_delete=models.PROTECT, related_name="contributions", verbose_name=_("partner")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=ContributionKind.choices)
    description = models.CharField(_("description"), max_length=300, blank=True)
    amount = models.DecimalField(
        _("amount"),
        **MONEY,
        validators=[MinValueValidator(0)],
        help_text=_("For in-kind support, its estimated value."),
    )
    currency = models.CharField(_("currency"), max_length=3, validators=[validate_currency])
    exchange_rate = models.DecimalField(
        _("exchange rate"),
        max_digits=18,
        decimal_places=8,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.00000001"))],
        help_text=_("Units of the city's currency per unit of this currency."),
    )
    value = models.GeneratedField(
        expression=F("amount") * Coalesce(F("exchange_rate"), Value(Decimal(1))),
        output_field=models.DecimalField(max_digits=30, decimal_places=2),
        db_persist=True,
        verbose_name=_("value in the city's currency"),
    )
    pledged_on = models.DateField(_("pledged on"))
    received_on = models.DateField(_("received on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = ContributionQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["value"])

    class Meta:
        verbose_name = _("contribution")
        verbose_name_plural = _("contributions")
        ordering = ["-pledged_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gte=0), name="partnerships_contribution_amount_non_negative"
            ),
            models.CheckConstraint(
                condition=Q(exchange_rate__isnull=True) | Q(exchange_rate__gt=0),
                name="partnerships_contribution_rate_positive",
            ),
            models.CheckConstraint(
                condition=Q(received_on__isnull=True) | Q(received_on__gte=F("pledged_on")),
                name="partnerships_contribution_received_after_pledge",
                violation_error_message=_("It cannot be received before it was pledged."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.partner} · {self.amount} {self.currency}"

    def get_absolute_url(self) -> str:
        return self.partnership.get_absolute_url()

    @property
    def is_received(self) -> bool:
        return self.received_on is not None

    def clean(self) -> None:
        errors = {}
        city = self.partnership.city if self.partnership_id else None
        if city and self.currency:
            if self.currency == city.currency:
                if self.exchange_rate not in (None, Decimal(1)):
                    errors["exchange_rate"] = _(
                        "No exchange rate is needed: the amount is in the city's currency."
                    )
                self.exchange_rate = None
            elif self.exchange_rate is None:
                errors["exchange_rate"] = _(
                    "The amount is in %(currency)s, not the city's %(city_currency)s: "
                    "give the exchange rate."
                ) % {"currency": self.currency, "city_currency": city.currency}
        if self.received_on and self.pledged_on and self.received_on < self.pledged_on:
            errors["received_on"] = _("It cannot be received before it was pledged.")
        if (
            self.partnership_id
            and self.partner_id
            and not Participation.objects.filter(
                partnership_id=self.partnership_id, partner_id=self.partner_id
            ).exists()
        ):
            errors["partner"] = _(
                "Add this partner to the partnership before recording what it gives."
            )
        if errors:
            raise ValidationError(errors)


class OutcomeContract(models.Model):
    """A social impact bond: investors fund the work, an outcome payer pays for results.

    Each measurement's payment is (improvement over the baseline) × the price per unit, once the
    improvement reaches the threshold; the total is capped.
    """

    partnership = models.OneToOneField(
        Partnership,
        on_delete=models.CASCADE,
        related_name="outcome_contract",
        verbose_name=_("partnership"),
    )
    outcome_payer = models.ForeignKey(
        Partner,
        on_delete=models.PROTECT,
        related_name="outcome_contracts_paid",
        verbose_name=_("outcome payer"),
    )
    investors = models.ManyToManyField(
        Partner, related_name="outcome_contracts_invested", verbose_name=_("investors")
    )
    indicator = models.CharField(_("indicator"), max_length=200)
    unit = models.CharField(_("unit"), max_length=60, blank=True)
    direction = models.CharField(
        _("direction"), max_length=8, choices=Direction.choices, default=Direction.DECREASE
    )
    baseline = models.DecimalField(_("baseline"), max_digits=18, decimal_places=4)
    target = models.DecimalField(_("target"), max_digits=18, decimal_places=4)
    threshold = models.DecimalField(
        _("payment threshold"),
        max_digits=18,
        decimal_places=4,
        default=0,
        validators=[MinValueValidator(0)],
        help_text=_("Improvement over the baseline needed before anything is paid."),
    )
    price_per_unit = models.DecimalField(
        _("payment per unit of improvement"), **MONEY, validators=[MinValueValidator(0)]
    )
    cap = models.DecimalField(_("payment cap"), **MONEY, validators=[MinValueValidator(0)])
    currency = models.CharField(_("currency"), max_length=3, validators=[validate_currency])

    objects = OutcomeContractQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("outcome contract")
        verbose_name_plural = _("outcome contracts")
        constraints = [
            models.CheckConstraint(
                condition=Q(price_per_unit__gte=0) & Q(cap__gte=0) & Q(threshold__gte=0),
                name="partnerships_outcomecontract_non_negative",
            )
        ]

    def __str__(self) -> str:
        return f"{self.partnership} · {self.indicator}"

    def get_absolute_url(self) -> str:
        return self.partnership.get_absolute_url()

    def clean(self) -> None:
        if self.baseline is None or self.target is None:
            return
        better = self.target > self.baseline
        if self.direction == Direction.DECREASE:
            better = self.target < self.baseline
        if not better:
            raise ValidationError(
                {"target": _("The target must improve on the baseline in the chosen direction.")}
            )


class OutcomeMeasurement(models.Model):
    """A measured value of an outcome contract's indicator."""

    contract = models.ForeignKey(
        OutcomeContract,
        on_delete=models.CASCADE,
        related_name="measurements",
        verbose_name=_("outcome contract"),
    )
    measured_on = models.DateField(_("measured on"))
    value = models.DecimalField(_("value"), max_digits=18, decimal_places=4)
    source = models.CharField(_("source"), max_length=300, blank=True)

    objects = OutcomeMeasurementQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("measurement")
        verbose_name_plural = _("measurements")
        ordering = ["measured_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "measured_on"], name="partnerships_measurement_unique_date"
            )
        ]

    def __str__(self) -> str:
        return f"{self.contract.indicator}: {self.value} ({self.measured_on})"

    def get_absolute_url(self) -> str:
        return self.contract.get_absolute_url()


class Risk(models.Model):
    """A risk to a partnership, scored by likelihood and impact (1-5 each)."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="risks", verbose_name=_("partnership")
    )
    title = models.CharField(_("title"), max_length=200)
    category = models.CharField(_("category"), max_length=24, choices=RiskCategory.choices)
    description = models.TextField(_("description"), blank=True)
    likelihood = models.PositiveSmallIntegerField(_("likelihood (1-5)"), validators=SCORE)
    impact = models.PositiveSmallIntegerField(_("impact (1-5)"), validators=SCORE)
    score = models.GeneratedField(
        expression=F("likelihood") * F("impact"),
        output_field=models.PositiveSmallIntegerField(),
        db_persist=True,
        verbose_name=_("score"),
    )
    mitigation = models.TextField(_("mitigation"), blank=True)
    owner = models.CharField(_("owner"), max_length=150, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=RiskStatus.choices, default=RiskStatus.OPEN
    )
    next_review = models.DateField(_("next review"), null=True, blank=True)

    objects = RiskQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["score"])

    class Meta:
        verbose_name = _("risk")
        verbose_name_plural = _("risks")
        ordering = ["-score", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(likelihood__gte=1, likelihood__lte=5, impact__gte=1, impact__lte=5),
                name="partnerships_risk_scores_1_to_5",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("partnerships:risk_detail", kwargs={"pk": self.pk})


class Tag(models.Model):
    """A keyword that groups lessons learned."""

    name = models.CharField(_("name"), max_length=60, unique=True)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)

    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Lesson(models.Model):
    """A lesson learned from a partnership, public and searchable."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="lessons", verbose_name=_("partnership")
    )
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("lesson"))
    tags = models.ManyToManyField(Tag, blank=True, related_name="lessons", verbose_name=_("tags"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = LessonQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")
        ordering = ["-created_at", "title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("partnerships:lesson_detail", kwargs={"pk": self.pk})

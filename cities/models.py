"""Cities and their zones: the places everything else on the platform belongs to."""

from babel import Locale
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import get_language, to_locale
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .choices import ProgrammeStatus
from .querysets import CityQuerySet, DepartmentQuerySet, FiscalYearQuerySet, ZoneQuerySet
from .validators import validate_country, validate_currency, validate_languages, validate_time_zone

# Paths under /cities/ that a city's slug would shadow.
RESERVED_CITY_SLUGS = frozenset({"cohort"})


class City(models.Model):
    """A municipality that uses the platform or takes part in a programme."""

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    country = models.CharField(
        _("country"),
        max_length=2,
        validators=[validate_country],
        help_text=_("ISO 3166 code, e.g. BR."),
    )
    region = models.CharField(_("state or region"), max_length=120, blank=True)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    currency = models.CharField(
        _("currency"), max_length=3, validators=[validate_currency], help_text=_("ISO 4217 code.")
    )
    time_zone = models.CharField(
        _("time zone"), max_length=64, validators=[validate_time_zone], default="UTC"
    )
    languages = models.JSONField(
        _("languages"),
        default=list,
        blank=True,
        validators=[validate_languages],
        help_text=_("Languages the city works in, as codes such as pt-br or fr."),
    )
    programme_status = models.CharField(
        _("programme status"),
        max_length=16,
        choices=ProgrammeStatus.choices,
        default=ProgrammeStatus.NOT_ENROLLED,
    )
    mayor_name = models.CharField(_("mayor"), max_length=150, blank=True)
    mayor_party = models.CharField(_("mayor's party"), max_length=120, blank=True)
    mayor_term_start = models.DateField(_("term starts"), null=True, blank=True)
    mayor_term_end = models.DateField(_("term ends"), null=True, blank=True)
    mayor_first_term = models.BooleanField(
        _("first term"), null=True, blank=True, help_text=_("Is this the mayor's first term?")
    )
    mayor_collegial_conviction = models.BooleanField(
        _("collegial conviction"),
        null=True,
        blank=True,
        help_text=_("Has the mayor been convicted by a collegial court?"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = CityQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("city")
        verbose_name_plural = _("cities")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(country__regex=r"^[A-Z]{2}$"), name="cities_city_country_iso"
            ),
            models.CheckConstraint(
                condition=Q(currency__regex=r"^[A-Z]{3}$"), name="cities_city_currency_iso"
            ),
            models.CheckConstraint(
                condition=Q(mayor_term_end__isnull=True)
                | Q(mayor_term_start__isnull=True)
                | Q(mayor_term_end__gt=F("mayor_term_start")),
                name="cities_city_mayor_term_order",
                violation_error_message=_("The term must end after it starts."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("cities:city_detail", kwargs={"slug": self.slug})

    def clean(self) -> None:
        errors = {}
        if (
            self.mayor_term_start
            and self.mayor_term_end
            and self.mayor_term_end <= self.mayor_term_start
        ):
            errors["mayor_term_end"] = _("The term must end after it starts.")
        if self.slug in RESERVED_CITY_SLUGS:
            errors["slug"] = _("“%(slug)s” is reserved for a page of the site; choose another.") % {
                "slug": self.slug
            }
        if errors:
            raise ValidationError(errors)

    @property
    def selection_checks(self) -> dict[str, bool | None]:
        """The programme's selection criteria: a first-term mayor with no collegial conviction.

        None means the fact is not recorded yet.
        """
        return {
            "first_term": self.mayor_first_term,
            "no_collegial_conviction": (
                None
                if self.mayor_collegial_conviction is None
                else not self.mayor_collegial_conviction
            ),
        }

    @property
    def meets_selection_criteria(self) -> bool | None:
        checks = self.selection_checks.values()
        if any(value is False for value in checks):
            return False
        return None if any(value is None for value in checks) else True

    @property
    def country_name(self) -> str:
        """The country's name in the active language."""
        locale = Locale.parse(to_locale(get_language() or "en"))
        return locale.territories.get(self.country, self.country)


class Zone(models.Model):
    """A neighbourhood or district of a city, e.g. one of La Marsa's five zones."""

    city = models.ForeignKey(
        City, on_delete=models.CASCADE, related_name="zones", verbose_name=_("city")
    )
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=120)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)

    objects = ZoneQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("zone")
        verbose_name_plural = _("zones")
        ordering = ["city__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["city", "slug"], name="cities_zone_unique_slug"),
            models.UniqueConstraint(fields=["city", "name"], name="cities_zone_unique_name"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.city.name})"

    def get_absolute_url(self) -> str:
        return self.city.get_absolute_url()


class Department(models.Model):
    """A municipal secretariat (department) and the secretary who leads it."""

    city = models.ForeignKey(
        City, on_delete=models.CASCADE, related_name="departments", verbose_name=_("city")
    )
    name = models.CharField(_("name"), max_length=150)
    secretary = models.CharField(_("secretary"), max_length=150, blank=True)
    email = models.EmailField(_("email"), blank=True)

    objects = DepartmentQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["city__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["city", "name"], name="cities_department_unique_name")
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return self.city.get_absolute_url()


MONEY = {"max_digits": 18, "decimal_places": 2}


class FiscalYear(models.Model):
    """A city's fiscal figures for one year, in the city's currency.

    Investment capacity (revenue less current spending) and the fiscal balance (revenue less
    current spending and investment) are computed by the database.
    """

    city = models.ForeignKey(
        City, on_delete=models.CASCADE, related_name="fiscal_years", verbose_name=_("city")
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(1900), MaxValueValidator(2200)]
    )
    revenue = models.DecimalField(_("revenue"), **MONEY, validators=[MinValueValidator(0)])
    current_spending = models.DecimalField(
        _("current spending"), **MONEY, validators=[MinValueValidator(0)]
    )
    personnel_spending = models.DecimalField(
        _("personnel spending"),
        **MONEY,
        validators=[MinValueValidator(0)],
        help_text=_("Part of current spending."),
    )
    investment = models.DecimalField(_("investment"), **MONEY, validators=[MinValueValidator(0)])
    debt = models.DecimalField(_("debt"), **MONEY, validators=[MinValueValidator(0)])
    investment_capacity = models.GeneratedField(
        expression=F("revenue") - F("current_spending"),
        output_field=models.DecimalField(**MONEY),
        db_persist=True,
        verbose_name=_("investment capacity"),
    )
    fiscal_balance = models.GeneratedField(
        expression=F("revenue") - F("current_spending") - F("investment"),
        output_field=models.DecimalField(**MONEY),
        db_persist=True,
        verbose_name=_("fiscal balance"),
    )

    objects = FiscalYearQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["investment_capacity", "fiscal_balance"])

    class Meta:
        verbose_name = _("fiscal year")
        verbose_name_plural = _("fiscal years")
        ordering = ["city__name", "year"]
        constraints = [
            models.UniqueConstraint(fields=["city", "year"], name="cities_fiscalyear_unique_year"),
            models.CheckConstraint(
                condition=Q(revenue__gte=0)
                & Q(current_spending__gte=0)
                & Q(personnel_spending__gte=0)
                & Q(investment__gte=0)
                & Q(debt__gte=0),
                name="cities_fiscalyear_non_negative",
            ),
            models.CheckConstraint(
                condition=Q(personnel_spending__lte=F("current_spending")),
                name="cities_fiscalyear_personnel_within_current",
                violation_error_message=_("Personnel spending is part of current spending."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.city.name} {self.year}"

    def get_absolute_url(self) -> str:
        return self.city.get_absolute_url()

    def clean(self) -> None:
        if (
            self.personnel_spending is not None
            and self.current_spending is not None
            and self.personnel_spending > self.current_spending
        ):
            raise ValidationError(
                {"personnel_spending": _("Personnel spending is part of current spending.")}
            )

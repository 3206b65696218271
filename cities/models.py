"""Cities and their zones: the places everything else on the platform belongs to."""

from babel import Locale
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import get_language, to_locale
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .choices import ProgrammeStatus
from .querysets import CityQuerySet, ZoneQuerySet
from .validators import validate_country, validate_currency, validate_languages, validate_time_zone


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
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("cities:city_detail", kwargs={"slug": self.slug})

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

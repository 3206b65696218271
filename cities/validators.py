"""Checks for codes that come from international standards (via Babel's CLDR data)."""

import zoneinfo

from babel import Locale
from babel.numbers import list_currencies
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_COUNTRIES = {code for code in Locale("en").territories if len(code) == 2 and code.isalpha()}
_CURRENCIES = set(list_currencies())
_LANGUAGES = set(Locale("en").languages)


def validate_country(value: str) -> None:
    if value not in _COUNTRIES:
        raise ValidationError(
            _("“%(value)s” is not an ISO 3166 country code (two capital letters, e.g. BR)."),
            code="invalid_country",
            params={"value": value},
        )


def validate_currency(value: str) -> None:
    if value not in _CURRENCIES:
        raise ValidationError(
            _("“%(value)s” is not an ISO 4217 currency code (e.g. BRL, TND, EUR)."),
            code="invalid_currency",
            params={"value": value},
        )


def validate_time_zone(value: str) -> None:
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValidationError(
            _("“%(value)s” is not a time zone name (e.g. America/Sao_Paulo)."),
            code="invalid_time_zone",
            params={"value": value},
        ) from None


def validate_languages(value: list) -> None:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ValidationError(_("Give a list of language codes."), code="invalid_languages")
    unknown = [item for item in value if item.split("-")[0].split("_")[0] not in _LANGUAGES]
    if unknown:
        raise ValidationError(
            _("Unknown language codes: %(codes)s."),
            code="invalid_languages",
            params={"codes": ", ".join(unknown)},
        )

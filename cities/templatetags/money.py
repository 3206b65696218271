"""Money in the reader's language: ``{{ amount|money:city.currency }}`` gives e.g. "R$ 1.200,00"."""

from decimal import Decimal

from babel.numbers import format_currency, format_percent
from django import template
from django.utils.translation import get_language, to_locale

register = template.Library()


def format_money(amount: Decimal | int | float | None, currency: str) -> str:
    """``amount`` in ``currency``, formatted for the active language; "—" when unknown."""
    if amount in (None, ""):
        return "—"
    return format_currency(Decimal(amount), currency, locale=to_locale(get_language() or "en"))


@register.filter
def money(amount, currency: str) -> str:
    return format_money(amount, currency)


@register.filter
def percent(share) -> str:
    """A share between 0 and 1 as a percentage in the active language, e.g. "83 %"."""
    if share in (None, ""):
        return "—"
    return format_percent(Decimal(share), locale=to_locale(get_language() or "en"))

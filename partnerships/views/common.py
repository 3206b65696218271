"""Helpers the partnership pages share."""

from django.shortcuts import get_object_or_404

from ..choices import Sector
from ..models import (
    Partnership,
)
from ..querysets import _private_city_ids


def sees_private_data(user) -> bool:
    """Whether the user may read risks or contribution rows of at least one city."""
    city_ids = _private_city_ids(user)
    return city_ids is None or bool(city_ids)


def visible_partnership(request, slug: str) -> Partnership:
    """The partnership named in the URL, 404 when the user may not see it."""
    return get_object_or_404(
        Partnership.objects.visible_to(request.user).select_related("city"), slug=slug
    )


def sector_rows(aggregates) -> list[dict]:
    """``by_sector()`` rows with the sector's translated name."""
    labels = dict(Sector.choices)
    return [{**row, "sector": labels.get(row["partner__sector"], "")} for row in aggregates]

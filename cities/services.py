"""Every change to cities and zones: validated, atomic, audited with the acting user."""

from django.db import transaction

from accounts.models import User

from .models import City, Zone

CITY_FIELDS = {
    "name",
    "slug",
    "country",
    "region",
    "population",
    "currency",
    "time_zone",
    "languages",
    "programme_status",
}


def _save(instance, actor: User | None):
    instance.full_clean()
    instance._history_user = actor
    instance.save()
    return instance


@transaction.atomic
def city_create(*, actor: User | None, **fields) -> City:
    """Add a city to the platform."""
    return _save(City(**{k: v for k, v in fields.items() if k in CITY_FIELDS}), actor)


@transaction.atomic
def city_update(*, city: City, data: dict, actor: User | None) -> City:
    """Change a city's profile; nothing is saved unless every field is valid."""
    for field, value in data.items():
        if field in CITY_FIELDS:
            setattr(city, field, value)
    return _save(city, actor)


@transaction.atomic
def city_delete(*, city: City, actor: User | None) -> None:
    """Remove a city and everything that belongs to it."""
    city._history_user = actor
    city.delete()


@transaction.atomic
def zone_create(
    *, city: City, name: str, slug: str, population: int | None = None, actor: User | None
) -> Zone:
    """Add a zone (neighbourhood or district) to a city."""
    return _save(Zone(city=city, name=name, slug=slug, population=population), actor)

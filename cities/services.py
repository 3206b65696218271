"""Every change to cities and what belongs to them: validated, atomic, audited."""

from accounts.models import User
from config.services import audited_create, audited_delete, audited_update

from .models import City, Department, FiscalYear, Zone

CITY_FIELDS = (
    "name",
    "slug",
    "country",
    "region",
    "population",
    "currency",
    "time_zone",
    "languages",
    "programme_status",
    "mayor_name",
    "mayor_party",
    "mayor_term_start",
    "mayor_term_end",
    "mayor_first_term",
    "mayor_collegial_conviction",
)
ZONE_FIELDS = ("name", "slug", "population")
DEPARTMENT_FIELDS = ("name", "secretary", "email")
FISCAL_FIELDS = ("year", "revenue", "current_spending", "personnel_spending", "investment", "debt")


def _only(fields: dict, allowed: tuple[str, ...]) -> dict:
    return {name: value for name, value in fields.items() if name in allowed}


def city_create(*, actor: User | None, **fields) -> City:
    """Add a city to the platform."""
    return audited_create(City, actor=actor, **_only(fields, CITY_FIELDS))


def city_update(*, city: City, data: dict, actor: User | None) -> City:
    """Change a city's profile; nothing is saved unless every field is valid."""
    return audited_update(city, data=data, fields=CITY_FIELDS, actor=actor)


def city_delete(*, city: City, actor: User | None) -> None:
    """Remove a city (refused while partnerships belong to it)."""
    audited_delete(city, actor=actor)


def zone_create(*, city: City, actor: User | None, **fields) -> Zone:
    """Add a zone (neighbourhood or district) to a city."""
    return audited_create(Zone, city=city, actor=actor, **_only(fields, ZONE_FIELDS))


def zone_update(*, zone: Zone, data: dict, actor: User | None) -> Zone:
    """Rename a zone or change its population."""
    return audited_update(zone, data=data, fields=ZONE_FIELDS, actor=actor)


def zone_delete(*, zone: Zone, actor: User | None) -> None:
    """Remove a zone."""
    audited_delete(zone, actor=actor)


def department_create(*, city: City, actor: User | None, **fields) -> Department:
    """Add a municipal department (secretariat) and its secretary."""
    return audited_create(Department, city=city, actor=actor, **_only(fields, DEPARTMENT_FIELDS))


def department_update(*, department: Department, data: dict, actor: User | None) -> Department:
    """Change a department or its secretary."""
    return audited_update(department, data=data, fields=DEPARTMENT_FIELDS, actor=actor)


def department_delete(*, department: Department, actor: User | None) -> None:
    """Remove a department."""
    audited_delete(department, actor=actor)


def fiscal_year_record(*, city: City, actor: User | None, **fields) -> FiscalYear:
    """Record a year's fiscal figures for a city (one row per year)."""
    return audited_create(FiscalYear, city=city, actor=actor, **_only(fields, FISCAL_FIELDS))


def fiscal_year_update(*, fiscalyear: FiscalYear, data: dict, actor: User | None) -> FiscalYear:
    """Correct a year's fiscal figures."""
    return audited_update(fiscalyear, data=data, fields=FISCAL_FIELDS, actor=actor)


def fiscal_year_delete(*, fiscalyear: FiscalYear, actor: User | None) -> None:
    """Remove a year's figures."""
    audited_delete(fiscalyear, actor=actor)

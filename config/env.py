"""Read settings from the environment, failing loudly on values that make no sense.

Every helper raises ``ImproperlyConfigured`` naming the variable, so a typo in a deployment
stops the process at start instead of surfacing as odd behaviour later.
"""

import os
import zoneinfo

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None) -> str | None:
    """The variable's value stripped of surrounding spaces, or ``default`` when unset or empty."""
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip()


def env_bool(name: str, default: bool = False) -> bool:
    """A boolean written as 1/0, true/false, yes/no or on/off (any case)."""
    value = os.environ.get(name)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name}={value!r} is not a boolean: use one of 1/0, true/false, yes/no, on/off."
    )


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    """An integer, optionally with a lower bound."""
    value = env_str(name)
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r} is not an integer.") from None
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"{name}={number} must be at least {minimum}.")
    return number


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    """A comma-separated list; blank items are dropped."""
    value = env_str(name)
    if value is None:
        return list(default or [])
    return [item.strip() for item in value.split(",") if item.strip()]


def env_url(name: str, *, schemes: tuple[str, ...]) -> str | None:
    """A URL whose scheme is one of ``schemes``, or None when unset."""
    value = env_str(name)
    if value is None:
        return None
    scheme, sep, rest = value.partition("://")
    if not sep or not rest or scheme.lower() not in schemes:
        raise ImproperlyConfigured(
            f"{name}={value!r} is not a valid URL: expected one of the schemes "
            f"{', '.join(schemes)} followed by ://"
        )
    return value


def env_timezone(name: str, default: str) -> str:
    """An IANA time zone name such as ``America/Sao_Paulo``."""
    value = env_str(name, default)
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ImproperlyConfigured(f"{name}={value!r} is not a known IANA time zone.") from None
    return value


def database_config(name: str) -> dict | None:
    """Django's DATABASES['default'] from a URL such as postgres://user@host:5432/db."""
    url = env_url(name, schemes=("postgres", "postgresql", "pgsql", "sqlite"))
    if url is None:
        return None
    import dj_database_url

    try:
        config = dj_database_url.parse(
            url,
            conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60, minimum=0),
            conn_health_checks=True,
        )
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} could not be parsed: {exc}") from None
    if config["ENGINE"].endswith("postgresql") and not config.get("NAME"):
        raise ImproperlyConfigured(f"{name} must name a database, e.g. postgres://host/juntos")
    return config


def env_choice(name: str, default: str, choices: tuple[str, ...]) -> str:
    """One of ``choices`` (compared in upper case)."""
    value = (env_str(name, default) or default).upper()
    if value not in choices:
        raise ImproperlyConfigured(f"{name}={value!r} must be one of {', '.join(choices)}.")
    return value

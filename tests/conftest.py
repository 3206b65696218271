"""Shared fixtures: the cast of roles every permission test uses, and a few environment guards.

The cast (CONVENTIONS.md): a superuser, staff of city A, staff of city B, a sponsor of city A,
a citizen, an integrator with an API token, and the anonymous visitor.
"""

import os

import pytest
from django.db import connection
from rest_framework.test import APIClient

from accounts.choices import Role
from accounts.services import role_grant, token_create
from tests.accounts.factories import UserFactory
from tests.cities.factories import CityFactory


@pytest.fixture(autouse=True, scope="session")
def _ci_uses_postgresql(django_db_setup, django_db_blocker):
    """CI must test against PostgreSQL, never the SQLite fallback."""
    if os.environ.get("CI"):
        with django_db_blocker.unblock():
            assert connection.vendor == "postgresql", "CI is not running on PostgreSQL"


@pytest.fixture(autouse=True, scope="session")
def _cache_per_test_process():
    """Give each pytest-xdist process its own Redis database for the cache.

    Tests that reset the cache (the voting-code rate limits) flush their database; sharing
    one would wipe the other process's keys mid-test, and the Celery broker's queue with them.
    """
    from urllib.parse import urlsplit, urlunsplit

    from django.conf import settings
    from django.test import override_settings

    cache = settings.CACHES["default"]
    if "redis" not in cache["BACKEND"].lower():
        yield
        return
    url = urlsplit(cache["LOCATION"])
    base = int(url.path.strip("/") or 0)
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")  # unset without xdist
    index = int(worker.removeprefix("gw") or 0)
    location = urlunsplit(url._replace(path=f"/{(base + 1 + index) % 16}"))
    with override_settings(CACHES={"default": {**cache, "LOCATION": location}}):
        yield


@pytest.fixture(autouse=True)
def celery_conf():
    """Celery's configuration, restored after the test. Tasks run in-process by default;
    tests that start a real worker (tests/test_worker.py) turn that off."""
    from config.celery import app

    keys = ["task_always_eager", "broker_url", "task_default_queue"]
    saved = {key: app.conf[key] for key in keys}
    app.conf.task_always_eager = True
    yield app.conf
    for key, value in saved.items():
        app.conf[key] = value


@pytest.fixture(autouse=True)
def _english_by_default():
    """Start every test in English: a request in another language leaves it active."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Hashing a password properly takes half a second; tests create many users."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _no_https_redirect(settings):
    """The test client speaks plain HTTP; production-like HTTPS settings are tested apart."""
    settings.SECURE_SSL_REDIRECT = False


@pytest.fixture
def city_a(db):
    return CityFactory(name="Campinas", slug="campinas")


@pytest.fixture
def city_b(db):
    return CityFactory(name="Santos", slug="santos")


@pytest.fixture
def superuser(db):
    return UserFactory(email="root@example.org", is_superuser=True, is_staff=True)


def person(email: str, role: str, scope=None):
    """A user holding ``role`` (scoped to ``scope`` for city staff and sponsors)."""
    user = UserFactory(email=email)
    role_grant(user=user, role=role, scope=scope, actor=None)
    return user


@pytest.fixture
def platform_admin(db):
    return person("admin@example.org", Role.PLATFORM_ADMIN)


@pytest.fixture
def staff_a(city_a):
    return person("staff.a@example.org", Role.CITY_STAFF, city_a)


@pytest.fixture
def staff_b(city_b):
    return person("staff.b@example.org", Role.CITY_STAFF, city_b)


@pytest.fixture
def sponsor_a(city_a):
    return person("sponsor.a@example.org", Role.SPONSOR, city_a)


@pytest.fixture
def citizen(db):
    return person("citizen@example.org", Role.CITIZEN)


@pytest.fixture
def integrator(db):
    return person("integrator@example.org", Role.INTEGRATOR)


@pytest.fixture
def integrator_key(integrator):
    _token, key = token_create(user=integrator, name="tests", actor=integrator)
    return key


@pytest.fixture
def cast(superuser, staff_a, staff_b, sponsor_a, citizen, integrator, city_a, city_b):
    """Every role by name (``None`` stands for the anonymous visitor), and cities A and B."""
    return {
        "city_a": city_a,
        "city_b": city_b,
        "superuser": superuser,
        "staff_a": staff_a,
        "staff_b": staff_b,
        "sponsor_a": sponsor_a,
        "citizen": citizen,
        "integrator": integrator,
        "anonymous": None,
    }


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def client_as(client):
    """``client_as(user)`` logs the test client in as ``user`` (or out, for None)."""

    def login(user):
        client.logout()
        if user is not None:
            client.force_login(user)
        return client

    return login


@pytest.fixture
def api_as(api_client):
    """``api_as(user)`` authenticates the API client as ``user`` (or not, for None)."""

    def login(user):
        api_client.force_authenticate(user=user)
        return api_client

    return login

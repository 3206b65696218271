"""How list pages and API lists scale with the number of rows.

Creates a throwaway test database (PostgreSQL when DATABASE_URL points at one, else SQLite),
fills it with N partnerships (each with two partners, two contributions, a risk and a lesson)
across a few cities, then times each list as an anonymous visitor and as city staff and counts
its queries. The query count must not grow with N; the time should grow slowly.

    SECRET_KEY=x DATABASE_URL=postgres://postgres@127.0.0.1:5432/juntos \
        .venv/bin/python bench/lists.py --sizes 10 100 1000 --repeat 5
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("SECRET_KEY", "bench-only")
os.environ.setdefault(
    "STATICFILES_STORAGE", "django.contrib.staticfiles.storage.StaticFilesStorage"
)

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

URLS = [
    ("page", "/cities/"),
    ("page", "/partnerships/"),
    ("page", "/partnerships/partners/"),
    ("page", "/partnerships/contributions/"),
    ("page", "/partnerships/risks/"),
    ("page", "/partnerships/lessons/"),
    ("page", "/cities/campinas/"),
    ("api", "/api/v1/cities/"),
    ("api", "/api/v1/partnerships/"),
    ("api", "/api/v1/partners/"),
    ("api", "/api/v1/contributions/"),
    ("api", "/api/v1/risks/"),
    ("api", "/api/v1/lessons/"),
]


def fill(total: int) -> None:
    """Grow the database to ``total`` partnerships."""
    import datetime
    from decimal import Decimal

    from cities.models import City
    from partnerships.models import Partnership
    from tests.cities.factories import CityFactory
    from tests.partnerships.factories import (
        ContributionFactory,
        LessonFactory,
        ParticipationFactory,
        PartnershipFactory,
        RiskFactory,
    )

    cities = [CityFactory(name=name) for name in ("Campinas", "Santos", "Curitiba", "Pelotas")]
    have = Partnership.objects.count()
    for i in range(have, total):
        partnership = PartnershipFactory(city=cities[i % len(cities)])
        ParticipationFactory(partnership=partnership, is_lead=True)
        ContributionFactory(partnership=partnership, amount=Decimal(1000 + i))
        ContributionFactory(
            partnership=partnership, amount=Decimal(50), received_on=datetime.date(2024, 6, 1)
        )
        RiskFactory(partnership=partnership, likelihood=1 + i % 5, impact=1 + (i * 3) % 5)
        LessonFactory(partnership=partnership)
    assert City.objects.filter(slug="campinas").exists()


def measure(client: Client, url: str, repeat: int) -> tuple[int, int, float]:
    timings = []
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            response = client.get(
                url, headers={"Accept": "application/json"} if "/api/" in url else {}
            )
            timings.append((time.perf_counter() - started) * 1000)
    return response.status_code, len(ctx.captured_queries), statistics.median(timings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 100, 1000])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    setup_test_environment()
    settings.ALLOWED_HOSTS = ["testserver"]
    settings.SECURE_SSL_REDIRECT = False
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    old_name = connection.creation.create_test_db(verbosity=0, keepdb=False)
    try:
        from accounts.choices import Role
        from accounts.services import role_grant, user_create
        from cities.models import City

        fill(1)
        staff = user_create(email="bench-staff@example.org", password="x")  # noqa: S106
        role_grant(
            user=staff, role=Role.CITY_STAFF, scope=City.objects.get(slug="campinas"), actor=None
        )
        anonymous, logged_in = Client(), Client()
        logged_in.force_login(staff)
        print(f"database: {connection.vendor}; median of {args.repeat} runs; times in ms")
        header = f"{'list':<36}" + "".join(f"{f'{n} rows':>22}" for n in args.sizes)
        print(header)
        results: dict[tuple[str, str], list[str]] = {}
        for size in args.sizes:
            fill(size)
            for who, client in (("anonymous", anonymous), ("staff", logged_in)):
                for _kind, url in URLS:
                    status, queries, ms = measure(client, url, args.repeat)
                    cell = f"{ms:7.1f} ms {queries:3d} q" if status == 200 else f"HTTP {status}"
                    results.setdefault((who, url), []).append(cell)
        for (who, url), cells in results.items():
            print(f"{who[:5] + ' ' + url:<36}" + "".join(f"{c:>22}" for c in cells))
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()

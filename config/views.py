"""Site-wide pages: home, health check, error pages."""

import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from cities.choices import ProgrammeStatus
from cities.models import City

from .api import problem_response

logger = logging.getLogger(__name__)


def home(request):
    """What the platform is, for whom, and where to start."""
    cities = City.objects.visible_to(request.user)
    context = {
        "member_cities": cities.filter(programme_status=ProgrammeStatus.MEMBER).order_by("name"),
        "city_count": cities.count(),
        "country_count": cities.values("country").distinct().count(),
    }
    return render(request, "home.html", context)


def _check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _check_cache() -> None:
    key = "healthz:probe"
    cache.set(key, "ok", 10)
    if cache.get(key) != "ok":
        raise RuntimeError("cache did not return what was written")


def _check_broker() -> str | None:
    from config.celery import app

    if app.conf.task_always_eager:
        return "eager"
    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=2)
    return None


CHECKS = {"database": _check_database, "cache": _check_cache, "broker": _check_broker}


@never_cache
def healthz(request):
    """Whether the database, cache and broker answer: 200 when all do, 503 naming what is down."""
    results = {}
    for name, check in CHECKS.items():
        started = time.monotonic()
        try:
            mode = check()
        except Exception as exc:  # report any failure, whatever the backend raises
            logger.warning("healthz: %s is down: %s", name, exc)
            results[name] = {"ok": False, "error": exc.__class__.__name__}
        else:
            results[name] = {"ok": True}
            if mode:
                results[name]["mode"] = mode
        results[name]["ms"] = round((time.monotonic() - started) * 1000, 1)
    down = [name for name, result in results.items() if not result["ok"]]
    body = {"status": "down" if down else "ok", "down": down, "checks": results}
    return JsonResponse(body, status=503 if down else 200)


def _is_api(request) -> bool:
    return request.path.startswith("/api/")


def page_not_found(request, exception=None):
    if _is_api(request):
        return problem_response(404, _("Not found."), code="not_found")
    return render(request, "404.html", status=404)


def permission_denied(request, exception=None):
    if _is_api(request):
        return problem_response(
            403, _("You do not have permission to perform this action."), code="permission_denied"
        )
    return render(request, "403.html", status=403)


def bad_request(request, exception=None):
    if _is_api(request):
        return problem_response(400, _("Bad request."), code="bad_request")
    return render(request, "400.html", status=400)


def server_error(request):
    if _is_api(request):
        return problem_response(500, _("A server error occurred."), code="server_error")
    # No context processors: the failure may come from one of them.
    from django.http import HttpResponseServerError
    from django.template import loader

    template = loader.get_template("500.html")
    return HttpResponseServerError(template.render({"settings_debug": settings.DEBUG}))

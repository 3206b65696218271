"""Real-browser journeys: Debian's Chromium driven by pytest-playwright against `live_server`.

Playwright cannot download its own browsers here, so every launch points at the system
Chromium (`/usr/bin/chromium`, or `CHROMIUM_PATH`). Skip these tests with `-m "not browser"`.
"""

import os
from pathlib import Path

import pytest
from django.test.utils import override_settings

AXE_PATH = Path(__file__).parent / "vendor" / "axe.min.js"
# Where axe is served from inside the page (intercepted by Playwright, never reaching Django),
# so it loads as a same-origin script and the site's Content Security Policy stays switched on.
AXE_URL_PATH = "/__browser-tests__/axe.min.js"
BLOCKING_IMPACTS = ("serious", "critical")
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 3,
    "is_mobile": True,
    "has_touch": True,
}


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    path = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    if not Path(path).is_file():
        pytest.fail(
            f"No Chromium at {path}: install Debian's chromium, set CHROMIUM_PATH, "
            'or leave these tests out with -m "not browser".'
        )
    return {
        **browser_type_launch_args,
        "executable_path": path,
        "headless": True,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # An English-speaking visitor unless a test says otherwise (Accept-Language follows locale).
    return {**browser_context_args, "locale": "en-US"}


@pytest.fixture(autouse=True, scope="session")
def _http_live_server_settings():
    """Let the live server speak plain HTTP with unhashed static files.

    Session-wide because SecurityMiddleware reads SECURE_SSL_REDIRECT once, when the live
    server (also session-wide) builds its handler: the per-test `settings` fixtures in
    tests/conftest.py come too late for it.
    """
    with override_settings(
        SECURE_SSL_REDIRECT=False,
        SESSION_COOKIE_SECURE=False,
        CSRF_COOKIE_SECURE=False,
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
    ):
        yield


@pytest.fixture
def phone_context(new_context):
    """A browser context the size of a common phone (390×844, touch, mobile viewport rules)."""
    return new_context(**PHONE)


def _format_violations(url: str, violations: list[dict]) -> str:
    lines = [f"axe found {len(violations)} serious or critical violation(s) on {url}:"]
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation['impact']}): {violation['help']} "
            f"<{violation['helpUrl']}>"
        )
        for node in violation["nodes"]:
            target = " ".join(str(part) for part in node["target"])
            summary = "; ".join(
                line.strip() for line in node.get("failureSummary", "").splitlines()
            )
            lines.append(f"    {target}: {summary}")
    return "\n".join(lines)


@pytest.fixture
def axe_check():
    """`axe_check(page)` runs axe-core on the page and fails on serious or critical violations."""

    def check(page) -> list[dict]:
        axe_url = page.url.split("/", 3)
        axe_url = "/".join(axe_url[:3]) + AXE_URL_PATH

        def serve_axe(route):
            route.fulfill(path=AXE_PATH, content_type="application/javascript")

        page.route(axe_url, serve_axe)
        try:
            page.add_script_tag(url=axe_url)
        finally:
            page.unroute(axe_url, serve_axe)
        results = page.evaluate(
            "async () => await axe.run(document, {resultTypes: ['violations']})"
        )
        blocking = [v for v in results["violations"] if v["impact"] in BLOCKING_IMPACTS]
        if blocking:
            pytest.fail(_format_violations(page.url, blocking), pytrace=False)
        return results["violations"]

    return check

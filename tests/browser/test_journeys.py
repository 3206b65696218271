"""What a visitor does in a real browser: read the home page in their language, log in and out,
filter the city list (with and without JavaScript), and use the site on a phone.

The pages along each journey are also checked with axe-core for serious and critical
accessibility violations (the `axe_check` fixture in conftest.py).
"""

import re

import pytest
from playwright.sync_api import expect

from accounts.models import User
from cities.models import City

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ENGLISH_HOME_HEADING = "Govern partnerships together, in the open"
# Needs locale/pt_BR/LC_MESSAGES/django.mo: any Portuguese rendering of the heading speaks of
# "parcerias", and the English one cannot match.
PORTUGUESE_HOME_HEADING = re.compile(r"\bparcerias?\b", re.IGNORECASE)
PASSWORD = "a long and unguessable phrase 42"
WRONG_LOGIN = re.compile("Please enter a correct email address and password")


@pytest.fixture
def cities():
    return [
        City.objects.create(
            name="Campinas",
            slug="campinas",
            country="BR",
            currency="BRL",
            region="São Paulo",
            population=1139047,
        ),
        City.objects.create(
            name="Curitiba",
            slug="curitiba",
            country="BR",
            currency="BRL",
            region="Paraná",
            population=1773718,
        ),
        City.objects.create(
            name="Santos",
            slug="santos",
            country="BR",
            currency="BRL",
            region="São Paulo",
            population=418608,
        ),
    ]


def test_the_home_page_switches_from_english_to_portuguese(page, live_server, axe_check):
    page.goto(live_server.url + "/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text(ENGLISH_HOME_HEADING)
    axe_check(page)

    page.get_by_label("Language").select_option("pt-br")
    page.get_by_role("button", name="Change").click()

    expect(page).to_have_url(live_server.url + "/")
    expect(page.locator("html")).to_have_attribute("lang", "pt-br")
    expect(page.get_by_role("heading", level=1)).to_have_text(PORTUGUESE_HOME_HEADING)
    expect(page.locator("#language-select")).to_have_value("pt-br")
    axe_check(page)

    # The choice sticks for the rest of the visit.
    page.get_by_role("link", name="Juntos", exact=True).click()
    expect(page.locator("html")).to_have_attribute("lang", "pt-br")
    expect(page.get_by_role("heading", level=1)).to_have_text(PORTUGUESE_HOME_HEADING)


@pytest.mark.browser_context_args(locale="pt-BR")
def test_the_home_page_follows_a_portuguese_browser(page, live_server, axe_check):
    page.goto(live_server.url + "/")

    expect(page.locator("html")).to_have_attribute("lang", "pt-br")
    expect(page.get_by_role("heading", level=1)).to_have_text(PORTUGUESE_HOME_HEADING)
    expect(page.locator("#language-select")).to_have_value("pt-br")
    axe_check(page)


def test_a_person_logs_in_after_a_wrong_password_and_logs_out(page, live_server, axe_check):
    User.objects.create_user(email="ana@example.org", password=PASSWORD)
    page.goto(live_server.url + "/accounts/login/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Log in")
    axe_check(page)

    page.get_by_label("Email address").fill("ana@example.org")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Log in").click()

    expect(page.get_by_text(WRONG_LOGIN)).to_be_visible()
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    expect(page.get_by_role("link", name="My account")).to_have_count(0)
    axe_check(page)

    page.get_by_label("Email address").fill("ana@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    expect(page).to_have_url(live_server.url + "/accounts/profile/")
    expect(page.get_by_role("heading", level=1)).to_have_text("My account")
    expect(page.get_by_text("Logged in as ana@example.org.")).to_be_visible()
    axe_check(page)

    page.get_by_role("button", name="Log out").click()

    expect(page).to_have_url(live_server.url + "/")
    expect(page.get_by_role("link", name="Log in")).to_be_visible()
    expect(page.get_by_role("button", name="Log out")).to_have_count(0)
    # Logged out for real: the account page asks to log in again.
    page.goto(live_server.url + "/accounts/profile/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/accounts/profile/$"))


def test_typing_in_the_city_search_filters_the_list_in_place(page, live_server, cities, axe_check):
    page.goto(live_server.url + "/cities/")
    results = page.locator("#results")
    expect(results).to_contain_text("3 cities")
    axe_check(page)
    page.evaluate("window.stillTheSamePage = true")

    page.get_by_label("Search").press_sequentially("camp")

    expect(results).to_contain_text("1 city")
    expect(results.get_by_role("link", name="Campinas")).to_be_visible()
    expect(results.get_by_role("link", name="Santos")).to_have_count(0)
    expect(page).to_have_url(re.compile(r"/cities/\?(.*&)?q=camp(&|$)"))
    assert page.evaluate("window.stillTheSamePage") is True, "the page reloaded"
    axe_check(page)

    results.get_by_role("link", name="Campinas").click()

    expect(page).to_have_url(live_server.url + "/cities/campinas/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Campinas")
    expect(page.locator(".facts")).to_contain_text("São Paulo")
    expect(page.locator(".facts")).to_contain_text("1,139,047")
    axe_check(page)


def test_the_city_search_works_without_javascript(new_context, live_server, cities):
    page = new_context(java_script_enabled=False).new_page()
    page.goto(live_server.url + "/cities/")
    results = page.locator("#results")
    expect(results).to_contain_text("3 cities")

    page.get_by_label("Search").fill("camp")
    page.get_by_role("button", name="Apply").click()

    expect(page).to_have_url(re.compile(r"/cities/\?(.*&)?q=camp(&|$)"))
    expect(results).to_contain_text("1 city")
    expect(results.get_by_role("link", name="Campinas")).to_be_visible()
    expect(results.get_by_role("link", name="Santos")).to_have_count(0)
    expect(page.get_by_label("Search")).to_have_value("camp")


def test_a_missing_page_says_so(page, live_server, axe_check):
    response = page.goto(live_server.url + "/nope/")

    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    expect(page.get_by_role("link", name="Back to the home page")).to_be_visible()
    axe_check(page)


@pytest.mark.parametrize("path", ["/", "/cities/", "/accounts/login/"])
def test_pages_fit_a_phone_screen_without_sideways_scrolling(
    phone_context, live_server, cities, path
):
    page = phone_context.new_page()
    page.goto(live_server.url + path)
    expect(page.get_by_role("heading", level=1)).to_be_visible()

    widths = page.evaluate(
        "() => ({page: document.documentElement.scrollWidth, screen: window.innerWidth})"
    )
    # On a mobile viewport Chromium zooms out to fit content that is too wide, which widens
    # innerWidth too: so both are held to the phone's own width.
    phone_width = page.viewport_size["width"]
    assert widths["page"] <= widths["screen"] == phone_width, f"{path} scrolls sideways: {widths}"


@pytest.mark.browser
def test_the_interactive_api_docs_render_offline(page, live_server):
    """Swagger UI loads from our own static files and lists the endpoints."""
    outside = []
    page.on(
        "request",
        lambda request: (
            outside.append(request.url) if not request.url.startswith(live_server.url) else None
        ),
    )
    page.goto(f"{live_server.url}/api/docs/")
    expect(page.get_by_text("Juntos API").first).to_be_visible()
    expect(page.locator(".opblock-summary-path", has_text="/api/v1/cities/").first).to_be_visible()
    assert outside == []

"""City staff record a partnership with its partners and a contribution; the public sees it."""

import re

import pytest
from playwright.sync_api import expect

from accounts.choices import Role
from accounts.models import User
from accounts.services import role_grant
from cities.models import City
from partnerships.models import Contribution, Partner, Partnership

PASSWORD = "a long enough passphrase"


@pytest.fixture
def campinas_staff(transactional_db):
    campinas = City.objects.create(
        name="Campinas", slug="campinas", country="BR", currency="BRL", region="São Paulo"
    )
    Partner.objects.create(name="Comunitas", slug="comunitas", sector="private", kind="foundation")
    Partner.objects.create(
        name="Prefeitura de Campinas", slug="prefeitura-de-campinas", sector="public",
        kind="local_authority", home_city=campinas,
    )  # fmt: skip
    staff = User.objects.create_user(email="staff@campinas.example.org", password=PASSWORD)
    role_grant(user=staff, role=Role.CITY_STAFF, scope=campinas, actor=None)
    return staff


def log_in(page, base: str, email: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="My account")).to_be_visible()


@pytest.mark.browser
def test_staff_record_a_partnership_and_the_public_page_shows_it(
    page, live_server, campinas_staff, axe_check
):
    base = live_server.url
    log_in(page, base, campinas_staff.email)

    page.goto(f"{base}/partnerships/new/")
    axe_check(page)
    page.get_by_label(re.compile(r"^Name:?$")).fill("Digital services for citizens")
    page.get_by_label("Objective").fill("Put the ten most used city services online.")
    page.get_by_label("Theme").select_option("capacity_building")
    page.get_by_label("Approach").select_option("implicit")
    page.get_by_label("Status").select_option("active")
    page.get_by_label("Start date").fill("2025-03-01")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Digital services for citizens")
    partnership_url = page.url

    page.get_by_role("link", name="Add a partner").click()
    page.get_by_label(re.compile(r"^Partner:?$")).select_option(label="Comunitas")
    page.get_by_label("Role").select_option("funding")
    page.get_by_label("Lead partner").check()
    page.get_by_role("button", name="Save").click()
    page.get_by_role("link", name="Add a partner").click()
    page.get_by_label(re.compile(r"^Partner:?$")).select_option(label="Prefeitura de Campinas")
    page.get_by_label("Role").select_option("implementing")
    page.get_by_role("button", name="Save").click()

    page.get_by_role("link", name="Record a contribution").click()
    axe_check(page)
    page.get_by_label(re.compile(r"^Partner:?$")).select_option(label="Comunitas")
    page.get_by_label("Kind").select_option("money")
    page.get_by_label("Amount").fill("-10")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".errorlist").first).to_be_visible()  # a negative amount is refused
    assert not Contribution.objects.exists()
    page.get_by_label("Amount").fill("250000")
    page.get_by_role("button", name="Save").click()
    expect(page).to_have_url(re.compile(re.escape(partnership_url)))
    axe_check(page)

    partnership = Partnership.objects.get(name="Digital services for citizens")
    assert partnership.city.slug == "campinas"
    assert partnership.participations.count() == 2
    assert Contribution.objects.get(partnership=partnership).amount == 250000

    page.get_by_role("button", name="Log out").click()
    page.goto(partnership_url)
    partners = page.locator("section", has=page.get_by_role("heading", name="Partners and roles"))
    expect(partners.get_by_role("row", name=re.compile("Comunitas"))).to_contain_text("Funding")
    expect(partners.get_by_role("row", name=re.compile("Comunitas"))).to_contain_text(
        "Lead partner"
    )
    expect(partners.get_by_role("row", name=re.compile("Prefeitura"))).to_contain_text(
        "Implementing"
    )
    contributions = page.locator("#contributions")
    expect(contributions).to_contain_text("Pledged: 250,000.00 BRL")
    expect(contributions.get_by_role("row", name=re.compile("Private"))).to_be_visible()
    expect(page.get_by_role("link", name="Add a partner")).to_have_count(0)
    axe_check(page)


@pytest.mark.browser
def test_the_city_page_and_the_risk_register_pass_axe(page, live_server, campinas_staff, axe_check):
    base = live_server.url
    page.goto(f"{base}/cities/campinas/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Campinas")
    axe_check(page)
    page.goto(f"{base}/cities/cohort/")
    axe_check(page)
    page.goto(f"{base}/partnerships/lessons/")
    axe_check(page)
    log_in(page, base, campinas_staff.email)
    page.goto(f"{base}/partnerships/risks/")
    expect(page.get_by_role("img").first).to_be_visible()  # the heat map
    axe_check(page)

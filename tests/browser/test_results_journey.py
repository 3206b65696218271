"""City staff count an edition, review the comparison of the rules and publish; then a
citizen on a phone sees the results and downloads the ballots to recount them.

Celery runs eagerly here, so the count finishes when the request that asked for it commits.
The counting page and the results page pass axe-core (no serious or critical violations).
"""

import re
import uuid
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.cache.backends.locmem import LocMemCache
from playwright.sync_api import expect

from budgeting import throttle
from budgeting.choices import Completion, CountingRule, Phase, ProjectStatus
from budgeting.models import BudgetEdition, Count, Project
from budgeting.services import ballot_cast, count_run, published_count, voting_codes_generate

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a long enough passphrase"
# Title, cost, and how many of the six voters support it. Greedy funds the ramps and the
# shade; Equal Shares the ramps and the library: the comparison has something to show.
PROJECTS = (
    ("Ramps at every crossing", 60, 5),
    ("Benches on the avenue", 50, 4),
    ("A shaded square", 40, 3),
    ("Library opening hours", 10, 1),
)


@pytest.fixture
def counting_edition(monkeypatch, city_a, staff_a):
    """Campinas has voted (six voters, R$100 to share) and is in its counting phase; its
    staff (``staff_a``) can log in."""
    monkeypatch.setattr(throttle, "cache", LocMemCache(f"guesses-{uuid.uuid4()}", {}))
    staff_a.set_password(PASSWORD)
    staff_a.save(update_fields=["password"])
    campinas, staff = city_a, staff_a
    edition = BudgetEdition.objects.create(
        city=campinas,
        title="Campinas decides 2026",
        year=2026,
        total_amount=Decimal("100"),
        currency="BRL",
        counting_rule=CountingRule.GREEDY,
        completion=Completion.ADD1,
    )
    ramps, benches, shade, library = (
        Project.objects.create(
            edition=edition,
            title=title,
            cost=Decimal(cost),
            status=ProjectStatus.FEASIBLE,
        )
        for title, cost, _votes in PROJECTS
    )
    BudgetEdition.objects.filter(pk=edition.pk).update(phase=Phase.VOTING)
    edition.refresh_from_db()
    ballots = [
        [ramps, benches],
        [ramps, benches],
        [ramps, benches],
        [ramps, shade],
        [ramps, shade],
        [benches, shade, library],
    ]
    codes = voting_codes_generate(edition=edition, count=len(ballots))
    for code, choices in zip(codes, ballots, strict=True):
        ballot_cast(edition=edition, code=code, choices=[p.pk for p in choices])
    BudgetEdition.objects.filter(pk=edition.pk).update(phase=Phase.COUNTING)
    edition.refresh_from_db()
    return edition, staff


def log_in(page, base: str, email: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="My account")).to_be_visible()


def test_staff_count_and_publish_then_a_citizen_sees_the_results_and_downloads_the_ballots(
    page, phone_context, live_server, counting_edition, axe_check
):
    edition, staff = counting_edition
    base = live_server.url

    # Staff count the ballots from the edition's page.
    log_in(page, base, staff.email)
    page.goto(f"{base}/budgets/{edition.pk}/")
    page.get_by_role("link", name="Count and results").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Count the ballots of Campinas decides 2026"
    )
    expect(page.get_by_text("The ballots have not been counted yet.")).to_be_visible()
    axe_check(page)
    page.get_by_role("button", name="Count the ballots").click()
    expect(page.get_by_role("status")).to_contain_text("The ballots are being counted.")
    count = page.locator(".count-item").first
    expect(count).to_contain_text("Status: Done")
    expect(count).to_contain_text("100% done")
    expect(count.locator("progress")).to_have_attribute("value", "100")
    axe_check(page)

    # They review the preview and the comparison of the two rules, still embargoed.
    page.get_by_role("link", name="Preview the results and the comparison").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Results of Campinas decides 2026")
    expect(page.get_by_text("Embargoed — not public until you publish.")).to_be_visible()
    comparison = page.locator(
        "section", has=page.get_by_role("heading", name="Comparing the counting rules")
    )
    expect(comparison).to_contain_text("Greedy (most votes first)")
    expect(comparison).to_contain_text("Method of Equal Shares, completed with Add 1")
    expect(comparison.locator(".card").first).to_contain_text("Official")
    expect(comparison).to_contain_text("Only with Greedy (most votes first) A shaded square")
    axe_check(page)
    assert published_count(edition) is None

    page.get_by_role("button", name="Publish these results").click()
    expect(page.get_by_role("status")).to_contain_text("The results are published")
    expect(page.get_by_text("Embargoed")).to_have_count(0)
    edition.refresh_from_db()
    assert edition.phase == Phase.RESULTS

    # A citizen on a phone finds the results from the edition's page.
    phone = phone_context.new_page()
    phone.goto(f"{base}/budgets/{edition.pk}/")
    phone.get_by_role("link", name="See the results").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Results of Campinas decides 2026")
    funded = phone.locator("section", has=phone.get_by_role("heading", name="2 projects funded"))
    expect(funded).to_contain_text("Ramps at every crossing")
    expect(funded).to_contain_text("A shaded square")
    expect(funded).not_to_contain_text("Benches on the avenue")
    chart = phone.locator(".chart-figure svg[role='img']")
    expect(chart).to_be_visible()
    expect(chart).to_contain_text("✓ funded")
    axe_check(phone)
    widths = phone.evaluate(
        "() => ({page: document.documentElement.scrollWidth, screen: window.innerWidth})"
    )
    assert widths["page"] <= widths["screen"], f"the results scroll sideways: {widths}"

    with phone.expect_download() as download_info:
        phone.get_by_role("link", name="Download the ballots (Pabulib .pb)").click()
    download = download_info.value
    assert download.suggested_filename == "campinas-2026-ballots.pb"
    content = Path(download.path()).read_text(encoding="utf-8")
    assert "num_votes;6" in content
    for title, cost, votes in PROJECTS:
        assert re.search(rf"^\d+;{cost};{votes};{title};[01]$", content, re.MULTILINE), title
    votes_section = content.split("VOTES")[1].strip().splitlines()[1:]
    assert len(votes_section) == 6


def test_a_running_count_updates_itself_on_the_counting_page(
    page, live_server, counting_edition, axe_check
):
    edition, staff = counting_edition
    # A count the worker has not picked up yet (created without enqueueing it).
    count = Count.objects.create(edition=edition, requested_by=staff)
    log_in(page, live_server.url, staff.email)
    page.goto(f"{live_server.url}/budgets/{edition.pk}/count/")
    item = page.locator(f"#count-{count.pk}")
    expect(item).to_contain_text("Status: Queued")
    expect(page.get_by_text("A count is under way")).to_be_visible()
    axe_check(page)
    page.evaluate("window.stillTheSamePage = true")

    count_run(count_id=count.pk)  # the worker counts; htmx polls every two seconds
    expect(item).to_contain_text("Status: Done", timeout=10_000)
    expect(item).to_contain_text("100% done")
    expect(item.get_by_role("button", name="Publish these results")).to_be_visible()
    assert page.evaluate("window.stillTheSamePage") is True, "the page reloaded"
    page.wait_for_timeout(2500)
    assert item.get_attribute("hx-trigger") is None  # polling stopped

"""A resident votes in a participatory budget on a phone, then finds the ballot in the log.

The ballot's live summary (htmx) shows the budget left as projects are ticked and warns past
it; the same vote also works with JavaScript switched off. Every page of the journey passes
axe-core (no serious or critical violations).
"""

import re
import uuid
from decimal import Decimal

import pytest
from django.core.cache.backends.locmem import LocMemCache
from playwright.sync_api import expect

from budgeting import throttle
from budgeting.choices import Phase, ProjectStatus, VotingMethod
from budgeting.codes import receipt_fingerprint
from budgeting.models import Ballot, BudgetEdition, Project
from budgeting.services import voting_codes_generate
from cities.models import City
from tests.browser.conftest import PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PROJECTS = ("Ramps at every crossing", "A shaded square", "Library opening hours")


@pytest.fixture
def knapsack_vote(monkeypatch):
    """Campinas votes on three projects of R$20,000 with R$50,000: two fit, three do not."""
    # Guess counters of this test only (the live server runs in this process), untouched by
    # tests running in parallel that share and clear the Redis database.
    monkeypatch.setattr(throttle, "cache", LocMemCache(f"guesses-{uuid.uuid4()}", {}))
    campinas = City.objects.create(
        name="Campinas", slug="campinas", country="BR", currency="BRL", region="São Paulo"
    )
    edition = BudgetEdition.objects.create(
        city=campinas,
        title="Campinas decides 2026",
        year=2026,
        total_amount=Decimal("50000"),
        currency="BRL",
        method=VotingMethod.KNAPSACK,
        description="Fifty thousand reais for the neighbourhoods.",
    )
    for title in PROJECTS:
        Project.objects.create(
            edition=edition,
            title=title,
            description=f"{title}, for everyone.",
            cost=Decimal("20000"),
            status=ProjectStatus.FEASIBLE,
        )
    BudgetEdition.objects.filter(pk=edition.pk).update(phase=Phase.VOTING)
    edition.refresh_from_db()
    codes = voting_codes_generate(edition=edition, count=2)
    return edition, codes


def test_a_resident_votes_on_a_phone_and_finds_the_ballot_in_the_log(
    phone_context, live_server, knapsack_vote, axe_check
):
    edition, [code, _other] = knapsack_vote
    page = phone_context.new_page()
    page.goto(f"{live_server.url}/budgets/")
    page.get_by_role("link", name="Campinas decides 2026", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Campinas decides 2026")
    expect(
        page.get_by_text("Pick projects whose total cost fits within R$50,000.00.")
    ).to_be_visible()
    expect(page.locator('.timeline [aria-current="step"]')).to_contain_text("Voting")
    axe_check(page)

    page.get_by_role("link", name="Vote now").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vote in Campinas decides 2026")
    axe_check(page)
    page.get_by_label("Your voting code").fill(code.lower().replace("-", " "))
    page.get_by_role("button", name="Continue to the ballot").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Your ballot")
    summary = page.locator("#ballot-summary")
    expect(summary).to_contain_text("Budget left: R$50,000.00 of R$50,000.00")
    axe_check(page)
    page.evaluate("window.stillTheSamePage = true")

    page.get_by_label(PROJECTS[0]).check()
    expect(summary).to_contain_text("Budget left: R$30,000.00 of R$50,000.00")
    page.get_by_label(PROJECTS[1]).check()
    expect(summary).to_contain_text("Budget left: R$10,000.00 of R$50,000.00")
    page.get_by_label(PROJECTS[2]).check()  # one too many
    expect(summary).to_contain_text("Budget left: -R$10,000.00 of R$50,000.00")
    expect(summary).to_contain_text("more than the budget of 50,000.00 BRL")
    page.get_by_label(PROJECTS[2]).uncheck()
    expect(summary).to_contain_text("Budget left: R$10,000.00 of R$50,000.00")
    expect(summary).not_to_contain_text("more than the budget")
    assert page.evaluate("window.stillTheSamePage") is True, "the summary reloaded the page"

    page.get_by_role("button", name="Cast my ballot").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you: your ballot was cast")
    receipt = page.locator("#receipt-code").inner_text().strip()
    assert re.fullmatch(r"[A-Z0-9]{4}(-[A-Z0-9]{4}){4}", receipt)
    expect(page.get_by_role("button", name="Copy the receipt")).to_be_visible()
    axe_check(page)
    ballot = Ballot.objects.get(edition=edition)
    assert ballot.fingerprint == receipt_fingerprint(receipt)
    assert len(ballot.choices) == 2

    page.get_by_role("link", name="Find it in the ballot log").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ballot log")
    axe_check(page)
    page.get_by_label("Your receipt").fill(receipt)
    page.get_by_role("button", name="Find it").click()
    expect(page.get_by_role("status")).to_contain_text(
        "Found at entry 1. This is a current ballot: it counts."
    )
    expect(page.locator("tr.log-found")).to_contain_text(ballot.fingerprint[:12])
    axe_check(page)


def test_the_same_vote_works_without_javascript(new_context, live_server, knapsack_vote):
    edition, [code, _other] = knapsack_vote
    page = new_context(java_script_enabled=False, **PHONE).new_page()
    page.goto(f"{live_server.url}/budgets/{edition.pk}/vote/")
    page.get_by_label("Your voting code").fill(code)
    page.get_by_role("button", name="Continue to the ballot").click()

    for title in PROJECTS:  # one too many: refused, with the choices kept
        page.get_by_label(title).check()
    page.get_by_role("button", name="Cast my ballot").click()
    expect(page.get_by_role("alert")).to_contain_text("more than the budget of 50,000.00 BRL")
    expect(page.locator("#ballot-summary")).to_contain_text(
        "Budget left: -R$10,000.00 of R$50,000.00"
    )
    for title in PROJECTS:
        expect(page.get_by_label(title)).to_be_checked()
    assert not Ballot.objects.exists()

    page.get_by_label(PROJECTS[2]).uncheck()
    page.get_by_role("button", name="Cast my ballot").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you: your ballot was cast")
    receipt = page.locator("#receipt-code").inner_text().strip()
    expect(page.get_by_role("button", name="Copy the receipt")).to_be_hidden()
    assert Ballot.objects.get(edition=edition).fingerprint == receipt_fingerprint(receipt)

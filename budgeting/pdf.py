"""Printable sheets of voting codes: cut-out cards, ten to an A4 page.

The sheet is the only place the codes exist besides the staff's download: it is rendered in
memory, handed back in the response and never stored.
"""

from django.template.loader import render_to_string

from .models import BudgetEdition

CARDS_PER_PAGE = 10


def code_cards_pdf(*, edition: BudgetEdition, codes: list[str], zone=None, vote_url: str) -> bytes:
    """A PDF of one card per code: the edition, city, zone, the code, where and how to vote."""
    pages = [codes[i : i + CARDS_PER_PAGE] for i in range(0, len(codes), CARDS_PER_PAGE)]
    html = render_to_string(
        "budgeting/staff/code_cards_pdf.html",
        {
            "edition": edition,
            "city": edition.city,
            "zone": zone,
            "pages": pages,
            "vote_url": vote_url,
        },  # fmt: skip
    )
    # Imported here: WeasyPrint is heavy to load, and only this download needs it.
    from weasyprint import HTML

    # Everything the sheet needs is inline: nothing is fetched while rendering.
    return HTML(string=html, base_url=None).write_pdf()

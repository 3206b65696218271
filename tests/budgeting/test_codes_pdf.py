"""Printable voting codes: the PDF holds every code, readable by a machine as by a person, and
the codes on it are the ones the ballot accepts."""

import re
import subprocess

import pytest
from django.urls import reverse

from budgeting.codes import ALPHABET
from budgeting.models import CodeBatch, Participation
from budgeting.pdf import code_cards_pdf
from budgeting.services import ballot_cast
from tests.budgeting.factories import voting_edition
from tests.cities.factories import ZoneFactory

pytestmark = pytest.mark.django_db

CODE = re.compile(rf"\b[{ALPHABET}]{{4}}(?:-[{ALPHABET}]{{4}}){{3}}\b")


def pdf_text(content: bytes) -> str:
    """The PDF's text as pdftotext (poppler) reads it, in page order."""
    result = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True
    )
    return result.stdout.decode()


def pdf_pages(content: bytes) -> int:
    result = subprocess.run(["pdfinfo", "-"], input=content, capture_output=True, check=True)
    return int(re.search(r"Pages:\s+(\d+)", result.stdout.decode())[1])


def test_the_printable_sheet_holds_every_code_and_they_vote(cast, client_as, city_a):
    zone = ZoneFactory(city=city_a, name="Barão Geraldo", slug="barao-geraldo")
    edition = voting_edition(city_a, title="Orçamento Participativo 2026")
    response = client_as(cast["staff_a"]).post(
        reverse("budgeting:codes", args=[edition.pk]),
        {"count": "12", "zone": zone.pk, "label": "Assembly", "format": "pdf"},
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Disposition"].endswith('.pdf"')
    assert response["Cache-Control"] == "no-store"
    assert response.content.startswith(b"%PDF")

    text = pdf_text(response.content)
    codes = CODE.findall(text)
    assert len(codes) == 12 == len(set(codes))
    assert text.count("Orçamento Participativo 2026") == 12
    assert "Barão Geraldo" in text
    assert "Campinas" in text
    vote_url = f"http://testserver{reverse('budgeting:vote', args=[edition.pk])}"
    assert text.count(vote_url) == 12
    assert "Your voting code" in text
    assert pdf_pages(response.content) == 2  # ten cards to a page
    assert CodeBatch.objects.get().size == 12

    project = edition.projects.first()
    for code in codes:
        ballot_cast(edition=edition, code=code, choices=[project.pk])
    assert Participation.objects.filter(edition=edition, zone=zone).count() == 12


def test_the_sheet_renders_without_a_request(city_a):
    edition = voting_edition(city_a, title="Sheet")
    content = code_cards_pdf(
        edition=edition,
        codes=["ABCD-EFGH-JKMN-PQRS", "2345-6789-ABCD-EFGH"],
        vote_url="https://juntos.example.org/budgets/1/vote/",
    )
    text = pdf_text(content)
    assert CODE.findall(text) == ["ABCD-EFGH-JKMN-PQRS", "2345-6789-ABCD-EFGH"]
    assert "https://juntos.example.org/budgets/1/vote/" in text
    assert pdf_pages(content) == 1

"""CSV export of list pages: the whole filtered list, the user's scope, spreadsheet-friendly."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from config.generic import csv_cell
from tests.partnerships.factories import (
    ContributionFactory,
    LessonFactory,
    PartnerFactory,
    PartnershipFactory,
    RiskFactory,
)
from tests.querycount import assert_constant_queries


def download(client, name, **params):
    response = client.get(reverse(f"partnerships:{name}"), {**params, "export": "csv"})
    assert response.status_code == 200
    return response, b"".join(response.streaming_content)


def rows_of(body: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))


def test_the_csv_opens_in_spreadsheets_with_accents_intact(db, client):
    PartnerFactory(name="Associação São João", sector="community", kind="charity")
    response, body = download(client, "partner_list")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="partners-')
    assert body.startswith("\ufeff".encode())
    assert rows_of(body)[0]["Name"] == "Associação São João"
    assert rows_of(body)[0]["Sector"] == "Community"


def test_the_csv_has_every_row_not_just_the_first_page(db, client):
    for i in range(30):
        PartnerFactory(name=f"Partner {i:02d}")
    _response, body = download(client, "partner_list")
    assert len(rows_of(body)) == 30


def test_the_csv_honours_the_filters_and_the_sort_order(db, client):
    PartnerFactory(name="Banco Verde", sector="private", kind="multinational")
    PartnerFactory(name="Polícia Civil", sector="public", kind="police")
    PartnerFactory(name="Adega", sector="private", kind="local_business")
    _response, body = download(client, "partner_list", sector="private", ordering="-name")
    assert [row["Name"] for row in rows_of(body)] == ["Banco Verde", "Adega"]


def test_the_list_page_links_the_csv_with_its_filters(db, client):
    PartnerFactory(sector="private")
    page = client.get(reverse("partnerships:partner_list"), {"sector": "private", "page": "1"})
    assert page.context["csv_url"] == "/partnerships/partners/?sector=private&export=csv"
    assert "Download CSV" in page.text


def test_the_csv_headers_follow_the_reader_s_language(db, client):
    PartnerFactory()
    response = client.get(
        reverse("partnerships:partner_list"), {"export": "csv"}, HTTP_ACCEPT_LANGUAGE="pt-br"
    )
    header = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()[0]
    assert header.startswith("Nome,")


def test_a_citizen_s_contribution_csv_has_no_rows(cast, client_as):
    ContributionFactory(partnership=PartnershipFactory(city=cast["city_a"]))
    _response, body = download(client_as(cast["citizen"]), "contribution_list")
    assert rows_of(body) == []
    assert body.decode("utf-8-sig").startswith("Partnership,City,Partner")


@pytest.mark.parametrize(
    ("role", "cities"),
    [
        ("staff_a", {"Campinas"}),
        ("sponsor_a", {"Campinas"}),
        ("staff_b", {"Santos"}),
        ("superuser", {"Campinas", "Santos"}),
    ],
)
def test_a_contribution_csv_has_only_the_rows_of_the_user_s_cities(role, cities, cast, client_as):
    ContributionFactory(partnership=PartnershipFactory(city=cast["city_a"]))
    ContributionFactory(partnership=PartnershipFactory(city=cast["city_b"]))
    _response, body = download(client_as(cast[role]), "contribution_list")
    assert {row["City"] for row in rows_of(body)} == cities


def test_a_contribution_csv_filters_by_sector_and_receipt(cast, client_as):
    partnership = PartnershipFactory(city=cast["city_a"])
    ContributionFactory(
        partnership=partnership, amount=Decimal("10"), received_on="2024-03-01"
    )  # private partner (the factory's default), received
    ContributionFactory(partnership=partnership, amount=Decimal("20"))
    client = client_as(cast["staff_a"])
    _response, body = download(client, "contribution_list", sector="private", received="false")
    assert [row["Amount"] for row in rows_of(body)] == ["20.00"]


def test_risk_csv_is_empty_for_those_who_may_not_read_the_register(cast, client_as):
    RiskFactory(partnership=PartnershipFactory(city=cast["city_a"]), title="Capture")
    assert rows_of(download(client_as(cast["staff_b"]), "risk_list")[1]) == []
    rows = rows_of(download(client_as(cast["sponsor_a"]), "risk_list")[1])
    assert [(r["Title"], r["Score"]) for r in rows] == [("Capture", "12")]


def test_the_lessons_csv_lists_tags_and_the_partnership(cast, client):
    from partnerships.services import lesson_update

    lesson = LessonFactory(partnership=PartnershipFactory(city=cast["city_a"], name="Praça"))
    lesson_update(lesson=lesson, data={"tags": ["youth", "sport"]}, actor=None)
    rows = rows_of(download(client, "lesson_list")[1])
    assert rows[0]["Partnership"] == "Praça"
    assert sorted(rows[0]["Tags"].split(", ")) == ["sport", "youth"]


@pytest.mark.parametrize(
    ("name", "make"),
    [
        ("partner_list", lambda city: PartnerFactory()),
        ("partnership_list", lambda city: ContributionFactory(
            partnership=PartnershipFactory(city=city))),
        ("contribution_list", lambda city: ContributionFactory(
            partnership=PartnershipFactory(city=city))),
        ("risk_list", lambda city: RiskFactory(partnership=PartnershipFactory(city=city))),
        ("lesson_list", lambda city: LessonFactory(partnership=PartnershipFactory(city=city))),
    ],
)  # fmt: skip
def test_a_csv_costs_the_same_queries_for_many_rows(name, make, cast, client_as):
    client = client_as(cast["superuser"])
    make(cast["city_a"])

    def export():
        response = client.get(reverse(f"partnerships:{name}"), {"export": "csv"})
        b"".join(response.streaming_content)
        return response

    def add_rows(n):
        for _ in range(n):
            make(cast["city_a"])

    from tests.querycount import count_queries

    expected, _response = count_queries(export)
    assert_constant_queries(export, add_rows, expected=expected)
    assert expected <= 8


def test_a_cell_that_a_spreadsheet_would_run_as_a_formula_is_defused():
    assert csv_cell('=HYPERLINK("http://evil")').startswith("'=")
    assert csv_cell("-1+2") == "'-1+2"
    assert csv_cell(Decimal("-5.00")) == "-5.00"
    assert csv_cell(None) == ""

import csv
from decimal import Decimal

import pytest
from django.urls import reverse

from cities import services
from cities.models import City, Department, FiscalYear, Zone
from partnerships.choices import PartnerKind, Sector
from tests.cities.factories import CityFactory, ZoneFactory
from tests.generic import ALL_ROLES, ROLES, ViewTestCases
from tests.partnerships.factories import (
    ContributionFactory,
    ParticipationFactory,
    PartnerFactory,
    PartnershipFactory,
    RiskFactory,
)
from tests.querycount import assert_constant_queries


class TestCityPages(ViewTestCases.ListView, ViewTestCases.DetailView, ViewTestCases.EditView):
    model = City
    lookup_field = "slug"
    can_view = ALL_ROLES
    can_change = {"superuser", "staff_a"}
    list_query_count = 5  # savepoint, count, countries for the filter, page, release
    invalid_edit_data = {"currency": "NOPE", "population": "-5"}

    def make_object(self, cast):
        return cast["city_a"]

    def add_rows(self, n):
        for _ in range(n):
            ZoneFactory(city=CityFactory())

    def edit_data(self, obj):
        return {
            "name": obj.name,
            "region": "São Paulo",
            "population": 1_139_047,
            "currency": "BRL",
            "time_zone": "America/Sao_Paulo",
            "programme_status": "member",
        }


def test_the_city_list_filters_by_search_and_status(db, client):
    CityFactory(name="Campinas", programme_status="member")
    CityFactory(name="Paris", country="FR", currency="EUR", programme_status="not_enrolled")
    page = client.get("/cities/", {"q": "camp"})
    assert [c.name for c in page.context["object_list"]] == ["Campinas"]
    page = client.get("/cities/", {"programme_status": "not_enrolled"})
    assert [c.name for c in page.context["object_list"]] == ["Paris"]


def test_the_city_list_paginates(db, client):
    for i in range(30):
        CityFactory(name=f"Town {i:02d}")
    first = client.get("/cities/")
    assert len(first.context["object_list"]) == 25
    assert b'rel="next"' in first.content
    second = client.get("/cities/", {"page": 2})
    assert len(second.context["object_list"]) == 5


def test_the_city_page_lists_its_zones(db, client):
    city = CityFactory(name="La Marsa", slug="la-marsa", country="TN", currency="TND")
    ZoneFactory(city=city, name="Bhar Lazrag")
    page = client.get("/cities/la-marsa/")
    assert page.status_code == 200
    assert "Bhar Lazrag" in page.text
    assert "Tunisia" in page.text


def test_staff_see_the_edit_link_only_on_their_city(cast, client_as):
    client = client_as(cast["staff_a"])
    assert "/cities/campinas/edit/" in client.get("/cities/campinas/").text
    assert "/cities/santos/edit/" not in client.get("/cities/santos/").text


# --- the city page -------------------------------------------------------------------------


def record_year(city, year, **figures):
    values = {
        "revenue": Decimal("1000000"),
        "current_spending": Decimal("800000"),
        "personnel_spending": Decimal("500000"),
        "investment": Decimal("150000"),
        "debt": Decimal("200000"),
        **figures,
    }
    return services.fiscal_year_record(city=city, actor=None, year=year, **values)


def test_the_city_page_shows_the_mayor_and_the_selection_check_in_words(db, client):
    CityFactory(
        name="Pelotas",
        mayor_name="Paula Mascarenhas",
        mayor_party="PSDB",
        mayor_first_term=True,
        mayor_collegial_conviction=False,
    )
    CityFactory(name="Niterói", mayor_first_term=False, mayor_collegial_conviction=False)
    CityFactory(name="Paraty", mayor_first_term=True)

    page = client.get("/cities/pelotas/")
    assert "Paula Mascarenhas" in page.text
    assert "PSDB" in page.text
    assert "meets the programme's selection criteria" in page.text
    assert "does not meet" not in client.get("/cities/paraty/").text
    assert "some facts about the mayor are not recorded" in client.get("/cities/paraty/").text
    niteroi = client.get("/cities/niteroi/").text
    assert "does not meet the programme's selection criteria" in niteroi
    assert "Not met" in niteroi


def test_the_city_page_shows_fiscal_years_with_the_derived_figures_and_a_chart(db, client):
    city = CityFactory(name="La Marsa", slug="la-marsa", country="TN", currency="TND")
    record_year(city, 2014)
    record_year(city, 2015, investment=Decimal("250000"))

    page = client.get("/cities/la-marsa/")

    assert page.status_code == 200
    text = page.text
    assert "TND200,000.000" in text  # investment capacity, with the dinar's three decimals
    assert "-TND50,000.000" in text  # 2015 fiscal balance: 1,000,000 − 800,000 − 250,000
    assert "<svg" in text
    assert 'role="img"' in text
    assert "Show the data as a table" in text


def test_money_is_formatted_in_the_readers_language(db, client):
    city = CityFactory(name="Campinas", currency="BRL")
    record_year(city, 2024)
    page = client.get("/cities/campinas/", headers={"Accept-Language": "pt-br"})
    assert "R$\xa0200.000,00" in page.text


def test_the_city_page_shows_active_partnerships_partners_and_contributions(cast, client):
    city = cast["city_a"]
    escola = PartnershipFactory(city=city, name="Escola Viva")
    PartnershipFactory(city=city, name="Finished", status="completed")
    ngo = PartnerFactory(name="Casa do Bairro", sector=Sector.COMMUNITY, kind=PartnerKind.NGO)
    ParticipationFactory(partnership=escola, partner=ngo)
    ContributionFactory(partnership=escola, amount=Decimal("1234.50"))
    ContributionFactory(partnership=escola, partner=ngo, amount=Decimal("100"))

    page = client.get("/cities/campinas/")

    assert page.status_code == 200
    assert "1 active partnership" in page.text
    assert "Escola Viva" in page.text
    assert "Finished" not in page.text
    assert reverse("partnerships:partnership_detail", args=["escola-viva"]) in page.text
    assert "2 partners take part" in page.text
    assert "R$1,234.50" in page.text  # the private sector's pledges
    assert "R$1,334.50 pledged in all" in page.text


@pytest.mark.parametrize(
    ("role", "sees"),
    [
        ("superuser", True),
        ("staff_a", True),
        ("sponsor_a", True),
        ("staff_b", False),
        ("citizen", False),
        ("anonymous", False),
    ],
)
def test_only_staff_and_sponsors_of_the_city_see_the_risk_summary(role, sees, cast, client_as):
    partnership = PartnershipFactory(city=cast["city_a"])
    RiskFactory(partnership=partnership, status="open")
    RiskFactory(partnership=partnership, status="open")
    page = client_as(cast[role]).get("/cities/campinas/")
    assert ("2 open risks" in page.text) == sees
    assert ("/partnerships/risks/?city=campinas" in page.text) == sees


def add_city_rows(city, n):
    """n more of everything the city page shows."""
    start = city.fiscal_years.count()
    for i in range(start, start + n):
        ZoneFactory(city=city)
        services.department_create(city=city, actor=None, name=f"Secretaria {i}")
        record_year(city, 2000 + i)
        partnership = PartnershipFactory(city=city)
        ContributionFactory(partnership=partnership)
        RiskFactory(partnership=partnership)
        served = PartnershipFactory()
        served.cities_served.add(city)


@pytest.mark.parametrize(
    ("role", "queries"),
    [
        # savepoint, city, zones, departments, fiscal years, partnerships, partners by
        # sector, contributions by sector, budget editions, funded projects, release
        ("anonymous", 11),
        # + session, user, roles, and the open-risk counts
        ("staff_a", 15),
    ],
)
def test_the_city_page_costs_the_same_queries_for_many_rows(role, queries, cast, client_as):
    city = cast["city_a"]
    add_city_rows(city, 1)
    client = client_as(cast[role])
    assert_constant_queries(
        lambda: client.get("/cities/campinas/"),
        lambda n: add_city_rows(city, n),
        expected=queries,
    )


# --- managing a city ------------------------------------------------------------------------

MANAGERS = {"superuser", "staff_a"}


@pytest.mark.parametrize("role", ROLES)
def test_the_manage_page_answers_each_role(role, cast, client_as):
    response = client_as(cast[role]).get("/cities/campinas/manage/")
    if role == "anonymous":
        assert response.status_code == 302
        assert reverse("accounts:login") in response["Location"]
    else:
        assert response.status_code == (200 if role in MANAGERS else 403)


def test_staff_may_manage_only_their_own_city(cast, client_as):
    client = client_as(cast["staff_a"])
    assert client.get("/cities/santos/manage/").status_code == 403
    assert client.get("/cities/santos/zones/add/").status_code == 403
    response = client.post("/cities/santos/zones/add/", {"name": "Centro", "slug": "centro"})
    assert response.status_code == 403
    assert not Zone.objects.filter(city=cast["city_b"]).exists()


def test_the_city_page_links_to_management_only_for_its_staff(cast, client_as):
    assert "/cities/campinas/manage/" in client_as(cast["staff_a"]).get("/cities/campinas/").text
    assert (
        "/cities/campinas/manage/" not in client_as(cast["staff_b"]).get("/cities/campinas/").text
    )


class _ChildPages(ViewTestCases.EditView):
    can_change = MANAGERS

    def url(self, action, obj=None):
        return reverse(
            f"cities:{self.model._meta.model_name}_{action}", args=[obj.city.slug, obj.pk]
        )


class TestZonePages(_ChildPages):
    model = Zone
    invalid_edit_data = {"population": "-5"}

    def make_object(self, cast):
        return ZoneFactory(city=cast["city_a"], name="Centro", slug="centro")

    def edit_data(self, obj):
        return {"name": "Barão Geraldo", "slug": "barao-geraldo", "population": 50_000}


class TestDepartmentPages(_ChildPages):
    model = Department
    invalid_edit_data = {"email": "not an address"}

    def make_object(self, cast):
        return services.department_create(city=cast["city_a"], actor=None, name="Educação")

    def edit_data(self, obj):
        return {"name": "Educação", "secretary": "Ana Souza", "email": "educacao@example.org"}


class TestFiscalYearPages(_ChildPages):
    model = FiscalYear
    invalid_edit_data = {"personnel_spending": "900000", "debt": "-1"}

    def make_object(self, cast):
        return record_year(cast["city_a"], 2023)

    def edit_data(self, obj):
        return {
            "year": 2023,
            "revenue": "1100000",
            "current_spending": "800000",
            "personnel_spending": "500000",
            "investment": "100000",
            "debt": "0",
        }


ZONE = {"name": "Centro", "slug": "centro", "population": "20000"}


@pytest.mark.parametrize("role", ROLES)
def test_adding_a_zone_answers_each_role(role, cast, client_as):
    client = client_as(cast[role])
    page = client.get("/cities/campinas/zones/add/")
    response = client.post("/cities/campinas/zones/add/", ZONE)
    zone = Zone.objects.filter(city=cast["city_a"], slug="centro").first()
    if role in MANAGERS:
        assert page.status_code == 200
        assert response.status_code == 302
        assert response["Location"] == "/cities/campinas/manage/"
        assert zone.population == 20_000
        assert zone.history.get().history_user == cast[role]
    else:
        assert zone is None
        if role == "anonymous":
            assert reverse("accounts:login") in response["Location"]
        else:
            assert (page.status_code, response.status_code) == (403, 403)


@pytest.mark.parametrize("role", ROLES)
def test_deleting_a_department_answers_each_role(role, cast, client_as):
    department = services.department_create(city=cast["city_a"], actor=None, name="Saúde")
    url = f"/cities/campinas/departments/{department.pk}/delete/"
    client = client_as(cast[role])
    page = client.get(url)
    response = client.post(url)
    exists = Department.objects.filter(pk=department.pk).exists()
    if role in MANAGERS:
        assert page.status_code == 200
        assert "Saúde" in page.text
        assert response.status_code == 302
        assert not exists
    else:
        assert exists
        if role == "anonymous":
            assert reverse("accounts:login") in response["Location"]
        else:
            assert (page.status_code, response.status_code) == (403, 403)


def test_a_zone_of_another_city_is_not_found_under_this_one(cast, client_as):
    zone = ZoneFactory(city=cast["city_b"])
    client = client_as(cast["superuser"])
    assert client.get(f"/cities/campinas/zones/{zone.pk}/edit/").status_code == 404
    assert client.post(f"/cities/campinas/zones/{zone.pk}/delete/").status_code == 404
    assert Zone.objects.filter(pk=zone.pk).exists()


FIGURES = {
    "year": "2024",
    "revenue": "1000000",
    "current_spending": "800000",
    "personnel_spending": "500000",
    "investment": "100000",
    "debt": "0",
}


@pytest.mark.parametrize(
    ("bad", "field", "message"),
    [
        ({"personnel_spending": "900000"}, "personnel_spending", "part of current spending"),
        ({"revenue": "-1"}, "revenue", "greater than or equal to 0"),
        ({"year": "2023"}, "year", "already has figures for this year"),
    ],
)
def test_bad_fiscal_figures_show_field_errors_and_save_nothing(
    bad, field, message, cast, client_as
):
    record_year(cast["city_a"], 2023)
    response = client_as(cast["staff_a"]).post(
        "/cities/campinas/fiscal-years/add/", {**FIGURES, **bad}
    )
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors[field])
    assert message in response.text
    assert list(FiscalYear.objects.values_list("year", flat=True)) == [2023]


def test_a_duplicate_zone_name_is_an_error_on_the_name(cast, client_as):
    ZoneFactory(city=cast["city_a"], name="Centro", slug="centro")
    ZoneFactory(city=cast["city_b"], name="Gonzaga", slug="gonzaga")
    client = client_as(cast["staff_a"])
    response = client.post("/cities/campinas/zones/add/", {"name": "Centro", "slug": "centro-2"})
    assert response.status_code == 400
    assert "already has a zone" in response.context["form"].errors["name"][0]
    # the same name in another city is fine
    response = client.post("/cities/campinas/zones/add/", {"name": "Gonzaga", "slug": "gonzaga"})
    assert response.status_code == 302
    assert Zone.objects.filter(city=cast["city_a"]).count() == 2


def test_staff_record_the_mayor_on_the_profile(cast, client_as):
    data = {
        "name": "Campinas",
        "region": "São Paulo",
        "population": 1_139_047,
        "currency": "BRL",
        "time_zone": "America/Sao_Paulo",
        "programme_status": "member",
        "mayor_name": "Dário Saadi",
        "mayor_party": "Republicanos",
        "mayor_term_start": "2021-01-01",
        "mayor_term_end": "2024-12-31",
        "mayor_first_term": "true",
        "mayor_collegial_conviction": "false",
    }
    client = client_as(cast["staff_a"])
    response = client.post("/cities/campinas/edit/", data)
    assert response.status_code == 302
    city = City.objects.get(slug="campinas")
    assert (city.mayor_party, city.meets_selection_criteria) == ("Republicanos", True)

    bad = client.post("/cities/campinas/edit/", {**data, "mayor_term_end": "2020-01-01"})
    assert bad.status_code == 400
    assert "end after it starts" in bad.context["form"].errors["mayor_term_end"][0]
    city.refresh_from_db()
    assert str(city.mayor_term_end) == "2024-12-31"


# --- the programme cohort -------------------------------------------------------------------


def test_the_cohort_page_summarises_party_diversity(db, client):
    for name, party in [("A", "MDB"), ("B", "MDB"), ("C", "PSB"), ("D", "PDT"), ("E", "PSDB")]:
        CityFactory(
            name=f"Cidade {name}",
            programme_status="member",
            mayor_party=party,
            mayor_first_term=name != "E",
            mayor_collegial_conviction=False,
        )
    CityFactory(name="Outsider", programme_status="candidate", mayor_party="PT")

    page = client.get("/cities/cohort/")

    assert page.status_code == 200
    assert page.context["party_count"] == 4
    assert "Outsider" not in page.text
    assert "80%" in page.text
    assert "(4 of 5)" in page.text
    assert "Member cities per mayor&#x27;s party" in page.text  # the chart's title
    assert "Not met" in page.text


def test_the_city_list_links_to_the_cohort(db, client):
    assert reverse("cities:cohort") in client.get("/cities/").text


def test_the_cohort_page_costs_the_same_queries_for_many_cities(db, client):
    def add(n):
        for i in range(n):
            CityFactory(programme_status="member", mayor_party=f"Party {i % 3}")

    add(1)
    # savepoint, member cities, release
    assert_constant_queries(lambda: client.get("/cities/cohort/"), add, expected=3)


def test_the_city_list_downloads_as_csv_with_the_same_filters(db, client):
    CityFactory(
        name="Campinas",
        programme_status="member",
        mayor_party="Republicanos",
        mayor_first_term=True,
        mayor_collegial_conviction=False,
    )
    CityFactory(name="Paris", country="FR", currency="EUR")
    page = client.get("/cities/", {"programme_status": "member"})
    assert "export=csv" in page.text

    response = client.get("/cities/", {"programme_status": "member", "export": "csv"})

    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(b"".join(response.streaming_content).decode("utf-8-sig").splitlines()))
    assert rows[0][:2] == ["Name", "Slug"]
    assert [row[0] for row in rows[1:]] == ["Campinas"]
    header = rows[0]
    assert rows[1][header.index("Mayor's party")] == "Republicanos"
    assert rows[1][header.index("Meets the selection criteria")] == "yes"
    assert rows[1][header.index("Programme status")] == "Member"

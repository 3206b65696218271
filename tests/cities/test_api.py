from decimal import Decimal

import factory

from cities.models import City, Department, FiscalYear, Zone
from tests.cities.factories import CityFactory, ZoneFactory
from tests.generic import ALL_ROLES, APIViewTestCases


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    city = factory.SubFactory(CityFactory)
    name = factory.Sequence(lambda n: f"Department {n}")


class FiscalYearFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FiscalYear

    city = factory.SubFactory(CityFactory)
    year = factory.Sequence(lambda n: 1900 + n % 100)  # never the 2020s the tests write
    revenue = Decimal("1000000.00")
    current_spending = Decimal("800000.00")
    personnel_spending = Decimal("400000.00")
    investment = Decimal("150000.00")
    debt = Decimal("90000.00")


class TestCityAPI(
    APIViewTestCases.ListObjects,
    APIViewTestCases.GetObject,
    APIViewTestCases.CreateObject,
    APIViewTestCases.UpdateObject,
    APIViewTestCases.DeleteObject,
):
    model = City
    basename = "city"
    lookup_field = "slug"
    can_view = ALL_ROLES
    can_create = {"superuser"}
    can_change = {"superuser", "staff_a"}
    can_delete = {"superuser"}
    update_data = {"population": 1_200_000, "region": "SP"}
    invalid_create_data = {"currency": "XXQ", "country": "Brazil", "time_zone": "Mars/Olympus"}
    invalid_fields = {"currency", "country", "time_zone"}
    list_query_count = 5  # savepoint, count, page of cities, their zones, release

    def make_object(self, cast):
        ZoneFactory(city=cast["city_a"])
        return cast["city_a"]

    def add_rows(self, n):
        for _ in range(n):
            ZoneFactory(city=CityFactory())

    def create_data(self, cast):
        return {
            "name": "Pelotas",
            "slug": "pelotas",
            "country": "BR",
            "region": "Rio Grande do Sul",
            "population": 325_689,
            "currency": "BRL",
            "time_zone": "America/Sao_Paulo",
            "languages": ["pt-br"],
            "programme_status": "member",
        }


def test_the_api_filters_cities_with_the_same_filterset_as_the_page(db, api_client):
    CityFactory(name="Campinas", country="BR", programme_status="member")
    CityFactory(name="Paris", country="FR", currency="EUR", time_zone="Europe/Paris")
    url = "/api/v1/cities/"
    assert [c["name"] for c in api_client.get(url, {"country": "FR"}).data["results"]] == ["Paris"]
    assert [c["name"] for c in api_client.get(url, {"q": "camp"}).data["results"]] == ["Campinas"]
    names = [c["name"] for c in api_client.get(url, {"ordering": "-name"}).data["results"]]
    assert names == ["Paris", "Campinas"]


def test_an_unknown_filter_value_is_a_field_error_not_a_crash(db, api_client):
    response = api_client.get("/api/v1/cities/", {"programme_status": "emperor"})
    assert response.status_code == 400
    assert "programme_status" in response.data["errors"]


def test_a_staff_member_cannot_rename_another_city_through_the_api(cast, api_as):
    response = api_as(cast["staff_a"]).patch(
        f"/api/v1/cities/{cast['city_b'].slug}/", {"name": "Hijacked"}, format="json"
    )
    assert response.status_code == 403
    cast["city_b"].refresh_from_db()
    assert cast["city_b"].name == "Santos"


def test_an_integrator_token_reads_the_api(db, integrator_key, api_client, city_a):
    response = api_client.get("/api/v1/cities/", HTTP_AUTHORIZATION=f"Token {integrator_key}")
    assert response.status_code == 200
    assert response.data["results"][0]["slug"] == "campinas"


# --- A city's zones, departments and fiscal years ------------------------------------------


class _CityChildAPI(
    APIViewTestCases.ListObjects,
    APIViewTestCases.GetObject,
    APIViewTestCases.CreateObject,
    APIViewTestCases.UpdateObject,
    APIViewTestCases.DeleteObject,
):
    """A child of city A: public; staff of city A (and admins) create, change, delete it."""

    city = "city_a"
    can_view = ALL_ROLES
    can_create = {"superuser", "staff_a"}
    can_change = {"superuser", "staff_a"}
    can_delete = {"superuser", "staff_a"}
    list_query_count = 4  # savepoint, count, page with its cities, release

    def make_object(self, cast):
        return self.factory(city=cast[self.city])

    def add_rows(self, n):
        for _ in range(n):
            self.factory(city=CityFactory())


class _InCityB:
    """The same child, in city B: its staff, not city A's, may change it."""

    city = "city_b"
    can_create = {"superuser", "staff_b"}
    can_change = {"superuser", "staff_b"}
    can_delete = {"superuser", "staff_b"}


class TestZoneAPI(_CityChildAPI):
    model = Zone
    basename = "zone"
    factory = ZoneFactory
    update_data = {"population": 54_321, "name": "Barão Geraldo"}
    invalid_create_data = {"population": -3, "slug": "not a slug"}
    invalid_fields = {"population", "slug"}

    def create_data(self, cast):
        return {
            "city": cast[self.city].slug,
            "name": "Sousas",
            "slug": "sousas",
            "population": 20_000,
        }


class TestZoneAPIInCityB(_InCityB, TestZoneAPI):
    pass


class TestDepartmentAPI(_CityChildAPI):
    model = Department
    basename = "department"
    factory = DepartmentFactory
    update_data = {"secretary": "Ana Souza"}
    invalid_create_data = {"email": "not-an-address"}
    invalid_fields = {"email"}

    def create_data(self, cast):
        return {
            "city": cast[self.city].slug,
            "name": "Secretaria de Educação",
            "secretary": "João Lima",
            "email": "educacao@example.org",
        }


class TestDepartmentAPIInCityB(_InCityB, TestDepartmentAPI):
    pass


class TestFiscalYearAPI(_CityChildAPI):
    model = FiscalYear
    basename = "fiscalyear"
    factory = FiscalYearFactory
    update_data = {"debt": Decimal("1234.50")}
    invalid_create_data = {"revenue": "-1", "year": 1492}
    invalid_fields = {"revenue", "year"}

    def create_data(self, cast):
        return {
            "city": cast[self.city].slug,
            "year": 2023,
            "revenue": "1000000.00",
            "current_spending": "800000.00",
            "personnel_spending": "400000.00",
            "investment": "150000.00",
            "debt": "90000.00",
        }


class TestFiscalYearAPIInCityB(_InCityB, TestFiscalYearAPI):
    pass


def test_fiscal_years_come_with_investment_capacity_and_balance(cast, api_client):
    FiscalYearFactory(city=cast["city_a"], year=2022)
    row = api_client.get("/api/v1/fiscal-years/", {"city": "campinas"}).data["results"][0]
    assert row["city"] == "campinas"
    assert Decimal(row["investment_capacity"]) == Decimal("200000.00")
    assert Decimal(row["fiscal_balance"]) == Decimal("50000.00")


def test_personnel_spending_above_current_spending_is_a_field_error(cast, api_as):
    data = {
        "city": "campinas",
        "year": 2023,
        "revenue": "100",
        "current_spending": "50",
        "personnel_spending": "60",
        "investment": "0",
        "debt": "0",
    }
    response = api_as(cast["staff_a"]).post("/api/v1/fiscal-years/", data, format="json")
    assert response.status_code == 400
    assert "personnel_spending" in response.data["errors"]
    assert not FiscalYear.objects.exists()


def test_a_second_figure_for_the_same_year_is_refused(cast, api_as):
    FiscalYearFactory(city=cast["city_a"], year=2023)
    data = {**TestFiscalYearAPI().create_data(cast), "year": 2023}
    response = api_as(cast["staff_a"]).post("/api/v1/fiscal-years/", data, format="json")
    assert response.status_code == 400
    assert response.data["errors"]
    assert FiscalYear.objects.count() == 1


def test_zones_departments_and_fiscal_years_filter_by_city_slug(cast, api_client):
    ZoneFactory(city=cast["city_a"], name="Centro")
    ZoneFactory(city=cast["city_b"], name="Gonzaga")
    DepartmentFactory(city=cast["city_b"], name="Saúde")
    FiscalYearFactory(city=cast["city_a"], year=2021)
    FiscalYearFactory(city=cast["city_a"], year=2022)
    FiscalYearFactory(city=cast["city_b"], year=2022)
    zones = api_client.get("/api/v1/zones/", {"city": "santos"}).data["results"]
    assert [z["name"] for z in zones] == ["Gonzaga"]
    departments = api_client.get("/api/v1/departments/", {"city": "campinas"}).data["results"]
    assert departments == []
    years = api_client.get("/api/v1/fiscal-years/", {"city": "campinas", "ordering": "-year"})
    assert [y["year"] for y in years.data["results"]] == [2022, 2021]


def test_a_zone_cannot_be_moved_to_another_city(cast, api_as):
    zone = ZoneFactory(city=cast["city_a"])
    response = api_as(cast["superuser"]).patch(
        f"/api/v1/zones/{zone.pk}/", {"city": "santos", "name": "Moved"}, format="json"
    )
    assert response.status_code == 200
    zone.refresh_from_db()
    assert (zone.city, zone.name) == (cast["city_a"], "Moved")
    assert response.data["city"] == "campinas"


def test_the_city_shows_its_mayor(cast, api_client):
    city = cast["city_a"]
    city.mayor_name, city.mayor_first_term = "Dário Saadi", True
    city.save()
    data = api_client.get("/api/v1/cities/campinas/").data
    assert (data["mayor_name"], data["mayor_first_term"]) == ("Dário Saadi", True)

from cities.models import City
from tests.cities.factories import CityFactory, ZoneFactory
from tests.generic import ALL_ROLES, APIViewTestCases


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

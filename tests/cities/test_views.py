from cities.models import City
from tests.cities.factories import CityFactory, ZoneFactory
from tests.generic import ALL_ROLES, ViewTestCases


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

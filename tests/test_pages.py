"""Site-wide pages: home, errors, language, security headers, API docs."""

import pytest
from django.urls import path

from cities.choices import ProgrammeStatus
from tests.cities.factories import CityFactory


def test_the_home_page_explains_the_platform_and_lists_member_cities(db, client):
    CityFactory(name="Campinas", programme_status=ProgrammeStatus.MEMBER)
    CityFactory(name="Paris", country="FR", currency="EUR")
    page = client.get("/")
    assert page.status_code == 200
    assert "Govern partnerships together, in the open" in page.text
    assert "Campinas" in page.text
    assert "2 cities use Juntos." in page.text
    assert "They are in 2 countries." in page.text


@pytest.mark.parametrize(
    ("accept", "lang", "heading"),
    [
        ("pt-BR,pt;q=0.9", "pt-br", "Governar parcerias juntos"),
        ("es-ES,es;q=0.9", "es", "Gobernar alianzas juntos"),
        ("fr-FR,fr;q=0.9", "fr", "Gouverner les partenariats ensemble"),
        ("de-DE", "en", "Govern partnerships together"),
    ],
)
def test_the_home_page_speaks_the_browsers_language(db, client, accept, lang, heading):
    page = client.get("/", headers={"Accept-Language": accept})
    assert f'<html lang="{lang}"' in page.text
    assert heading in page.text


def test_the_language_switcher_sets_the_language(db, client):
    response = client.post("/i18n/setlang/", {"language": "fr", "next": "/cities/"})
    assert response.status_code == 302
    assert response["Location"] == "/cities/"
    assert '<html lang="fr"' in client.get("/cities/").text


def test_an_unknown_page_is_a_friendly_404(db, client):
    page = client.get("/no/such/page/")
    assert page.status_code == 404
    assert "Page not found" in page.text
    assert "Back to the home page" in page.text


def test_an_unknown_api_path_is_a_404_problem(db, client):
    response = client.get("/api/v1/nothing-here/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == 404


def _boom(request):
    raise RuntimeError("boom")


urlpatterns = [path("boom/", _boom), path("api/boom/", _boom)]
handler500 = "config.views.server_error"


@pytest.mark.urls("tests.test_pages")
def test_a_server_error_shows_the_500_page_and_the_api_a_problem(db, client):
    client.raise_request_exception = False
    page = client.get("/boom/")
    assert page.status_code == 500
    assert "Something went wrong" in page.text
    api = client.get("/api/boom/")
    assert api.status_code == 500
    assert api["Content-Type"] == "application/problem+json"


def test_pages_send_a_strict_content_security_policy(db, client):
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_the_api_docs_are_served_offline(db, client):
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    assert "swagger-ui" in docs.text
    assert "cdn" not in docs.text.lower()
    assert "://" not in "".join(
        line for line in docs.text.splitlines() if "src=" in line or "href=" in line
    )
    schema = client.get("/api/schema/", headers={"Accept": "application/json"})
    assert schema.status_code == 200
    spec = schema.json()
    assert spec["openapi"].startswith("3.")
    assert "/api/v1/cities/" in spec["paths"]
    assert "tokenAuth" in spec["components"]["securitySchemes"]


def test_the_api_root_lists_the_endpoints(db, client):
    response = client.get("/api/v1/", headers={"Accept": "application/json"})
    assert response.status_code == 200
    assert "cities" in response.json()

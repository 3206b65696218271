from io import StringIO

from django.core.management import call_command

from accounts.choices import Role
from accounts.models import ApiToken, User
from accounts.services import token_authenticate
from cities.models import City


def load() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def test_the_demo_loads_the_seed_cities_and_one_account_per_role(db):
    output = load()
    assert City.objects.count() == 17
    assert City.objects.filter(programme_status="member", country="BR").count() == 12
    assert City.objects.get(slug="juiz-de-fora").region == "Minas Gerais"
    la_marsa = City.objects.get(slug="la-marsa")
    assert la_marsa.currency == "TND"
    assert la_marsa.zones.count() == 5
    assert la_marsa.zones.filter(name="Bhar Lazrag").exists()
    for role in Role.values:
        assert User.objects.filter(role_assignments__role=role).exists(), role
    assert User.objects.get(email="staff.campinas@juntos.example.org").has_role(
        Role.CITY_STAFF, City.objects.get(slug="campinas")
    )
    assert "juntos-demo" in output
    key = output.split("Integrator API token (new on every run): ")[1].split()[0]
    assert token_authenticate(key=key).user.email == "integrator@juntos.example.org"


def test_loading_the_demo_twice_changes_nothing_but_the_integrator_key(db):
    load()
    counts = (City.objects.count(), User.objects.count())
    second = load()
    assert (City.objects.count(), User.objects.count()) == counts
    assert "0 new" in second
    assert (
        ApiToken.objects.active().filter(user__email="integrator@juntos.example.org").count() == 1
    )


def test_the_demo_passwords_work(db, client):
    load()
    assert client.login(username="staff.lamarsa@juntos.example.org", password="juntos-demo")

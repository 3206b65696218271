import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from cities.services import city_create, city_update
from tests.cities.factories import CityFactory, ZoneFactory


def test_a_city_rejects_codes_that_are_not_iso(db):
    with pytest.raises(ValidationError) as error:
        city_create(
            name="Atlantis",
            slug="atlantis",
            country="XX",
            currency="ABC",
            time_zone="Ocean/Atlantis",
            languages=["atlantean"],
            actor=None,
        )
    assert {"country", "currency", "time_zone", "languages"} <= set(error.value.message_dict)


def test_the_database_refuses_a_lowercase_currency_code(db):
    city = CityFactory()
    city.currency = "brl"
    with pytest.raises(IntegrityError):
        city.save()


def test_two_zones_of_one_city_cannot_share_a_slug(db):
    zone = ZoneFactory()
    with pytest.raises(IntegrityError):
        ZoneFactory(city=zone.city, slug=zone.slug, name="Other name")


def test_an_invalid_update_changes_nothing(db):
    city = CityFactory(population=100)
    with pytest.raises(ValidationError):
        city_update(city=city, data={"population": 200, "currency": "nope"}, actor=None)
    city.refresh_from_db()
    assert city.population == 100


def test_every_change_records_who_made_it(db, superuser):
    city = city_create(name="Brotas", slug="brotas", country="BR", currency="BRL", actor=superuser)
    city_update(city=city, data={"population": 24_007}, actor=superuser)
    history = list(city.history.order_by("history_date"))
    assert [h.history_type for h in history] == ["+", "~"]
    assert all(h.history_user == superuser for h in history)
    assert history[-1].population == 24_007

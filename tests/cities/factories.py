import factory
from django.utils.text import slugify

from cities.models import City, Zone


class CityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = City
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"City {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    country = "BR"
    region = "São Paulo"
    population = 100_000
    currency = "BRL"
    time_zone = "America/Sao_Paulo"
    languages = factory.LazyFunction(lambda: ["pt-br"])


class ZoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Zone

    city = factory.SubFactory(CityFactory)
    name = factory.Sequence(lambda n: f"Zone {n}")
    slug = factory.Sequence(lambda n: f"zone-{n}")
    population = 10_000

"""Demo cities from the source documents (seeds 000 and 002).

Populations are recent census figures, rounded where sources differ. La Marsa's five zones are
its four neighbourhoods plus Bhar Lazrag; the four neighbourhood names are illustrative.
"""

from django.utils.text import slugify

from .choices import ProgrammeStatus
from .models import City, Zone
from .services import city_create, zone_create

BR = {"country": "BR", "currency": "BRL", "languages": ["pt-br"]}

# The twelve cities of Comunitas' Juntos programme (2013-), with their states.
JUNTOS_CITIES = [
    ("Campinas", "São Paulo", 1_139_047, "America/Sao_Paulo"),
    ("Santos", "São Paulo", 418_608, "America/Sao_Paulo"),
    ("Itirapina", "São Paulo", 17_200, "America/Sao_Paulo"),
    ("Limeira", "São Paulo", 291_869, "America/Sao_Paulo"),
    ("Brotas", "São Paulo", 24_007, "America/Sao_Paulo"),
    ("Corumbataí", "São Paulo", 3_879, "America/Sao_Paulo"),
    ("São Carlos", "São Paulo", 254_857, "America/Sao_Paulo"),
    ("Paraty", "Rio de Janeiro", 45_243, "America/Sao_Paulo"),
    ("Pelotas", "Rio Grande do Sul", 325_689, "America/Sao_Paulo"),
    ("Juiz de Fora", "Minas Gerais", 540_756, "America/Sao_Paulo"),
    ("Teresina", "Piauí", 866_300, "America/Fortaleza"),
    ("Curitiba", "Paraná", 1_773_718, "America/Sao_Paulo"),
]

# Cities whose participatory practices the workshop document describes.
OTHER_CITIES = [
    {
        "name": "La Marsa",
        "region": "Tunis",
        "country": "TN",
        "currency": "TND",
        "time_zone": "Africa/Tunis",
        "languages": ["ar", "fr"],
        "population": 92_987,
    },
    {
        "name": "New York",
        "region": "New York",
        "country": "US",
        "currency": "USD",
        "time_zone": "America/New_York",
        "languages": ["en", "es"],
        "population": 8_804_190,
    },
    {
        "name": "Paris",
        "region": "Île-de-France",
        "country": "FR",
        "currency": "EUR",
        "time_zone": "Europe/Paris",
        "languages": ["fr"],
        "population": 2_133_111,
    },
    {
        "name": "Seoul",
        "region": "Seoul Capital Area",
        "country": "KR",
        "currency": "KRW",
        "time_zone": "Asia/Seoul",
        "languages": ["ko"],
        "population": 9_386_034,
    },
    {
        "name": "Villa El Salvador",
        "region": "Lima",
        "country": "PE",
        "currency": "PEN",
        "time_zone": "America/Lima",
        "languages": ["es"],
        "population": 393_254,
    },
]

LA_MARSA_ZONES = ["Marsa Ville", "Sidi Daoud", "Marsa Safsaf", "Gammarth", "Bhar Lazrag"]


def _ensure_city(actor, **fields) -> tuple[City, bool]:
    slug = slugify(fields["name"])
    existing = City.objects.filter(slug=slug).first()
    if existing:
        return existing, False
    return city_create(slug=slug, actor=actor, **fields), True


def load(*, actor) -> dict[str, int]:
    """Create the demo cities and zones that are missing; returns how many were created."""
    created = {"cities": 0, "zones": 0}
    for name, state, population, tz in JUNTOS_CITIES:
        _city, new = _ensure_city(
            actor,
            name=name,
            region=state,
            population=population,
            time_zone=tz,
            programme_status=ProgrammeStatus.MEMBER,
            **BR,
        )
        created["cities"] += new
    for fields in OTHER_CITIES:
        _city, new = _ensure_city(actor, **fields)
        created["cities"] += new
    la_marsa = City.objects.get(slug="la-marsa")
    for zone_name in LA_MARSA_ZONES:
        if not Zone.objects.filter(city=la_marsa, slug=slugify(zone_name)).exists():
            zone_create(city=la_marsa, name=zone_name, slug=slugify(zone_name), actor=actor)
            created["zones"] += 1
    return created

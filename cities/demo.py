"""Demo cities from the source documents (seeds 000, 001, 002 and 003).

Populations are recent census figures, rounded where sources differ. La Marsa's five zones are
its four neighbourhoods plus Bhar Lazrag; the four neighbourhood names are illustrative.

Mayors are the real 2013-2016 office holders where we are sure of them, and left blank where
we are not. The selection facts (first term, no collegial conviction) and the common Brazilian
municipal term come from seed 000, which says they held for all twelve Juntos cities.

The FISCAL figures below are ILLUSTRATIVE, NOT OFFICIAL: plausible orders of magnitude in BRL
for showing the fiscal trend, not numbers taken from any municipal account.
"""

import datetime
from decimal import Decimal

from django.utils.text import slugify

from .choices import ProgrammeStatus
from .models import City, Department, FiscalYear, Zone
from .services import city_create, city_update, department_create, fiscal_year_record, zone_create

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

# Cities of the Strong Cities Network case book (seed 001) and of the Mozambican Juntos!
# platform (seed 003). Geneva hosts GCERF's secretariat.
CASE_BOOK_CITIES = [
    {
        "name": "Medellín",
        "region": "Antioquia",
        "country": "CO",
        "currency": "COP",
        "time_zone": "America/Bogota",
        "languages": ["es"],
        "population": 2_427_129,
    },
    {
        "name": "Memphis",
        "region": "Tennessee",
        "country": "US",
        "currency": "USD",
        "time_zone": "America/Chicago",
        "languages": ["en"],
        "population": 633_104,
    },
    {
        "name": "Peterborough",
        "region": "England",
        "country": "GB",
        "currency": "GBP",
        "time_zone": "Europe/London",
        "languages": ["en"],
        "population": 215_700,
    },
    {
        "name": "São Paulo",
        "region": "São Paulo",
        "country": "BR",
        "currency": "BRL",
        "time_zone": "America/Sao_Paulo",
        "languages": ["pt-br"],
        "population": 11_451_999,
    },
    {
        "name": "Boston",
        "region": "Massachusetts",
        "country": "US",
        "currency": "USD",
        "time_zone": "America/New_York",
        "languages": ["en"],
        "population": 675_647,
    },
    {
        "name": "Leicester",
        "region": "England",
        "country": "GB",
        "currency": "GBP",
        "time_zone": "Europe/London",
        "languages": ["en"],
        "population": 368_600,
    },
    {
        "name": "Bromley",
        "region": "Greater London",
        "country": "GB",
        "currency": "GBP",
        "time_zone": "Europe/London",
        "languages": ["en"],
        "population": 329_800,
    },
    {
        "name": "Maputo",
        "region": "Maputo City",
        "country": "MZ",
        "currency": "MZN",
        "time_zone": "Africa/Maputo",
        "languages": ["pt"],
        "population": 1_101_170,
    },
    {
        "name": "Geneva",
        "region": "Canton of Geneva",
        "country": "CH",
        "currency": "CHF",
        "time_zone": "Europe/Zurich",
        "languages": ["fr"],
        "population": 203_856,
    },
]

LA_MARSA_ZONES = ["Marsa Ville", "Sidi Daoud", "Marsa Safsaf", "Gammarth", "Bhar Lazrag"]

# Seed 000: every Juntos city has a first-term mayor with no collegial conviction; Brazilian
# municipal terms of the cohort ran from 2013-01-01 to 2016-12-31.
JUNTOS_TERM = {
    "mayor_term_start": datetime.date(2013, 1, 1),
    "mayor_term_end": datetime.date(2016, 12, 31),
    "mayor_first_term": True,
    "mayor_collegial_conviction": False,
}
# Mayors 2013-2016 (general knowledge, not the seeds); cities we are unsure of are left out.
# Firmino Filho had governed Teresina in 1997-2004; 2013 began a first consecutive term, the
# sense in which the programme's "first term" criterion (a mayor who can still be re-elected)
# reads.
JUNTOS_MAYORS = {
    "campinas": ("Jonas Donizette", "PSB"),
    "santos": ("Paulo Alexandre Barbosa", "PSDB"),
    "limeira": ("Paulo Hadich", "PSB"),
    "sao-carlos": ("Paulo Altomani", "PSDB"),
    "pelotas": ("Eduardo Leite", "PSDB"),
    "juiz-de-fora": ("Bruno Siqueira", "PMDB"),
    "teresina": ("Firmino Filho", "PSDB"),
    "curitiba": ("Gustavo Fruet", "PDT"),
}

# Municipal secretariats (no secretaries named: we do not invent people).
DEPARTMENTS = {
    "campinas": [
        "Secretaria Municipal de Finanças",
        "Secretaria Municipal de Administração",
        "Secretaria Municipal de Gestão e Controle",
        "Secretaria Municipal de Saúde",
        "Secretaria Municipal de Educação",
    ],
    "santos": [
        "Secretaria Municipal de Finanças",
        "Secretaria Municipal de Gestão",
        "Secretaria Municipal de Educação",
    ],
    "curitiba": [
        "Secretaria Municipal de Finanças",
        "Secretaria Municipal de Planejamento e Administração",
        "Secretaria Municipal da Saúde",
    ],
}

# ILLUSTRATIVE fiscal figures in millions of BRL, not official:
# year: (revenue, current spending, of which personnel, investment, debt).
FISCAL_YEARS_MBRL = {
    "campinas": {
        2013: (4_120, 3_650, 1_780, 210, 1_050),
        2014: (4_480, 3_880, 1_900, 330, 1_010),
        2015: (4_610, 3_960, 1_990, 360, 980),
        2016: (4_870, 4_090, 2_070, 420, 940),
    },
    "santos": {
        2013: (2_210, 1_980, 1_010, 120, 410),
        2014: (2_390, 2_080, 1_060, 190, 395),
        2015: (2_460, 2_120, 1_100, 210, 380),
        2016: (2_580, 2_190, 1_140, 250, 360),
    },
    "curitiba": {
        2013: (6_540, 5_930, 2_880, 380, 1_720),
        2014: (7_020, 6_310, 3_060, 460, 1_690),
        2015: (7_240, 6_640, 3_250, 390, 1_710),
        2016: (7_560, 6_820, 3_380, 470, 1_650),
    },
    "pelotas": {
        2013: (780, 720, 380, 30, 140),
        2014: (830, 750, 395, 52, 136),
        2015: (860, 770, 410, 61, 131),
        2016: (910, 800, 425, 76, 125),
    },
}
MILLION = Decimal(1_000_000)


def _ensure_city(actor, **fields) -> tuple[City, bool]:
    slug = slugify(fields["name"])
    existing = City.objects.filter(slug=slug).first()
    if existing:
        return existing, False
    return city_create(slug=slug, actor=actor, **fields), True


def _ensure_mayor(city: City, facts: dict, actor) -> None:
    """Fill in the mayor's facts that are still blank; never overwrite what staff recorded."""
    missing = {
        name: value
        for name, value in facts.items()
        if getattr(city, name) in (None, "") and value not in (None, "")
    }
    if missing:
        city_update(city=city, data=missing, actor=actor)


def load(*, actor) -> dict[str, int]:
    """Create the demo cities and what belongs to them when missing; returns how many were
    created (``cities``, ``zones``, ``departments``, ``fiscal_years``)."""
    created = {"cities": 0, "zones": 0, "departments": 0, "fiscal_years": 0}
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
    for fields in OTHER_CITIES + CASE_BOOK_CITIES:
        _city, new = _ensure_city(actor, **fields)
        created["cities"] += new
    la_marsa = City.objects.get(slug="la-marsa")
    for zone_name in LA_MARSA_ZONES:
        if not Zone.objects.filter(city=la_marsa, slug=slugify(zone_name)).exists():
            zone_create(city=la_marsa, name=zone_name, slug=slugify(zone_name), actor=actor)
            created["zones"] += 1
    _load_juntos_profiles(actor, created)
    return created


def _load_juntos_profiles(actor, created: dict[str, int]) -> None:
    for name, *_rest in JUNTOS_CITIES:
        city = City.objects.get(slug=slugify(name))
        mayor_name, party = JUNTOS_MAYORS.get(city.slug, ("", ""))
        _ensure_mayor(city, {"mayor_name": mayor_name, "mayor_party": party, **JUNTOS_TERM}, actor)
    for slug, names in DEPARTMENTS.items():
        city = City.objects.get(slug=slug)
        for name in names:
            if not Department.objects.filter(city=city, name=name).exists():
                department_create(city=city, name=name, actor=actor)
                created["departments"] += 1
    for slug, years in FISCAL_YEARS_MBRL.items():
        city = City.objects.get(slug=slug)
        for year, figures in years.items():
            if FiscalYear.objects.filter(city=city, year=year).exists():
                continue
            revenue, current, personnel, investment, debt = (v * MILLION for v in figures)
            fiscal_year_record(
                city=city,
                year=year,
                revenue=revenue,
                current_spending=current,
                personnel_spending=personnel,
                investment=investment,
                debt=debt,
                actor=actor,
            )
            created["fiscal_years"] += 1

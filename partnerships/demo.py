"""Demo partners, partnerships and what hangs off them, from the source documents.

Sources: seed 000 (Comunitas' Juntos programme), seed 001 (the Strong Cities Network briefing
and its case book), seed 003 (the Aga Khan Foundation / "la Caixa" Juntos! platform in
Mozambique). Names, places, years and the figures the seeds give are theirs; descriptions,
objectives, risks and lessons are our own short summaries.

What is ILLUSTRATIVE, NOT OFFICIAL: every contribution amount except the £5 million raised for
Peterborough's One Service; the exchange rates (rounded market rates of the day); the outcome
contract's price per unit; the risks; and the two Campinas initiatives besides "Juntos in
Campinas", which show the programme's pillars at work. Where a source gives only a year, the
date is 1 January of that year.

A few facts come from public knowledge rather than the seeds, and are marked where used: the
Peterborough bond's 7.5% threshold and £8 million cap, its outcome results, the Big Lottery
Fund as co-payer, three of its seventeen investors, its early end in 2015, Ruta N's founders
and Switzerland as a GCERF donor.

Comunitas is recorded as a private foundation, not a community NGO: it is a non-profit, but
it channels business leaders' social investment and does not speak for the communities the
programme serves, which is what the briefing means by a community partner.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.text import slugify

from cities.demo import JUNTOS_CITIES
from cities.models import City

from .choices import (
    Approach,
    ContributionKind,
    Direction,
    ParticipationRole,
    PartnerKind,
    PartnershipStatus,
    Pillar,
    RiskCategory,
    RiskStatus,
    Sector,
    Theme,
)
from .models import (
    Contribution,
    Lesson,
    OutcomeContract,
    OutcomeMeasurement,
    Participation,
    Partner,
    Partnership,
    Risk,
)
from .services import (
    contribution_mark_received,
    contribution_record,
    lesson_create,
    measurement_record,
    outcome_contract_create,
    participation_add,
    partner_create,
    partnership_create,
    risk_create,
)

D = datetime.date
PUB, PRI, COM = Sector.PUBLIC, Sector.PRIVATE, Sector.COMMUNITY
K = PartnerKind
R = ParticipationRole
C = ContributionKind
RC = RiskCategory

# --- Partners -----------------------------------------------------------------------------
# (slug, name, sector, kind, country, slug of the registering city or None, description)

# Seed 000: Comunitas and the business leaders behind the Center for Governance (the seed
# names no company, so they are one record).
PARTNERS_JUNTOS = [
    (
        "comunitas",
        "Comunitas",
        PRI,
        K.FOUNDATION,
        "BR",
        None,
        "Brazilian non-profit founded in 2000 to improve corporate social investment. It leads "
        "the Juntos programme and convenes the business leaders of its Center for Governance.",
    ),
    (
        "juntos-business-partners",
        "Juntos business partners",
        PRI,
        K.NATIONAL_COMPANY,
        "BR",
        None,
        "The partner companies (more than 30) whose leaders sit on the Center for Governance "
        "and fund the programme; each city has one of them as its Leader Sponsor.",
    ),
]
# Seed 000: the city hall of each of the twelve Juntos cities.
PARTNERS_CITY_HALLS = [
    (
        f"prefeitura-{slugify(name)}",
        f"Prefeitura Municipal de {name}",
        PUB,
        K.LOCAL_AUTHORITY,
        "BR",
        slugify(name),
        f"City hall of {name} ({state}), a member of the Juntos programme since 2013.",
    )
    for name, state, _population, _tz in JUNTOS_CITIES
]
# Seed 001: the partners named in the Strong Cities Network case book.
PARTNERS_CASE_BOOK = [
    # Medellín, Ruta N (founders from public knowledge)
    (
        "alcaldia-de-medellin",
        "Alcaldía de Medellín",
        PUB,
        K.LOCAL_AUTHORITY,
        "CO",
        "medellin",
        "Medellín's city government; a founder and funder of Ruta N.",
    ),
    (
        "epm",
        "Empresas Públicas de Medellín (EPM)",
        PUB,
        K.LOCAL_AUTHORITY,
        "CO",
        "medellin",
        "The city-owned utility group; a founder and funder of Ruta N.",
    ),
    (
        "corporacion-ruta-n",
        "Corporación Ruta N",
        PUB,
        K.LOCAL_AUTHORITY,
        "CO",
        "medellin",
        "Medellín's public agency for innovation and business, working with more than 100 "
        "private partners in health, energy and ICT.",
    ),
    # Memphis, Memphis Fast Forward
    (
        "city-of-memphis",
        "City of Memphis, Office of the Mayor",
        PUB,
        K.LOCAL_AUTHORITY,
        "US",
        "memphis",
        "The mayor's office of Memphis, Tennessee.",
    ),
    (
        "greater-memphis-chamber",
        "Greater Memphis Chamber",
        PRI,
        K.LOCAL_BUSINESS,
        "US",
        "memphis",
        "Memphis' chamber of commerce, the association of the city's businesses.",
    ),
    # Peterborough, One Service
    (
        "social-finance-uk",
        "Social Finance UK",
        PRI,
        K.NATIONAL_COMPANY,
        "GB",
        None,
        "Not-for-profit financial intermediary that designed the first social impact bond "
        "and raised its capital from social investors.",
    ),
    (
        "ministry-of-justice",
        "Ministry of Justice",
        PUB,
        K.NATIONAL_GOVERNMENT,
        "GB",
        None,
        "UK government department for justice, prisons and probation; outcome payer of the "
        "Peterborough bond.",
    ),
    # Co-payer of the outcomes: public knowledge, not seed 001.
    (
        "big-lottery-fund",
        "Big Lottery Fund",
        PUB,
        K.NATIONAL_GOVERNMENT,
        "GB",
        None,
        "UK public body that distributes National Lottery money; it shared the Peterborough "
        "outcome payments with the Ministry of Justice.",
    ),
    (
        "esmee-fairbairn-foundation",
        "Esmée Fairbairn Foundation",
        PRI,
        K.FOUNDATION,
        "GB",
        None,
        "UK grant-making foundation; one of the Peterborough bond's 17 investors.",
    ),
    (
        "barrow-cadbury-trust",
        "Barrow Cadbury Trust",
        PRI,
        K.FOUNDATION,
        "GB",
        None,
        "UK charitable foundation working on criminal justice; one of the Peterborough "
        "bond's 17 investors.",
    ),
    (
        "rockefeller-foundation",
        "The Rockefeller Foundation",
        PRI,
        K.FOUNDATION,
        "US",
        None,
        "US philanthropic foundation; one of the Peterborough bond's 17 investors.",
    ),
    (
        "st-giles-trust",
        "St Giles Trust",
        COM,
        K.CHARITY,
        "GB",
        None,
        "Charity that helps people leaving prison, often through staff with lived experience.",
    ),
    (
        "ormiston-trust",
        "Ormiston Children and Families Trust",
        COM,
        K.CHARITY,
        "GB",
        None,
        "Charity supporting children and families, including prisoners' families.",
    ),
    ("ymca", "YMCA", COM, K.CHARITY, "GB", None, "Youth and community charity."),
    (
        "sova",
        "SOVA",
        COM,
        K.VOLUNTEER_GROUP,
        "GB",
        None,
        "Volunteer mentoring charity working with offenders and people at risk.",
    ),
    # São Paulo, Peace Squares SulAmérica
    (
        "instituto-sou-da-paz",
        "Instituto Sou da Paz",
        COM,
        K.NGO,
        "BR",
        "sao-paulo",
        "São Paulo NGO working on violence prevention.",
    ),
    (
        "sulamerica",
        "SulAmérica",
        PRI,
        K.NATIONAL_COMPANY,
        "BR",
        "sao-paulo",
        "Brazilian insurance company.",
    ),
    # Boston, Converse Community Impact Program
    (
        "converse",
        "Converse",
        PRI,
        K.MULTINATIONAL,
        "US",
        "boston",
        "Footwear brand headquartered in Boston.",
    ),
    (
        "boys-and-girls-clubs-of-boston",
        "Boys & Girls Clubs of Boston",
        COM,
        K.YOUTH_GROUP,
        "US",
        "boston",
        "After-school clubs for Boston's young people.",
    ),
    (
        "ica-boston",
        "Institute of Contemporary Art/Boston",
        COM,
        K.CHARITY,
        "US",
        "boston",
        "Non-profit contemporary art museum with programmes for teenagers.",
    ),
    (
        "artists-for-humanity",
        "Artists For Humanity",
        COM,
        K.YOUTH_GROUP,
        "US",
        "boston",
        "Boston non-profit that employs teenagers as artists and designers.",
    ),
    # Leicester, Think 4 Peace
    (
        "breakthrough-media",
        "Breakthrough Media",
        PRI,
        K.LOCAL_BUSINESS,
        "GB",
        None,
        "Creative communications agency telling stories for social impact; its clients "
        "include NGOs, governments and companies.",
    ),
    (
        "tim-parry-johnathan-ball-foundation",
        "Tim Parry Johnathan Ball Foundation for Peace",
        COM,
        K.CHARITY,
        "GB",
        None,
        "Peace charity working on conflict resolution and on preventing violent extremism.",
    ),
    # Bromley, the red card campaign
    (
        "crystal-palace-fc-foundation",
        "Crystal Palace FC Foundation",
        COM,
        K.CHARITY,
        "GB",
        "bromley",
        "The charity of Crystal Palace Football Club, working with young people in south London.",
    ),
    (
        "crystal-palace-fc",
        "Crystal Palace FC",
        PRI,
        K.SPORTS_CLUB,
        "GB",
        "bromley",
        "Professional football club in south London.",
    ),
    (
        "london-borough-of-bromley",
        "London Borough of Bromley",
        PUB,
        K.LOCAL_AUTHORITY,
        "GB",
        "bromley",
        "Bromley Council, the local authority.",
    ),
    (
        "metropolitan-police",
        "Metropolitan Police Service",
        PUB,
        K.POLICE,
        "GB",
        "bromley",
        "London's police force.",
    ),
    # Geneva, GCERF
    (
        "gcerf",
        "Global Community Engagement and Resilience Fund (GCERF)",
        PRI,
        K.FOUNDATION,
        "CH",
        "geneva",
        "Independent non-profit Swiss foundation set up in September 2014 that gives small "
        "grants to community initiatives against violent extremism.",
    ),
    # Seed 001 says only that governments fund GCERF; Switzerland, its host, is one of them.
    (
        "swiss-confederation",
        "Swiss Confederation",
        PUB,
        K.NATIONAL_GOVERNMENT,
        "CH",
        "geneva",
        "Switzerland's federal government, host and a public donor of GCERF.",
    ),
    (
        "goldman-sachs",
        "Goldman Sachs",
        PRI,
        K.MULTINATIONAL,
        "US",
        None,
        "Investment bank; a member of its corporate engagement office sits on GCERF's board.",
    ),
]
# Seed 003: the funders and the Mozambican civil society organisations it names.
PARTNERS_MOZAMBIQUE = [
    (
        "aga-khan-foundation",
        "Aga Khan Foundation",
        PRI,
        K.FOUNDATION,
        "CH",
        None,
        "Development foundation of the Aga Khan Development Network; runs Juntos! in Mozambique.",
    ),
    (
        "la-caixa-foundation",
        "“la Caixa” Foundation",
        PRI,
        K.FOUNDATION,
        "ES",
        None,
        "Spanish foundation for social, cultural, educational and research programmes; "
        "co-funds Juntos! with the Aga Khan Foundation.",
    ),
    (
        "ecosida",
        "EcoSIDA",
        COM,
        K.NGO,
        "MZ",
        "maputo",
        "Association of 23 companies that brings business into the fight against HIV and "
        "AIDS, tuberculosis and malaria at work.",
    ),
    (
        "masc-foundation",
        "Civil Society Support Facility Foundation (MASC)",
        COM,
        K.NGO,
        "MZ",
        "maputo",
        "Twelve-person foundation that helps civil society monitor governance and hold "
        "government to account.",
    ),
    (
        "tv-surdo",
        "TV Surdo",
        COM,
        K.GRASSROOTS,
        "MZ",
        "maputo",
        "Television channel producing news in sign language and plain language for deaf and "
        "disabled people.",
    ),
    (
        "rede-da-crianca",
        "Rede da Criança (The Children’s Network)",
        COM,
        K.NGO,
        "MZ",
        "maputo",
        "Network coordinating organisations that work with children in difficult situations.",
    ),
]
PARTNERS = PARTNERS_JUNTOS + PARTNERS_CITY_HALLS + PARTNERS_CASE_BOOK + PARTNERS_MOZAMBIQUE

# --- Partnerships -------------------------------------------------------------------------
# Each partnership is a dict of its fields plus lists of the records below. Only Comunitas'
# Juntos partnerships carry a pillar: the four pillars are that programme's (seed 000).


@dataclass(frozen=True)
class Role:
    """A partner's role in the partnership; ``lead`` marks the one lead partner."""

    partner: str
    role: str
    lead: bool = False
    notes: str = ""


@dataclass(frozen=True)
class Give:
    """A contribution, pledged and (when ``received`` is given) received."""

    partner: str
    kind: str
    amount: Decimal
    currency: str
    pledged: datetime.date
    received: datetime.date | None = None
    rate: Decimal | None = None
    description: str = ""


@dataclass(frozen=True)
class RiskRow:
    title: str
    category: str
    likelihood: int
    impact: int
    mitigation: str = ""
    owner: str = ""
    status: str = RiskStatus.OPEN
    review: datetime.date | None = None


@dataclass(frozen=True)
class LessonRow:
    title: str
    text: str
    tags: list[str] = field(default_factory=list)


def _juntos_in(name: str) -> dict:
    """Seed 000: the programme in one member city, led by Comunitas, from February 2013."""
    slug = slugify(name)
    return {
        "slug": f"juntos-in-{slug}",
        "name": f"Juntos in {name}",
        "city": slug,
        "objective": (
            f"Give {name} the fiscal room and management skills to invest more in public "
            "services, with business leaders, civil society and city hall working in the open."
        ),
        "description": (
            "Strategic planning, fiscal efficiency and a commitment to shared and transparent "
            "governance, followed by a Leader Sponsor from the Center for Governance."
        ),
        "theme": Theme.CAPACITY_BUILDING,
        "approach": Approach.EXPLICIT,
        "pillar": Pillar.MANAGEMENT,
        "status": PartnershipStatus.ACTIVE,
        "start_date": D(2013, 2, 1),
        "participations": [
            Role(
                partner="comunitas",
                role=R.EXTENDING,
                lead=True,
                notes="Runs the programme for the business partners.",
            ),
            Role(partner="juntos-business-partners", role=R.FUNDING),
            Role(
                partner=f"prefeitura-{slug}",
                role=R.ACCOUNTABLE,
                notes="Signed the governance commitment.",
            ),
            Role(partner=f"prefeitura-{slug}", role=R.IMPLEMENTING),
        ],
    }


JUNTOS_PARTNERSHIPS = {slugify(name): _juntos_in(name) for name, *_rest in JUNTOS_CITIES}

# Seed 000 (illustrative amounts): what Campinas, the demo's own city, has on record.
JUNTOS_PARTNERSHIPS["campinas"] |= {
    "contributions": [
        Give(
            partner="juntos-business-partners",
            kind=C.MONEY,
            description="Programme funding, first year",
            amount=Decimal("1500000"),
            currency="BRL",
            pledged=D(2013, 2, 15),
            received=D(2013, 4, 30),
        ),
        Give(
            partner="juntos-business-partners",
            kind=C.MONEY,
            description="Programme funding, second year",
            amount=Decimal("1200000"),
            currency="BRL",
            pledged=D(2014, 2, 14),
            received=D(2014, 5, 30),
        ),
        Give(
            partner="juntos-business-partners",
            kind=C.MONEY,
            description="Programme funding, third year",
            amount=Decimal("1200000"),
            currency="BRL",
            pledged=D(2015, 2, 13),
        ),
        Give(
            partner="comunitas",
            kind=C.EXPERTISE,
            description="Specialist consultants for the strategic plan",
            amount=Decimal("640000"),
            currency="BRL",
            pledged=D(2013, 2, 15),
            received=D(2013, 12, 20),
        ),
        Give(
            partner="prefeitura-campinas",
            kind=C.FACILITIES,
            description="Project office and meeting rooms in city hall",
            amount=Decimal("90000"),
            currency="BRL",
            pledged=D(2013, 3, 1),
            received=D(2013, 3, 1),
        ),
        Give(
            partner="prefeitura-campinas",
            kind=C.SERVICES,
            description="Time of the municipal programme team",
            amount=Decimal("240000"),
            currency="BRL",
            pledged=D(2013, 3, 1),
            received=D(2013, 12, 31),
        ),
    ],
    "risks": [
        RiskRow(
            title="Residents see the programme as business taking over city hall",
            category=RC.CREDIBILITY,
            likelihood=3,
            impact=4,
            mitigation=(
                "Publish the governance commitment, the sponsor's role and every contribution."
            ),
            owner="Secretaria Municipal de Gestão e Controle",
            status=RiskStatus.MITIGATING,
            review=D(2016, 6, 30),
        ),
        RiskRow(
            title="Sponsors' companies bid for city contracts",
            category=RC.BALANCE_OF_INTERESTS,
            likelihood=2,
            impact=5,
            mitigation=(
                "Conflict-of-interest declarations for every Center for Governance member; "
                "sponsors stay out of procurement."
            ),
            owner="Comunitas",
            status=RiskStatus.OPEN,
            review=D(2016, 3, 31),
        ),
        RiskRow(
            title="Reforms stall when the term ends in 2016",
            category=RC.OWNERSHIP,
            likelihood=4,
            impact=4,
            mitigation=(
                "Anchor the plan in a Local Leaders Committee and in career civil servants, not "
                "only in the mayor's team."
            ),
            owner="Prefeitura Municipal de Campinas",
            status=RiskStatus.OPEN,
            review=D(2016, 9, 30),
        ),
    ],
    "lessons": [
        LessonRow(
            title="Create fiscal room before new services",
            text=(
                "Savings from better management paid for the first new investments, which made the"
                " rest of the plan believable to staff and sponsors."
            ),
            tags=["measurement", "ownership"],
        ),
        LessonRow(
            title="Openness is what makes business involvement acceptable",
            text=(
                "Publishing what sponsors give and decide answered the fear of private capture "
                "better than any statement of intent."
            ),
            tags=["trust", "private sector"],
        ),
    ],
}
# Seed 000 (illustrative amounts): two more cities with funding on record.
JUNTOS_PARTNERSHIPS["santos"] |= {
    "contributions": [
        Give(
            partner="juntos-business-partners",
            kind=C.MONEY,
            description="Programme funding, first year",
            amount=Decimal("900000"),
            currency="BRL",
            pledged=D(2013, 3, 1),
            received=D(2013, 5, 15),
        ),
        Give(
            partner="comunitas",
            kind=C.EXPERTISE,
            description="Fiscal diagnosis by specialist consultants",
            amount=Decimal("350000"),
            currency="BRL",
            pledged=D(2013, 3, 1),
            received=D(2013, 10, 31),
        ),
    ],
}
JUNTOS_PARTNERSHIPS["pelotas"] |= {
    "contributions": [
        Give(
            partner="juntos-business-partners",
            kind=C.MONEY,
            description="Programme funding, first year",
            amount=Decimal("600000"),
            currency="BRL",
            pledged=D(2013, 3, 1),
            received=D(2013, 6, 3),
        ),
        Give(
            partner="juntos-business-partners",
            kind=C.MONEY,
            description="Programme funding, second year",
            amount=Decimal("600000"),
            currency="BRL",
            pledged=D(2014, 3, 3),
        ),
    ],
}

# Illustrative: two Campinas initiatives under the programme's other pillars (seed 000).
CAMPINAS_INITIATIVES = [
    {
        "slug": "campinas-fiscal-efficiency-plan",
        "name": "Campinas fiscal efficiency plan",
        "city": "campinas",
        "objective": "Cut current spending and raise own revenue so the city can invest more.",
        "description": "A review of the largest contracts and of tax collection, with savings "
        "published every quarter.",
        "theme": Theme.CAPACITY_BUILDING,
        "approach": Approach.EXPLICIT,
        "pillar": Pillar.MANAGEMENT,
        "status": PartnershipStatus.COMPLETED,
        "start_date": D(2013, 3, 1),
        "end_date": D(2014, 12, 31),
        "participations": [
            Role(
                partner="prefeitura-campinas",
                role=R.IMPLEMENTING,
                lead=True,
                notes="Secretaria Municipal de Finanças.",
            ),
            Role(partner="comunitas", role=R.EXTENDING),
            Role(partner="juntos-business-partners", role=R.FUNDING),
        ],
        "contributions": [
            Give(
                partner="comunitas",
                kind=C.EXPERTISE,
                description="Contract and revenue review by consultants",
                amount=Decimal("380000"),
                currency="BRL",
                pledged=D(2013, 3, 1),
                received=D(2014, 6, 30),
            ),
            Give(
                partner="juntos-business-partners",
                kind=C.MONEY,
                description="Review costs",
                amount=Decimal("250000"),
                currency="BRL",
                pledged=D(2013, 3, 1),
                received=D(2013, 4, 30),
            ),
        ],
        "risks": [
            RiskRow(
                title="Savings targets are met by cutting maintenance",
                category=RC.DELIVERY,
                likelihood=3,
                impact=3,
                mitigation="Track maintenance backlogs next to the savings.",
                owner="Secretaria Municipal de Finanças",
                status=RiskStatus.CLOSED,
            ),
            RiskRow(
                title="Savings figures cannot be checked from outside",
                category=RC.CORRUPTION,
                likelihood=2,
                impact=4,
                mitigation="Publish the baseline and the method with the quarterly figures.",
                owner="Secretaria Municipal de Gestão e Controle",
                status=RiskStatus.CLOSED,
            ),
        ],
        "lessons": [
            LessonRow(
                title="Publish the baseline before the savings",
                text=(
                    "Savings were only trusted once the starting figures had been published and "
                    "could be compared."
                ),
                tags=["measurement", "trust"],
            ),
        ],
    },
    {
        "slug": "campinas-citizens-in-the-plan",
        "name": "Citizens in Campinas' strategic plan",
        "city": "campinas",
        "objective": "Let residents set and follow the priorities of the city's strategic plan.",
        "description": "Neighbourhood hearings on the plan's goals and a public follow-up of its "
        "indicators.",
        "theme": Theme.ENGAGEMENT,
        "approach": Approach.EXPLICIT,
        "pillar": Pillar.SOCIAL_ENGAGEMENT,
        "status": PartnershipStatus.ACTIVE,
        "start_date": D(2014, 3, 1),
        "participations": [
            Role(partner="prefeitura-campinas", role=R.ACCOUNTABLE, lead=True),
            Role(partner="comunitas", role=R.IMPLEMENTING, notes="Facilitates the hearings."),
            Role(partner="juntos-business-partners", role=R.FUNDING),
        ],
        "contributions": [
            Give(
                partner="juntos-business-partners",
                kind=C.MONEY,
                description="Hearings and follow-up website",
                amount=Decimal("300000"),
                currency="BRL",
                pledged=D(2015, 3, 2),
            ),
            Give(
                partner="prefeitura-campinas",
                kind=C.FACILITIES,
                description="Schools and community halls for hearings",
                amount=Decimal("45000"),
                currency="BRL",
                pledged=D(2014, 3, 1),
                received=D(2014, 11, 28),
            ),
        ],
        "risks": [
            RiskRow(
                title="Hearings draw only the usual participants",
                category=RC.BALANCE_OF_INTERESTS,
                likelihood=4,
                impact=3,
                mitigation="Hold hearings in every region, at night and at weekends.",
                owner="Prefeitura Municipal de Campinas",
                status=RiskStatus.MITIGATING,
                review=D(2016, 4, 30),
            ),
        ],
    },
]

# Seed 001: the case book of public-private community initiatives.
CASE_BOOK = [
    {
        "slug": "ruta-n",
        "name": "Ruta N",
        "city": "medellin",
        "objective": "Make Medellín more competitive and create better jobs through innovation "
        "in health, energy and ICT.",
        "description": "A public agency funded by a public-private model, with more than 100 "
        "private partners. Medellín, which had the world's highest homicide rate in 1991 (380 "
        "per 100,000), has since cut it by more than 90%.",
        "theme": Theme.CAPACITY_BUILDING,
        "approach": Approach.IMPLICIT,
        "status": PartnershipStatus.ACTIVE,
        "start_date": D(2009, 1, 1),
        "participations": [
            Role(partner="alcaldia-de-medellin", role=R.ACCOUNTABLE, lead=True),
            Role(partner="alcaldia-de-medellin", role=R.FUNDING),
            Role(partner="epm", role=R.FUNDING),
            Role(partner="corporacion-ruta-n", role=R.IMPLEMENTING),
        ],
        "lessons": [
            LessonRow(
                title="Large partnerships can change a whole city",
                text=(
                    "At city scale, a public-private partnership can reshape the economy and open "
                    "opportunities to young people from poor areas, which reaches well beyond one "
                    "social problem."
                ),
                tags=["youth", "private sector", "jobs"],
            ),
        ],
    },
    {
        "slug": "memphis-fast-forward",
        "name": "Memphis Fast Forward",
        "city": "memphis",
        "objective": "Reduce gang crime and youth violence by growing jobs, community cohesion "
        "and government efficiency together.",
        "description": "Founded in 2006. Between 2006 and 2010 homicides fell by 40%, robberies "
        "by 39% and violent crime by 23.6%.",
        "theme": Theme.CAPACITY_BUILDING,
        "approach": Approach.IMPLICIT,
        "status": PartnershipStatus.ACTIVE,
        "start_date": D(2006, 1, 1),
        "participations": [
            Role(
                partner="city-of-memphis",
                role=R.ACCOUNTABLE,
                lead=True,
                notes="Current and former mayors.",
            ),
            Role(partner="greater-memphis-chamber", role=R.FUNDING),
            Role(
                partner="greater-memphis-chamber",
                role=R.IMPLEMENTING,
                notes="Economic growth plan.",
            ),
        ],
        "lessons": [
            LessonRow(
                title="Jobs belong in a crime-reduction plan",
                text=(
                    "Treating employment, safety and efficient government as one plan let the city"
                    " and its businesses work on the causes of violence, not only its symptoms."
                ),
                tags=["jobs", "private sector"],
            ),
        ],
    },
    # Seed 001, plus public knowledge for the early end, the threshold, the cap and results.
    {
        "slug": "one-service-peterborough",
        "name": "One Service (Peterborough social impact bond)",
        "city": "peterborough",
        "objective": "Reduce reoffending by men leaving Peterborough prison after short "
        "sentences, paid for by results.",
        "description": "The world's first social impact bond, launched by Social Finance in "
        "September 2010: 17 private investors put up £5 million to support 3,000 short-"
        "sentence prisoners before and after release over six years. More than 60% of them "
        "used to be reconvicted within a year. The pilot ended early, in 2015, when national "
        "probation reforms took over.",
        "theme": Theme.CAPACITY_BUILDING,
        "approach": Approach.EXPLICIT,
        "status": PartnershipStatus.ENDED,
        "start_date": D(2010, 9, 1),
        "end_date": D(2015, 6, 30),
        "participations": [
            Role(
                partner="social-finance-uk",
                role=R.EXTENDING,
                lead=True,
                notes="Raised and managed the investment.",
            ),
            Role(partner="ministry-of-justice", role=R.ACCOUNTABLE, notes="Outcome payer."),
            Role(partner="ministry-of-justice", role=R.FUNDING, notes="Pays for results."),
            Role(partner="big-lottery-fund", role=R.FUNDING, notes="Shares the outcome payments."),
            Role(partner="esmee-fairbairn-foundation", role=R.FUNDING, notes="Investor."),
            Role(partner="barrow-cadbury-trust", role=R.FUNDING, notes="Investor."),
            Role(partner="rockefeller-foundation", role=R.FUNDING, notes="Investor."),
            Role(partner="st-giles-trust", role=R.IMPLEMENTING),
            Role(partner="ormiston-trust", role=R.IMPLEMENTING),
            Role(partner="ymca", role=R.IMPLEMENTING),
            Role(partner="sova", role=R.IMPLEMENTING),
        ],
        "contributions": [
            # The Spanish briefing says "5 millones de euros"; the bond was raised in pounds.
            Give(
                partner="social-finance-uk",
                kind=C.MONEY,
                description="Capital raised from 17 social investors",
                amount=Decimal("5000000"),
                currency="GBP",
                pledged=D(2010, 9, 1),
                received=D(2010, 9, 1),
            ),
        ],
        "risks": [
            RiskRow(
                title="Investors lose their capital if reoffending falls by less than 7.5%",
                category=RC.FINANCIAL,
                likelihood=3,
                impact=5,
                mitigation=(
                    "Independent measurement against a national comparison group; investors accept"
                    " the risk knowingly."
                ),
                owner="Social Finance UK",
                status=RiskStatus.CLOSED,
            ),
            RiskRow(
                title="National probation reform ends the pilot early",
                category=RC.DELIVERY,
                likelihood=3,
                impact=4,
                mitigation="Agree with the Ministry how results are paid if the service stops.",
                owner="Ministry of Justice",
                status=RiskStatus.CLOSED,
            ),
            RiskRow(
                title="Payment on one indicator narrows what the service does",
                category=RC.BALANCE_OF_INTERESTS,
                likelihood=2,
                impact=3,
                mitigation=(
                    "Providers keep housing, family and employment support in the service offer."
                ),
                owner="St Giles Trust",
                status=RiskStatus.CLOSED,
            ),
        ],
        "lessons": [
            LessonRow(
                title="Public money can buy results rather than activity",
                text=(
                    "Paying only for fewer reconvictions let the government try a new service at "
                    "little risk and drew private investors into rehabilitation."
                ),
                tags=["measurement", "private sector", "funding"],
            ),
            LessonRow(
                title="Agree the comparison group before anything starts",
                text=(
                    "Payments depended on reconvictions measured against a national comparison "
                    "group, so the method had to be settled and trusted by all sides at the "
                    "outset."
                ),
                tags=["measurement", "trust"],
            ),
        ],
        "outcome_contract": {
            # Threshold and cap: public reports on the bond, not seed 001.
            "indicator": "Fewer reconviction events than a national comparison group",
            "unit": "%",
            "direction": Direction.INCREASE,
            "baseline": Decimal("0"),
            "target": Decimal("10"),
            "threshold": Decimal("7.5"),
            "price_per_unit": Decimal("300000"),  # illustrative
            "cap": Decimal("8000000"),
            "currency": "GBP",
            "outcome_payer": "ministry-of-justice",
            "investors": [
                "esmee-fairbairn-foundation",
                "barrow-cadbury-trust",
                "rockefeller-foundation",
            ],
            # Results published by the Ministry of Justice (public knowledge).
            "measurements": [
                (D(2014, 8, 7), Decimal("8.4"), "Ministry of Justice: first cohort"),
                (D(2017, 7, 27), Decimal("9.0"), "Ministry of Justice: final result"),
            ],
        },
    },
    {
        "slug": "peace-squares-sulamerica",
        "name": "Peace Squares SulAmérica",
        "city": "sao-paulo",
        "objective": "Help residents of São Paulo's violent outskirts take back public squares "
        "peacefully, with young people leading.",
        "description": "Created in 2007. In 2012 it trained 59 community leaders, held 75 events "
        "and served more than 7,000 people; its method is now used for public spaces by the "
        "housing authorities.",
        "theme": Theme.ENGAGEMENT,
        "approach": Approach.IMPLICIT,
        "status": PartnershipStatus.COMPLETED,
        "start_date": D(2007, 1, 1),
        "participations": [
            Role(partner="instituto-sou-da-paz", role=R.IMPLEMENTING, lead=True),
            Role(partner="sulamerica", role=R.FUNDING, notes="Money and management support."),
        ],
        "contributions": [
            Give(
                partner="sulamerica",
                kind=C.MONEY,
                description="Project funding (amount illustrative)",
                amount=Decimal("1000000"),
                currency="BRL",
                pledged=D(2007, 3, 1),
                received=D(2007, 6, 29),
            ),
            Give(
                partner="sulamerica",
                kind=C.EXPERTISE,
                description="Management support (value illustrative)",
                amount=Decimal("150000"),
                currency="BRL",
                pledged=D(2007, 3, 1),
                received=D(2008, 2, 29),
            ),
        ],
        "lessons": [
            LessonRow(
                title="Mobilised residents outlast the project",
                text=(
                    "Once local people had organised themselves around their square, their "
                    "commitment carried on after the project's funding ended."
                ),
                tags=["ownership", "youth", "community"],
            ),
        ],
    },
    {
        "slug": "converse-community-impact",
        "name": "Converse Community Impact Program",
        "city": "boston",
        "objective": "Build a positive identity in young people through music, art and "
        "skateboarding.",
        "description": "Run from Converse's home city with community partners.",
        "theme": Theme.TRUST_BUILDING,
        "approach": Approach.IMPLICIT,
        "status": PartnershipStatus.ACTIVE,
        "participations": [
            Role(partner="converse", role=R.FUNDING, lead=True),
            Role(partner="boys-and-girls-clubs-of-boston", role=R.IMPLEMENTING),
            Role(partner="ica-boston", role=R.IMPLEMENTING),
            Role(partner="artists-for-humanity", role=R.IMPLEMENTING),
        ],
        "lessons": [
            LessonRow(
                title="Borrow the trust a brand already has",
                text=(
                    "A brand young people already like can bring them to a social programme that a"
                    " public body alone would struggle to reach."
                ),
                tags=["youth", "trust", "private sector"],
            ),
        ],
    },
    {
        "slug": "think-4-peace",
        "name": "Think 4 Peace",
        "city": "leicester",
        "objective": "Teach young people at risk of radicalisation in Leicester's schools to "
        "think critically for themselves.",
        "description": "The Foundation commissioned Breakthrough Media to build a site telling "
        "schools and colleges about the 'Think' project, with testimonies and blogs.",
        "theme": Theme.EDUCATION,
        "approach": Approach.EXPLICIT,
        "status": PartnershipStatus.COMPLETED,
        "participations": [
            Role(
                partner="tim-parry-johnathan-ball-foundation",
                role=R.FUNDING,
                lead=True,
                notes="Commissioned the site.",
            ),
            Role(partner="breakthrough-media", role=R.IMPLEMENTING),
        ],
        "lessons": [
            LessonRow(
                title="Private is not always corporate",
                text=(
                    "Some private partners exist to deliver social change, and bring craft such as"
                    " storytelling that public bodies lack."
                ),
                tags=["private sector", "education", "youth"],
            ),
        ],
    },
    {
        # The briefing gives the name in Spanish ("Sácale tarjeta roja al delito").
        "slug": "red-card-to-crime-bromley",
        "name": "Show crime the red card",
        "city": "bromley",
        "objective": "Show young people what knife crime, gangs and armed crime cost them, "
        "before they are drawn in.",
        "description": "Launched in 2009 by the Crystal Palace FC Foundation, the club, Bromley "
        "Council and the Metropolitan Police.",
        "theme": Theme.MESSAGING,
        "approach": Approach.EXPLICIT,
        "status": PartnershipStatus.ACTIVE,
        "start_date": D(2009, 1, 1),
        "participations": [
            Role(partner="crystal-palace-fc-foundation", role=R.IMPLEMENTING, lead=True),
            Role(
                partner="crystal-palace-fc",
                role=R.FUNDING,
                notes="Lends the club's name and players.",
            ),
            Role(partner="london-borough-of-bromley", role=R.ACCOUNTABLE),
            Role(partner="metropolitan-police", role=R.IMPLEMENTING),
        ],
        "lessons": [
            LessonRow(
                title="Trusted messengers reach those at risk",
                text=(
                    "A football club with roots in the area carries an anti-violence message to "
                    "young people who would distrust it from the council or the police."
                ),
                tags=["youth", "trust", "messaging"],
            ),
        ],
    },
    {
        "slug": "gcerf",
        "name": "GCERF community grants",
        "city": "geneva",
        "objective": "Fund local community initiatives that address the drivers of violent "
        "extremism and build resilience to it.",
        "description": "Small grants of $10,000 to $50,000 for education, women's "
        "empowerment, community engagement, vocational training, social entrepreneurship and "
        "media; Bangladesh, Mali and Nigeria were chosen in 2015.",
        "theme": Theme.ENGAGEMENT,
        "approach": Approach.EXPLICIT,
        "status": PartnershipStatus.ACTIVE,
        "start_date": D(2014, 9, 1),
        "participations": [
            Role(
                partner="gcerf",
                role=R.EXTENDING,
                lead=True,
                notes="Selects and manages the grants.",
            ),
            Role(partner="swiss-confederation", role=R.FUNDING),
            Role(partner="goldman-sachs", role=R.FUNDING, notes="Board expertise."),
        ],
        "contributions": [
            Give(
                partner="swiss-confederation",
                kind=C.MONEY,
                description="Core funding (amount illustrative)",
                amount=Decimal("5000000"),
                currency="CHF",
                pledged=D(2014, 9, 15),
                received=D(2014, 12, 15),
            ),
            Give(
                partner="goldman-sachs",
                kind=C.EXPERTISE,
                description="Board member's time (value illustrative)",
                amount=Decimal("60000"),
                currency="CHF",
                pledged=D(2015, 1, 15),
            ),
        ],
        "lessons": [
            LessonRow(
                title="Private expertise helps money reach the right places",
                text=(
                    "Business know-how on the board makes a grant fund sharper at picking and "
                    "following small community projects."
                ),
                tags=["private sector", "funding", "measurement"],
            ),
        ],
    },
]

# Seed 003: the Juntos! platform for Mozambican civil society organisations.
MOZAMBIQUE = [
    {
        "slug": "juntos-mozambique",
        "name": "Juntos! civil society platform",
        "city": "maputo",
        "objective": "Help Mozambican civil society organisations learn from each other, "
        "work better and avoid duplicating each other's programmes.",
        "description": "Started in 2014 with eight CSOs as learners; 20 became course providers "
        "in 2016 and 25 became course creators in 2018, together serving more than 700,000 "
        "people. A fourth phase from January 2022 hands the platform to a steering committee "
        "of partners.",
        "theme": Theme.CAPACITY_BUILDING,
        "approach": Approach.IMPLICIT,
        "status": PartnershipStatus.ACTIVE,
        "start_date": D(2014, 1, 1),
        "participations": [
            Role(
                partner="aga-khan-foundation",
                role=R.IMPLEMENTING,
                lead=True,
                notes="Designs and runs the courses.",
            ),
            Role(partner="aga-khan-foundation", role=R.FUNDING),
            Role(partner="la-caixa-foundation", role=R.FUNDING),
            Role(partner="ecosida", role=R.BENEFICIARY),
            Role(partner="ecosida", role=R.IMPLEMENTING, notes="Course provider and creator."),
            Role(partner="masc-foundation", role=R.BENEFICIARY),
            Role(
                partner="masc-foundation", role=R.IMPLEMENTING, notes="Course provider and creator."
            ),
            Role(partner="tv-surdo", role=R.BENEFICIARY),
            Role(partner="tv-surdo", role=R.IMPLEMENTING, notes="Course provider and creator."),
            Role(partner="rede-da-crianca", role=R.BENEFICIARY),
            Role(
                partner="rede-da-crianca", role=R.IMPLEMENTING, notes="Course provider and creator."
            ),
        ],
        "contributions": [
            Give(
                partner="la-caixa-foundation",
                kind=C.MONEY,
                description="Phase one (amount illustrative)",
                amount=Decimal("250000"),
                currency="EUR",
                rate=Decimal("41.30"),
                pledged=D(2014, 1, 15),
                received=D(2014, 3, 31),
            ),
            Give(
                partner="aga-khan-foundation",
                kind=C.MONEY,
                description="Phase one (amount illustrative)",
                amount=Decimal("200000"),
                currency="USD",
                rate=Decimal("30.40"),
                pledged=D(2014, 1, 15),
                received=D(2014, 3, 31),
            ),
            Give(
                partner="la-caixa-foundation",
                kind=C.MONEY,
                description="Phase three (amount illustrative)",
                amount=Decimal("300000"),
                currency="EUR",
                rate=Decimal("71.20"),
                pledged=D(2018, 1, 15),
                received=D(2018, 4, 30),
            ),
            Give(
                partner="aga-khan-foundation",
                kind=C.EXPERTISE,
                description="Training CSOs to write, film and edit courses (value illustrative)",
                amount=Decimal("3500000"),
                currency="MZN",
                pledged=D(2018, 1, 15),
                received=D(2018, 12, 14),
            ),
            Give(
                partner="la-caixa-foundation",
                kind=C.MONEY,
                description="Phase four (amount illustrative)",
                amount=Decimal("300000"),
                currency="EUR",
                rate=Decimal("72.50"),
                pledged=D(2022, 1, 10),
            ),
        ],
        "lessons": [
            LessonRow(
                title="From learners to creators",
                text=(
                    "Moving partner organisations from taking courses to giving and then making "
                    "them built local ownership of the platform step by step."
                ),
                tags=["ownership", "community"],
            ),
            LessonRow(
                title="Coordinate to fill gaps, not to overlap",
                text=(
                    "Sharing plans and results across organisations showed where programmes "
                    "duplicated each other and where nobody was serving people."
                ),
                tags=["community", "measurement"],
            ),
        ],
    },
]

PARTNERSHIPS = list(JUNTOS_PARTNERSHIPS.values()) + CAMPINAS_INITIATIVES + CASE_BOOK + MOZAMBIQUE
PARTNERSHIP_FIELDS = (
    "name",
    "objective",
    "description",
    "theme",
    "approach",
    "pillar",
    "status",
    "start_date",
    "end_date",
)

# --- Loading ------------------------------------------------------------------------------

COUNTED = (
    "partners",
    "partnerships",
    "participations",
    "contributions",
    "risks",
    "lessons",
    "outcome_contracts",
    "measurements",
)


def load(*, actor) -> dict[str, int]:
    """Create what is missing, looked up by slug (or natural key); returns how many were
    created of each kind. Needs the cities from ``cities.demo.load``."""
    created = dict.fromkeys(COUNTED, 0)
    cities = {city.slug: city for city in City.objects.all()}
    partners = {}
    for slug, name, sector, kind, country, city_slug, description in PARTNERS:
        partner = Partner.objects.filter(slug=slug).first()
        if partner is None:
            partner = partner_create(
                slug=slug,
                name=name,
                sector=sector,
                kind=kind,
                country=country,
                description=description,
                home_city=cities.get(city_slug) if city_slug else None,
                actor=actor,
            )
            created["partners"] += 1
        partners[slug] = partner
    for spec in PARTNERSHIPS:
        _load_partnership(spec, cities=cities, partners=partners, actor=actor, created=created)
    return created


def _load_partnership(spec: dict, *, cities, partners, actor, created) -> None:
    partnership = Partnership.objects.filter(slug=spec["slug"]).first()
    if partnership is None:
        partnership = partnership_create(
            city=cities[spec["city"]],
            slug=spec["slug"],
            actor=actor,
            **{name: spec[name] for name in PARTNERSHIP_FIELDS if name in spec},
        )
        created["partnerships"] += 1

    for row in spec.get("participations", ()):
        partner = partners[row.partner]
        if not Participation.objects.filter(
            partnership=partnership, partner=partner, role=row.role
        ).exists():
            participation_add(
                partnership=partnership,
                partner=partner,
                role=row.role,
                is_lead=row.lead,
                notes=row.notes,
                actor=actor,
            )
            created["participations"] += 1

    for row in spec.get("contributions", ()):
        partner = partners[row.partner]
        if Contribution.objects.filter(
            partnership=partnership, partner=partner, kind=row.kind, pledged_on=row.pledged
        ).exists():
            continue
        # Pledged first, then marked received, as staff would record it.
        contribution = contribution_record(
            partnership=partnership,
            partner=partner,
            kind=row.kind,
            description=row.description,
            amount=row.amount,
            currency=row.currency,
            exchange_rate=row.rate,
            pledged_on=row.pledged,
            actor=actor,
        )
        if row.received:
            contribution_mark_received(
                contribution=contribution, received_on=row.received, actor=actor
            )
        created["contributions"] += 1

    for row in spec.get("risks", ()):
        if not Risk.objects.filter(partnership=partnership, title=row.title).exists():
            risk_create(
                partnership=partnership,
                title=row.title,
                category=row.category,
                likelihood=row.likelihood,
                impact=row.impact,
                mitigation=row.mitigation,
                owner=row.owner,
                status=row.status,
                next_review=row.review,
                actor=actor,
            )
            created["risks"] += 1

    for row in spec.get("lessons", ()):
        if not Lesson.objects.filter(partnership=partnership, title=row.title).exists():
            lesson_create(
                partnership=partnership, title=row.title, text=row.text, tags=row.tags, actor=actor
            )
            created["lessons"] += 1

    if "outcome_contract" in spec:
        _load_outcome_contract(
            spec["outcome_contract"], partnership, partners=partners, actor=actor, created=created
        )


def _load_outcome_contract(spec: dict, partnership, *, partners, actor, created) -> None:
    contract = OutcomeContract.objects.filter(partnership=partnership).first()
    if contract is None:
        terms = {
            name: value
            for name, value in spec.items()
            if name not in ("outcome_payer", "investors", "measurements")
        }
        contract = outcome_contract_create(
            partnership=partnership,
            outcome_payer=partners[spec["outcome_payer"]],
            investors=[partners[slug] for slug in spec["investors"]],
            actor=actor,
            **terms,
        )
        created["outcome_contracts"] += 1
    for measured_on, value, source in spec["measurements"]:
        if not OutcomeMeasurement.objects.filter(
            contract=contract, measured_on=measured_on
        ).exists():
            measurement_record(
                contract=contract, measured_on=measured_on, value=value, source=source, actor=actor
            )
            created["measurements"] += 1

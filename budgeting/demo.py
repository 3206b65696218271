"""Demo participatory budgets, one per phase and method, from the workshop seed (002).

La Marsa opened its public-lighting heading to the five zones in 2014 (550,000 TND) and in 2015
let residents choose a second heading among six (they chose roadways, also 550,000 TND); New
York's council districts vote on capital projects; Paris funds projects residents submit. The
figures for projects, costs and ballots are illustrative, at the scale of those programmes.
Ballots are cast through the same services as real ones, so the log and receipts are genuine.
"""

import datetime
import random
from decimal import Decimal

from django.utils import timezone

from accounts.models import User
from cities.models import City, Zone

from .choices import Phase, ProjectStatus, VotingMethod
from .models import BudgetEdition
from .services import (
    ballot_cast,
    count_publish,
    count_request,
    count_run,
    edition_advance,
    edition_create,
    edition_schedule_set,
    heading_create,
    milestone_create,
    paper_ballot_enter,
    project_create,
    project_delivery_update,
    project_review,
    project_update_post,
    resident_verify,
    voting_codes_generate,
)

D = Decimal
LA_MARSA_LIGHTING = {  # zone -> [(project, cost in TND)]
    "marsa-ville": [
        ("LED street lights on Avenue Habib Bourguiba", 95_000),
        ("Lighting for the Marsa Plage promenade", 80_000),
    ],
    "sidi-daoud": [
        ("Street lights for the Sidi Daoud school approach", 60_000),
        ("Lighting the Sidi Daoud market square", 45_000),
    ],
    "marsa-safsaf": [
        ("Restoring the lamps around the Safsaf well", 40_000),
        ("Lights along Rue du Saf-Saf", 55_000),
    ],
    "gammarth": [
        ("Solar lamps on the Gammarth hill road", 90_000),
        ("Lighting the Gammarth bus stops", 35_000),
    ],
    "bhar-lazrag": [
        ("First street lights in the new Bhar Lazrag blocks", 110_000),
        ("Lighting the Bhar Lazrag sports ground", 50_000),
    ],
}
LA_MARSA_2015_HEADINGS = [  # (heading, popularity in the demo ballots)
    ("Roadways", 34),
    ("Green spaces", 18),
    ("Sidewalks and pavements", 16),
    ("Sports facilities", 12),
    ("City embellishment", 9),
    ("Rainwater drainage", 11),
]
NEW_YORK_PROJECTS = [  # (title, cost in USD, popularity)
    ("Air conditioning for the P.S. 124 gymnasium", 750_000, 30),
    ("Bus shelter with seating on 5th Avenue", 350_000, 14),
    ("Hydration stations in three parks", 240_000, 18),
    ("Library laptop carts for teens", 180_000, 22),
    ("Raised crosswalks near the senior centre", 600_000, 16),
    ("Tree guards and new street trees", 300_000, 20),
    ("Community garden irrigation", 120_000, 12),
    ("Bathroom renovation at the recreation centre", 1_000_000, 19),
]
PARIS_PROJECTS = [  # (title, cost in EUR, popularity, feasible)
    ("Shade trees for schoolyards", 1_200_000, 30, True),
    ("Repair cafés in every arrondissement", 400_000, 18, True),
    ("Protected cycle lane on the inner boulevards", 2_000_000, 24, True),
    ("Public fountains for hot summers", 600_000, 22, True),
    ("A sports ground open at night", 900_000, 12, True),
    ("Composting stations in housing estates", 350_000, 15, True),
    ("Covering the périphérique with a park", 250_000_000, 0, False),
]
PARIS_2026_PROPOSALS = [
    ("Benches and shade on the canal banks", 300_000),
    ("A tool library in the 19th", 80_000),
    ("Green roofs on two municipal gyms", 1_500_000),
]
VILLA_PROJECTS = [  # (title, cost in PEN)
    ("Paving the road to the industrial park", 420_000),
    ("Community kitchen equipment", 90_000),
    ("Youth football field lighting", 150_000),
    ("Water tanks for the upper sectors", 260_000),
]


def load(*, actor) -> dict[str, int]:
    """Create the demo editions that are missing (looked up by city and title); returns how
    many editions and ballots were created."""
    created = {"editions": 0, "ballots": 0}
    rng = random.Random(2014)
    citizen = User.objects.filter(email="citizen@juntos.example.org").first()
    loaders = (_la_marsa_2014, _la_marsa_2015, _new_york, _paris_2025, _paris_2026, _villa)
    for loader in (*loaders, _villa_2025, _campinas):
        loader(actor=actor, rng=rng, created=created, citizen=citizen)
    _count_and_publish(actor=actor)
    _deliver_la_marsa(actor=actor)
    return created


def _count_and_publish(*, actor) -> None:
    """Count every edition past voting; publish all but Villa El Salvador 2025, which waits
    in the counting phase for staff to review its (embargoed) results."""
    for edition in BudgetEdition.objects.filter(counts__isnull=True, log_length__gt=0):
        if not edition.phase_reached(Phase.COUNTING):
            continue
        count = count_run(count_id=count_request(edition=edition, actor=actor).pk)
        if edition.title != "Presupuesto participativo 2025":
            count_publish(count=count, actor=actor)


def _deliver_la_marsa(*, actor) -> None:
    """La Marsa's 2014 lighting projects at different stages of delivery."""
    edition = BudgetEdition.objects.filter(city__slug="la-marsa", year=2014).first()
    if edition is None:
        return
    stages = [
        ("completed", 100, Decimal("0.97")),
        ("in_progress", 60, Decimal("0.55")),
        ("procurement", 15, Decimal("0.05")),
        ("planning", 5, Decimal(0)),
    ]
    funded = edition.projects.filter(selected=True, milestones__isnull=True).order_by("pk")
    for index, project in enumerate(funded):
        status, progress, share = stages[index % len(stages)]
        project_delivery_update(
            project=project,
            data={
                "delivery_status": status,
                "progress": progress,
                "spent": (project.cost * share).quantize(Decimal("0.01")),
            },
            actor=actor,
        )
        start = datetime.date(2014, 5, 1) + datetime.timedelta(days=20 * index)
        steps = [
            ("Technical study approved", 0),
            ("Contract awarded", 60),
            ("Lamps installed", 150),
            ("Handed over to the municipality", 200),
        ]
        done_steps = {"completed": 4, "in_progress": 2, "procurement": 1, "planning": 0}[status]
        for number, (title, offset) in enumerate(steps):
            due = start + datetime.timedelta(days=offset)
            milestone_create(
                project=project,
                actor=actor,
                title=title,
                due_on=due,
                completed_on=due if number < done_steps else None,
            )
        project_update_post(
            project=project,
            actor=actor,
            text={
                "completed": "All lamps are lit; residents reported the street much safer.",
                "in_progress": "Poles are up on half of the route; cabling continues.",
                "procurement": "Three bids received; the committee meets next week.",
                "planning": "Site survey done with the zone's residents.",
            }[status],
            published_on=start + datetime.timedelta(days=30),
        )


def _edition(city_slug: str, title: str, *, actor, created, **fields):
    city = City.objects.filter(slug=city_slug).first()
    if city is None or BudgetEdition.objects.filter(city=city, title=title).exists():
        return None
    created["editions"] += 1
    return edition_create(city=city, actor=actor, title=title, **fields)


def _schedule(edition, *, actor, start: datetime.datetime, days: dict[str, int]) -> None:
    edition_schedule_set(
        edition=edition,
        dates={phase: start + datetime.timedelta(days=offset) for phase, offset in days.items()},
        actor=actor,
    )


def _feasible(edition, title, cost, *, actor, heading=None, zone=None, proposer=None, note=""):
    project = project_create(
        edition=edition, actor=actor, title=title, cost=D(cost), heading=heading, zone=zone
    )
    if proposer is not None:
        project.proposed_by = proposer
        project.save(update_fields=["proposed_by"])
    return project_review(
        project=project,
        data={
            "status": ProjectStatus.FEASIBLE,
            "review_explanation": note or "Checked by the technical services: feasible.",
        },
        actor=actor,
    )


def _weighted_pick(rng, options: list, weights: list, k: int) -> list:
    pool, chosen = list(zip(options, weights, strict=True)), []
    while pool and len(chosen) < k:
        total = sum(w for _, w in pool)
        point = rng.uniform(0, total)
        for index, (option, weight) in enumerate(pool):
            point -= weight
            if point <= 0:
                chosen.append(option)
                del pool[index]
                break
        else:
            chosen.append(pool.pop()[0])
    return chosen


def _la_marsa_2014(*, actor, rng, created, citizen):
    edition = _edition(
        "la-marsa",
        "Public lighting 2014",
        actor=actor,
        created=created,
        year=2014,
        total_amount=D(550_000),
        method=VotingMethod.APPROVAL,
        max_choices=2,
        by_zone=True,
        auto_advance=False,
        description=(
            "The first participatory budget of La Marsa: residents of the five zones decide, "
            "in public plenary sessions, how the public-lighting heading is spent."
        ),
    )
    if edition is None:
        return
    zones = {zone.slug: zone for zone in Zone.objects.filter(city=edition.city)}
    projects = {}
    for slug, items in LA_MARSA_LIGHTING.items():
        zone = zones[slug]
        heading = heading_create(
            edition=edition,
            actor=actor,
            name="Public lighting",
            amount=D(110_000),
            zone=zone,
        )
        projects[slug] = [
            _feasible(edition, title, cost, actor=actor, heading=heading, zone=zone)
            for title, cost in items
        ]
    start = datetime.datetime(2014, 1, 9, 9, tzinfo=datetime.UTC)
    _schedule(
        edition,
        actor=actor,
        start=start,
        days={"information": 0, "voting": 30, "counting": 75, "results": 80, "delivery": 90},
    )
    edition = edition_advance(edition=edition, actor=actor, to=Phase.VOTING)
    for slug, zone_projects in projects.items():
        for _ in range(rng.randint(60, 90)):  # the zone's plenary session, on paper
            picks = _weighted_pick(rng, zone_projects, [3, 2], rng.randint(1, 2))
            paper_ballot_enter(
                edition=edition, actor=actor, zone=zones[slug], choices=[p.pk for p in picks]
            )
            created["ballots"] += 1
    edition_advance(edition=edition, actor=actor, to=Phase.DELIVERY)


def _la_marsa_2015(*, actor, rng, created, citizen):
    edition = _edition(
        "la-marsa",
        "Choosing a second heading 2015",
        actor=actor,
        created=created,
        year=2015,
        total_amount=D(550_000),
        method=VotingMethod.HEADINGS,
        max_choices=1,
        auto_advance=False,
        description=(
            "Public lighting stays with the residents; this year they also choose which "
            "second heading of the municipal budget to open to participation."
        ),
    )
    if edition is None:
        return
    headings = [
        heading_create(edition=edition, actor=actor, name=name, amount=D(550_000))
        for name, _weight in LA_MARSA_2015_HEADINGS
    ]
    weights = [weight for _name, weight in LA_MARSA_2015_HEADINGS]
    start = datetime.datetime(2015, 2, 7, 10, tzinfo=datetime.UTC)
    days = {"information": 0, "voting": 21, "counting": 35}
    _schedule(edition, actor=actor, start=start, days=days)
    edition = edition_advance(edition=edition, actor=actor, to=Phase.VOTING)
    zones = list(Zone.objects.filter(city=edition.city))
    codes = voting_codes_generate(edition=edition, count=240, label="Online", actor=actor)
    for code in codes[:200]:
        [heading] = _weighted_pick(rng, headings, weights, 1)
        ballot_cast(edition=edition, code=code, choices=[heading.pk])
        created["ballots"] += 1
    for _ in range(150):
        [heading] = _weighted_pick(rng, headings, weights, 1)
        paper_ballot_enter(
            edition=edition, actor=actor, zone=rng.choice(zones), choices=[heading.pk]
        )
        created["ballots"] += 1
    edition_advance(edition=edition, actor=actor, to=Phase.COUNTING)


def _new_york(*, actor, rng, created, citizen):
    edition = _edition(
        "new-york",
        "People's Budget, District 39",
        actor=actor,
        created=created,
        year=timezone.now().year,
        total_amount=D(2_000_000),
        method=VotingMethod.APPROVAL,
        max_choices=5,
        account_voting=True,
        auto_advance=False,
        description=(
            "Residents aged 11 and up vote for up to five capital projects for the district's "
            "schools, parks, streets and libraries."
        ),
    )
    if edition is None:
        return
    projects = [
        _feasible(edition, title, cost, actor=actor) for title, cost, _ in NEW_YORK_PROJECTS
    ]
    weights = [weight for *_rest, weight in NEW_YORK_PROJECTS]
    start = timezone.now().replace(minute=0, second=0, microsecond=0)
    _schedule(
        edition,
        actor=actor,
        start=start - datetime.timedelta(days=40),
        days={"information": 0, "proposals": 7, "review": 21, "voting": 35, "counting": 70},
    )
    edition = edition_advance(edition=edition, actor=actor, to=Phase.VOTING)
    if citizen is not None:
        resident_verify(city=edition.city, user=citizen, actor=actor)
    codes = voting_codes_generate(edition=edition, count=400, label="Street teams", actor=actor)
    for code in codes[:300]:
        picks = _weighted_pick(rng, projects, weights, rng.randint(1, 5))
        ballot_cast(edition=edition, code=code, choices=[p.pk for p in picks])
        created["ballots"] += 1
    for _ in range(60):
        picks = _weighted_pick(rng, projects, weights, rng.randint(1, 5))
        paper_ballot_enter(edition=edition, actor=actor, choices=[p.pk for p in picks])
        created["ballots"] += 1


def _paris_2025(*, actor, rng, created, citizen):
    edition = _edition(
        "paris",
        "Budget participatif 2025",
        actor=actor,
        created=created,
        year=2025,
        total_amount=D(5_000_000),
        method=VotingMethod.KNAPSACK,
        auto_advance=False,
        description=(
            "Parisians submit projects, the city's services check them, and residents choose "
            "projects whose total cost fits the envelope."
        ),
    )
    if edition is None:
        return
    projects, weights = [], []
    for title, cost, weight, feasible in PARIS_PROJECTS:
        if feasible:
            projects.append(_feasible(edition, title, cost, actor=actor, proposer=citizen))
            weights.append(weight)
        else:
            project = project_create(edition=edition, actor=actor, title=title, cost=D(cost))
            project_review(
                project=project,
                data={
                    "status": ProjectStatus.UNFEASIBLE,
                    "review_explanation": (
                        "Far beyond the participatory envelope, and a matter for the "
                        "metropolitan authority rather than the city."
                    ),
                },
                actor=actor,
            )
    _schedule(
        edition,
        actor=actor,
        start=datetime.datetime(2025, 1, 15, 9, tzinfo=datetime.UTC),
        days={"proposals": 0, "review": 45, "voting": 240, "counting": 262, "results": 270},
    )
    edition = edition_advance(edition=edition, actor=actor, to=Phase.VOTING)
    codes = voting_codes_generate(edition=edition, count=500, label="Online", actor=actor)
    for code in codes[:450]:
        order = _weighted_pick(rng, projects, weights, len(projects))
        picks, spent = [], D(0)
        for project in order[: rng.randint(1, len(order))]:
            if spent + project.cost <= edition.total_amount:
                picks.append(project)
                spent += project.cost
        ballot_cast(edition=edition, code=code, choices=[p.pk for p in picks])
        created["ballots"] += 1
    edition_advance(edition=edition, actor=actor, to=Phase.RESULTS)


def _paris_2026(*, actor, rng, created, citizen):
    edition = _edition(
        "paris",
        "Budget participatif 2026",
        actor=actor,
        created=created,
        year=2026,
        total_amount=D(5_000_000),
        method=VotingMethod.APPROVAL,
        max_choices=5,
        auto_advance=False,
        description="Submit your idea for your neighbourhood or for the whole city.",
    )
    if edition is None:
        return
    start = timezone.now().replace(minute=0, second=0, microsecond=0)
    _schedule(
        edition,
        actor=actor,
        start=start - datetime.timedelta(days=10),
        days={"proposals": 0, "review": 30, "voting": 90, "counting": 110},
    )
    edition_advance(edition=edition, actor=actor, to=Phase.PROPOSALS)
    for title, cost in PARIS_2026_PROPOSALS:
        project = project_create(edition=edition, actor=actor, title=title, cost=D(cost))
        if citizen is not None:
            project.proposed_by = citizen
            project.save(update_fields=["proposed_by"])


def _villa(*, actor, rng, created, citizen):
    edition = _edition(
        "villa-el-salvador",
        "Presupuesto participativo 2026",
        actor=actor,
        created=created,
        year=2026,
        total_amount=D(800_000),
        method=VotingMethod.CUMULATIVE,
        points=10,
        auto_advance=False,
        description=(
            "Neighbourhood delegates spread ten points over the works proposed for the coming year."
        ),
    )
    if edition is None:
        return
    for title, cost in VILLA_PROJECTS:
        project_create(edition=edition, actor=actor, title=title, cost=D(cost))
    edition_advance(edition=edition, actor=actor, to=Phase.REVIEW)


def _villa_2025(*, actor, rng, created, citizen):
    edition = _edition(
        "villa-el-salvador",
        "Presupuesto participativo 2025",
        actor=actor,
        created=created,
        year=2025,
        total_amount=D(800_000),
        method=VotingMethod.CUMULATIVE,
        points=10,
        completion="add1",
        counting_rule="equal-shares",
        auto_advance=False,
        description="Delegates of each sector spread ten points over the proposed works.",
    )
    if edition is None:
        return
    projects = [_feasible(edition, title, cost, actor=actor) for title, cost in VILLA_PROJECTS]
    edition = edition_advance(edition=edition, actor=actor, to=Phase.VOTING)
    for code in voting_codes_generate(edition=edition, count=120, label="Delegates", actor=actor):
        picks = _weighted_pick(rng, projects, [4, 3, 2, 3], rng.randint(1, 3))
        points, left = {}, 10
        for number, project in enumerate(picks):
            others = len(picks) - 1 - number  # keep a point for each pick still to come
            given = left if not others else rng.randint(1, left - others)
            points[project.pk] = given
            left -= given
        ballot_cast(edition=edition, code=code, points=points)
        created["ballots"] += 1
    edition_advance(edition=edition, actor=actor, to=Phase.COUNTING)


def _campinas(*, actor, rng, created, citizen):
    edition = _edition(
        "campinas",
        "Orçamento Participativo 2027",
        actor=actor,
        created=created,
        year=2027,
        total_amount=D(12_000_000),
        method=VotingMethod.APPROVAL,
        max_choices=3,
        account_voting=True,
        description=(
            "Meetings in every region present the city's investment plan before residents "
            "propose and vote on works for 2027."
        ),
    )
    if edition is None:
        return
    heading_create(edition=edition, actor=actor, name="Health centres", amount=D(5_000_000))
    heading_create(edition=edition, actor=actor, name="Schools", amount=D(4_000_000))
    heading_create(edition=edition, actor=actor, name="Green spaces", amount=D(3_000_000))
    start = timezone.now().replace(minute=0, second=0, microsecond=0)
    _schedule(
        edition,
        actor=actor,
        start=start - datetime.timedelta(days=3),
        days={"information": 0, "proposals": 30, "review": 60, "voting": 90, "counting": 120},
    )
    edition_advance(edition=edition, actor=actor, to=Phase.INFORMATION)

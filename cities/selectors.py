"""Reads behind the city pages: a city's dashboard and the programme cohort.

cities sits below partnerships in the app layers, so the partnership models are looked up by
name at call time (``apps.get_model``) instead of imported: the city page reads them, but
nothing in cities depends on partnerships being importable when cities loads.
"""

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from django.apps import apps
from django.db.models import Count, Q

from .choices import ProgrammeStatus
from .models import City

ACTIVE = "active"  # PartnershipStatus.ACTIVE
OPEN, MITIGATING = "open", "mitigating"  # RiskStatus values that still need attention


def _model(name: str):
    return apps.get_model("partnerships", name)


def _labels(model, field: str) -> dict[str, str]:
    return {str(value): label for value, label in model._meta.get_field(field).flatchoices}


def city_private_data_visible(*, city: City, user) -> bool:
    """Whether ``user`` may read the city's private partnership data (risks, contribution rows).

    Asked of the partnerships rule ``view_risk`` with an unsaved probe risk in this city, so the
    answer comes from the same predicate that guards each risk.
    """
    if not user.is_authenticated:
        return False
    Partnership, Risk = _model("Partnership"), _model("Risk")
    return user.has_perm("partnerships.view_risk", Risk(partnership=Partnership(city=city)))


def city_dashboard(*, city: City, user) -> dict:
    """Everything the public city page shows, plus the private summary for staff and sponsors.

    Costs a fixed number of queries whatever the number of zones, fiscal years, partnerships
    or contributions: one per section, and one more for the private summary.
    """
    Partner, Partnership = _model("Partner"), _model("Partnership")
    Contribution, Risk = _model("Contribution"), _model("Risk")

    partnerships = list(
        Partnership.objects.visible_to(user)
        .filter(Q(city=city) | Q(cities_served=city), status=ACTIVE)
        .distinct()
        .select_related("city")
        .with_totals()
        .order_by("name")
    )

    sector_labels = _labels(Partner, "sector")
    partners_by_sector = [
        {"sector": row["sector"], "label": sector_labels.get(row["sector"]), "count": row["n"]}
        for row in Partner.objects.visible_to(user)
        .filter(participations__partnership__city=city)
        .order_by()
        .values("sector")
        .annotate(n=Count("id", distinct=True))
        .order_by("-n", "sector")
    ]
    # Totals are public even though the rows are not, so this reads all of the city's rows.
    contributions_by_sector = [
        {
            **row,
            "sector": row["partner__sector"],
            "label": sector_labels.get(row["partner__sector"]),
        }
        for row in Contribution.objects.filter(partnership__city=city).by_sector()
    ]

    private = None
    if city_private_data_visible(city=city, user=user):
        private = (
            Risk.objects.visible_to(user)
            .filter(partnership__city=city)
            .aggregate(
                open_risks=Count("id", filter=Q(status=OPEN)),
                mitigating_risks=Count("id", filter=Q(status=MITIGATING)),
            )
        )

    return {
        "city": city,
        "zones": list(city.zones.order_by("name")),
        "departments": list(city.departments.order_by("name")),
        "fiscal_years": list(city.fiscal_years.order_by("year")),
        "active_partnerships": partnerships,
        "partners_by_sector": partners_by_sector,
        "partner_count": sum(row["count"] for row in partners_by_sector),
        "contributions_by_sector": contributions_by_sector,
        "contributions_pledged": sum((r["pledged"] for r in contributions_by_sector), Decimal(0)),
        "contributions_received": sum((r["received"] for r in contributions_by_sector), Decimal(0)),
        "private": private,
    }


@dataclass(frozen=True)
class PartyCount:
    party: str
    count: int


def cohort_summary(*, user) -> dict:
    """The programme's member cities, their mayors, and how politically diverse they are.

    One query: the summary is computed from the member rows.
    """
    members = list(
        City.objects.visible_to(user)
        .filter(programme_status=ProgrammeStatus.MEMBER)
        .order_by("name")
    )
    parties = Counter(city.mayor_party.strip() for city in members if city.mayor_party.strip())
    by_party = [
        PartyCount(party, n)
        for party, n in sorted(parties.items(), key=lambda item: (-item[1], item[0].casefold()))
    ]
    outcomes = Counter(city.meets_selection_criteria for city in members)
    total = len(members)
    return {
        "members": members,
        "member_count": total,
        "party_count": len(parties),
        "cities_per_party": by_party,
        "party_not_recorded": total - sum(parties.values()),
        "criteria_met": outcomes[True],
        "criteria_not_met": outcomes[False],
        "criteria_unknown": outcomes[None],
        "criteria_met_share": (Decimal(outcomes[True]) / total) if total else None,
    }

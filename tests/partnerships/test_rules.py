"""Who may do what with partnerships: role × permission × object, straight on ``has_perm``.

Objects come in pairs, one of city A and one of city B, so "staff of this city" is always
tested against "staff of the other city". ``add_*`` is asked against the parent.
"""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser

from tests.generic import ALL_ROLES, ROLES
from tests.partnerships.factories import (
    ContributionFactory,
    LessonFactory,
    OutcomeContractFactory,
    ParticipationFactory,
    PartnerFactory,
    PartnershipFactory,
    RiskFactory,
)

A = {"superuser", "staff_a"}
B = {"superuser", "staff_b"}
PRIVATE_A = {"superuser", "staff_a", "sponsor_a"}
ADMIN = {"superuser"}
ANY_STAFF = {"superuser", "staff_a", "staff_b"}

MATRIX = [
    # partners: public; staff of the registering city or of a city where it takes part edit
    ("partnerships.view_partner", "partner_unattached", ALL_ROLES),
    ("partnerships.add_partner", None, ANY_STAFF),
    ("partnerships.change_partner", "partner_home_a", A),
    ("partnerships.change_partner", "partner_in_b", B),
    ("partnerships.change_partner", "partner_unattached", ADMIN),
    ("partnerships.delete_partner", "partner_home_a", ADMIN),
    # partnerships: public; staff of its city run it; add is asked against the city
    ("partnerships.view_partnership", "partnership_a", ALL_ROLES),
    ("partnerships.add_partnership", "city_a", A),
    ("partnerships.add_partnership", "city_b", B),
    ("partnerships.change_partnership", "partnership_a", A),
    ("partnerships.change_partnership", "partnership_b", B),
    ("partnerships.delete_partnership", "partnership_a", A),
    ("partnerships.delete_partnership", "partnership_b", B),
    # measurements: add is asked against the outcome contract
    ("partnerships.view_outcomemeasurement", "measurement_a", ALL_ROLES),
    ("partnerships.add_outcomemeasurement", "outcomecontract_a", A),
    ("partnerships.add_outcomemeasurement", "outcomecontract_b", B),
    ("partnerships.change_outcomemeasurement", "measurement_a", A),
    ("partnerships.change_outcomemeasurement", "measurement_b", B),
    ("partnerships.delete_outcomemeasurement", "measurement_a", A),
    ("partnerships.delete_outcomemeasurement", "measurement_b", B),
]
for child, seen_by_a, seen_by_b in [
    ("participation", ALL_ROLES, ALL_ROLES),
    ("lesson", ALL_ROLES, ALL_ROLES),
    ("outcomecontract", ALL_ROLES, ALL_ROLES),
    ("contribution", PRIVATE_A, B),  # private rows: staff and sponsors of the city
    ("risk", PRIVATE_A, B),
]:
    MATRIX += [
        (f"partnerships.view_{child}", f"{child}_a", seen_by_a),
        (f"partnerships.view_{child}", f"{child}_b", seen_by_b),
        (f"partnerships.add_{child}", "partnership_a", A),
        (f"partnerships.add_{child}", "partnership_b", B),
        (f"partnerships.change_{child}", f"{child}_a", A),
        (f"partnerships.change_{child}", f"{child}_b", B),
        (f"partnerships.delete_{child}", f"{child}_a", A),
        (f"partnerships.delete_{child}", f"{child}_b", B),
    ]


@pytest.fixture
def objects(cast):
    """Every object of the matrix by name."""
    found = {"city_a": cast["city_a"], "city_b": cast["city_b"]}
    for side, city in (("a", cast["city_a"]), ("b", cast["city_b"])):
        partnership = PartnershipFactory(city=city)
        contract = OutcomeContractFactory(partnership=partnership)
        found |= {
            f"partnership_{side}": partnership,
            f"participation_{side}": ParticipationFactory(partnership=partnership),
            f"contribution_{side}": ContributionFactory(partnership=partnership),
            f"risk_{side}": RiskFactory(partnership=partnership),
            f"lesson_{side}": LessonFactory(partnership=partnership),
            f"outcomecontract_{side}": contract,
            f"measurement_{side}": contract.measurements.create(
                measured_on=datetime.date(2024, 1, 1), value=Decimal(95)
            ),
        }
    found["partner_home_a"] = PartnerFactory(home_city=cast["city_a"])
    found["partner_in_b"] = ParticipationFactory(partnership=found["partnership_b"]).partner
    found["partner_unattached"] = PartnerFactory()
    return found


@pytest.mark.parametrize(
    ("perm", "target", "allowed"), MATRIX, ids=[f"{p}-{t}" for p, t, _ in MATRIX]
)
def test_each_role_may_do_exactly_what_the_rules_say(perm, target, allowed, cast, objects):
    obj = objects[target] if target else None
    granted = {role for role in ROLES if (cast[role] or AnonymousUser()).has_perm(perm, obj)}
    assert granted == set(allowed)


def test_staff_may_edit_a_partner_once_it_takes_part_in_their_city(cast, objects):
    partner = objects["partner_unattached"]
    assert not cast["staff_a"].has_perm("partnerships.change_partner", partner)
    ParticipationFactory(partnership=objects["partnership_a"], partner=partner)
    assert cast["staff_a"].has_perm("partnerships.change_partner", partner)
    assert not cast["staff_b"].has_perm("partnerships.change_partner", partner)


def test_a_sponsor_reads_private_rows_but_changes_nothing(cast, objects):
    sponsor = cast["sponsor_a"]
    assert sponsor.has_perm("partnerships.view_risk", objects["risk_a"])
    assert sponsor.has_perm("partnerships.view_contribution", objects["contribution_a"])
    assert not sponsor.has_perm("partnerships.change_risk", objects["risk_a"])
    assert not sponsor.has_perm("partnerships.change_contribution", objects["contribution_a"])
    assert not sponsor.has_perm("partnerships.change_partnership", objects["partnership_a"])
    assert not sponsor.has_perm("partnerships.add_risk", objects["partnership_a"])

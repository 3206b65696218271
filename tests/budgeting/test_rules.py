"""Who may do what in a participatory budget, by role and by the edition's phase."""

import pytest
from freezegun import freeze_time

from budgeting.choices import Phase
from tests.budgeting.factories import EditionFactory, ProjectFactory

pytestmark = pytest.mark.django_db

ROLES = (
    "anonymous",
    "citizen",
    "integrator",
    "sponsor_a",
    "staff_a",
    "staff_b",
    "platform_admin",
)
P = list(Phase.values)
BEFORE_VOTING = P[: P.index(Phase.VOTING)]
ALL = set(P)
MANAGERS = {"staff_a", "platform_admin"}

# permission -> {role: phases in which it is granted}; roles not named: never.
EDITION_MATRIX = {
    "view_budgetedition": {
        **{role: ALL - {Phase.DRAFT} for role in ROLES},
        "staff_a": ALL,
        "platform_admin": ALL,
    },
    "change_budgetedition": dict.fromkeys(MANAGERS, ALL),
    "delete_budgetedition": {role: {Phase.DRAFT} for role in MANAGERS},
    "advance_budgetedition": dict.fromkeys(MANAGERS, ALL),
    "add_heading": {role: set(BEFORE_VOTING) for role in MANAGERS},
    "add_project": {role: set(BEFORE_VOTING) for role in MANAGERS},
    "propose_project": {role: {Phase.PROPOSALS} for role in ROLES if role != "anonymous"},
    "add_votingcode": {role: set(BEFORE_VOTING) | {Phase.VOTING} for role in MANAGERS},
    "add_paperballot": {role: {Phase.VOTING} for role in MANAGERS},
    "vote": {role: {Phase.VOTING} for role in ROLES},
    "view_participation": {
        **{role: {Phase.RESULTS, Phase.DELIVERY} for role in ROLES},
        "sponsor_a": ALL,
        "staff_a": ALL,
        "platform_admin": ALL,
    },
}


@pytest.fixture
def users(cast, platform_admin):
    """The cast with a platform admin (Django superusers pass every check by design)."""
    from django.contrib.auth.models import AnonymousUser

    return {**cast, "anonymous": AnonymousUser(), "platform_admin": platform_admin}


@pytest.mark.parametrize("phase", P)
@freeze_time("2026-05-01 12:00")
def test_edition_permissions_by_role_and_phase(users, city_a, phase):
    edition = EditionFactory(city=city_a, phase=phase)
    for perm, granted in EDITION_MATRIX.items():
        for role in ROLES:
            expected = phase in granted.get(role, set())
            allowed = users[role].has_perm(f"budgeting.{perm}", edition)
            assert allowed is expected, (role, perm, phase)


@pytest.mark.parametrize("phase", P)
def test_project_review_belongs_to_the_city_staff_during_proposals_and_review(users, city_a, phase):
    project = ProjectFactory(edition=EditionFactory(city=city_a, phase=phase))
    allowed = {Phase.PROPOSALS, Phase.REVIEW}
    for role in ROLES:
        expected = role in MANAGERS and phase in allowed
        assert users[role].has_perm("budgeting.review_project", project) is expected, role


@pytest.mark.parametrize("phase", P)
def test_a_proposer_edits_their_own_proposal_only_while_it_awaits_review(users, city_a, phase):
    citizen = users["citizen"]
    edition = EditionFactory(city=city_a, phase=phase)
    mine = ProjectFactory(edition=edition, proposed_by=citizen, status="submitted")
    reviewed = ProjectFactory(edition=edition, proposed_by=citizen, status="feasible")
    others = ProjectFactory(edition=edition, proposed_by=users["integrator"], status="submitted")
    assert citizen.has_perm("budgeting.change_project", mine) is (phase == Phase.PROPOSALS)
    assert not citizen.has_perm("budgeting.change_project", reviewed)
    assert not citizen.has_perm("budgeting.change_project", others)
    assert users["staff_a"].has_perm("budgeting.change_project", mine)
    assert not users["staff_b"].has_perm("budgeting.change_project", mine)


@pytest.mark.parametrize("phase", P)
def test_headings_and_projects_are_public_once_the_edition_is(users, city_a, phase):
    project = ProjectFactory(edition=EditionFactory(city=city_a, phase=phase))
    for role in ROLES:
        expected = phase != Phase.DRAFT or role in MANAGERS
        assert users[role].has_perm("budgeting.view_project", project) is expected, role


def test_staff_of_a_city_may_start_editions_there_only(users, city_a, city_b):
    assert users["staff_a"].has_perm("budgeting.add_budgetedition", city_a)
    assert not users["staff_a"].has_perm("budgeting.add_budgetedition", city_b)
    assert not users["sponsor_a"].has_perm("budgeting.add_budgetedition", city_a)
    assert users["platform_admin"].has_perm("budgeting.add_budgetedition", city_b)

"""Who may do what with participatory budgets, by role and by the edition's phase.

Public: editions past their draft, their headings and projects, the ballot log.
City staff (and platform admins) run their city's editions: set them up, review projects,
open and close phases, generate codes, enter paper ballots. Sponsors of the city see the
participation figures. Anyone signed in proposes projects during the proposal phase, and edits
their own proposal until it is reviewed. Nobody may see a ballot next to a voter: no rule
grants it because no page or endpoint shows it.
"""

import rules

from accounts.choices import Role
from accounts.rules import has_scoped_role, is_platform_admin

from .choices import Phase, ProjectStatus

is_staff_of_city = has_scoped_role(Role.CITY_STAFF, lambda city: city, "is_staff_of_city")
is_edition_staff = has_scoped_role(Role.CITY_STAFF, lambda e: e.city, "is_edition_staff")
is_edition_sponsor = has_scoped_role(Role.SPONSOR, lambda e: e.city, "is_edition_sponsor")
is_child_staff = has_scoped_role(Role.CITY_STAFF, lambda o: o.edition.city, "is_child_staff")


def _phase_is(*phases):
    @rules.predicate(name=f"phase_in_{'_'.join(phases)}")
    def check(_user, edition) -> bool:
        return edition is not None and edition.phase in phases

    return check


def _child_phase_is(*phases):
    @rules.predicate(name=f"child_phase_in_{'_'.join(phases)}")
    def check(_user, obj) -> bool:
        return obj is not None and obj.edition.phase in phases

    return check


@rules.predicate
def is_public(_user, edition) -> bool:
    return edition is not None and edition.phase != Phase.DRAFT


@rules.predicate
def is_child_public(_user, obj) -> bool:
    return obj is not None and obj.edition.phase != Phase.DRAFT


@rules.predicate
def is_proposer(user, project) -> bool:
    return project is not None and user.is_authenticated and project.proposed_by_id == user.pk


@rules.predicate
def is_unreviewed(_user, project) -> bool:
    return project is not None and project.status == ProjectStatus.SUBMITTED


BEFORE_VOTING = (Phase.DRAFT, Phase.INFORMATION, Phase.PROPOSALS, Phase.REVIEW)
manages_edition = is_platform_admin | is_edition_staff
manages_child = is_platform_admin | is_child_staff

rules.add_perm("budgeting.view_budgetedition", is_public | manages_edition)
rules.add_perm("budgeting.add_budgetedition", is_platform_admin | is_staff_of_city)  # city
rules.add_perm("budgeting.change_budgetedition", manages_edition)
rules.add_perm("budgeting.delete_budgetedition", manages_edition & _phase_is(Phase.DRAFT))
rules.add_perm("budgeting.advance_budgetedition", manages_edition)
rules.add_perm(
    "budgeting.view_participation",
    manages_edition | is_edition_sponsor | _phase_is(Phase.RESULTS, Phase.DELIVERY),
)
rules.add_perm(
    "budgeting.add_votingcode",
    manages_edition & _phase_is(*BEFORE_VOTING, Phase.VOTING),
)
rules.add_perm("budgeting.add_paperballot", manages_edition & _phase_is(Phase.VOTING))
rules.add_perm("budgeting.vote", _phase_is(Phase.VOTING))
rules.add_perm("budgeting.manage_residents", is_platform_admin | is_staff_of_city)  # city

# Headings and projects: ``add`` is asked against the edition.
rules.add_perm("budgeting.view_heading", is_child_public | manages_child)
rules.add_perm("budgeting.add_heading", manages_edition & _phase_is(*BEFORE_VOTING))
rules.add_perm("budgeting.change_heading", manages_child & _child_phase_is(*BEFORE_VOTING))
rules.add_perm("budgeting.delete_heading", manages_child & _child_phase_is(*BEFORE_VOTING))

rules.add_perm("budgeting.view_project", is_child_public | manages_child)
rules.add_perm("budgeting.add_project", manages_edition & _phase_is(*BEFORE_VOTING))
rules.add_perm("budgeting.propose_project", rules.is_authenticated & _phase_is(Phase.PROPOSALS))
rules.add_perm(
    "budgeting.change_project",
    manages_child | (is_proposer & is_unreviewed & _child_phase_is(Phase.PROPOSALS)),
)
rules.add_perm(
    "budgeting.review_project",
    manages_child & _child_phase_is(Phase.PROPOSALS, Phase.REVIEW),
)
rules.add_perm("budgeting.delete_project", manages_child & _child_phase_is(*BEFORE_VOTING))

# Counting and results. ``count``/``publish`` are asked against the edition, from the counting
# phase on; the results are everyone's once a count is published, and their city's staff (and
# platform admins) see them before, as an embargoed preview.
AFTER_VOTING = (Phase.COUNTING, Phase.RESULTS, Phase.DELIVERY)


@rules.predicate
def has_published_results(_user, edition) -> bool:
    return edition is not None and edition.counts.filter(published_at__isnull=False).exists()


rules.add_perm("budgeting.count_budgetedition", manages_edition & _phase_is(*AFTER_VOTING))
rules.add_perm("budgeting.publish_budgetedition", manages_edition & _phase_is(*AFTER_VOTING))
rules.add_perm("budgeting.view_results", manages_edition | (is_public & has_published_results))

# Delivery: the city's staff (and platform admins) record how each funded project is going
# (status, progress, money spent, milestones, public updates) once the results are out.
DELIVERY_PHASES = (Phase.RESULTS, Phase.DELIVERY)


@rules.predicate
def is_funded(_user, project) -> bool:
    return project is not None and project.selected


@rules.predicate
def delivers_project(user, obj) -> bool:
    """``change_delivery`` on the project a milestone belongs to."""
    return obj is not None and user.has_perm("budgeting.change_delivery", obj.project)


rules.add_perm(
    "budgeting.change_delivery",
    is_funded & _child_phase_is(*DELIVERY_PHASES) & manages_child,
)
rules.add_perm("budgeting.view_milestone", is_child_public | manages_child)
rules.add_perm("budgeting.change_milestone", delivers_project)
rules.add_perm("budgeting.delete_milestone", delivers_project)

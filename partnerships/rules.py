"""Who may do what with partners, partnerships and what hangs off them.

Public: partners, partnerships, roles, outcome contracts, lessons, contribution totals.
Private to staff and sponsors of the partnership's city: risks and contribution rows.
Staff edit their own cities' partnerships; ``add_<child>`` is checked against the partnership
(or, for a partnership, against its city).
"""

import rules

from accounts.choices import Role
from accounts.rules import has_role, has_scoped_role, is_platform_admin

is_staff_of_partnership_city = has_scoped_role(
    Role.CITY_STAFF, lambda partnership: partnership.city, "is_staff_of_partnership_city"
)
is_staff_of_parent_partnership_city = has_scoped_role(
    Role.CITY_STAFF, lambda obj: obj.partnership.city, "is_staff_of_parent_partnership_city"
)
is_sponsor_of_parent_partnership_city = has_scoped_role(
    Role.SPONSOR, lambda obj: obj.partnership.city, "is_sponsor_of_parent_partnership_city"
)
is_staff_of_outcome_city = has_scoped_role(
    Role.CITY_STAFF, lambda m: m.contract.partnership.city, "is_staff_of_outcome_city"
)
is_city_staff_anywhere = has_role(Role.CITY_STAFF)


@rules.predicate
def is_staff_where_partner_works(user, partner) -> bool:
    """Staff of the city that registered the partner or of a city where it takes part."""
    from cities.models import City

    if partner is None or not user.is_authenticated:
        return False
    staff_of = user.scope_ids(Role.CITY_STAFF, City)
    if not staff_of:
        return False
    if partner.home_city_id in staff_of:
        return True
    return partner.participations.filter(partnership__city_id__in=staff_of).exists()


may_edit_partnership_child = is_platform_admin | is_staff_of_parent_partnership_city
may_read_private = may_edit_partnership_child | is_sponsor_of_parent_partnership_city

rules.add_perm("partnerships.view_partner", rules.always_allow)
rules.add_perm("partnerships.add_partner", is_platform_admin | is_city_staff_anywhere)
rules.add_perm("partnerships.change_partner", is_platform_admin | is_staff_where_partner_works)
rules.add_perm("partnerships.delete_partner", is_platform_admin)

rules.add_perm("partnerships.view_partnership", rules.always_allow)
rules.add_perm(  # checked against the city the partnership is for
    "partnerships.add_partnership",
    is_platform_admin | has_scoped_role(Role.CITY_STAFF, lambda city: city, "is_staff_of_city"),
)
rules.add_perm("partnerships.change_partnership", is_platform_admin | is_staff_of_partnership_city)
rules.add_perm("partnerships.delete_partnership", is_platform_admin | is_staff_of_partnership_city)

for child in ("participation", "lesson", "outcomecontract"):
    rules.add_perm(f"partnerships.view_{child}", rules.always_allow)
for child in ("contribution", "risk"):
    rules.add_perm(f"partnerships.view_{child}", may_read_private)
for child in ("participation", "lesson", "outcomecontract", "contribution", "risk"):
    # add_* is checked against the partnership
    rules.add_perm(f"partnerships.add_{child}", is_platform_admin | is_staff_of_partnership_city)
    rules.add_perm(f"partnerships.change_{child}", may_edit_partnership_child)
    rules.add_perm(f"partnerships.delete_{child}", may_edit_partnership_child)

rules.add_perm("partnerships.view_outcomemeasurement", rules.always_allow)
rules.add_perm(  # checked against the outcome contract
    "partnerships.add_outcomemeasurement", is_platform_admin | is_staff_of_parent_partnership_city
)
rules.add_perm(
    "partnerships.change_outcomemeasurement", is_platform_admin | is_staff_of_outcome_city
)
rules.add_perm(
    "partnerships.delete_outcomemeasurement", is_platform_admin | is_staff_of_outcome_city
)

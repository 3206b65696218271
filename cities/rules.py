"""Who may do what with cities and what belongs to them.

``add_<child>`` permissions (zone, department, fiscal year) are checked against the parent city.
"""

import rules

from accounts.choices import Role
from accounts.rules import has_scoped_role, is_platform_admin

is_city_staff = has_scoped_role(Role.CITY_STAFF, lambda city: city, "is_city_staff")
is_staff_of_objects_city = has_scoped_role(
    Role.CITY_STAFF, lambda obj: obj.city, "is_staff_of_objects_city"
)
is_city_sponsor = has_scoped_role(Role.SPONSOR, lambda city: city, "is_city_sponsor")

rules.add_perm("cities.view_city", rules.always_allow)
rules.add_perm("cities.add_city", is_platform_admin)
rules.add_perm("cities.change_city", is_platform_admin | is_city_staff)
rules.add_perm("cities.delete_city", is_platform_admin)

for child in ("zone", "department", "fiscalyear"):
    rules.add_perm(f"cities.view_{child}", rules.always_allow)
    rules.add_perm(f"cities.add_{child}", is_platform_admin | is_city_staff)
    rules.add_perm(f"cities.change_{child}", is_platform_admin | is_staff_of_objects_city)
    rules.add_perm(f"cities.delete_{child}", is_platform_admin | is_staff_of_objects_city)

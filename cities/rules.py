"""Who may do what with cities and zones."""

import rules

from accounts.choices import Role
from accounts.rules import has_scoped_role, is_platform_admin

is_city_staff = has_scoped_role(Role.CITY_STAFF, lambda city: city, "is_city_staff")

rules.add_perm("cities.view_city", rules.always_allow)
rules.add_perm("cities.add_city", is_platform_admin)
rules.add_perm("cities.change_city", is_platform_admin | is_city_staff)
rules.add_perm("cities.delete_city", is_platform_admin)

# Zones are kept in the admin site for now; city staff get zone pages with the city profile.
rules.add_perm("cities.view_zone", rules.always_allow)
rules.add_perm("cities.add_zone", is_platform_admin)
rules.add_perm("cities.change_zone", is_platform_admin)
rules.add_perm("cities.delete_zone", is_platform_admin)

"""Who may do what with accounts and tokens, and the role predicates other apps build on."""

from collections.abc import Callable

import rules
from django.db import models

from .choices import Role


@rules.predicate
def is_platform_admin(user) -> bool:
    return bool(user and user.is_authenticated and user.is_platform_admin)


@rules.predicate
def is_owner(user, obj) -> bool:
    return obj is not None and user.is_authenticated and obj.user_id == user.pk


def has_scoped_role(
    role: str, scope_of: Callable[[models.Model], models.Model | None], name: str
) -> rules.Predicate:
    """A predicate: the user holds ``role`` for the object that ``scope_of(obj)`` returns.

    Apps above accounts use it to say, e.g., "staff of this partnership's city":
    ``has_scoped_role(Role.CITY_STAFF, lambda p: p.city, "is_city_staff")``.
    """

    def check(user, obj) -> bool:
        if obj is None or not user.is_authenticated:
            return False
        scope = scope_of(obj)
        return scope is not None and user.has_role(role, scope)

    return rules.predicate(check, name=name)


def has_role(role: str) -> rules.Predicate:
    """A predicate: the user holds ``role`` for any scope."""
    return rules.predicate(
        lambda user: user.is_authenticated and user.has_role(role), name=f"has_role_{role}"
    )


is_integrator = has_role(Role.INTEGRATOR)

rules.add_perm("accounts.view_apitoken", is_owner | is_platform_admin)
rules.add_perm("accounts.add_apitoken", rules.is_authenticated)
rules.add_perm("accounts.change_apitoken", is_owner)
rules.add_perm("accounts.delete_apitoken", is_owner | is_platform_admin)

import pytest

from accounts.services import token_create

ROLES = ["superuser", "staff_a", "staff_b", "sponsor_a", "citizen", "integrator", "anonymous"]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("perm", "allowed"),
    [
        ("accounts.view_apitoken", {"superuser", "citizen"}),
        ("accounts.change_apitoken", {"superuser", "citizen"}),
        ("accounts.delete_apitoken", {"superuser", "citizen"}),
    ],
)
def test_only_the_owner_and_admins_handle_a_token(role, perm, allowed, cast):
    from django.contrib.auth.models import AnonymousUser

    token, _key = token_create(user=cast["citizen"], name="mine", actor=cast["citizen"])
    user = cast[role] or AnonymousUser()
    assert user.has_perm(perm, token) == (role in allowed)


@pytest.mark.parametrize("role", ROLES)
def test_anyone_logged_in_may_create_their_own_tokens(role, cast):
    from django.contrib.auth.models import AnonymousUser

    user = cast[role] or AnonymousUser()
    assert user.has_perm("accounts.add_apitoken") == (role != "anonymous")


@pytest.mark.parametrize(
    ("role", "perm", "city", "allowed"),
    [
        ("staff_a", "cities.change_city", "city_a", True),
        ("staff_a", "cities.change_city", "city_b", False),
        ("staff_b", "cities.change_city", "city_b", True),
        ("sponsor_a", "cities.change_city", "city_a", False),
        ("citizen", "cities.change_city", "city_a", False),
        ("superuser", "cities.change_city", "city_b", True),
        ("staff_a", "cities.delete_city", "city_a", False),
        ("staff_a", "cities.add_city", None, False),
        ("superuser", "cities.add_city", None, True),
        ("anonymous", "cities.view_city", "city_a", True),
    ],
)
def test_city_rules(role, perm, city, allowed, cast):
    from django.contrib.auth.models import AnonymousUser

    user = cast[role] or AnonymousUser()
    obj = cast[city] if city else None
    assert user.has_perm(perm, obj) == allowed


def test_a_platform_admin_role_works_like_a_superuser_for_cities(platform_admin, city_a):
    assert platform_admin.has_perm("cities.add_city")
    assert platform_admin.has_perm("cities.change_city", city_a)
    assert platform_admin.has_perm("cities.delete_city", city_a)

import pytest
from django.db import IntegrityError

from accounts.choices import Role
from accounts.models import RoleAssignment, User
from tests.accounts.factories import UserFactory


def test_emails_are_unique_whatever_their_case(db):
    User.objects.create_user(email="Ana@Example.org", password="x")
    with pytest.raises(IntegrityError):
        User.objects.create(email="ANA@example.ORG")


def test_a_user_logs_in_with_their_email_in_any_case(db, client):
    User.objects.create_user(email="ana@example.org", password="s3cret-passphrase")
    assert client.login(username="ANA@example.org", password="s3cret-passphrase")


def test_city_staff_without_a_city_is_refused_by_the_database(db):
    user = UserFactory()
    with pytest.raises(IntegrityError):
        RoleAssignment.objects.create(user=user, role=Role.CITY_STAFF)


def test_a_citizen_role_cannot_be_scoped(db, city_a):
    from django.contrib.contenttypes.models import ContentType

    user = UserFactory()
    with pytest.raises(IntegrityError):
        RoleAssignment.objects.create(
            user=user,
            role=Role.CITIZEN,
            scope_type=ContentType.objects.get_for_model(city_a),
            scope_id=city_a.pk,
        )


def test_roles_are_read_once_per_user_object(cast, django_assert_num_queries):
    staff = cast["staff_a"]
    staff.forget_roles()
    with django_assert_num_queries(1):
        assert staff.has_role(Role.CITY_STAFF, cast["city_a"])
        assert not staff.has_role(Role.CITY_STAFF, cast["city_b"])
        assert not staff.has_role(Role.SPONSOR)


def test_an_inactive_user_holds_no_role(cast):
    staff = cast["staff_a"]
    staff.is_active = False
    assert not staff.has_role(Role.CITY_STAFF, cast["city_a"])

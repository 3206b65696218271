from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from freezegun import freeze_time

from accounts.choices import Role
from accounts.models import ApiToken, RoleAssignment
from accounts.services import (
    role_grant,
    role_revoke,
    token_authenticate,
    token_create,
    token_revoke,
    user_create,
)
from tests.accounts.factories import UserFactory


def test_a_token_key_is_shown_once_and_only_its_hash_is_kept(db, citizen):
    token, key = token_create(user=citizen, name="kiosk", actor=citizen)
    stored = ApiToken.objects.get(pk=token.pk)
    assert key.startswith(f"jnt_{stored.lookup}_")
    assert key not in (stored.key_hash, stored.lookup)
    assert len(key) > 40
    assert token_authenticate(key=key) == stored


def test_a_revoked_or_expired_token_no_longer_authenticates(db, citizen):
    revoked, revoked_key = token_create(user=citizen, name="old", actor=citizen)
    token_revoke(token=revoked, actor=citizen)
    assert token_authenticate(key=revoked_key) is None
    expiring, expiring_key = token_create(
        user=citizen, name="short", expires_at=timezone.now() + timedelta(hours=1), actor=citizen
    )
    assert token_authenticate(key=expiring_key) == expiring
    with freeze_time(timezone.now() + timedelta(hours=2)):
        assert token_authenticate(key=expiring_key) is None


def test_a_guessed_key_with_a_real_lookup_id_is_refused(db, citizen):
    token, key = token_create(user=citizen, name="real", actor=citizen)
    forged = key[: key.rindex("_") + 1] + "A" * 43
    assert token_authenticate(key=forged) is None
    assert token_authenticate(key="not-a-token") is None


def test_last_used_is_written_at_most_once_a_minute(db, citizen, django_assert_num_queries):
    token, key = token_create(user=citizen, name="busy", actor=citizen)
    with django_assert_num_queries(2):  # read, then record the use
        token_authenticate(key=key)
    with django_assert_num_queries(1):  # read only
        token_authenticate(key=key)
    with freeze_time(timezone.now() + timedelta(seconds=61)), django_assert_num_queries(2):
        token_authenticate(key=key)


def test_a_token_of_a_deactivated_user_is_refused(db, citizen):
    _token, key = token_create(user=citizen, name="kiosk", actor=citizen)
    citizen.is_active = False
    citizen.save()
    assert token_authenticate(key=key) is None


def test_nobody_creates_a_token_for_someone_else(db, citizen, integrator):
    with pytest.raises(PermissionDenied):
        token_create(user=integrator, name="sneaky", actor=citizen)
    assert not ApiToken.objects.filter(user=integrator).exists()


def test_a_token_needs_a_name_and_a_future_expiry(db, citizen):
    with pytest.raises(ValidationError) as error:
        token_create(user=citizen, name="  ", actor=citizen)
    assert "name" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        token_create(
            user=citizen, name="x", expires_at=timezone.now() - timedelta(days=1), actor=citizen
        )
    assert "expires_at" in error.value.message_dict


def test_creating_a_token_emails_its_owner_after_commit(
    db, citizen, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        token_create(user=citizen, name="kiosk", actor=citizen)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [citizen.email]
    assert "kiosk" in mail.outbox[0].body


def test_token_changes_are_audited_with_the_actor(db, citizen, superuser):
    token, _key = token_create(user=citizen, name="kiosk", actor=citizen)
    token_revoke(token=token, actor=superuser)
    history = list(token.history.order_by("history_date"))
    assert [(h.history_type, h.history_user) for h in history] == [
        ("+", citizen),
        ("~", superuser),
    ]
    assert not hasattr(history[0], "key_hash")


def test_granting_a_role_twice_keeps_one_assignment(db, city_a, superuser):
    user = UserFactory()
    first = role_grant(user=user, role=Role.CITY_STAFF, scope=city_a, actor=superuser)
    second = role_grant(user=user, role=Role.CITY_STAFF, scope=city_a, actor=superuser)
    assert first == second
    assert RoleAssignment.objects.filter(user=user).count() == 1
    assert user.has_role(Role.CITY_STAFF, city_a)
    role_revoke(assignment=first, actor=superuser)
    assert not user.has_role(Role.CITY_STAFF, city_a)


def test_a_scoped_role_needs_its_scope(db):
    with pytest.raises(ValidationError):
        role_grant(user=UserFactory(), role=Role.SPONSOR, actor=None)


def test_a_second_account_with_the_same_email_is_refused(db):
    user_create(email="ana@example.org", password="x")
    with pytest.raises(ValidationError) as error:
        user_create(email="ANA@example.org", password="y")
    assert "email" in error.value.message_dict

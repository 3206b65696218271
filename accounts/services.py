"""Every change to users, roles and tokens goes through here: atomic, audited, with an actor."""

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from .choices import Role
from .models import SCOPED_ROLES, ApiToken, RoleAssignment, User, hash_token_key, new_token_key

# How stale ApiToken.last_used_at may get: writing it on every request would turn each API
# read into a write.
LAST_USED_RESOLUTION_SECONDS = 60


def _audited(instance: Model, actor: User | None) -> Model:
    """Tell django-simple-history who made the change, also outside a web request."""
    instance._history_user = actor
    return instance


@transaction.atomic
def user_create(
    *, email: str, password: str | None, full_name: str = "", actor: User | None = None, **extra
) -> User:
    """Create a user who logs in with ``email``; emails are unique whatever their case."""
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": _("A user with this email address already exists.")})
    return User.objects.create_user(email=email, password=password, full_name=full_name, **extra)


@transaction.atomic
def role_grant(
    *, user: User, role: str, scope: Model | None = None, actor: User | None
) -> RoleAssignment:
    """Give ``user`` a role (scoped to ``scope`` for city staff and sponsors); idempotent."""
    if role not in Role.values:
        raise ValidationError({"role": _("Unknown role.")})
    if (role in SCOPED_ROLES) != (scope is not None):
        raise ValidationError(
            {"scope": _("City staff and sponsors need a scope; other roles take none.")}
        )
    lookup = {"user": user, "role": role}
    if scope is not None:
        lookup |= {"scope_type": _content_type(scope), "scope_id": scope.pk}
    else:
        lookup |= {"scope_type": None, "scope_id": None}
    existing = RoleAssignment.objects.filter(**lookup).first()
    if existing:
        return existing
    assignment = _audited(RoleAssignment(granted_by=actor, **lookup), actor)
    assignment.save()
    user.forget_roles()
    return assignment


@transaction.atomic
def role_revoke(*, assignment: RoleAssignment, actor: User | None) -> None:
    """Take a role away."""
    _audited(assignment, actor).delete()
    assignment.user.forget_roles()


def _content_type(obj: Model):
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(obj)


@transaction.atomic
def token_create(
    *, user: User, name: str, expires_at: datetime | None = None, actor: User
) -> tuple[ApiToken, str]:
    """Create an API token for ``user`` and return it with its key, which is never stored.

    The owner gets an email about it (a security notice, sent by the worker after commit).
    """
    from .tasks import token_created_notify

    if actor.pk != user.pk and not actor.is_platform_admin:
        raise PermissionDenied(_("You can only create tokens for yourself."))
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the token a name so you can recognise it.")})
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError({"expires_at": _("The expiry date must be in the future.")})
    for _attempt in range(3):
        key, lookup = new_token_key()
        token = _audited(
            ApiToken(
                user=user,
                name=name,
                expires_at=expires_at,
                lookup=lookup,
                key_hash=hash_token_key(key),
            ),
            actor,
        )
        try:
            with transaction.atomic():
                token.save()
            break
        except IntegrityError:  # a lookup id collision: astronomically rare, try a new key
            continue
    else:
        raise RuntimeError("Could not generate a unique token key.")
    transaction.on_commit(lambda: token_created_notify.delay(token.pk))
    return token, key


@transaction.atomic
def token_revoke(*, token: ApiToken, actor: User) -> ApiToken:
    """Revoke a token for good; revoking twice changes nothing."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        _audited(token, actor).save(update_fields=["revoked_at"])
    return token


def token_authenticate(*, key: str) -> ApiToken | None:
    """The active token whose key is ``key``, recording that it was used; None otherwise."""
    parts = key.split("_")
    if len(parts) < 3 or parts[0] != "jnt":
        return None
    token = (
        ApiToken.objects.active()
        .select_related("user")
        .filter(lookup=parts[1], key_hash=hash_token_key(key))
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    stale = token.last_used_at is None or (
        (now - token.last_used_at).total_seconds() >= LAST_USED_RESOLUTION_SECONDS
    )
    if stale:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token

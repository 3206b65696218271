"""People, the roles they hold, and the API tokens integrators authenticate with."""

import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .choices import Role

SCOPED_ROLES = (Role.CITY_STAFF, Role.SPONSOR)


class UserManager(BaseUserManager):
    """Creates users who log in with their email address."""

    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("Users must have an email address.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self._create_user(email, password, **extra)

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    """A person with an account; they log in with their email address."""

    email = models.EmailField(_("email address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=10, choices=settings.LANGUAGES, blank=True
    )
    is_staff = models.BooleanField(
        _("admin site access"),
        default=False,
        help_text=_("Lets the person log in to the Django admin site."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def get_short_name(self) -> str:
        return (self.full_name.split() or [self.email])[0]

    # Roles are read once per user object and then answered from memory, so a page that
    # checks permissions on many rows costs one query, not one per row.
    def _role_index(self) -> dict[str, set[tuple[int, int] | None]]:
        if not hasattr(self, "_role_cache"):
            index: dict[str, set] = {}
            for role, ct_id, obj_id in self.role_assignments.values_list(
                "role", "scope_type_id", "scope_id"
            ):
                index.setdefault(role, set()).add((ct_id, obj_id) if ct_id else None)
            self._role_cache = index
        return self._role_cache

    def has_role(self, role: str, scope: models.Model | None = None) -> bool:
        """Whether the user holds ``role``, for ``scope`` when one is given."""
        if not self.is_active:
            return False
        entries = self._role_index().get(role, set())
        if scope is None:
            return bool(entries)
        ct = ContentType.objects.get_for_model(scope)
        return (ct.id, scope.pk) in entries

    def scope_ids(self, role: str, model: type[models.Model]) -> set[int]:
        """Primary keys of the ``model`` objects the user holds ``role`` for."""
        if not self.is_active:
            return set()
        ct = ContentType.objects.get_for_model(model)
        entries = self._role_index().get(role, set())
        return {entry[1] for entry in entries if entry and entry[0] == ct.id}

    def forget_roles(self) -> None:
        """Drop the cached roles after they changed."""
        self.__dict__.pop("_role_cache", None)

    @property
    def is_platform_admin(self) -> bool:
        return self.is_active and (self.is_superuser or self.has_role(Role.PLATFORM_ADMIN))


class RoleAssignment(models.Model):
    """A role held by a user, scoped to an object (a city, a governance centre) where it must be."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="role_assignments",
        verbose_name=_("user"),
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    scope_type = models.ForeignKey(
        ContentType,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        verbose_name=_("scope type"),
    )
    scope_id = models.PositiveBigIntegerField(_("scope id"), null=True, blank=True)
    scope = GenericForeignKey("scope_type", "scope_id")
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("granted by"),
    )
    created_at = models.DateTimeField(_("granted at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        ordering = ["user_id", "role"]
        indexes = [models.Index(fields=["scope_type", "scope_id", "role"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(scope_type__isnull=True, scope_id__isnull=True)
                | Q(scope_type__isnull=False, scope_id__isnull=False),
                name="accounts_role_scope_complete",
            ),
            models.CheckConstraint(
                condition=Q(role__in=SCOPED_ROLES, scope_type__isnull=False)
                | (~Q(role__in=SCOPED_ROLES) & Q(scope_type__isnull=True)),
                name="accounts_role_scope_matches_role",
            ),
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=Q(scope_type__isnull=True),
                name="accounts_role_unique_unscoped",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "scope_type", "scope_id"],
                condition=Q(scope_type__isnull=False),
                name="accounts_role_unique_scoped",
            ),
        ]

    def __str__(self) -> str:
        if self.scope_type_id:
            return f"{self.get_role_display()} · {self.scope}"
        return str(self.get_role_display())


TOKEN_PREFIX = "jnt"  # noqa: S105 (a label, not a secret)


def hash_token_key(key: str) -> str:
    """SHA-256 of a token key. Keys carry 256 random bits, so a fast hash is enough."""
    return hashlib.sha256(key.encode()).hexdigest()


def new_token_key() -> tuple[str, str]:
    """A fresh key and the public part (lookup id) it starts with."""
    lookup = secrets.token_hex(4)
    return f"{TOKEN_PREFIX}_{lookup}_{secrets.token_urlsafe(32)}", lookup


class ApiTokenQuerySet(models.QuerySet):
    def active(self):
        now = timezone.now()
        return self.filter(revoked_at__isnull=True).filter(
            Q(expires_at__isnull=True) | Q(expires_at__gt=now)
        )

    def visible_to(self, user):
        if not user.is_authenticated:
            return self.none()
        if user.is_platform_admin:
            return self.all()
        return self.filter(user=user)


class ApiToken(models.Model):
    """A key an integrator sends as ``Authorization: Token <key>``; only its hash is kept."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("user"),
    )
    name = models.CharField(
        _("name"), max_length=100, help_text=_("What the token is for, e.g. 'kiosk app'.")
    )
    lookup = models.CharField(_("key starts with"), max_length=16, unique=True, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True, editable=False)
    notified_at = models.DateTimeField(null=True, blank=True, editable=False)

    history = HistoricalRecords(excluded_fields=["key_hash", "last_used_at", "notified_at"])
    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.display_key})"

    @property
    def display_key(self) -> str:
        """The part of the key that may be shown again: enough to recognise it."""
        return f"{TOKEN_PREFIX}_{self.lookup}_…"

    @property
    def is_active(self) -> bool:
        if self.revoked_at is not None:
            return False
        return self.expires_at is None or self.expires_at > timezone.now()

"""The audited save every app's services share.

Each app's ``services.py`` names its operations (``partnership_create``...) and calls these, so
validation, the audit trail and transactions work the same way everywhere:
``full_clean()`` (field validators, ``clean()``, unique and check constraints) raises a
``ValidationError`` with field-level messages before anything is written, and
django-simple-history records ``actor`` as the author of the change.
"""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext


def _save(instance: models.Model, actor, m2m: dict[str, Iterable] | None = None):
    instance.full_clean()
    instance._history_user = actor
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError as exc:
        # A concurrent request won a race that full_clean() could not see.
        raise ValidationError(
            _("Someone else just saved a conflicting record; reload and try again."),
            code="conflict",
        ) from exc
    for name, values in (m2m or {}).items():
        getattr(instance, name).set(values)
    return instance


@transaction.atomic
def audited_create(model: type[models.Model], *, actor, m2m: dict | None = None, **fields):
    """Validate and insert a row of ``model``; ``m2m`` sets many-to-many fields after it."""
    return _save(model(**fields), actor, m2m)


@transaction.atomic
def audited_update(
    instance: models.Model,
    *,
    data: dict,
    fields: Iterable[str],
    actor,
    m2m_fields: Iterable[str] = (),
):
    """Change the named ``fields`` of ``instance`` from ``data``; all valid or nothing saved."""
    allowed, many = set(fields), set(m2m_fields)
    for name, value in data.items():
        if name in allowed:
            setattr(instance, name, value)
    m2m = {name: value for name, value in data.items() if name in many}
    return _save(instance, actor, m2m)


@transaction.atomic
def audited_delete(instance: models.Model, *, actor) -> None:
    """Delete ``instance``, recording who did it."""
    instance._history_user = actor
    try:
        instance.delete()
    except models.ProtectedError as exc:
        count = len(exc.protected_objects)
        raise ValidationError(
            ngettext(
                "It is still in use by %(count)s other record; remove it first.",
                "It is still in use by %(count)s other records; remove those first.",
                count,
            ),
            params={"count": count},
            code="protected",
        ) from exc

"""Background work for participatory budgets. Tasks take ids and are safe to run twice."""

from celery import shared_task
from django.conf import settings
from django.core.cache import cache
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.choices import Role
from accounts.models import User

from .models import BudgetEdition
from .services import editions_advance_on_schedule as advance


@shared_task
def editions_advance_on_schedule() -> list[int]:
    """Move editions into the phases whose start dates have come (every 5 minutes)."""
    return [edition.pk for edition in advance()]


@shared_task
def voting_guess_spike_notify(edition_id: int, failures: int) -> int:
    """Email the city's staff that many wrong voting codes are being tried; once per hour."""
    if not cache.add(f"budgeting:spike-alerted:{edition_id}", 1, 3600):
        return 0
    edition = BudgetEdition.objects.select_related("city").filter(pk=edition_id).first()
    if edition is None:
        return 0
    staff = User.objects.filter(
        is_active=True,
        role_assignments__role=Role.CITY_STAFF,
        role_assignments__scope_id=edition.city_id,
        role_assignments__scope_type__model="city",
    ).distinct()
    sent = 0
    for user in staff:
        with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
            subject = _("Many wrong voting codes are being tried in %(edition)s") % {
                "edition": edition
            }
            body = render_to_string(
                "budgeting/email/guess_spike.txt",
                {"edition": edition, "failures": failures, "user": user},
            )
        send_mail(subject, body, None, [user.email])
        sent += 1
    return sent


@shared_task
def count_run(count_id: int) -> str | None:
    """Count an edition's ballots for a requested count; the page shows its progress."""
    from .services import count_run as run

    count = run(count_id=count_id)
    return count.status if count else None

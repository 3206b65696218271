"""Background work for accounts. Tasks take ids and are safe to run twice."""

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.core.management import call_command
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .models import ApiToken


@shared_task
def token_created_notify(token_id: int) -> bool:
    """Email a token's owner that it was created; returns False when already sent or gone."""
    with transaction.atomic():
        token = (
            ApiToken.objects.select_for_update().select_related("user").filter(pk=token_id).first()
        )
        if token is None or token.notified_at is not None:
            return False
        user = token.user
        with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
            subject = _("A new API token was created on your Juntos account")
            body = render_to_string(
                "accounts/email/token_created.txt", {"token": token, "user": user}
            )
        send_mail(subject, body, None, [user.email])
        token.notified_at = timezone.now()
        token.save(update_fields=["notified_at"])
    return True


@shared_task
def sessions_clear_expired() -> None:
    """Delete expired sessions (scheduled daily by Celery beat)."""
    call_command("clearsessions")

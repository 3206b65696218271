"""Rate-limiting guesses of voting codes and receipts, per client, in the shared cache.

Each attempt reserves a slot *before* the code is checked (an atomic increment), so even many
concurrent guesses from one client cannot evaluate more than ``VOTING_GUESS_LIMIT`` codes per
window; a correct code gives its slot back. Past the limit the client is locked out for
``VOTING_LOCKOUT_SECONDS``. Only the guessing client is ever locked out: never a code, a zone
or an edition, so an attacker cannot keep legitimate voters away. Failed guesses across an
edition are also counted in five-minute buckets, and a spike alerts the city's staff.
"""

import contextlib
import time

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext_lazy as _

SPIKE_BUCKET_SECONDS = 300


class TooManyGuesses(Exception):
    """The client guessed wrong too often; it may try again in ``retry_after`` seconds."""

    message = _("Too many wrong codes from your connection. Wait a few minutes and try again.")

    def __init__(self, retry_after: int):
        super().__init__(str(self.message))
        self.retry_after = retry_after


def _incr(key: str, timeout: int) -> int:
    cache.add(key, 0, timeout)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout)
        return 1


class GuessGuard:
    """Wraps one attempt to use a code or receipt from ``client`` on ``edition_id``."""

    def __init__(self, client: str | None, edition_id: int):
        self.client = client
        self.edition_id = edition_id
        self.reserved = False

    @property
    def _attempts_key(self) -> str:
        return f"budgeting:guesses:{self.client}"

    @property
    def _lock_key(self) -> str:
        return f"budgeting:lockout:{self.client}"

    def reserve(self) -> None:
        """Take a slot, or raise ``TooManyGuesses`` when the client is locked out."""
        if self.client is None:
            return
        locked_until = cache.get(self._lock_key)
        if locked_until:
            raise TooManyGuesses(max(1, int(locked_until - time.time())))
        attempts = _incr(self._attempts_key, settings.VOTING_GUESS_WINDOW)
        self.reserved = True
        if attempts > settings.VOTING_GUESS_LIMIT:
            lockout = settings.VOTING_LOCKOUT_SECONDS
            if cache.add(self._lock_key, time.time() + lockout, lockout):
                # The count ends with the lockout, so the client then starts afresh. Deleting
                # it now instead would let guesses racing with this one start again from zero.
                cache.touch(self._attempts_key, lockout)
            raise TooManyGuesses(lockout)

    def succeeded(self) -> None:
        """The code or receipt was right: give the slot back."""
        if self.client is not None and self.reserved:
            with contextlib.suppress(ValueError):  # the window expired meanwhile
                cache.decr(self._attempts_key)
            self.reserved = False

    def failed(self) -> None:
        """The guess was wrong: keep the slot, and count it towards the edition's spike alert."""
        bucket = int(time.time() // SPIKE_BUCKET_SECONDS)
        key = f"budgeting:failures:{self.edition_id}:{bucket}"
        failures = _incr(key, SPIKE_BUCKET_SECONDS * 2)
        if failures == settings.VOTING_SPIKE_ALERT:
            from budgeting.tasks import voting_guess_spike_notify

            # Not on_commit: the request that trips the alert is itself refused and rolled back.
            voting_guess_spike_notify.delay(self.edition_id, failures)


def recent_failures(edition_id: int) -> int:
    """Wrong codes tried on an edition in the current and previous five minutes."""
    bucket = int(time.time() // SPIKE_BUCKET_SECONDS)
    keys = [f"budgeting:failures:{edition_id}:{b}" for b in (bucket - 1, bucket)]
    return sum(v or 0 for v in cache.get_many(keys).values())


def client_key(request) -> str:
    """Who is guessing: the signed-in account (API tokens, kiosks), else the IP address."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    return f"ip:{request.META.get('REMOTE_ADDR', 'unknown')}"

"""Rate-limiting guesses of voting codes and receipts, per client, in the shared cache.

Each attempt reserves a slot *before* the code is checked (an atomic increment), and wrong
guesses plus codes being checked may not exceed ``VOTING_GUESS_LIMIT``, so even many concurrent
guesses from one client cannot evaluate more codes than that per window; a correct code gives
its slot back. When the wrong guesses reach the limit the client is locked out for
``VOTING_LOCKOUT_SECONDS``; right codes racing from one address (a crowd behind one NAT) only
get "try again in a second". Only the guessing client is ever locked out: never a code, a zone
or an edition, so an attacker cannot keep legitimate voters away. Failed guesses across an
edition are also counted in five-minute buckets, and a spike alerts the city's staff.
"""

import contextlib
import math
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
    def _failures_key(self) -> str:
        return f"budgeting:guesses:{self.client}"

    @property
    def _inflight_key(self) -> str:
        return f"budgeting:checking:{self.client}"

    @property
    def _lock_key(self) -> str:
        return f"budgeting:lockout:{self.client}"

    def _lock_out(self) -> TooManyGuesses:
        lockout = settings.VOTING_LOCKOUT_SECONDS
        if cache.add(self._lock_key, time.time() + lockout, lockout):
            # The wrong guesses are forgotten when the lockout ends: the client starts afresh.
            cache.touch(self._failures_key, lockout)
        return TooManyGuesses(lockout)

    def reserve(self) -> None:
        """Take a slot, or raise ``TooManyGuesses``.

        A client is locked out once its wrong guesses reach the limit. Codes being checked at
        the same moment count too, so that racing guesses cannot exceed it; when only they
        fill the slots (a crowd voting behind one address), the answer is "try again in a
        second", not a lockout.
        """
        if self.client is None:
            return
        locked_until = cache.get(self._lock_key)
        if locked_until:
            raise TooManyGuesses(max(1, math.ceil(locked_until - time.time())))
        checking = _incr(self._inflight_key, 60)
        failures = cache.get(self._failures_key) or 0
        if failures + checking > settings.VOTING_GUESS_LIMIT:
            self._release()
            if failures >= settings.VOTING_GUESS_LIMIT:
                raise self._lock_out()
            raise TooManyGuesses(1)
        self.reserved = True

    def _release(self) -> None:
        with contextlib.suppress(ValueError):  # the key expired meanwhile
            cache.decr(self._inflight_key)

    def succeeded(self) -> None:
        """The code or receipt was right: give the slot back."""
        if self.client is not None and self.reserved:
            self._release()
            self.reserved = False

    def failed(self) -> None:
        """The guess was wrong: count it against the client (locking it out at the limit) and
        towards the edition's spike alert."""
        if self.client is not None and self.reserved:
            # Counted as a failure before the slot is given back, so that racing guesses
            # never see room that is not there.
            failures = _incr(self._failures_key, settings.VOTING_GUESS_WINDOW)
            self._release()
            self.reserved = False
            if failures >= settings.VOTING_GUESS_LIMIT:
                self._lock_out()
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

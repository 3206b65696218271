"""Guessing voting codes: a client gets a handful of tries, then waits; voters never do.

Guesses race from real threads against the cache the app uses (local memory without
REDIS_URL, Redis with it), through the API, so the limit holds under concurrency, a locked-out
attacker locks out nobody else, the lockout ends, and a spike of wrong codes alerts the city.
"""

import time
from collections import Counter

import pytest
from django.core.cache import cache
from django.db import connection
from rest_framework.test import APIClient

from budgeting.codes import ALPHABET
from budgeting.models import Ballot
from budgeting.throttle import SPIKE_BUCKET_SECONDS, recent_failures
from tests.budgeting.factories import codes_for, voting_edition
from tests.budgeting.test_concurrency import hammer

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="guesses race from threads, each with its own PostgreSQL connection",
    ),
    pytest.mark.django_db(transaction=True),
]

ATTACKER = "203.0.113.66"
# Well-formed codes that are not any edition's (31**16 codes: no chance of a hit).
WRONG = [f"ZZZZ-ZZZZ-{ALPHABET[i // 31]}{ALPHABET[i % 31]}ZZ-ZZZZ" for i in range(60)]


@pytest.fixture(autouse=True)
def _fresh_guess_counters():
    """Start and end with no counters, lockouts or alerts left in the shared cache."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def guessing(settings):
    settings.VOTING_GUESS_LIMIT = 5
    settings.VOTING_GUESS_WINDOW = 900
    settings.VOTING_LOCKOUT_SECONDS = 900
    settings.VOTING_SPIKE_ALERT = 1000  # the alert has a test of its own
    return settings


def in_one_spike_bucket() -> None:
    """Wait out the end of a five-minute failure bucket, so one burst lands in one bucket."""
    left = SPIKE_BUCKET_SECONDS - time.time() % SPIKE_BUCKET_SECONDS
    if left < 10:
        time.sleep(left + 0.1)


def post(url, code, choices):
    return lambda client: client.post(url, {"code": code, "choices": choices}, format="json")


def test_forty_racing_wrong_guesses_evaluate_at_most_five_codes_and_voters_still_vote(
    city_a, guessing
):
    in_one_spike_bucket()
    edition = voting_edition(city_a)
    [code] = codes_for(edition)
    url = f"/api/v1/editions/{edition.pk}/ballots/"
    choices = list(edition.projects.values_list("pk", flat=True)[:1])
    guesses = [post(url, guess, choices) for guess in WRONG[:40]]
    attacker = [guesses[i::19] for i in range(19)]  # 19 threads, 40 guesses, one client
    voter = [post(url, code, choices)]

    def client_for(index):
        return APIClient(REMOTE_ADDR="198.51.100.7" if index == 19 else ATTACKER)

    responses = hammer([*attacker, voter], client_for=client_for)
    counts = Counter(r.status_code for r in responses)
    assert counts[201] == 1, counts  # the voter, from another address, got in
    assert Ballot.objects.filter(edition=edition).count() == 1
    evaluated = recent_failures(edition.pk)  # wrong codes actually looked up
    assert evaluated == counts[400] <= 5, counts
    assert counts[400] + counts[429] == 40, counts
    throttled = [r for r in responses if r.status_code == 429]
    assert throttled
    for response in throttled:
        assert int(response["Retry-After"]) > 0
        assert response.json()["code"] == "throttled"


def test_a_locked_out_client_votes_again_once_the_lockout_ends(city_a, guessing):
    guessing.VOTING_LOCKOUT_SECONDS = 1
    edition = voting_edition(city_a)
    [code] = codes_for(edition)
    url = f"/api/v1/editions/{edition.pk}/ballots/"
    choices = list(edition.projects.values_list("pk", flat=True)[:1])
    client = APIClient(REMOTE_ADDR=ATTACKER)
    answers = [client.post(url, {"code": g, "choices": choices}, format="json") for g in WRONG[:6]]
    assert [r.status_code for r in answers] == [400] * 5 + [429]
    assert answers[-1]["Retry-After"] == "1"
    locked = client.post(url, {"code": code, "choices": choices}, format="json")
    assert locked.status_code == 429
    time.sleep(1.5)
    response = client.post(url, {"code": code, "choices": choices}, format="json")
    assert response.status_code == 201
    # The count started afresh: four wrong tries and a right one fit in the next five.
    [other] = codes_for(edition)
    for guess in WRONG[6:10]:
        wrong = client.post(url, {"code": guess, "choices": choices}, format="json")
        assert wrong.status_code == 400
    response = client.post(url, {"code": other, "choices": choices}, format="json")
    assert response.status_code == 201


def test_a_spike_of_wrong_codes_across_clients_emails_the_city_staff_once(
    city_a, staff_a, staff_b, guessing, mailoutbox
):
    guessing.VOTING_SPIKE_ALERT = 12
    in_one_spike_bucket()
    edition = voting_edition(city_a)
    url = f"/api/v1/editions/{edition.pk}/ballots/"
    choices = list(edition.projects.values_list("pk", flat=True)[:1])
    guesses = [post(url, guess, choices) for guess in WRONG[:40]]
    # Eight clients, five guesses each: none is throttled, together they are a spike.
    jobs = [guesses[i * 5 : i * 5 + 5] for i in range(8)]
    responses = hammer(jobs, client_for=lambda i: APIClient(REMOTE_ADDR=f"192.0.2.{i + 1}"))
    assert Counter(r.status_code for r in responses) == {400: 40}
    assert recent_failures(edition.pk) == 40
    assert len(mailoutbox) == 1  # not one per failure past the threshold
    [message] = mailoutbox
    assert message.to == [staff_a.email]  # city A's staff, not city B's
    assert edition.title in message.subject


def test_a_crowd_of_right_codes_behind_one_address_is_slowed_never_locked_out(settings):
    """More right codes in flight than the limit: "try again in a second", no lockout."""
    from budgeting.throttle import GuessGuard, TooManyGuesses

    settings.VOTING_GUESS_LIMIT = 2
    first, second, third = (GuessGuard("ip:198.51.100.9", 1) for _ in range(3))
    first.reserve()
    second.reserve()
    with pytest.raises(TooManyGuesses) as busy:
        third.reserve()
    assert busy.value.retry_after == 1
    first.succeeded()
    second.succeeded()
    for _ in range(5):  # the slots come back: the crowd keeps voting
        guard = GuessGuard("ip:198.51.100.9", 1)
        guard.reserve()
        guard.succeeded()

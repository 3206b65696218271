"""Ballots under concurrency: real threads, real transactions, the real database constraints.

One code is one ballot however many requests race with it; many voters at once all get in
and the public log stays one unbroken chain; a receipt replaces its ballot once.
PostgreSQL only (its locks and unique indexes are what is tested); threads stay at 20 or
fewer, well under PostgreSQL's 100 connections.
"""

import threading
from collections import Counter
from collections.abc import Callable

import pytest
from django.core.cache import cache
from django.db import connection, connections
from rest_framework.test import APIClient

from budgeting.models import Ballot, BallotLogEntry, BudgetEdition, Participation
from budgeting.selectors import ballots_verify
from budgeting.services import ballot_cast
from tests.budgeting.factories import codes_for, voting_edition

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="concurrency is tested against PostgreSQL's locks and unique indexes",
    ),
    pytest.mark.django_db(transaction=True),
]

THREADS = 20


@pytest.fixture(autouse=True)
def _fresh_guess_counters():
    cache.clear()
    yield
    cache.clear()


def hammer(
    jobs: list[list[Callable[[APIClient], object]]],
    client_for: Callable[[int], APIClient] | None = None,
) -> list:
    """Run each list of ``jobs`` in a thread of its own, all released at once by a barrier.

    Each thread has its own API client (by default a client at its own IP address) and its
    own database connection, closed when it is done. Returns every job's result; an exception
    in any thread fails the test.
    """
    client_for = client_for or (lambda i: APIClient(REMOTE_ADDR=f"10.0.0.{i + 1}"))
    barrier = threading.Barrier(len(jobs))
    results, errors = [], []
    lock = threading.Lock()

    def work(index: int, mine: list) -> None:
        try:
            client = client_for(index)
            client.raise_request_exception = False  # a 500 is a result to count, not a crash
            barrier.wait(timeout=30)
            for job in mine:
                result = job(client)
                with lock:
                    results.append(result)
        except Exception as exc:  # reported below, with the thread's number
            errors.append((index, exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(i, mine)) for i, mine in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a thread hung (deadlock?)"
    assert not errors, errors
    return results


def statuses(responses) -> Counter:
    return Counter(response.status_code for response in responses)


def chain_is_contiguous(edition: BudgetEdition) -> bool:
    seqs = list(BallotLogEntry.objects.filter(edition=edition).values_list("seq", flat=True))
    return sorted(seqs) == list(range(1, len(seqs) + 1))


def test_two_hundred_racing_submissions_of_one_code_cast_exactly_one_ballot(city_a):
    edition = voting_edition(city_a)
    [code] = codes_for(edition)
    url = f"/api/v1/editions/{edition.pk}/ballots/"
    choices = list(edition.projects.values_list("pk", flat=True)[:1])

    def submit(client):
        return client.post(url, {"code": code, "choices": choices}, format="json")

    responses = hammer([[submit] * 10 for _ in range(THREADS)])
    assert len(responses) == 200
    assert statuses(responses) == {201: 1, 409: 199}
    assert all(r.json()["code"] == "already_used" for r in responses if r.status_code == 409)
    assert Participation.objects.filter(edition=edition).count() == 1
    assert Ballot.objects.filter(edition=edition).count() == 1
    assert BallotLogEntry.objects.filter(edition=edition).count() == 1
    report = ballots_verify(edition=edition)
    assert report.ok, report.problems


def test_many_voters_at_once_all_get_in_and_the_log_stays_one_chain(city_a):
    edition = voting_edition(city_a, max_choices=2)
    codes = codes_for(edition, 200)
    url = f"/api/v1/editions/{edition.pk}/ballots/"
    projects = list(edition.projects.values_list("pk", flat=True))

    def voter(code, n):
        choices = [projects[n % len(projects)], projects[(n + 1) % len(projects)]]
        return lambda client: client.post(url, {"code": code, "choices": choices}, format="json")

    jobs = [[voter(code, n) for n, code in enumerate(codes[i::THREADS])] for i in range(THREADS)]
    responses = hammer(jobs)
    assert statuses(responses) == {201: 200}
    receipts = {r.json()["receipt"] for r in responses}
    assert len(receipts) == 200
    edition.refresh_from_db()
    assert edition.log_length == 200
    assert chain_is_contiguous(edition)
    assert Participation.objects.filter(edition=edition).count() == 200
    report = ballots_verify(edition=edition)
    assert report.ok, report.problems
    assert report.entries == 200


def test_two_racing_replacements_of_one_receipt_replace_it_once(city_a):
    edition = voting_edition(city_a)
    first, second = list(edition.projects.values_list("pk", flat=True)[:2])
    url = f"/api/v1/editions/{edition.pk}/ballots/replace/"
    for round_ in range(5):  # a few rounds, so the two requests really do overlap
        [code] = codes_for(edition)
        receipt = ballot_cast(edition=edition, code=code, choices=[first])

        def replace(client, receipt=receipt):
            return client.post(url, {"receipt": receipt, "choices": [second]}, format="json")

        responses = hammer([[replace], [replace]])
        assert statuses(responses) == {201: 1, 400: 1}, f"round {round_}"
        [refused] = [r for r in responses if r.status_code == 400]
        assert "receipt" in refused.json()["errors"]
    assert Ballot.objects.filter(edition=edition, superseded=False).count() == 5
    assert Ballot.objects.filter(edition=edition, superseded=True).count() == 5
    kinds = Counter(BallotLogEntry.objects.filter(edition=edition).values_list("kind", flat=True))
    assert kinds == {"cast": 5, "replace": 5}
    assert chain_is_contiguous(edition)
    report = ballots_verify(edition=edition)
    assert report.ok, report.problems

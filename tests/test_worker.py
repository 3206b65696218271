"""A real Celery worker, against the Redis at REDIS_URL, runs what web requests enqueue."""

import os
import time
from unittest import mock

import celery.contrib.testing.tasks  # noqa: F401  (registers celery.ping for start_worker)
import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail

from accounts.models import ApiToken
from config.celery import app

pytestmark = [
    pytest.mark.worker,
    pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs Redis at REDIS_URL"),
    pytest.mark.django_db(transaction=True),
]


def queued_messages() -> int:
    with app.connection_for_write() as conn:
        return conn.default_channel.client.llen(app.conf.task_default_queue)


@pytest.fixture
def broker(celery_conf):
    """Send tasks to Redis for real, starting from an empty queue."""
    celery_conf.task_always_eager = False
    app.control.purge()
    yield
    app.control.purge()


def wait_for(condition, timeout: float = 20.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


@pytest.fixture
def worker(broker):
    """A real Celery worker in a thread; its database connection is closed when it stops."""
    from celery.signals import task_postrun
    from django.db import connections

    def close_connections(**_kwargs):
        connections.close_all()  # runs in the worker's thread: closes that thread's connection

    task_postrun.connect(close_connections, weak=False)
    try:
        with start_worker(app, pool="solo", loglevel="WARNING", perform_ping_check=True):
            yield
    finally:
        task_postrun.disconnect(close_connections)


def test_a_worker_runs_the_task_a_web_request_enqueued(worker, client, citizen):
    client.force_login(citizen)
    response = client.post("/accounts/tokens/new/", {"name": "kiosk"})
    assert response.status_code == 200
    assert wait_for(lambda: len(mail.outbox) == 1), "the worker sent no email"
    assert mail.outbox[0].to == [citizen.email]
    assert "kiosk" in mail.outbox[0].body
    # The worker commits the "notified" mark just after sending: wait for that too.
    assert wait_for(lambda: ApiToken.objects.get(user=citizen).notified_at is not None)


def test_a_rolled_back_request_enqueues_nothing(broker, client, citizen):
    client.force_login(citizen)
    client.raise_request_exception = False
    with mock.patch("accounts.views.messages.success", side_effect=RuntimeError("late failure")):
        failed = client.post("/accounts/tokens/new/", {"name": "doomed"})
    assert failed.status_code == 500
    assert not ApiToken.objects.exists()
    assert queued_messages() == 0

    # The same request without the failure does reach the broker: the check above can fail.
    ok = client.post("/accounts/tokens/new/", {"name": "fine"})
    assert ok.status_code == 200
    assert queued_messages() == 1

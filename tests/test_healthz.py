import os

import pytest

from config import views


def test_healthz_is_ok_when_everything_answers(db, client, settings):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "cache", "broker"}
    assert all(check["ok"] for check in body["checks"].values())


def test_healthz_names_what_is_down(db, client, monkeypatch, celery_conf):
    celery_conf.task_always_eager = False
    celery_conf.broker_url = "redis://127.0.0.1:1/0"  # nothing listens there

    def broken_cache():
        raise ConnectionError("cache unreachable")

    monkeypatch.setitem(views.CHECKS, "cache", broken_cache)
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "down"
    assert sorted(body["down"]) == ["broker", "cache"]
    assert body["checks"]["database"]["ok"] is True


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs Redis at REDIS_URL")
def test_healthz_checks_the_real_broker_when_there_is_one(db, client, celery_conf):
    celery_conf.task_always_eager = False
    response = client.get("/healthz")
    assert response.status_code == 200
    assert "mode" not in response.json()["checks"]["broker"]

"""The daily sweep through a real broker (SPEC §6): a Celery worker takes the task from Redis
and sweeps the database, as in production.

Runs only when ``REDIS_URL`` names a Redis server (CI starts one and sets
``REDIS_URL=redis://127.0.0.1:6379/15``). The worker runs in a thread of this process with its
own database connection, so the test commits for real (``transaction=True``).
"""

import os

import pytest
from celery import Celery
from celery.contrib.testing.worker import start_worker
from celery.result import EagerResult

from portal.celery import app as portal_app
from reporting.tasks import daily_sweep_task
from tests.factories import notice_obligation

REDIS_URL = os.environ.get("REDIS_URL")

pytestmark = [
    pytest.mark.skipif(not REDIS_URL, reason="needs a Redis server: set REDIS_URL"),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture(autouse=True)
def reference_data(reference_data_for_commits):
    """This module's tests commit: see ``reference_data_for_commits`` in conftest."""


@pytest.fixture
def redis_app():
    """A Celery app configured like ``portal.celery.app`` (from the Django settings) but on
    Redis and not eager, with a worker thread; the portal's app is current again afterwards,
    untouched."""
    app = Celery("portal-broker-test", set_as_current=False)
    app.config_from_object("django.conf:settings", namespace="CELERY")
    app.conf.update(
        broker_url=REDIS_URL,
        result_backend=REDIS_URL,
        task_always_eager=False,
        worker_hijack_root_logger=False,
    )
    app.control.purge()  # nothing left over from an interrupted run
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
            yield app
    finally:
        portal_app.set_current()
        portal_app.set_default()
        app.close()


def test_a_worker_takes_the_sweep_from_redis_and_marks_overdue(company, redis_app):
    obligation = notice_obligation(company)
    assert not redis_app.conf.task_always_eager

    result = daily_sweep_task.delay()
    assert not isinstance(result, EagerResult)
    summary = result.get(timeout=30)

    assert summary["marked_overdue"] == 1
    obligation.refresh_from_db()
    assert obligation.state == "overdue"

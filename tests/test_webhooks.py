"""Webhooks (issue 13.3): a registered endpoint receives the events its owner may see, signed
with HMAC-SHA256, retried with back-off by the beat's minute job, every attempt in the delivery
log.
The receiver is a local HTTP server in a thread; plain http is allowed for 127.0.0.1 here
only (``WEBHOOK_HTTP_HOSTS``)."""

import hashlib
import hmac
import json
import threading
from datetime import date, timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
import time_machine
from django.utils import timezone

from investments import services as ledger
from portal.events import number_events
from portal.models import WebhookDelivery
from portal.tasks import retry_webhooks_task
from tests.factories import api_key

pytestmark = pytest.mark.django_db


@pytest.fixture
def receiver(settings):
    """A local HTTP endpoint answering the status codes of ``answers`` in turn (then 200)
    and keeping what it received."""
    settings.WEBHOOK_HTTP_HOSTS = ["127.0.0.1"]
    settings.WEBHOOK_RETRY_DELAYS = [1, 2]
    received, answers = [], []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            length = int(self.headers["Content-Length"])
            received.append((dict(self.headers), self.rfile.read(length)))
            self.send_response(answers.pop(0) if answers else 200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    server.received, server.answers = received, answers
    server.url = f"http://127.0.0.1:{server.server_address[1]}/hooks"
    yield server
    server.shutdown()
    server.server_close()


def register(api, user, url, **extra):
    return api.as_user(user).post("/api/v1/webhooks/", {"url": url, **extra}, format="json")


def deliver(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        number_events()


def test_a_change_is_delivered_signed(
    api, company, receiver, jeju_ledger, django_capture_on_commit_callbacks
):
    company.is_institution_admin = True
    company.save()
    deliver(django_capture_on_commit_callbacks)  # what happened before the webhook: not sent
    response = register(api, company, receiver.url)
    assert response.status_code == 201, response.data
    secret = response.data["secret"]

    lapse = ledger.record_lapse(
        by=company, investment=jeju_ledger.investment, kind="lease", started_on=date(2025, 8, 1)
    )
    deliver(django_capture_on_commit_callbacks)

    [(headers, body)] = receiver.received
    event = json.loads(body)
    assert (event["type"], event["object"]["id"]) == ("lapse.created", lapse.pk)
    assert headers["X-Portal-Event"] == "lapse.created"
    parts = dict(p.split("=", 1) for p in headers["X-Portal-Signature"].split(","))
    stamp, signed = parts["t"], parts["v1"]
    expected = hmac.new(secret.encode(), f"{stamp}.".encode() + body, hashlib.sha256)
    assert hmac.compare_digest(signed, expected.hexdigest())
    log = api.get(f"/api/v1/webhooks/{response.data['id']}/deliveries/").data["results"]
    assert [(row["event_type"], row["state"]) for row in log] == [("lapse.created", "delivered")]


def retry_later(seconds):
    """The beat's minute job, ``seconds`` from now."""
    with time_machine.travel(timezone.now() + timedelta(seconds=seconds)):
        return retry_webhooks_task()


def test_a_failed_delivery_is_retried_then_delivered(
    api, company, receiver, jeju_ledger, django_capture_on_commit_callbacks
):
    _key, secret = api_key(company, scopes=["ledger.read"])
    deliver(django_capture_on_commit_callbacks)
    api.credentials(HTTP_AUTHORIZATION=f"Api-Key {secret}")
    assert api.post("/api/v1/webhooks/", {"url": receiver.url}, format="json").status_code == 201
    receiver.answers[:] = [500, 503]

    ledger.record_lapse(
        by=company, investment=jeju_ledger.investment, kind="lease", started_on=date(2025, 8, 1)
    )
    deliver(django_capture_on_commit_callbacks)
    # the change's own transaction tries once: a retry never holds it (eager Celery included)
    delivery = WebhookDelivery.objects.get()
    assert ([a["status"] for a in delivery.attempts], delivery.state) == ([500], "retrying")
    assert retry_webhooks_task() == 0  # not due yet (WEBHOOK_RETRY_DELAYS[0] = 1 s)

    assert retry_later(1) == 1
    assert retry_later(1 + 2) == 1
    assert retry_later(60) == 0  # delivered: nothing left to retry

    delivery.refresh_from_db()
    assert [attempt["status"] for attempt in delivery.attempts] == [500, 503, 200]
    assert delivery.state == "delivered"
    assert len(receiver.received) == 3


def test_a_delivery_that_keeps_failing_is_marked_failed(
    company, receiver, jeju_ledger, django_capture_on_commit_callbacks, api
):
    _key, secret = api_key(company, scopes=["ledger.read"])
    deliver(django_capture_on_commit_callbacks)
    api.credentials(HTTP_AUTHORIZATION=f"Api-Key {secret}")
    api.post("/api/v1/webhooks/", {"url": receiver.url}, format="json")
    receiver.answers[:] = [500, 500, 500]
    ledger.record_lapse(
        by=company, investment=jeju_ledger.investment, kind="lease", started_on=date(2025, 8, 1)
    )
    deliver(django_capture_on_commit_callbacks)
    for minute in (1, 2, 3):
        retry_later(60 * minute)
    delivery = WebhookDelivery.objects.get()
    assert (len(delivery.attempts), delivery.state) == (3, "failed")


def test_only_what_the_owner_may_see_is_delivered(
    api, other_company, company, receiver, jeju_ledger, django_capture_on_commit_callbacks
):
    other_company.is_institution_admin = True
    other_company.save()
    deliver(django_capture_on_commit_callbacks)
    assert register(api, other_company, receiver.url).status_code == 201
    ledger.record_lapse(
        by=company, investment=jeju_ledger.investment, kind="lease", started_on=date(2025, 8, 1)
    )
    deliver(django_capture_on_commit_callbacks)
    assert receiver.received == []


@pytest.mark.parametrize("url", ["http://example.com/hook", "ftp://example.com/", "not a url"])
def test_only_https_endpoints_are_registered(api, company, url):
    company.is_institution_admin = True
    company.save()
    response = register(api, company, url)
    assert response.status_code == 400
    assert "url" in response.data


def test_people_without_the_administrator_flag_cannot_register(api, company):
    company.is_institution_admin = False
    company.save()
    assert register(api, company, "https://example.com/hook").status_code == 400

"""Webhooks (issue 13.3): a registered HTTPS endpoint receives the events its owner may see,
each delivery signed with HMAC-SHA256, retried with back-off by Celery, every attempt logged.

Signature: the header ``X-Portal-Signature: t=<unix time>,v1=<hex>`` where ``<hex>`` is
HMAC-SHA256, keyed with the endpoint's secret, of ``"<unix time>.<raw body>"``. A receiver
recomputes it, compares in constant time and refuses a timestamp older than a few minutes
(replays). ``X-Portal-Event`` names the event type and ``X-Portal-Delivery`` the delivery, so a
receiver can drop a delivery it has already processed.

Retries: a delivery that fails (a network error or an answer other than 2xx) is tried again
after each delay of ``WEBHOOK_RETRY_DELAYS`` seconds, then marked failed. The first attempt
runs after the change commits; the retries are sent by :func:`retry_due`, which the beat runs
every minute, never by the attempt that failed: a task queued with a countdown runs at once
when Celery runs tasks eagerly (the embedded setup), and a slow receiver would then hold the
request that recorded the change through every retry.

Only HTTPS addresses are accepted, except on the hosts listed in ``WEBHOOK_HTTP_HOSTS`` (the
tests' local receiver). Deliveries carry no personal data: the event says what changed and
where to read it, and the receiver reads it with its own credentials through the access gate.
"""

import hashlib
import hmac
import json
import logging
import secrets
import time
import urllib.error
import urllib.request
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import audit
from .choices import DeliveryState
from .models import Event, WebhookDelivery, WebhookEndpoint

logger = logging.getLogger(__name__)

MAX_ENDPOINTS = 10  # per owner: enough for every system of an institution
TIMEOUT_SECONDS = 10


def check_url(url):
    parts = urlsplit(url)
    if parts.scheme == "https" and parts.hostname:
        return url
    if parts.scheme == "http" and parts.hostname in settings.WEBHOOK_HTTP_HOSTS:
        return url
    raise ValidationError({"url": _("Webhooks are delivered only to https:// addresses.")})


@transaction.atomic
def register_webhook(*, by, url, event_types=()):
    """Register an endpoint receiving what ``by`` may see. Returns it with its secret (the
    only time the secret is shown)."""
    if not by.is_institution or not (by.is_integration or by.is_institution_admin):
        raise ValidationError(
            {"url": _("Only an integration or an institution administrator registers webhooks.")}
        )
    check_url(url)
    if WebhookEndpoint.objects.filter(owner=by, is_active=True).count() >= MAX_ENDPOINTS:
        raise ValidationError({"url": _("Deactivate a webhook before adding another.")})
    endpoint = WebhookEndpoint(
        owner=by, url=url, secret=secrets.token_urlsafe(32), event_types=sorted(set(event_types))
    )
    return audit.record(endpoint, by=by, verb="register_webhook")


@transaction.atomic
def deactivate_webhook(*, by, endpoint):
    endpoint.is_active = False
    return audit.record(endpoint, by=by, verb="deactivate_webhook")


def signature(secret, timestamp, body):
    message = f"{timestamp}.".encode() + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def fan_out(event_ids):
    """Create a delivery of each of these (newly numbered) events for every active endpoint
    whose owner may see it, and queue them once the deliveries are committed."""
    from .tasks import deliver_webhook_task

    endpoints = WebhookEndpoint.objects.filter(is_active=True).select_related(
        "owner__organisation__office", "owner__api_key"
    )
    for endpoint in endpoints:
        key = getattr(endpoint.owner, "api_key", None) if endpoint.owner.is_integration else None
        if key is not None and not key.is_usable():
            continue  # an expired or revoked integration receives nothing
        visible = Event.objects.visible_to(endpoint.owner).filter(pk__in=event_ids)
        if endpoint.event_types:
            visible = visible.filter(type__in=endpoint.event_types)
        deliveries = WebhookDelivery.objects.bulk_create(
            [WebhookDelivery(endpoint=endpoint, event=event) for event in visible.order_by("pk")]
        )
        for delivery in deliveries:
            transaction.on_commit(
                lambda pk=delivery.pk: deliver_webhook_task.delay(pk), robust=True
            )


def retry_due():
    """Send every delivery whose next attempt is due (the beat's minute job); returns how
    many were tried."""
    due = WebhookDelivery.objects.filter(
        state=DeliveryState.RETRYING, next_attempt_at__lte=timezone.now()
    ).order_by("next_attempt_at", "pk")
    tried = 0
    for delivery_id in due.values_list("pk", flat=True):
        tried += attempt(delivery_id) is not False
    return tried


def attempt(delivery_id):
    """Send one delivery once, if it is pending or its retry is due, and log the attempt.
    Returns the seconds to wait before the next attempt, ``None`` when there is none to make
    (delivered or failed for good), or ``False`` when nothing was sent (no longer pending, or
    a retry not yet due: a second worker or a late task finds it so)."""
    from .events import event_payload

    delivery = WebhookDelivery.objects.select_related("endpoint", "event__office").get(
        pk=delivery_id
    )
    if delivery.state not in (DeliveryState.PENDING, DeliveryState.RETRYING):
        return False
    if delivery.state == DeliveryState.RETRYING and delivery.next_attempt_at > timezone.now():
        return False
    endpoint = delivery.endpoint
    body = json.dumps(
        event_payload(delivery.event, base_url=settings.PORTAL_BASE_URL), separators=(",", ":")
    ).encode()
    timestamp = int(time.time())
    request = urllib.request.Request(  # noqa: S310 - the scheme was checked at registration
        endpoint.url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": "investment-immigration-portal/1",
            "X-Portal-Event": delivery.event.type,
            "X-Portal-Delivery": str(delivery.pk),
            "X-Portal-Signature": f"t={timestamp},v1={signature(endpoint.secret, timestamp, body)}",
        },
    )
    outcome = {"at": timezone.now().isoformat(), "status": None, "error": ""}
    try:
        check_url(endpoint.url)
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as answer:  # noqa: S310
            outcome["status"] = answer.status
    except urllib.error.HTTPError as exc:
        outcome["status"], outcome["error"] = exc.code, str(exc.reason)[:200]
    except (OSError, ValidationError) as exc:
        outcome["error"] = str(exc)[:200]
    delivery.attempts = [*delivery.attempts, outcome]
    delays = settings.WEBHOOK_RETRY_DELAYS
    if outcome["status"] is not None and 200 <= outcome["status"] < 300:
        delivery.state, delivery.delivered_at, delivery.next_attempt_at = (
            DeliveryState.DELIVERED,
            timezone.now(),
            None,
        )
        wait = None
    elif len(delivery.attempts) > len(delays):
        delivery.state, delivery.next_attempt_at, wait = DeliveryState.FAILED, None, None
        logger.warning("Webhook delivery %s failed for good: %s", delivery.pk, outcome)
    else:
        wait = delays[len(delivery.attempts) - 1]
        delivery.state = DeliveryState.RETRYING
        delivery.next_attempt_at = timezone.now() + timedelta(seconds=wait)
    delivery.save(update_fields=["attempts", "state", "delivered_at", "next_attempt_at"])
    return wait

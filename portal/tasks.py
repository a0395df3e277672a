"""Celery tasks of the portal's integrations: thin wrappers taking ids and calling a service.
The beat schedule that runs the periodic ones is in ``portal.settings``."""

from celery import shared_task

from . import idempotency, webhooks


@shared_task
def deliver_webhook_task(delivery_id: int):
    """Send one webhook delivery; on failure queue the next attempt after its back-off."""
    wait = webhooks.attempt(delivery_id)
    if wait is not None:
        deliver_webhook_task.apply_async((delivery_id,), countdown=wait)


@shared_task
def purge_idempotency_keys_task():
    """Forget idempotency keys older than ``IDEMPOTENCY_RETENTION_HOURS`` (hourly)."""
    return idempotency.purge()

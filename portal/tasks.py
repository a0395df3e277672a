"""Celery tasks of the portal's integrations: thin wrappers taking ids and calling a service.
The beat schedule that runs the periodic ones is in ``portal.settings``."""

from celery import shared_task

from . import idempotency, webhooks


@shared_task
def deliver_webhook_task(delivery_id: int):
    """Send a new webhook delivery once; a failure is retried by ``retry_webhooks_task``."""
    webhooks.attempt(delivery_id)


@shared_task
def retry_webhooks_task():
    """Send the webhook deliveries whose retry is due (every minute)."""
    return webhooks.retry_due()


@shared_task
def purge_idempotency_keys_task():
    """Forget idempotency keys older than ``IDEMPOTENCY_RETENTION_HOURS`` (hourly)."""
    return idempotency.purge()

"""Idempotent writes (issue 13.1): every ``POST`` and ``PATCH`` of the API accepts an
``Idempotency-Key`` header. The first request with a key runs and its answer is kept; a repeat
with the same key and the same request (method, path and body) within
``IDEMPOTENCY_RETENTION_HOURS`` gets that answer again (with ``Idempotent-Replayed: true``)
and writes nothing; the same key with another request is 422.

How a retry storm makes one row: the key is reserved by inserting its row (unique per user
and key) at the start of a transaction that also runs the request and stores its answer. A
concurrent request with the same key blocks on that unique index (PostgreSQL) until the first
commits, then finds the stored answer and replays it. If the first fails (an exception, a 5xx)
everything rolls back, key included, and the next attempt runs afresh. Answers that depend on
the moment rather than on the request — 401, 403, 409, 412, 428, 429 and 5xx — are not kept.

Keys are per user (each API key has its own account), so two systems never share keys. The
middleware identifies the user with the API's own authentication classes before anything is
replayed, so a revoked key cannot replay an old answer.
"""

import hashlib
import re
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db import IntegrityError, transaction
from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import IdempotencyRecord

HEADER = "HTTP_IDEMPOTENCY_KEY"
KEY = re.compile(r"[\x21-\x7e]{1,255}")  # printable ASCII, as Stripe and the IETF draft
METHODS = frozenset({"POST", "PATCH"})
NOT_KEPT = frozenset({401, 403, 409, 412, 423, 428, 429})
REPLAYED_HEADERS = ("Content-Type", "Location", "ETag", "Content-Disposition")


def retention():
    return timedelta(hours=settings.IDEMPOTENCY_RETENTION_HOURS)


def purge(now=None):
    """Delete the keys older than the retention period; returns how many. Safe to re-run."""
    now = now or timezone.now()
    deleted, _detail = IdempotencyRecord.objects.filter(created_at__lt=now - retention()).delete()
    return deleted


def fingerprint(request, body):
    digest = hashlib.sha256()
    for part in (request.method.encode(), request.get_full_path().encode(), body):
        digest.update(hashlib.sha256(part).digest())
    return digest.hexdigest()


def api_user(request):
    """The user the API would authenticate for this request, or ``None``."""
    from rest_framework.exceptions import APIException
    from rest_framework.request import Request
    from rest_framework.settings import api_settings

    authenticators = [cls() for cls in api_settings.DEFAULT_AUTHENTICATION_CLASSES]
    try:
        user = Request(request, authenticators=authenticators).user
    except APIException:
        return None
    return user if getattr(user, "is_authenticated", False) else None


def kept(response):
    return (
        200 <= response.status_code < 500
        and response.status_code not in NOT_KEPT
        and not response.streaming
    )


def replay(record):
    response = HttpResponse(record.content, status=record.status_code)
    for name, value in record.headers.items():
        response[name] = value
    response["Idempotent-Replayed"] = "true"
    return response


def refusal(status, message):
    return JsonResponse({"detail": message}, status=status)


class IdempotencyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key = request.META.get(HEADER)
        if key is None or request.method not in METHODS or not request.path.startswith("/api/"):
            return self.get_response(request)
        if not KEY.fullmatch(key):
            return refusal(400, _("An Idempotency-Key is 1 to 255 printable ASCII characters."))
        user = api_user(request)
        if user is None:
            return self.get_response(request)  # the view refuses it
        try:
            body = request.body
        except RequestDataTooBig:
            return refusal(413, _("The request body is too large."))
        print_ = fingerprint(request, body)
        with transaction.atomic():
            record, answer = self.reserve(user, key, print_)
            if answer is not None:
                return answer
            response = self.get_response(request)
            if kept(response):
                record.status_code = response.status_code
                record.content = response.content
                record.headers = {h: response[h] for h in REPLAYED_HEADERS if h in response}
                record.save(update_fields=["status_code", "content", "headers"])
            else:
                record.delete()
                if response.status_code >= 500:
                    transaction.set_rollback(True)
        return response

    def reserve(self, user, key, print_):
        """``(record, None)`` when this request runs, ``(None, answer)`` when it does not."""
        for _attempt in range(3):
            try:
                with transaction.atomic():
                    return IdempotencyRecord.objects.create(
                        user=user, key=key, fingerprint=print_
                    ), None
            except IntegrityError:
                pass  # on PostgreSQL, only after the request holding the key has finished
            existing = IdempotencyRecord.objects.filter(user=user, key=key).first()
            if existing is None:
                continue  # that request rolled back: try to take the key again
            if existing.created_at < timezone.now() - retention():
                existing.delete()
                continue
            if existing.fingerprint != print_:
                return None, refusal(
                    422,
                    _(
                        "This Idempotency-Key was used for another request: use a new key "
                        "for a new request."
                    ),
                )
            if existing.status_code is None:
                return None, refusal(409, _("A request with this Idempotency-Key is running."))
            return None, replay(existing)
        return None, refusal(409, _("A request with this Idempotency-Key is running."))

"""API keys for the institutions' own systems (issue 13.2), and their authentication class.

An institution administrator (``User.is_institution_admin``, set by HQ) issues a key for each
system with a label, scopes and an expiry; the secret is shown once and only its SHA-256 is
kept. Each key acts as its own integration account (``ApiKey.user``), so the history of every
row names the system that wrote it, and one system's key cannot be mistaken for another's.
Revocation deactivates that account at once.

Requests carry ``Authorization: Api-Key <key>``. :class:`ApiKeyAuthentication` sits beside the
people's sign-in token in ``REST_FRAMEWORK["DEFAULT_AUTHENTICATION_CLASSES"]`` and also applies
the key's scopes: reading anything needs ``ledger.read``; a write needs the scope the view
names in ``write_scope`` — a view without one accepts no write from a key.
"""

import hashlib
import hmac
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.permissions import SAFE_METHODS

from . import audit
from .choices import ApiScope
from .models import ApiKey, User

KEYWORD = "Api-Key"
#: How often the last use is written: a busy integration does not write on every request.
LAST_USE_RESOLUTION = timedelta(minutes=1)


def hash_secret(secret):
    return hashlib.sha256(secret.encode()).hexdigest()


def may_manage_keys(user):
    """An institution administrator: a person (not an integration) of an institution."""
    return (
        getattr(user, "is_authenticated", False)
        and user.is_active
        and user.is_institution
        and user.is_institution_admin
        and not user.is_integration
    )


@transaction.atomic
def issue_api_key(*, by, label, scopes, expires_on):
    """Issue a key for one of ``by``'s organisation's systems. Returns ``(key, secret)``: the
    secret (the whole ``Authorization`` value after ``Api-Key``) is not stored and is shown
    only now."""
    if not may_manage_keys(by):
        raise PermissionDenied(_("Only an institution administrator issues API keys."))
    label = (label or "").strip()
    if not label:
        raise ValidationError({"label": _("Name the system this key is for.")})
    scopes = sorted(set(scopes or ()))
    if not scopes or not set(scopes) <= set(ApiScope.values):
        raise ValidationError({"scopes": _("Choose at least one of the listed scopes.")})
    today = timezone.localdate()
    if expires_on <= today:
        raise ValidationError({"expires_on": _("The expiry must be after today.")})
    if expires_on > today + timedelta(days=settings.API_KEY_MAX_DAYS):
        raise ValidationError(
            {
                "expires_on": _("A key is valid for at most %(days)s days.")
                % {"days": settings.API_KEY_MAX_DAYS}
            }
        )
    prefix = secrets.token_hex(6)
    secret = secrets.token_urlsafe(30)
    account = User(
        username=f"integration.{prefix}",
        first_name=label[:150],
        organisation=by.organisation,
        is_integration=True,
    )
    account.set_unusable_password()
    audit.record(account, by=by, verb="issue_api_key")
    expires_at = timezone.make_aware(
        timezone.datetime.combine(expires_on, timezone.datetime.min.time())
    )
    key = ApiKey(
        organisation=by.organisation,
        user=account,
        label=label,
        prefix=prefix,
        secret_hash=hash_secret(secret),
        scopes=scopes,
        expires_at=expires_at,
        created_by=by,
    )
    audit.record(key, by=by, verb="issue_api_key")
    return key, f"ipk_{prefix}_{secret}"


@transaction.atomic
def revoke_api_key(*, by, key):
    """Revoke at once: the key stops authenticating and its account is deactivated."""
    if not may_manage_keys(by) or key.organisation_id != by.organisation_id:
        raise PermissionDenied(_("Only an institution administrator revokes its API keys."))
    key = ApiKey.objects.select_for_update().get(pk=key.pk)
    if key.revoked_at is not None:
        return key
    key.revoked_at, key.revoked_by = timezone.now(), by
    audit.record(key, by=by, verb="revoke_api_key")
    account = key.user
    account.is_active = False
    audit.record(account, by=by, verb="revoke_api_key")
    return key


def required_scope(view, method):
    if method in SAFE_METHODS:
        return ApiScope.LEDGER_READ
    return getattr(view, "write_scope", None)


class ApiKeyAuthentication(BaseAuthentication):
    """``Authorization: Api-Key ipk_<prefix>_<secret>``: the key's integration account, if the
    key is neither expired nor revoked and has the scope the request needs."""

    def authenticate_header(self, request):
        return KEYWORD

    def authenticate(self, request):
        header = get_authorization_header(request).split()
        if not header or header[0].decode(errors="replace").lower() != KEYWORD.lower():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Give the API key after “Api-Key”."))
        _tag, prefix, secret = (header[1].decode(errors="replace").split("_", 2) + ["", ""])[:3]
        key = (
            ApiKey.objects.select_related("user__organisation__office")
            .filter(prefix=prefix)
            .first()
        )
        if key is None or not hmac.compare_digest(key.secret_hash, hash_secret(secret)):
            raise exceptions.AuthenticationFailed(_("Unknown API key."))
        now = timezone.now()
        if key.revoked_at is not None:
            raise exceptions.AuthenticationFailed(_("This API key has been revoked."))
        if key.expires_at <= now:
            raise exceptions.AuthenticationFailed(_("This API key has expired."))
        if not key.user.is_active:
            raise exceptions.AuthenticationFailed(_("This API key's account is inactive."))
        view = (getattr(request, "parser_context", None) or {}).get("view")
        needed = required_scope(view, request.method)
        # Without a view the request is only being identified (``portal.idempotency`` keys
        # its records by user); the view authenticates again and applies the scopes.
        if view is not None and (needed is None or needed not in key.scopes):
            raise exceptions.PermissionDenied(
                _("This API key may not do this: it needs the scope “%(scope)s”.")
                % {"scope": needed or _("none: keys cannot write here")}
            )
        if key.last_used_at is None or key.last_used_at < now - LAST_USE_RESOLUTION:
            ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
        return key.user, key


class ApiKeyScheme(OpenApiAuthenticationExtension):
    """How the published OpenAPI schema describes API keys."""

    target_class = ApiKeyAuthentication
    name = "apiKey"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Api-Key <key>`: a key issued by an institution administrator.",
        }

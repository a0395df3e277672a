"""A person's API token (SPEC §8.2 ``POST /api/v1/auth/token/``): protected like the sign-in
page, valid for ``API_TOKEN_TTL_HOURS`` and revoked by signing out.

A locked-out username or address gets 429 (``portal.signin``), not a token. A token older than
its lifetime answers 401 and is deleted; the next sign-in issues a new one. ``POST
/api/v1/auth/sign-out/`` deletes the caller's token at once (a stolen or leaked token is
worthless after it). Integrations use API keys instead (``portal.api_keys``).

Kept free of views so DRF's settings can import the authentication class; the two endpoints
are in ``portal.api``."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token


def is_expired(token, now=None):
    lifetime = timedelta(hours=settings.API_TOKEN_TTL_HOURS)
    return token.created <= (now or timezone.now()) - lifetime


def issue_token(user):
    """The user's current token, or a new one if there is none or it has expired."""
    token = Token.objects.filter(user=user).first()
    if token is not None and is_expired(token):
        token.delete()
        token = None
    return token or Token.objects.create(user=user)


class ExpiringTokenAuthentication(TokenAuthentication):
    """``Authorization: Token <key>`` for a token younger than ``API_TOKEN_TTL_HOURS``. The
    lifetime runs from the sign-in, not from the last use: a token found on a disk one day
    later is no longer good, however busy its owner was."""

    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        if is_expired(token):
            token.delete()
            raise exceptions.AuthenticationFailed(
                _(
                    "This token has expired: sign in again at POST /api/v1/auth/token/ "
                    "for a new one."
                )
            )
        return user, token

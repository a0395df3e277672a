"""Sign-in protection (issue 9.4): repeated failures lock a username and an address out for a
cool-off, on the sign-in page, the admin's sign-in and the API's token endpoint alike.

django-axes does the counting (settings ``AXES_*``, read from ``SIGNIN_*`` variables); this
module holds the portal's side of it: the backend that refuses a locked-out sign-in, and the
lockout answer — a page in the portal's frame, or JSON for the API — that says for how long.
"""

from axes.backends import AxesStandaloneBackend
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_cool_off
from django.shortcuts import render
from django.utils.translation import ngettext
from rest_framework import status
from rest_framework.exceptions import APIException


class LockoutBackend(AxesStandaloneBackend):
    """Axes' check before the password is tried. A sign-in without a request (the shell, a
    management command, a test calling ``authenticate()`` directly) has no address to count and
    comes from no one outside, so it is not counted; every sign-in over HTTP has a request."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def cool_off_minutes(request=None):
    return int(get_cool_off(request).total_seconds() // 60)


def lockout_message(request=None):
    minutes = cool_off_minutes(request)
    return ngettext(
        "Too many failed sign-in attempts. Signing in with this username or from this address "
        "is paused for %(minutes)d minute after the last attempt. If you have forgotten your "
        "password, ask your organisation's administrator.",
        "Too many failed sign-in attempts. Signing in with this username or from this address "
        "is paused for %(minutes)d minutes after the last attempt. If you have forgotten your "
        "password, ask your organisation's administrator.",
        minutes,
    ) % {"minutes": minutes}


def lockout_response(request, original_response=None, credentials=None):
    """``AXES_LOCKOUT_CALLABLE``: the sign-in page and the admin show the lockout in the
    portal's frame, with the status Axes uses (429) and when to try again."""
    response = render(
        request,
        "registration/locked_out.html",
        {"message": lockout_message(request)},
        status=status.HTTP_429_TOO_MANY_REQUESTS,
    )
    response["Retry-After"] = str(int(get_cool_off(request).total_seconds()))
    return response


class SignInLocked(APIException):
    """The API's answer to a locked-out sign-in: 429 with ``Retry-After``, like a throttle."""

    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_code = "sign_in_locked"

    def __init__(self, request):
        super().__init__(lockout_message(request))
        self.wait = int(get_cool_off(request).total_seconds())


def is_locked_out(request, username):
    """Whether ``username`` or the request's address is locked out now. The API's token view
    asks after a refused sign-in, to tell a lockout from a wrong password."""
    return not AxesProxyHandler.is_allowed(request, {"username": username})

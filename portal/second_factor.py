"""Optional second factor (issue 9.4): a time-based one-time code (TOTP, django-otp) after the
password, required of HQ and officers when ``REQUIRE_SECOND_FACTOR`` is on.

It is off by default so that the demo signs in with a password alone. When it is on, a
reviewer signed in with a password alone is sent to set up an authenticator app (first time)
or to enter its code; every page and the session-authenticated API wait until then. The API's
token endpoint asks the same people for the code in the ``otp`` field.
"""

from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django_otp import user_has_device

from .access import needs_second_factor

#: What an unverified reviewer may still reach: the two steps themselves, signing out, the
#: language switch.
EXEMPT = {"second-factor-setup", "second-factor-verify", "logout", "login", "set_language"}


def next_step(user):
    """The page a reviewer signed in with a password alone goes to."""
    return "second-factor-verify" if user_has_device(user) else "second-factor-setup"


class SecondFactorMiddleware:
    """After django-otp's ``OTPMiddleware``, which tells whether the session passed a code."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not needs_second_factor(user) or user.is_verified():
            return None
        if request.resolver_match.url_name in EXEMPT:
            return None
        target = reverse(next_step(user))
        return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")

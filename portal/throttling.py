"""The API's throttles (issue 9.4), named in ``REST_FRAMEWORK["DEFAULT_THROTTLE_CLASSES"]``.

DRF imports them while it defines ``APIView``, so this module imports nothing that imports
DRF's views (``portal.rest`` does)."""

from django.conf import settings
from rest_framework import throttling


class SettingsRateMixin:
    """DRF's throttles read their rates once, when DRF is imported; these read
    ``settings.API_THROTTLE_RATES`` on every request, so a deployment's variables and a test's
    ``settings`` override both apply. A rate of ``None`` turns that throttle off."""

    def get_rate(self):
        return settings.API_THROTTLE_RATES.get(self.scope)

    def allow_request(self, request, view):
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)


class AnonRateThrottle(SettingsRateMixin, throttling.AnonRateThrottle):
    """Requests without a sign-in (the token endpoint, the schema's refusal), per address."""


class UserRateThrottle(SettingsRateMixin, throttling.UserRateThrottle):
    """Requests of a person's token or session, or an integration's key, per account."""

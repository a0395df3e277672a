"""Settings for the test suite: the portal's own, with the development keys allowed.

``portal.settings`` starts with DEBUG off and refuses to run without real secrets; the tests
need neither real secrets nor tracebacks (Django's test runner turns DEBUG off again), so they
ask for development mode before the settings are read."""

import os

os.environ.setdefault("DJANGO_DEBUG", "1")

from portal.settings import *  # noqa: E402, F403

# The API is not throttled in tests (the permission sweep alone sends thousands of requests);
# tests/test_throttling.py sets small rates where it checks the throttles.
API_THROTTLE_RATES = {"anon": None, "user": None}  # noqa: F405 (overrides the portal's)

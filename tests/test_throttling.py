"""Issue 9.4: the API is throttled per account and, without a sign-in, per address; a throttled
request gets 429 with ``Retry-After`` and a message in the request's language.

The test settings turn throttling off (``tests/settings.py``); these tests set small rates.
Throttle counters live in the cache, which is emptied around each test."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.cache import cache

pytestmark = pytest.mark.django_db

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def rates(settings):
    settings.API_THROTTLE_RATES = {"anon": "2/minute", "user": "3/minute"}


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def test_an_account_over_its_rate_gets_429_with_retry_after(api, company, rates, clock):
    client = api.as_user(company)
    for _ in range(3):
        assert client.get("/api/v1/offices/").status_code == 200
    response = client.get("/api/v1/offices/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 429
    assert response["Retry-After"] == "60"
    assert response.json()["detail"] == "Too many requests: try again in 60 seconds."


def test_the_message_is_korean_by_default(api, company, rates, clock):
    client = api.as_user(company)
    for _ in range(3):
        client.get("/api/v1/offices/")
    response = client.get("/api/v1/offices/")
    assert response.status_code == 429
    assert response.json()["detail"] == "요청이 너무 많습니다. 60초 후에 다시 시도하십시오."


def test_the_rate_is_per_account(api, company, other_company, rates, clock):
    for _ in range(4):
        api.as_user(company).get("/api/v1/offices/")
    assert api.as_user(company).get("/api/v1/offices/").status_code == 429
    assert api.as_user(other_company).get("/api/v1/offices/").status_code == 200


def test_the_account_may_go_on_once_the_period_has_passed(api, company, rates, clock):
    client = api.as_user(company)
    for _ in range(4):
        client.get("/api/v1/offices/")
    assert client.get("/api/v1/offices/").status_code == 429
    clock.shift(timedelta(seconds=61))
    assert client.get("/api/v1/offices/").status_code == 200


def test_requests_without_a_sign_in_are_throttled_per_address(api, rates, clock):
    """The token endpoint is the one API door open without a sign-in."""
    for _ in range(2):
        response = api.post(
            "/api/v1/auth/token/", {"username": "nobody", "password": "x"}, REMOTE_ADDR="192.0.2.9"
        )
        assert response.status_code == 400
    response = api.post(
        "/api/v1/auth/token/", {"username": "nobody", "password": "x"}, REMOTE_ADDR="192.0.2.9"
    )
    assert response.status_code == 429
    assert "Retry-After" in response
    other = api.post(
        "/api/v1/auth/token/", {"username": "nobody", "password": "x"}, REMOTE_ADDR="192.0.2.10"
    )
    assert other.status_code == 400


def test_the_settings_read_the_rates_from_the_environment(monkeypatch):
    import importlib

    import portal.settings

    monkeypatch.setenv("API_THROTTLE_USER_RATE", "7/second")
    monkeypatch.setenv("API_THROTTLE_ANON_RATE", "5/hour")
    monkeypatch.setenv("DJANGO_DEBUG", "1")
    try:
        reloaded = importlib.reload(portal.settings)
        assert reloaded.API_THROTTLE_RATES == {"anon": "5/hour", "user": "7/second"}
    finally:
        monkeypatch.undo()
        importlib.reload(portal.settings)


def test_the_test_settings_do_not_throttle(api, company):
    client = api.as_user(company)
    assert all(client.get("/api/v1/offices/").status_code == 200 for _ in range(30))

"""Issue 9.4: repeated failed sign-ins lock the username and the address out for a cool-off, on
the sign-in page, the admin's sign-in and the API's token endpoint; the right password is
refused until the cool-off has passed.

Failures are counted in the database (django-axes), so each test starts with none: the
transaction it ran in is rolled back."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from axes.models import AccessAttempt

pytestmark = pytest.mark.django_db

LIMIT = 3
COOL_OFF = timedelta(minutes=10)
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
ADDRESS = "203.0.113.7"
OTHER_ADDRESS = "198.51.100.20"


@pytest.fixture(autouse=True)
def small_limit(settings):
    settings.AXES_FAILURE_LIMIT = LIMIT
    settings.AXES_COOLOFF_TIME = COOL_OFF


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def page_sign_in(client, username, password, address=ADDRESS, **headers):
    return client.post(
        "/accounts/login/",
        {"username": username, "password": password},
        REMOTE_ADDR=address,
        **headers,
    )


def admin_sign_in(client, username, password, address=ADDRESS):
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR=address,
    )


def token_sign_in(api, username, password, address=ADDRESS):
    return api.post(
        "/api/v1/auth/token/",
        {"username": username, "password": password},
        format="json",
        REMOTE_ADDR=address,
    )


def signed_in(client):
    return "_auth_user_id" in client.session


def locked_out_at_the_limit(sign_in, client, user, password):
    """Through ``sign_in``: LIMIT - 1 wrong passwords are refused as wrong (200), the failure
    that reaches the limit is answered with the lockout already (429), and then the right
    password is refused (429) and signs nobody in. Returns that last answer."""
    for _ in range(LIMIT - 1):
        assert sign_in(client, user.username, "wrong").status_code == 200
    assert sign_in(client, user.username, "wrong").status_code == 429
    response = sign_in(client, user.username, password)
    assert response.status_code == 429
    assert not signed_in(client)
    return response


# --- the sign-in page -------------------------------------------------------------------------


def test_the_page_refuses_the_right_password_after_the_limit(client, company, password, clock):
    response = locked_out_at_the_limit(page_sign_in, client, company, password)
    assert int(response["Retry-After"]) == COOL_OFF.total_seconds()


def test_fewer_failures_than_the_limit_do_not_lock(client, company, password, clock):
    for _ in range(LIMIT - 1):
        page_sign_in(client, company.username, "wrong")
    assert page_sign_in(client, company.username, password).status_code == 302
    assert signed_in(client)


def test_the_lockout_page_says_why_and_for_how_long_in_korean_and_english(client, company, clock):
    for _ in range(LIMIT + 1):
        response = page_sign_in(client, company.username, "wrong")
    assert response.status_code == 429
    korean = response.content.decode()
    assert "로그인 시도가 너무 많이 실패했습니다" in korean
    assert "10분" in korean
    assert 'class="brand"' in korean  # the portal's frame, not a bare text answer

    english = page_sign_in(client, company.username, "wrong", HTTP_ACCEPT_LANGUAGE="en")
    assert english.status_code == 429
    text = english.content.decode()
    assert "Too many failed sign-in attempts" in text
    assert "10 minutes" in text


def test_the_right_password_works_again_after_the_cool_off(client, company, password, clock):
    for _ in range(LIMIT):
        page_sign_in(client, company.username, "wrong")
    clock.shift(COOL_OFF - timedelta(seconds=30))
    assert page_sign_in(client, company.username, password).status_code == 429

    # The refused attempt during the lockout was itself a failure: the cool-off runs from it.
    clock.shift(COOL_OFF + timedelta(seconds=1))
    assert page_sign_in(client, company.username, password).status_code == 302
    assert signed_in(client)


# --- per username and per address -------------------------------------------------------------


def test_a_username_is_locked_from_every_address(client, company, password, clock):
    for n in range(LIMIT):
        page_sign_in(client, company.username, "wrong", address=f"192.0.2.{n + 1}")
    assert page_sign_in(client, company.username, password, OTHER_ADDRESS).status_code == 429


def test_an_address_is_locked_for_every_username(client, accounts, kdb, password, clock):
    for username in ["company.jeju", "company.incheon", "officer.jeju"]:
        page_sign_in(client, username, "wrong")
    # kdb never failed, but this address tried too many accounts.
    assert page_sign_in(client, kdb.username, password).status_code == 429
    assert not signed_in(client)
    # From another address kdb signs in.
    assert page_sign_in(client, kdb.username, password, OTHER_ADDRESS).status_code == 302


# --- the admin's sign-in ----------------------------------------------------------------------


def test_the_admin_refuses_the_right_password_after_the_limit(client, hq, password, clock):
    locked_out_at_the_limit(admin_sign_in, client, hq, password)
    assert client.get("/admin/").status_code == 302  # still sent to sign in

    clock.shift(COOL_OFF + timedelta(seconds=1))
    assert admin_sign_in(client, hq.username, password).status_code == 302
    assert client.get("/admin/").status_code == 200


# --- the API's token endpoint -----------------------------------------------------------------


def test_the_token_endpoint_refuses_the_right_password_after_the_limit(
    api, company, password, clock
):
    for _ in range(LIMIT - 1):
        assert token_sign_in(api, company.username, "wrong").status_code == 400
    assert token_sign_in(api, company.username, "wrong").status_code == 429
    response = token_sign_in(api, company.username, password)
    assert response.status_code == 429
    assert "token" not in response.json()
    assert "Too many failed sign-in attempts" in response.json()["detail"] or (
        "로그인 시도가 너무 많이 실패했습니다" in response.json()["detail"]
    )
    assert int(response["Retry-After"]) == COOL_OFF.total_seconds()

    clock.shift(COOL_OFF + timedelta(seconds=1))
    response = token_sign_in(api, company.username, password)
    assert response.status_code == 200
    assert response.json()["token"]


def test_failures_count_across_the_ways_in(client, api, company, password, clock):
    """Guessing on the API and then on the page is still one guesser."""
    token_sign_in(api, company.username, "wrong")
    admin_sign_in(client, company.username, "wrong")
    page_sign_in(client, company.username, "wrong")
    assert token_sign_in(api, company.username, password).status_code == 429
    assert page_sign_in(client, company.username, password).status_code == 429


def test_hq_sees_and_lifts_a_lockout_in_the_admin(client, company, hq, password, clock):
    for _ in range(LIMIT):
        page_sign_in(client, company.username, "wrong")
    admin_client = type(client)()
    admin_client.force_login(hq)
    listing = admin_client.get("/admin/axes/accessattempt/", HTTP_ACCEPT_LANGUAGE="ko")
    assert listing.status_code == 200
    assert "실패 횟수" in listing.content.decode()

    attempt = AccessAttempt.objects.get(username=company.username)
    admin_client.post(f"/admin/axes/accessattempt/{attempt.pk}/delete/", {"post": "yes"})
    assert page_sign_in(client, company.username, password).status_code == 302


def test_only_hq_reaches_the_lockout_list(client, officer):
    client.force_login(officer)
    assert client.get("/admin/axes/accessattempt/").status_code == 302

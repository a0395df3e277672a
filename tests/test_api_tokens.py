"""Issue 9.4: a person's API token expires after ``API_TOKEN_TTL_HOURS`` and is revoked by
signing out (``POST /api/v1/auth/sign-out/``)."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from rest_framework.authtoken.models import Token

pytestmark = pytest.mark.django_db

TTL_HOURS = 8


@pytest.fixture(autouse=True)
def short_lifetime(settings):
    settings.API_TOKEN_TTL_HOURS = TTL_HOURS


def sign_in(api, user, password):
    response = api.post(
        "/api/v1/auth/token/", {"username": user.username, "password": password}, format="json"
    )
    assert response.status_code == 200, response.content
    return response.json()["token"]


def with_token(api, token):
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return api


def test_a_token_works_until_its_lifetime_ends(api, company, password):
    token = sign_in(api, company, password)
    signed_in_at = timezone.now()
    with time_machine.travel(signed_in_at + timedelta(hours=TTL_HOURS, minutes=-1)):
        assert with_token(api, token).get("/api/v1/investments/").status_code == 200


def test_an_expired_token_is_refused_with_401_and_a_clear_message(api, company, password):
    token = sign_in(api, company, password)
    with time_machine.travel(timezone.now() + timedelta(hours=TTL_HOURS, minutes=1)):
        response = with_token(api, token).get("/api/v1/investments/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json()["detail"] == (
        "This token has expired: sign in again at POST /api/v1/auth/token/ for a new one."
    )
    assert not Token.objects.filter(key=token).exists()


def test_the_expiry_message_is_korean_by_default(api, company, password):
    token = sign_in(api, company, password)
    with time_machine.travel(timezone.now() + timedelta(hours=TTL_HOURS, minutes=1)):
        response = with_token(api, token).get("/api/v1/investments/")
    assert response.status_code == 401
    assert "만료" in response.json()["detail"]


def test_signing_in_after_expiry_gives_a_new_token(api, company, password):
    old = sign_in(api, company, password)
    assert sign_in(api, company, password) == old  # still valid: the same token
    with time_machine.travel(timezone.now() + timedelta(hours=TTL_HOURS, minutes=1)):
        api.credentials()
        new = sign_in(api, company, password)
        assert new != old
        assert with_token(api, new).get("/api/v1/investments/").status_code == 200


def test_signing_out_revokes_the_token(api, company, password):
    token = sign_in(api, company, password)
    client = with_token(api, token)
    assert client.get("/api/v1/investments/").status_code == 200
    assert client.post("/api/v1/auth/sign-out/").status_code == 204
    assert not Token.objects.filter(key=token).exists()
    refused = client.get("/api/v1/investments/")
    assert refused.status_code == 401


def test_signing_out_touches_only_the_callers_token(api, company, other_company, password):
    mine = sign_in(api, company, password)
    theirs = sign_in(api, other_company, password)
    assert with_token(api, mine).post("/api/v1/auth/sign-out/").status_code == 204
    assert with_token(api, theirs).get("/api/v1/investments/").status_code == 200


def test_signing_out_needs_a_sign_in(api):
    assert api.post("/api/v1/auth/sign-out/").status_code == 401

"""Issue 9.4 (optional): with ``REQUIRE_SECOND_FACTOR`` on, HQ and officers enter a code from an
authenticator app (TOTP) after the password — on the pages and at the API's token endpoint.
Off by default, so the demo signs in with a password alone."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

pytestmark = pytest.mark.django_db

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def required(settings):
    settings.REQUIRE_SECOND_FACTOR = True


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def code(device):
    return f"{totp(device.bin_key, step=device.step, digits=device.digits):06d}"


def set_up(client, user):
    client.force_login(user)
    page = client.get("/accounts/second-factor/setup/")
    assert page.status_code == 200
    device = TOTPDevice.objects.get(user=user)
    assert device.config_url.split("secret=")[1].split("&")[0] in page.content.decode()
    response = client.post("/accounts/second-factor/setup/", {"code": code(device)})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    return device


def test_an_officer_is_sent_to_set_up_an_app_first(client, officer, required, clock):
    client.force_login(officer)
    response = client.get("/investors/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/second-factor/setup/?next=")


def test_setting_up_confirms_the_app_and_opens_the_portal(client, officer, required, clock):
    set_up(client, officer)
    assert client.get("/investors/").status_code == 200


def test_a_wrong_code_sets_nothing_up(client, officer, required, clock):
    client.force_login(officer)
    client.get("/accounts/second-factor/setup/")
    response = client.post("/accounts/second-factor/setup/", {"code": "000000"})
    assert response.status_code == 400
    assert not TOTPDevice.objects.get(user=officer).confirmed
    assert client.get("/investors/").status_code == 302


def test_the_next_sign_in_asks_for_the_code(client, hq, required, clock):
    device = set_up(client, hq)
    clock.shift(timedelta(minutes=1))  # a code is good once: the next one is another

    later = Client()
    later.force_login(hq)
    response = later.get("/investors/")
    assert response["Location"].startswith("/accounts/second-factor/?next=")
    # Knowing the password is not enough to add another app.
    assert later.get("/accounts/second-factor/setup/")["Location"] == "/accounts/second-factor/"
    assert later.post("/accounts/second-factor/", {"code": "123456"}).status_code == 400
    assert later.get("/investors/").status_code == 302
    clock.shift(timedelta(seconds=30))  # a wrong code makes the app wait before the next try
    answered = later.post(
        "/accounts/second-factor/?next=/investors/",
        {"code": code(device), "next": "/investors/"},
    )
    assert answered["Location"] == "/investors/"
    assert later.get("/investors/").status_code == 200


def test_companies_are_not_asked(client, company, required):
    client.force_login(company)
    assert client.get("/investors/").status_code == 200


def test_off_by_default(client, officer):
    client.force_login(officer)
    assert client.get("/investors/").status_code == 200


def test_the_token_endpoint_asks_reviewers_for_the_code(api, client, hq, password, required, clock):
    device = set_up(client, hq)
    clock.shift(timedelta(minutes=1))
    body = {"username": hq.username, "password": password}
    refused = api.post("/api/v1/auth/token/", body, format="json")
    assert refused.status_code == 400
    assert "otp" in refused.json()
    assert "token" not in refused.json()
    granted = api.post("/api/v1/auth/token/", {**body, "otp": code(device)}, format="json")
    assert granted.status_code == 200
    assert granted.json()["token"]


def test_the_token_endpoint_does_not_ask_companies(api, company, password, required):
    body = {"username": company.username, "password": password}
    assert api.post("/api/v1/auth/token/", body, format="json").status_code == 200

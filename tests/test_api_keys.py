"""Keys per integration (issue 13.2): an institution administrator issues a key for each of its
systems with scopes, an expiry and a label; the last use is shown; revocation takes effect at
once; the people's sign-in token stays as it is."""

from datetime import date, timedelta

import pytest
import time_machine
from django.utils import timezone

from investments.models import Payment
from portal.models import ApiKey
from tests.factories import api_key

pytestmark = pytest.mark.django_db


def with_key(api, secret):
    api.credentials(HTTP_AUTHORIZATION=f"Api-Key {secret}")
    return api


def pay(api, investment, **extra):
    body = {"investment": investment.pk, "paid_on": "2024-10-01", "amount_krw": 5, "kind": "final"}
    return api.post("/api/v1/payments/", {**body, **extra}, format="json")


def test_a_key_reads_and_writes_as_its_own_integration_account(api, company, jeju_ledger):
    key, secret = api_key(company, label="Back-office ERP")
    client = with_key(api, secret)

    assert client.get("/api/v1/investments/").data["count"] == 1
    response = pay(client, jeju_ledger.investment)

    assert response.status_code == 201, response.data
    payment = Payment.objects.get(pk=response.data["id"])
    entry = payment.history.get()
    assert entry.history_user == key.user != company
    assert key.user.organisation == company.organisation
    assert key.user.first_name == "Back-office ERP"
    key.refresh_from_db()
    assert key.last_used_at is not None


def test_a_scope_refuses_a_write(api, company, jeju_ledger):
    _key, secret = api_key(company, scopes=["ledger.read"])
    client = with_key(api, secret)
    assert client.get("/api/v1/payments/").status_code == 200
    response = pay(client, jeju_ledger.investment)
    assert response.status_code == 403
    assert "ledger.write" in response.data["detail"]
    assert (
        client.post(
            "/api/v1/monthly-notices/", {"period": "2024-09", "program": "tourism"}, format="json"
        ).status_code
        == 403
    )
    assert Payment.objects.count() == 3


def test_each_write_needs_its_own_scope(api, company, jeju_ledger):
    _key, secret = api_key(company, scopes=["ledger.read", "notices.submit"])
    client = with_key(api, secret)
    computed = client.post(
        "/api/v1/monthly-notices/", {"period": "2024-09", "program": "tourism"}, format="json"
    )
    assert computed.status_code == 201, computed.data
    assert pay(client, jeju_ledger.investment).status_code == 403


def test_an_expired_key_is_refused(api, company, jeju_ledger):
    _key, secret = api_key(company, days=3)
    with time_machine.travel(timezone.now() + timedelta(days=4)):
        response = with_key(api, secret).get("/api/v1/investments/")
    assert response.status_code == 401
    assert response.data["detail"] == "만료된 API 키입니다."


def test_revocation_takes_effect_at_once(api, client, company, jeju_ledger):
    key, secret = api_key(company)
    keys = with_key(api, secret)
    assert keys.get("/api/v1/investments/").status_code == 200

    api.credentials()
    revoked = api.as_user(company).post(f"/api/v1/api-keys/{key.pk}/revoke/")
    assert revoked.status_code == 200
    assert revoked.data["state"] == "revoked"

    assert with_key(api, secret).get("/api/v1/investments/").status_code == 401
    key.user.refresh_from_db()
    assert key.user.is_active is False


@pytest.mark.parametrize("secret", ["ipk_nothere_x", "garbage", "ipk_"])
def test_an_unknown_key_is_401(api, secret):
    assert with_key(api, secret).get("/api/v1/investments/").status_code == 401


def test_a_wrong_secret_with_a_real_prefix_is_401(api, company):
    key, secret = api_key(company)
    assert with_key(api, secret[:-2] + "xx").get("/api/v1/zones/").status_code == 401


def test_the_administrator_issues_through_the_api_and_sees_the_key_once(api, company):
    company.is_institution_admin = True
    company.save()
    expires = (timezone.localdate() + timedelta(days=90)).isoformat()
    response = api.as_user(company).post(
        "/api/v1/api-keys/",
        {"label": "KDB sync", "scopes": ["ledger.read"], "expires_on": expires},
        format="json",
    )
    assert response.status_code == 201, response.data
    secret = response.data["key"]
    assert secret.startswith(f"ipk_{response.data['prefix']}_")
    listed = api.get("/api/v1/api-keys/").data["results"]
    assert [row["label"] for row in listed] == ["KDB sync"]
    assert "key" not in listed[0] and "secret_hash" not in listed[0]
    assert with_key(api, secret).get("/api/v1/zones/").status_code == 200


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"label": "", "scopes": ["ledger.read"]}, "label"),
        ({"label": "x", "scopes": []}, "scopes"),
        ({"label": "x", "scopes": ["everything"]}, "scopes"),
        ({"label": "x", "scopes": ["ledger.read"], "expires_on": "2020-01-01"}, "expires_on"),
        ({"label": "x", "scopes": ["ledger.read"], "expires_on": "2099-01-01"}, "expires_on"),
    ],
)
def test_bad_keys_are_refused(api, company, body, field):
    company.is_institution_admin = True
    company.save()
    body.setdefault("expires_on", (date.today() + timedelta(days=30)).isoformat())
    response = api.as_user(company).post("/api/v1/api-keys/", body, format="json")
    assert response.status_code == 400
    assert field in response.data
    assert not ApiKey.objects.exists()


@pytest.mark.parametrize("who", ["company", "officer", "hq"])
def test_only_an_institution_administrator_manages_keys(request, api, who):
    user = request.getfixturevalue(who)
    user.is_institution_admin = False  # the demo makes every institution's account one
    user.save()
    assert api.as_user(user).get("/api/v1/api-keys/").status_code == 403


def test_a_key_cannot_issue_keys_nor_see_another_organisations(api, company, other_company):
    other, _secret = api_key(other_company)
    _key, secret = api_key(company, scopes=["ledger.read", "ledger.write"])
    client = with_key(api, secret)
    assert client.get("/api/v1/api-keys/").status_code == 403
    api.credentials()
    assert api.as_user(company).post(f"/api/v1/api-keys/{other.pk}/revoke/").status_code == 404


def test_the_people_s_sign_in_token_still_works(api, company):
    token = api.post(
        "/api/v1/auth/token/", {"username": "company.jeju", "password": "correct-horse-battery"}
    )
    assert token.status_code == 200
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.data['token']}")
    assert api.get("/api/v1/investments/").status_code == 200


def test_the_administrator_issues_and_revokes_on_the_portal_page(client, company, officer):
    company.is_institution_admin = True
    company.save()
    client.force_login(company)
    expires = (timezone.localdate() + timedelta(days=30)).isoformat()
    page = client.post(
        "/integrations/",
        {"label": "Nightly sync", "scopes": ["ledger.read", "reports.file"], "expires_on": expires},
    )
    assert page.status_code == 200
    key = ApiKey.objects.get()
    assert f"ipk_{key.prefix}_" in page.content.decode()
    assert client.get("/integrations/").content.decode().count(f"ipk_{key.prefix}_") == 0

    assert client.post(f"/integrations/{key.pk}/revoke/").status_code == 302
    key.refresh_from_db()
    assert key.revoked_at is not None and key.revoked_by == company

    refused = client.post("/integrations/", {"label": "", "scopes": [], "expires_on": expires})
    assert refused.status_code == 400
    client.force_login(officer)
    assert client.get("/integrations/").status_code == 403


def test_hq_names_an_institution_s_administrators_in_the_admin(client, hq, company):
    company.is_institution_admin = False
    company.save()
    client.force_login(hq)
    form = client.get(f"/admin/portal/user/{company.pk}/change/")
    assert form.status_code == 200
    assert 'name="is_institution_admin"' in form.content.decode()

"""Issue 9.1: only HQ administrators reach the admin, and every admin view — change, history,
history detail, autocomplete — reaches rows only through ``visible_to`` (SPEC §7)."""

import pytest
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.http import Http404
from django.test import RequestFactory

from investments import services as ledger
from investments.models import Investor
from portal.access import may_use_admin
from portal.models import User

pytestmark = pytest.mark.django_db


def test_of_the_demo_accounts_only_hq_is_staff(accounts):
    staff = {name for name, user in accounts.items() if user.is_staff}
    assert staff == {"hq"}


@pytest.mark.parametrize("persona", ["officer", "company", "kdb"])
def test_an_account_outside_hq_cannot_be_made_staff(request, persona):
    user = request.getfixturevalue(persona)
    user.is_staff = True
    with pytest.raises(ValidationError) as refused:
        user.full_clean()
    assert "is_staff" in refused.value.message_dict


@pytest.mark.parametrize("persona", ["officer", "company", "kdb"])
def test_an_account_wrongly_marked_staff_still_stays_out_of_the_admin(client, request, persona):
    user = request.getfixturevalue(persona)
    User.objects.filter(pk=user.pk).update(is_staff=True)
    user.refresh_from_db()
    client.force_login(user)

    response = client.get("/admin/")

    assert not may_use_admin(user)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_hq_reaches_the_admin_and_the_history_of_any_investor(client, hq, jeju_ledger):
    client.force_login(hq)
    investor = jeju_ledger.investor

    assert client.get("/admin/").status_code == 200
    assert client.get(f"/admin/investments/investor/{investor.pk}/history/").status_code == 200
    version = investor.history.latest().history_id
    detail = f"/admin/investments/investor/{investor.pk}/history/{version}/"
    assert client.get(detail).status_code == 200


@pytest.mark.parametrize("view", ["history_view", "history_form_view"])
def test_history_views_find_only_rows_the_gate_shows(view, other_company, jeju_ledger):
    """Even for an account inside the admin, django-simple-history's views would look the
    investor up without the gate; ours answer "not found" for another institution's row."""
    investor = jeju_ledger.investor
    request = RequestFactory().get("/")
    request.user = other_company
    model_admin = admin.site._registry[Investor]
    arguments = [str(investor.pk)]
    if view == "history_form_view":
        arguments.append(str(investor.history.latest().history_id))

    with pytest.raises(Http404):
        getattr(model_admin, view)(request, *arguments)


def test_a_recovery_has_one_public_verb_and_it_opens_the_report_obligation(jeju_ledger):
    assert not hasattr(ledger, "record_recovery")
    assert jeju_ledger.recovery.obligation.kind == "withdrawal_report"

"""Clear identification numbers only by a logged reveal (issue 9.2, SPEC §7): an officer of
the investor's competent office or HQ reveals one investor's clear passport or alien
registration number by stating a purpose; companies and KDB never get a clear value back;
every reveal and every officer's or HQ's read of an investor's record writes an append-only
access record (who, when, from where, whose record, what, why), kept for the retention period
and then deleted by a daily job.
"""

from datetime import timedelta

import pytest
from django.core import checks
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from investments import privacy
from investments.models import PersonalDataAccess
from portal import access
from tests.conftest import JEJU_ARN, JEJU_PASSPORT

API = "/api/v1"
ARN = JEJU_ARN.replace("-", "")


def reveal(api, user, investor, **body):
    return api.as_user(user).post(
        f"{API}/investors/{investor.pk}/reveal/",
        {"purpose": "identity check at the counter", **body},
        format="json",
        REMOTE_ADDR="203.0.113.7",
    )


# --- who may reveal ---------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["officer", "hq"])
def test_an_officer_of_the_competent_office_or_hq_reveals_the_passport(
    request, api, jeju_ledger, role
):
    user = request.getfixturevalue(role)
    investor = jeju_ledger.investor
    response = reveal(api, user, investor)
    assert response.status_code == 200, response.content
    answer = {"investor": investor.pk, "number": "passport", "value": JEJU_PASSPORT}
    assert response.json() == answer
    assert response["Cache-Control"] == "no-store"
    record = PersonalDataAccess.objects.get(action="reveal_passport")
    assert (record.user, record.investor, record.purpose, record.address) == (
        user,
        investor,
        "identity check at the counter",
        "203.0.113.7",
    )
    assert timezone.now() - record.at < timedelta(minutes=1)


def test_the_alien_registration_number_is_revealed_on_request(api, officer, jeju_ledger):
    response = reveal(api, officer, jeju_ledger.investor, number="alien_registration")
    assert response.status_code == 200
    assert response.json()["value"] == ARN
    assert PersonalDataAccess.objects.get().action == "reveal_arn"


@pytest.mark.parametrize("role", ["company", "kdb", "other_company"])
def test_institutions_never_get_a_clear_number(request, api, jeju_ledger, role):
    # the company that entered the number: 403; KDB and another company do not see the
    # investor at all: 404.
    response = reveal(api, request.getfixturevalue(role), jeju_ledger.investor)
    assert response.status_code == (403 if role == "company" else 404)
    assert JEJU_PASSPORT not in response.content.decode()
    assert not PersonalDataAccess.objects.exists()


def test_an_officer_of_another_office_does_not_find_the_investor(
    api, officer_sejongno, jeju_ledger
):
    response = reveal(api, officer_sejongno, jeju_ledger.investor)
    assert response.status_code == 404
    assert not PersonalDataAccess.objects.exists()


def test_the_reveal_service_refuses_an_investor_outside_the_jurisdiction(
    officer_sejongno, jeju_ledger
):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        privacy.reveal_number(
            by=officer_sejongno, investor=jeju_ledger.investor, number="passport", purpose="x"
        )
    assert not PersonalDataAccess.objects.exists()


@pytest.mark.parametrize("purpose", ["", "   ", "x" * 301])
def test_a_reveal_needs_a_purpose(api, officer, jeju_ledger, purpose):
    response = reveal(api, officer, jeju_ledger.investor, purpose=purpose)
    assert response.status_code == 400
    assert "purpose" in response.json()
    assert JEJU_PASSPORT not in response.content.decode()
    assert not PersonalDataAccess.objects.exists()


def test_a_reveal_needs_a_sign_in(client, jeju_ledger):
    response = client.post(
        f"{API}/investors/{jeju_ledger.investor.pk}/reveal/",
        {"purpose": "x"},
        content_type="application/json",
    )
    assert response.status_code in (401, 403)
    assert not PersonalDataAccess.objects.exists()


def test_the_predicate_names_who_may_reveal(hq, officer, company, kdb):
    assert access.may_reveal(hq) and access.may_reveal(officer)
    assert not access.may_reveal(company) and not access.may_reveal(kdb)


# --- the investor page ------------------------------------------------------------------------


def test_an_officer_reveals_on_the_investor_page(client, officer, jeju_ledger):
    investor = jeju_ledger.investor
    client.force_login(officer)
    page = client.get(reverse("investor-detail", args=[investor.pk]))
    assert reverse("investor-reveal", args=[investor.pk]) in page.content.decode()
    assert JEJU_PASSPORT not in page.content.decode()

    response = client.post(
        reverse("investor-reveal", args=[investor.pk]),
        {"number": "passport", "purpose": "checking a duplicate client"},
        REMOTE_ADDR="198.51.100.4",
    )
    assert response.status_code == 200
    assert JEJU_PASSPORT in response.content.decode()
    assert response["Cache-Control"] == "no-store"
    record = PersonalDataAccess.objects.get(action="reveal_passport")
    assert (record.user, record.purpose, record.address) == (
        officer,
        "checking a duplicate client",
        "198.51.100.4",
    )


def test_the_page_form_needs_a_purpose(client, officer, jeju_ledger):
    client.force_login(officer)
    response = client.post(
        reverse("investor-reveal", args=[jeju_ledger.investor.pk]), {"number": "passport"}
    )
    assert response.status_code == 400
    assert JEJU_PASSPORT not in response.content.decode()
    assert not PersonalDataAccess.objects.filter(action="reveal_passport").exists()


def test_a_company_gets_no_reveal_form_and_no_clear_number(client, company, jeju_ledger):
    investor = jeju_ledger.investor
    client.force_login(company)
    page = client.get(reverse("investor-detail", args=[investor.pk]))
    assert reverse("investor-reveal", args=[investor.pk]) not in page.content.decode()
    response = client.post(
        reverse("investor-reveal", args=[investor.pk]),
        {"number": "passport", "purpose": "our own client"},
    )
    assert response.status_code == 403
    assert JEJU_PASSPORT not in response.content.decode()
    assert not PersonalDataAccess.objects.exists()


# --- reads are logged -------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["officer", "hq"])
def test_reads_of_the_investor_by_officers_and_hq_are_logged(
    request, client, api, jeju_ledger, role
):
    user = request.getfixturevalue(role)
    investor = jeju_ledger.investor
    client.force_login(user)
    assert client.get(reverse("investor-detail", args=[investor.pk])).status_code == 200
    assert api.as_user(user).get(f"{API}/investors/{investor.pk}/").status_code == 200
    records = PersonalDataAccess.objects.order_by("pk")
    assert [(r.user, r.investor, r.action) for r in records] == [
        (user, investor, "read_page"),
        (user, investor, "read_api"),
    ]
    assert all(r.address == "127.0.0.1" for r in records)


def test_institutions_reading_their_own_client_are_not_logged(client, api, company, jeju_ledger):
    investor = jeju_ledger.investor
    client.force_login(company)
    assert client.get(reverse("investor-detail", args=[investor.pk])).status_code == 200
    assert api.as_user(company).get(f"{API}/investors/{investor.pk}/").status_code == 200
    assert not PersonalDataAccess.objects.exists()


# --- append-only ------------------------------------------------------------------------------


@pytest.fixture
def record(officer, jeju_ledger):
    privacy.reveal_number(
        by=officer, investor=jeju_ledger.investor, number="passport", purpose="identity check"
    )
    return PersonalDataAccess.objects.get()


def test_a_record_cannot_be_changed_or_deleted_through_the_model(record):
    record.purpose = "something else"
    with pytest.raises(ValueError):
        record.save()
    with pytest.raises(ValueError):
        record.delete()
    with pytest.raises(ValueError):
        PersonalDataAccess.objects.filter(pk=record.pk).update(purpose="x")
    with pytest.raises(ValueError):
        PersonalDataAccess.objects.all().delete()
    assert PersonalDataAccess.objects.get().purpose == "identity check"


def test_the_database_refuses_an_update(record):
    table = connection.ops.quote_name(PersonalDataAccess._meta.db_table)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET purpose = 'x'")  # noqa: S608
    assert PersonalDataAccess.objects.get().purpose == "identity check"


def test_the_admin_shows_the_log_to_hq_read_only(client, hq, officer, record):
    client.force_login(hq)
    changelist = reverse("admin:investments_personaldataaccess_changelist")
    assert client.get(changelist).status_code == 200
    change = reverse("admin:investments_personaldataaccess_change", args=[record.pk])
    client.post(change, {"purpose": "edited"})
    delete = reverse("admin:investments_personaldataaccess_delete", args=[record.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert PersonalDataAccess.objects.get().purpose == "identity check"
    client.force_login(officer)
    assert client.get(changelist).status_code in (302, 403, 404)


# --- retention (issue 9.2: kept at least two years) -------------------------------------------


def backdate(user, investor, days):
    return PersonalDataAccess.objects.create(
        user=user,
        investor=investor,
        action="read_page",
        at=timezone.now() - timedelta(days=days),
    )


def test_the_job_deletes_only_records_older_than_the_retention(settings, officer, jeju_ledger):
    from investments.tasks import purge_personal_data_access_task

    settings.PERSONAL_DATA_ACCESS_RETENTION_DAYS = 730
    investor = jeju_ledger.investor
    old = [backdate(officer, investor, days) for days in (731, 2000)]
    kept = [backdate(officer, investor, days) for days in (729, 1)]
    result = purge_personal_data_access_task.delay()
    assert result.get() == 2
    remaining = set(PersonalDataAccess.objects.values_list("pk", flat=True))
    assert remaining == {r.pk for r in kept}
    assert not remaining & {r.pk for r in old}
    # safe to re-run
    assert privacy.purge_access_log() == 0


def test_the_retention_job_is_scheduled_daily(settings):
    schedule = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "investments.tasks.purge_personal_data_access_task" in schedule


def test_the_command_purges_too(settings, officer, jeju_ledger):
    from django.core.management import call_command

    backdate(officer, jeju_ledger.investor, 800)
    backdate(officer, jeju_ledger.investor, 10)
    call_command("purge_personal_data_log")
    assert PersonalDataAccess.objects.count() == 1


@pytest.mark.parametrize(("days", "refused"), [(729, True), (0, True), (730, False), (3650, False)])
def test_a_retention_under_two_years_is_refused_at_start(settings, days, refused):
    from investments.checks import check_personal_data_retention

    settings.PERSONAL_DATA_ACCESS_RETENTION_DAYS = days
    errors = check_personal_data_retention(None)
    assert bool(errors) is refused
    assert all(error.level >= checks.ERROR for error in errors)
    if refused:
        assert errors[0].id == "investments.E001"

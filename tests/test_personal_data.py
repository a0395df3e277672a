"""Passport and alien registration numbers are unique identification information (PIPA
art. 24, SPEC §3 and §7): encrypted at rest, found through a keyed hash, shown masked, never
returned in clear by the API, absent from the audit history, and one person across
institutions.
"""

from datetime import date

import pytest
from django.db import connection

from investments.models import Investor, Person
from portal.crypto import mask
from tests.factories import client, investor_body

API = "/api/v1"
PASSPORT = "E12345678"  # conftest.JEJU_PASSPORT
ARN = "7504125123456"  # conftest.JEJU_ARN, normalised
SECRETS = [PASSPORT, ARN, "750412-5123456"]


def raw_rows(table, where="", params=()):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)} {where}", params)  # noqa: S608
        return cursor.fetchall()


def as_text(row):
    return " | ".join("" if value is None else str(value) for value in row)


def assert_no_secret(text):
    for secret in SECRETS:
        assert secret not in text
        assert secret.lower() not in text.lower()


# --- at rest ------------------------------------------------------------------------------------


def test_the_investor_row_holds_no_clear_passport_or_alien_registration_number(jeju_ledger):
    rows = raw_rows("investments_investor", "WHERE id = %s", [jeju_ledger.investor.pk])
    assert len(rows) == 1
    assert_no_secret(as_text(rows[0]))


def test_the_encrypted_columns_are_filled_not_blank(jeju_ledger):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT passport_number, alien_registration_number, passport_hash "
            "FROM investments_investor WHERE id = %s",
            [jeju_ledger.investor.pk],
        )
        passport, arn, passport_hash = cursor.fetchone()
    assert passport and arn and passport_hash
    assert passport != PASSPORT and arn != ARN


def test_the_same_passport_is_encrypted_differently_each_time(kdb, jeju_ledger):
    client(kdb, name="Wang Fang", date_of_birth=date(1975, 4, 12), passport=PASSPORT)
    with connection.cursor() as cursor:
        cursor.execute("SELECT passport_number FROM investments_investor")
        ciphertexts = [row[0] for row in cursor.fetchall()]
    assert len(ciphertexts) == 2
    assert ciphertexts[0] != ciphertexts[1]


def test_the_orm_reads_back_the_clear_values(jeju_ledger):
    investor = Investor.objects.get(pk=jeju_ledger.investor.pk)
    assert investor.passport_number == PASSPORT
    assert investor.alien_registration_number == ARN


@pytest.mark.parametrize(
    ("value", "masked"),
    [("E12345678", "E1*****78"), ("7504125123456", "75*********56"), ("AB12", "****"), ("", "")],
)
def test_mask_hides_the_middle(value, masked):
    assert mask(value) == masked


def test_the_investor_shows_masked_numbers(jeju_ledger):
    investor = Investor.objects.get(pk=jeju_ledger.investor.pk)
    assert investor.passport_number_masked == "E1*****78"
    assert investor.alien_registration_number_masked == "75*********56"
    assert PASSPORT[2:-2] not in investor.passport_number_masked


def test_the_encrypted_column_cannot_be_searched_only_the_keyed_hash(jeju_ledger):
    from django.core.exceptions import FieldError

    with pytest.raises(FieldError):
        Investor.objects.filter(passport_number=PASSPORT).exists()


# --- audit history ------------------------------------------------------------------------------


def test_history_rows_do_not_contain_the_clear_numbers(jeju_ledger):
    # a second version of the row
    investor = Investor.objects.get(pk=jeju_ledger.investor.pk)
    investor.email = "wang@example.com"
    investor.save()

    history_tables = [
        table for table in connection.introspection.table_names() if "historical" in table
    ]
    assert "investments_historicalinvestor" in history_tables
    assert len(raw_rows("investments_historicalinvestor")) >= 2
    for table in history_tables:
        for row in raw_rows(table):
            assert_no_secret(as_text(row))


# --- the API never returns the clear value ------------------------------------------------------


@pytest.mark.parametrize("role", ["company", "officer", "hq"])
def test_no_api_answer_contains_the_clear_passport(request, api, jeju_ledger, role):
    api.as_user(request.getfixturevalue(role))
    pk = jeju_ledger.investor.pk
    answers = [
        api.get(f"{API}/investors/"),
        api.get(f"{API}/investors/{pk}/"),
        api.post(f"{API}/investors/lookup/", {"passport_number": PASSPORT}, format="json"),
        api.get(f"{API}/investments/"),
        api.get(f"{API}/status-grants/"),
    ]
    for response in answers:
        assert response.status_code == 200
        assert_no_secret(response.content.decode())
    found = answers[2].json()
    assert [row["id"] for row in found["results"]] == [pk]
    assert found["results"][0]["passport_number_masked"] == "E1*****78"


def test_creating_an_investor_answers_without_the_clear_numbers(api, company):
    response = api.as_user(company).post(
        f"{API}/investors/",
        investor_body(PASSPORT, alien_registration_number="750412-5123456"),
        format="json",
    )
    assert response.status_code == 201, response.content
    assert_no_secret(response.content.decode())
    body = response.json()
    assert body["passport_number_masked"] == "E1*****78"
    assert body["alien_registration_number_masked"] == "75*********56"
    assert "passport_number" not in body
    assert "alien_registration_number" not in body

    rows = raw_rows("investments_investor", "WHERE id = %s", [body["id"]])
    assert_no_secret(as_text(rows[0]))


def test_an_error_answer_never_echoes_the_passport_number(api, company, jeju_ledger):
    response = api.as_user(company).post(
        f"{API}/investors/", investor_body("e1234 5678"), format="json"
    )
    assert response.status_code == 400
    assert "passport_number" in response.json()
    assert_no_secret(response.content.decode())
    assert "1234 5678" not in response.content.decode()


# --- one person across institutions -------------------------------------------------------------


def test_the_same_passport_at_company_jeju_and_kdb_is_one_person(api, kdb, jeju_ledger):
    response = api.as_user(kdb).post(
        f"{API}/investors/",
        investor_body("e1234-5678", full_name="WANG Fang"),
        format="json",
    )
    assert response.status_code == 201, response.content

    records = Investor.objects.filter(passport_hash=jeju_ledger.investor.passport_hash)
    assert records.count() == 2
    assert {r.institution_id for r in records} == {
        jeju_ledger.owner.organisation_id,
        kdb.organisation_id,
    }
    assert len({r.person_id for r in records}) == 1
    assert Person.objects.count() == 1


def test_same_passport_number_of_another_nationality_is_another_person(kdb, jeju_ledger):
    client(kdb, name="Other", nationality="TW", date_of_birth=date(1990, 1, 1), passport=PASSPORT)
    assert Person.objects.count() == 2


def test_kdb_does_not_see_company_jejus_record_of_the_same_person(api, kdb, jeju_ledger):
    api.as_user(kdb)
    api.post(f"{API}/investors/", investor_body(PASSPORT), format="json")
    found = api.post(
        f"{API}/investors/lookup/", {"passport_number": PASSPORT}, format="json"
    ).json()
    assert found["count"] == 1
    assert found["results"][0]["id"] != jeju_ledger.investor.pk
    assert api.get(f"{API}/investors/{jeju_ledger.investor.pk}/").status_code == 404

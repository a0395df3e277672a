"""The bulk import through the API (SPEC §5.4, §8.2): the template download and the upload,
who may use them, and what a refused file answers."""

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from investments.models import Investment, Investor, Payment, Person, Recovery
from portal import xlsx
from reporting import imports
from reporting.models import Obligation
from tests.xlsx_support import workbook as template

pytestmark = pytest.mark.django_db

TEMPLATE = "/api/v1/imports/template/"
UPLOAD = "/api/v1/imports/"
MODELS = [Person, Investor, Investment, Payment, Recovery, Obligation]


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"  # what LocaleMiddleware falls back to on API requests
    with translation.override("en"):
        yield


def snapshot():
    return {model.__name__: model.objects.count() for model in MODELS}


def rows(amount_krw=100_000_000):
    """One Jeju client, one unit, a down payment of ``amount_krw`` and a partial recovery."""
    return {
        "investors": [["W1", "person", "Wang Fang", "CN", date(1975, 4, 12), "E12345678"]],
        "investments": [
            ["I1", "W1", "tourism", "jeju", None, "registered_owner", "Halla Resort", "A-1203",
             "resort-condominium", date(2024, 3, 4), 1_000_000_000],
        ],
        "payments": [["I1", date(2024, 3, 4), amount_krw, "down"]],
        "recoveries": [["I1", date(2025, 2, 3), 50_000_000, "sale"]],
    }  # fmt: skip


def upload(sheets, name="ledger.xlsx"):
    """The template filled with ``sheets`` (rows as lists in the template's column order)."""
    workbook = template(imports.template_sheets())
    for sheet, values in sheets.items():
        for row in values:
            workbook[sheet].append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=xlsx.MIME)


def post(api, user, file):
    return api.as_user(user).post(UPLOAD, {"file": file}, format="multipart")


# --- the template -----------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["company", "kdb", "officer", "hq"])
def test_the_template_downloads_as_an_xlsx_attachment(request, api, persona):
    response = api.as_user(request.getfixturevalue(persona)).get(TEMPLATE)

    assert response.status_code == 200
    assert response["Content-Type"] == xlsx.MIME
    assert response["Content-Disposition"].startswith("attachment;")
    workbook = template(response)
    assert workbook.sheetnames == ["README", *[sheet.name for sheet in imports.SHEETS]]
    for sheet in imports.SHEETS:
        assert [cell.value for cell in workbook[sheet.name][1]] == sheet.keys
    assert workbook["investors"]["A1"].comment is not None
    codes = {row[1] for row in workbook["README"].iter_rows(values_only=True)}
    assert {"jeju", "kdb-fund", "resort-condominium", "early_repayment", "departure"} <= codes


def test_the_template_needs_a_signed_in_user(api):
    assert api.get(TEMPLATE).status_code == 401


# --- the upload -------------------------------------------------------------------------------


def test_a_good_file_answers_201_with_the_counts_and_opens_the_report(api, company):
    response = post(api, company, upload(rows()))

    assert response.status_code == 201, response.content
    assert response.json() == {
        "created": {
            "investors": 1,
            "investments": 1,
            "payments": 1,
            "recoveries": 1,
            "lapses": 0,
            "relatives": 0,
        }
    }
    obligations = api.get("/api/v1/obligations/", {"kind": "withdrawal_report"}).json()
    assert [(o["due_on"], o["recipient_office"]) for o in obligations["results"]] == [
        ("2025-02-17", "jeju")
    ]


def test_a_bad_file_answers_400_with_every_error_and_saves_nothing(api, company):
    sheets = rows(amount_krw=-100_000_000)
    sheets["investments"][0][3] = "atlantis"
    before = snapshot()

    response = post(api, company, upload(sheets))

    assert response.status_code == 400
    errors = response.json()["errors"]
    assert {(e["sheet"], e["row"], e["column"], e["column_letter"]) for e in errors} == {
        ("investments", 2, "zone", "D"),
        ("payments", 2, "investment_ref", "A"),
        ("recoveries", 2, "investment_ref", "A"),
    }
    assert all(e["message"] for e in errors)
    assert snapshot() == before


def test_a_negative_amount_is_named_by_row_and_column(api, company):
    response = post(api, company, upload(rows(amount_krw=-5)))

    assert response.status_code == 400
    assert response.json()["errors"][0] == {
        "sheet": "payments",
        "row": 2,
        "column": "amount_krw",
        "column_letter": "C",
        "message": "The amount must be greater than zero.",
    }


@pytest.mark.parametrize("persona", ["officer", "officer_sejongno", "hq"])
def test_only_institutions_upload(request, api, persona):
    before = snapshot()
    response = post(api, request.getfixturevalue(persona), upload(rows()))
    assert response.status_code == 403
    assert snapshot() == before


def test_an_anonymous_upload_is_refused(api):
    response = api.post(UPLOAD, {"file": upload(rows())}, format="multipart")
    assert response.status_code == 401


def test_an_upload_without_a_file_is_a_clear_400(api, company):
    response = api.as_user(company).post(UPLOAD, {}, format="multipart")
    assert response.status_code == 400
    assert "file" in response.json()["errors"][0]["message"]


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (b"\x00\x01garbage" * 100, "ledger.xlsx"),
        (b"ref,kind,full_name\nW1,person,Wang Fang\n", "ledger.xlsx"),
        (b"PK\x05\x06" + b"\x00" * 18, "ledger.xlsx"),  # an empty zip
    ],
    ids=["random-bytes", "csv-renamed", "empty-zip"],
)
def test_a_broken_file_answers_400(api, company, content, name):
    before = snapshot()
    response = post(api, company, SimpleUploadedFile(name, content))
    assert response.status_code == 400
    assert "not a valid .xlsx" in response.json()["errors"][0]["message"]
    assert snapshot() == before


def test_a_file_over_the_size_limit_answers_413(api, company, settings):
    settings.LEDGER_IMPORT_MAX_BYTES = 10 * 1024
    before = snapshot()
    response = post(api, company, upload(rows()))
    assert response.status_code == 413
    assert "larger than 10 KiB" in response.json()["errors"][0]["message"]
    assert snapshot() == before


def test_a_body_far_over_the_limit_is_refused_before_it_is_read(api, company, settings):
    settings.LEDGER_IMPORT_MAX_BYTES = 1024
    huge = SimpleUploadedFile("ledger.xlsx", b"\x00" * (200 * 1024))
    response = post(api, company, huge)
    assert response.status_code == 413


def test_the_endpoints_are_in_the_published_schema(api, company):
    schema = api.as_user(company).get("/api/v1/schema/", {"format": "json"}).json()
    assert "post" in schema["paths"]["/api/v1/imports/"]
    assert "get" in schema["paths"]["/api/v1/imports/template/"]


def test_a_retried_upload_with_an_idempotency_key_imports_once(api, company):
    file = upload(rows())
    first = api.as_user(company).post(
        UPLOAD, {"file": file}, format="multipart", HTTP_IDEMPOTENCY_KEY="ledger-2024-03"
    )
    file.seek(0)
    again = api.post(
        UPLOAD, {"file": file}, format="multipart", HTTP_IDEMPOTENCY_KEY="ledger-2024-03"
    )
    assert first.status_code == again.status_code == 201, first.data
    assert again["Idempotent-Replayed"] == "true"
    assert Investment.objects.count() == 1

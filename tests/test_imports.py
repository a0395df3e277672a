"""SPEC §5.4 bulk import: one template, every row validated, any error refuses the whole file
with sheet, row, column and reason, and nothing is saved (SPEC §7 "bad input")."""

import io
import time
import zipfile
from datetime import date, datetime
from decimal import Decimal

import openpyxl.xml
import pytest
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.utils import translation

from investments.models import (
    Investment,
    Investor,
    Lapse,
    Payment,
    Recovery,
    RelatedPerson,
)
from reporting import imports
from reporting.models import Obligation
from seeds.demo.writer import MODELS as LEDGER_MODELS
from tests.xlsx_support import workbook as template

pytestmark = pytest.mark.django_db

#: The ledger's tables (as the demo writer lists them, status grants included) and the
#: obligations a recovery opens: an import refused saves a row in none of them.
MODELS = [*LEDGER_MODELS, Obligation]
HISTORY = [Investor, RelatedPerson, Investment, Payment, Recovery, Lapse]


@pytest.fixture(autouse=True)
def english():
    """Messages are asserted in English whatever the default language."""
    with translation.override("en"):
        yield


def snapshot():
    rows = {model.__name__: model.objects.count() for model in MODELS}
    return rows | {f"history:{model.__name__}": model.history.count() for model in HISTORY}


def good_rows():
    """Two Jeju clients of a sales company: units, payments, a recovery and a lapse."""
    return {
        "investors": [
            {
                "ref": "W1",
                "kind": "person",
                "full_name": "Wang Fang",
                "nationality": "CN",
                "date_of_birth": date(1975, 4, 12),
                "passport_number": "E12345678",
                "email": "wang@example.com",
                "residence_office": "jeju",
            },
            {
                "ref": "L2",
                "full_name": "Li Na",
                "nationality": "cn",
                "date_of_birth": "1980-02-29",
                "passport_number": "EA7654321",
            },
        ],
        "investments": [
            {
                "ref": "I1",
                "investor_ref": "W1",
                "program": "tourism",
                "zone": "jeju",
                "investor_class": "registered_owner",
                "property_name": "Halla Resort",
                "unit_number": "A-1203",
                "facility_type": "resort-condominium",
                "contract_date": date(2024, 3, 4),
                "contract_amount_krw": 1_000_000_000.0,  # Excel keeps numbers as floats
                "registered_on": date(2024, 9, 2),
            },
            {
                "ref": "I2",
                "investor_ref": "L2",
                "program": "tourism",
                "zone": "jeju",
                "investor_class": "membership_holder",
                "property_name": "Halla Resort",
                "unit_number": 1204,
                "facility_type": "resort-condominium",
                "contract_date": "2024-05-02",
                "contract_amount_krw": 1_000_000_000,
            },
        ],
        "payments": [
            {"investment_ref": "I1", "paid_on": date(2024, 3, 4), "amount_krw": 100_000_000,
             "kind": "down"},
            {"investment_ref": "I1", "paid_on": date(2024, 6, 3), "amount_krw": 400_000_000,
             "kind": "intermediate"},
            {"investment_ref": "I1", "paid_on": date(2024, 9, 2), "amount_krw": 500_000_000,
             "kind": "final"},
            {"investment_ref": "I2", "paid_on": date(2024, 5, 2), "amount_krw": 100_000_000,
             "kind": "down", "currency": "usd", "original_amount": 75000.5},
        ],
        "recoveries": [
            {"investment_ref": "I1", "recovered_on": date(2025, 2, 3), "amount_krw": 200_000_000,
             "reason": "sale"},
        ],
        "lapses": [
            {"investment_ref": "I1", "kind": "mortgage", "started_on": date(2025, 3, 3),
             "ended_on": date(2025, 6, 30)},
        ],
        "relatives": [
            {"investor_ref": "W1", "relation": "spouse", "full_name": "Zhao Min",
             "nationality": "CN", "date_of_birth": date(1977, 1, 9),
             "passport_number": "E22223333"},
            {"investor_ref": "W1", "relation": "child", "full_name": "Wang Lei",
             "nationality": "cn", "date_of_birth": "2012-08-01"},
        ],
    }  # fmt: skip


def xlsx(sheets, name="ledger.xlsx", edit=None):
    """The downloaded template filled with ``sheets`` (sheet → rows as dicts by key)."""
    workbook = template(imports.template_sheets())
    for sheet, rows in sheets.items():
        ws = workbook[sheet]
        keys = [cell.value for cell in ws[1]]
        for row in rows:
            ws.append([row.get(key) for key in keys])
    if edit:
        edit(workbook)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    buffer.name = name
    return buffer


def refused(by, file):
    before = snapshot()
    with pytest.raises(imports.ImportRejected) as caught:
        imports.import_ledger(by=by, file=file)
    assert snapshot() == before
    return caught.value.errors


def where(errors):
    return {(e["sheet"], e["row"], e["column"]) for e in errors}


# --- a good file ------------------------------------------------------------------------------


def test_a_good_file_creates_every_row_through_the_service_verbs(company):
    result = imports.import_ledger(by=company, file=xlsx(good_rows()))

    assert result.created == {
        "investors": 2,
        "investments": 2,
        "payments": 4,
        "recoveries": 1,
        "lapses": 1,
        "relatives": 2,
    }
    wang = Investor.objects.get(institution=company.organisation, full_name="Wang Fang")
    assert wang.residence_office.code == "jeju"
    child, spouse = wang.related_persons.order_by("relation")
    assert (child.relation, child.full_name, child.nationality) == ("child", "Wang Lei", "CN")
    assert (spouse.relation, spouse.passport_number) == ("spouse", "E22223333")
    assert (wang.passport_number, wang.date_of_birth) == ("E12345678", date(1975, 4, 12))
    li = Investor.objects.get(institution=company.organisation, full_name="Li Na")
    assert (li.nationality, li.date_of_birth) == ("CN", date(1980, 2, 29))
    first, second = Investment.objects.filter(investor__in=[wang, li]).order_by("contract_date")
    assert (first.zone.code, first.office.code, first.contract_amount_krw) == (
        "jeju",
        "jeju",
        1_000_000_000,
    )
    assert second.unit.unit_number == "1204"
    assert sum(first.payments.values_list("amount_krw", flat=True)) == 1_000_000_000
    usd = second.payments.get()
    assert (usd.currency, usd.original_amount) == ("USD", Decimal("75000.50"))
    recovery = first.recoveries.get()
    assert (recovery.amount_krw, recovery.is_full) == (200_000_000, False)
    assert recovery.obligation.kind == "withdrawal_report"
    assert recovery.obligation.due_on == date(2025, 2, 17)
    assert first.lapses.get().kind == "mortgage"
    assert Investor.history.filter(history_user=company).count() == 2


def test_kdb_imports_a_public_interest_deposit_and_its_early_repayment(kdb):
    rows = {
        "investors": [
            {"ref": 1, "full_name": "Nguyen Van An", "nationality": "VN",
             "date_of_birth": date(1968, 11, 2), "passport_number": "G87654321"},
        ],
        "investments": [
            {"ref": 10, "investor_ref": 1, "program": "public_interest", "project": "kdb-fund",
             "investor_class": "depositor", "contract_date": date(2024, 7, 1),
             "contract_amount_krw": 1_500_000_000},
        ],
        "payments": [
            {"investment_ref": 10, "paid_on": date(2024, 7, 1), "amount_krw": 1_500_000_000,
             "kind": "deposit"},
        ],
        "recoveries": [
            {"investment_ref": 10, "recovered_on": date(2025, 1, 15), "amount_krw": 100_000_000,
             "reason": "early_repayment"},
        ],
    }  # fmt: skip
    imports.import_ledger(by=kdb, file=xlsx(rows))

    obligation = Obligation.objects.get(institution=kdb.organisation)
    assert obligation.recipient_office.code == "sejongno"
    assert obligation.investment.project.code == "kdb-fund"


@pytest.mark.slow
def test_five_hundred_rows_import_in_linear_time(company):
    rows = {"investors": [], "investments": [], "payments": []}
    for n in range(125):
        rows["investors"].append(
            {"ref": f"P{n}", "full_name": f"Client {n}", "nationality": "CN",
             "date_of_birth": date(1970, 1, 1), "passport_number": f"E{n:08d}"}
        )  # fmt: skip
        rows["investments"].append(
            {"ref": f"U{n}", "investor_ref": f"P{n}", "program": "tourism", "zone": "jeju",
             "investor_class": "registered_owner", "property_name": "Halla Resort",
             "unit_number": f"{n}", "facility_type": "resort-condominium",
             "contract_date": date(2024, 3, 4), "contract_amount_krw": 1_000_000_000}
        )  # fmt: skip
        for day, kind in [(date(2024, 3, 4), "down"), (date(2024, 9, 2), "final")]:
            rows["payments"].append(
                {"investment_ref": f"U{n}", "paid_on": day, "amount_krw": 500_000_000,
                 "kind": kind}
            )  # fmt: skip
    started = time.monotonic()
    result = imports.import_ledger(by=company, file=xlsx(rows))
    assert sum(result.created.values()) == 500
    assert time.monotonic() - started < 60


# --- bad rows: every error reported, nothing saved --------------------------------------------


def test_every_bad_row_is_reported_with_sheet_row_and_column_and_nothing_is_saved(company):
    rows = good_rows()
    rows["payments"][1]["amount_krw"] = -400_000_000  # payments row 3
    rows["investments"][1]["zone"] = "atlantis"  # investments row 3 (payments row 5 uses it)
    rows["lapses"][0]["started_on"] = "03/03/2025"  # lapses row 2
    rows["recoveries"][0]["amount_krw"] = 2_000_000_000  # recoveries row 2

    errors = refused(company, xlsx(rows))

    assert where(errors) == {
        ("investments", 3, "zone"),
        ("payments", 3, "amount_krw"),
        ("payments", 5, "investment_ref"),
        ("recoveries", 2, "amount_krw"),
        ("lapses", 2, "started_on"),
    }
    by_place = {(e["sheet"], e["row"]): e for e in errors}
    assert by_place["payments", 3]["column_letter"] == "C"
    assert "greater than zero" in by_place["payments", 3]["message"]
    assert "Unknown code “atlantis”" in by_place["investments", 3]["message"]
    assert "row 3 of sheet investments" in by_place["payments", 5]["message"]
    assert "exceeds what is held" in by_place["recoveries", 2]["message"]
    assert "YYYY-MM-DD" in by_place["lapses", 2]["message"]


CASES = {
    "negative-amount": ("payments", 1, {"amount_krw": -5}, "amount_krw", "greater than zero"),
    "zero-amount": ("payments", 1, {"amount_krw": 0}, "amount_krw", "greater than zero"),
    "fractional-amount": ("payments", 1, {"amount_krw": 1.5}, "amount_krw", "whole number"),
    "amount-with-separators": ("payments", 1, {"amount_krw": "1,000"}, "amount_krw", "whole"),
    "amount-as-boolean": ("payments", 1, {"amount_krw": True}, "amount_krw", "whole number"),
    "amount-too-large": ("payments", 1, {"amount_krw": 10**16}, "amount_krw", "larger"),
    "unknown-payment-kind": ("payments", 0, {"kind": "cash"}, "kind", "Unknown code"),
    "deposit-on-a-tourism-unit": ("payments", 0, {"kind": "deposit"}, "kind", "program"),
    "unknown-currency": ("payments", 3, {"currency": "XYZ"}, "currency", "ISO 4217"),
    "foreign-currency-without-amount": (
        "payments", 3, {"original_amount": None}, "original_amount", "original currency"
    ),
    "payment-in-the-future": ("payments", 0, {"paid_on": date(2999, 1, 1)}, "paid_on", "future"),
    "unknown-zone": ("investments", 1, {"zone": "atlantis"}, "zone", "Unknown code"),
    "impossible-date": ("investments", 0, {"contract_date": "2024-13-01"}, "contract_date",
                        "YYYY-MM-DD"),
    "date-in-local-format": ("investments", 0, {"contract_date": "04/03/2024"},
                             "contract_date", "YYYY-MM-DD"),
    "number-instead-of-date": ("investments", 0, {"contract_date": 45000}, "contract_date",
                               "YYYY-MM-DD"),
    "date-with-time": ("investments", 0, {"contract_date": datetime(2024, 3, 4, 12, 30)},
                       "contract_date", "time of day"),
    "facility-not-eligible-in-zone": ("investments", 0,
                                      {"facility_type": "sports-linked-housing"},
                                      "facility_type", "not eligible"),
    "registered-before-contract": ("investments", 0, {"registered_on": date(2024, 1, 1)},
                                   "registered_on", "precede"),
    "investor-ref-not-in-file": ("investments", 0, {"investor_ref": "NOPE"}, "investor_ref",
                                 "No row of sheet investors"),
    "unknown-nationality": ("investors", 0, {"nationality": "XX"}, "nationality", "ISO 3166"),
    "person-without-birth-date": ("investors", 1, {"date_of_birth": None}, "date_of_birth",
                                  "date of birth"),
    "missing-name": ("investors", 0, {"full_name": "  "}, "full_name", "required"),
    "bad-email": ("investors", 0, {"email": "not-an-email"}, "email", "email"),
    "duplicate-ref": ("investors", 1, {"ref": "W1"}, "ref", "already used on row 2"),
    "duplicate-passport-in-file": ("investors", 1, {"passport_number": "E12345678"},
                                   "passport_number", "already has a client"),
    "recovery-larger-than-paid": ("recoveries", 0, {"amount_krw": 2_000_000_000}, "amount_krw",
                                  "exceeds"),
    "unknown-recovery-reason": ("recoveries", 0, {"reason": "lottery"}, "reason", "Unknown"),
    "lapse-ending-before-it-starts": ("lapses", 0, {"ended_on": date(2025, 1, 1)}, "ended_on",
                                      "cannot end before"),
    "unknown-lapse-kind": ("lapses", 0, {"kind": "holiday"}, "kind", "Unknown code"),
}  # fmt: skip


@pytest.mark.parametrize(
    ("sheet", "index", "change", "column", "text"), list(CASES.values()), ids=list(CASES)
)
def test_one_bad_cell_refuses_the_whole_file(company, sheet, index, change, column, text):
    rows = good_rows()
    rows[sheet][index].update(change)

    errors = refused(company, xlsx(rows))

    matching = [
        e for e in errors if (e["sheet"], e["row"], e["column"]) == (sheet, index + 2, column)
    ]
    assert matching, errors
    assert text.lower() in matching[0]["message"].lower(), matching
    assert matching[0]["column_letter"]


def test_a_passport_already_in_the_callers_ledger_is_a_row_error(company, jeju_ledger):
    errors = refused(company, xlsx(good_rows()))  # Wang Fang's passport is jeju_ledger's

    assert ("investors", 2, "passport_number") in where(errors)
    assert ("investments", 2, "investor_ref") in where(errors)


def test_refs_are_file_local_so_another_organisations_rows_cannot_be_reached(
    other_company, jeju_ledger
):
    rows = good_rows()
    rows["investments"][0]["investor_ref"] = jeju_ledger.investor.pk
    rows["payments"].append({**rows["payments"][0], "investment_ref": jeju_ledger.investment.pk})

    errors = refused(other_company, xlsx(rows))

    assert ("investments", 2, "investor_ref") in where(errors)
    assert ("payments", 6, "investment_ref") in where(errors)


def test_another_institution_may_import_the_same_person_as_its_own_client(
    other_company, jeju_ledger
):
    imports.import_ledger(by=other_company, file=xlsx(good_rows()))

    own = Investor.objects.get(institution=other_company.organisation, full_name="Wang Fang")
    assert own.pk != jeju_ledger.investor.pk
    assert own.person_id == jeju_ledger.investor.person_id  # recognised, not merged
    assert jeju_ledger.investor.investments.count() == 1


@pytest.mark.parametrize("persona", ["officer", "hq"])
def test_only_an_institution_imports(request, persona):
    before = snapshot()
    with pytest.raises(PermissionDenied):
        imports.import_ledger(by=request.getfixturevalue(persona), file=xlsx(good_rows()))
    assert snapshot() == before


# --- the file itself --------------------------------------------------------------------------


def zipped(members):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    buffer.seek(0)
    buffer.name = "ledger.xlsx"
    return buffer


def named(content, name="ledger.xlsx"):
    buffer = io.BytesIO(content)
    buffer.name = name
    return buffer


BROKEN = {
    "random-bytes": lambda: named(bytes(range(256)) * 64),
    "csv-renamed-xlsx": lambda: named(b"ref,kind,full_name\nW1,person,Wang Fang\n"),
    "empty-file": lambda: named(b""),
    "empty-zip": lambda: zipped({}),
    "zip-without-a-workbook": lambda: zipped({"hello.txt": "hello"}),
    "truncated-xlsx": lambda: named(xlsx(good_rows()).getvalue()[:5000]),
    "xlsx-named-xls": lambda: xlsx(good_rows(), name="ledger.xls"),
}


@pytest.mark.parametrize("make", list(BROKEN.values()), ids=list(BROKEN))
def test_a_broken_file_is_refused_clearly(company, make):
    errors = refused(company, make())

    assert [e["message"] for e in errors] == [
        "This is not a valid .xlsx file (Excel 2007 or later)."
    ]


def test_an_oversized_file_is_refused_before_it_is_parsed(company, settings):
    settings.LEDGER_IMPORT_MAX_BYTES = 10 * 1024
    before = snapshot()
    with pytest.raises(imports.FileTooLarge) as caught:
        imports.import_ledger(by=company, file=xlsx(good_rows()))
    assert "larger than 10 KiB" in caught.value.errors[0]["message"]
    assert snapshot() == before


def test_a_file_that_unpacks_to_too_much_is_refused(company, settings):
    settings.LEDGER_IMPORT_MAX_UNZIPPED_BYTES = 10 * 1024
    errors = refused(company, xlsx(good_rows()))
    assert "unpacks" in errors[0]["message"]


def test_a_sheet_over_the_row_limit_is_refused(company, settings):
    settings.LEDGER_IMPORT_MAX_ROWS = 3
    errors = refused(company, xlsx(good_rows()))  # four payments
    assert [(e["sheet"], e["message"]) for e in errors] == [
        ("payments", "More than 3 rows: split the file.")
    ]


def entity(n):
    return f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">'


LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol0 "lol">'
    + "".join(entity(n) for n in range(1, 10))
    + "]>"
)
EXTERNAL = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
SHEET = (
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    '<row r="1"><c r="A1" t="inlineStr"><is><t>{}</t></is></c></row></sheetData></worksheet>'
)


def test_openpyxl_parses_through_defusedxml():
    assert openpyxl.xml.DEFUSEDXML is True


def test_the_import_refuses_to_parse_without_defusedxml(company, monkeypatch):
    monkeypatch.setattr(openpyxl.xml, "DEFUSEDXML", False)
    with pytest.raises(ImproperlyConfigured):
        imports.import_ledger(by=company, file=xlsx(good_rows()))


@pytest.mark.parametrize(
    ("part", "content"),
    [
        ("xl/worksheets/sheet2.xml", LAUGHS + SHEET.format("&lol9;")),
        ("xl/workbook.xml", LAUGHS + "<workbook>&lol9;</workbook>"),
        ("docProps/core.xml", LAUGHS + "<coreProperties>&lol9;</coreProperties>"),
        ("xl/worksheets/sheet2.xml", EXTERNAL + SHEET.format("&xxe;")),
    ],
    ids=["billion-laughs-in-a-sheet", "in-the-workbook", "in-doc-properties", "external-entity"],
)
def test_xml_entities_are_refused_without_being_expanded(company, part, content):
    original = zipfile.ZipFile(xlsx(good_rows()))
    members = {name: original.read(name) for name in original.namelist()}
    assert part in members
    members[part] = content

    started = time.monotonic()
    errors = refused(company, zipped(members))

    assert time.monotonic() - started < 5
    # Sheets go through defusedxml; with lxml installed, openpyxl parses the other parts with
    # lxml (entities unresolved, amplification capped), which refuses them as invalid XML.
    assert [e["message"] for e in errors] in (
        ["The file contains XML entity declarations."],
        ["This is not a valid .xlsx file (Excel 2007 or later)."],
    )
    if part.startswith("xl/worksheets/"):
        assert errors[0]["message"] == "The file contains XML entity declarations."


# --- the layout -------------------------------------------------------------------------------


def test_missing_and_unknown_sheets_are_named(company):
    def edit(workbook):
        del workbook["lapses"]
        workbook.create_sheet("Notes")

    errors = refused(company, xlsx(good_rows(), edit=edit))
    assert {(e["sheet"], e["message"]) for e in errors} == {
        ("Notes", "Unknown sheet: only the template's sheets are read."),
        ("lapses", "The sheet is missing."),
    }


def test_missing_and_unknown_columns_are_named_with_their_letter(company):
    def edit(workbook):
        workbook["payments"]["E1"] = None  # currency
        workbook["lapses"]["E1"] = "colour"

    errors = refused(company, xlsx(good_rows(), edit=edit))
    assert {(e["sheet"], e["row"], e["column"], e["column_letter"]) for e in errors} == {
        ("payments", 1, "currency", None),
        ("lapses", 1, "colour", "E"),
    }


def test_columns_may_come_in_any_order_and_blank_rows_are_skipped(company):
    def edit(workbook):
        del workbook["lapses"]
        ws = workbook.create_sheet("lapses")
        ws.append(["ended_on", "started_on", "kind", "investment_ref"])
        ws.append([])
        ws.append([date(2025, 6, 30), date(2025, 3, 3), "lease", "I1"])

    result = imports.import_ledger(by=company, file=xlsx(good_rows(), edit=edit))
    assert result.created["lapses"] == 1
    assert Lapse.objects.get(investment__investor__full_name="Wang Fang").kind == "lease"


def test_an_empty_template_is_refused(company):
    errors = refused(company, xlsx({}))
    assert [e["message"] for e in errors] == ["The file has no rows to import."]


def test_a_workbook_with_macros_is_refused(company):
    """Issue 9.6: a macro-enabled workbook renamed to .xlsx (it carries vbaProject.bin) is
    refused before it is parsed, and nothing is imported."""
    original = zipfile.ZipFile(xlsx(good_rows()))
    members = {name: original.read(name) for name in original.namelist()}
    members["xl/vbaProject.bin"] = b"\xd0\xcf\x11\xe0 macro storage"

    errors = refused(company, zipped(members))

    assert [e["message"] for e in errors] == ["The file contains macros; save it as a plain .xlsx."]


def test_identification_numbers_of_the_wrong_shape_refuse_the_file_naming_the_cell(company):
    """Issue 9.6: a Chinese passport is E + 8 digits or E + letter + 7 digits; an alien
    registration number is 13 digits starting with a real date of birth."""
    rows = good_rows()
    rows["investors"][0]["passport_number"] = "E1234"  # investors row 2
    rows["investors"][1]["alien_registration_number"] = "751312-5123456"  # month 13, row 3

    errors = refused(company, xlsx(rows))

    assert ("investors", 2, "passport_number") in where(errors)
    assert ("investors", 3, "alien_registration_number") in where(errors)
    texts = " ".join(e["message"] for e in errors)
    assert "E12345678" in texts and "750412-5123456" in texts


# --- family members and the residence office (issue 11.4, issue 8) ----------------------------


def test_bad_relatives_and_an_unknown_office_are_named_by_cell_and_nothing_is_saved(company):
    rows = good_rows()
    rows["investors"][1]["residence_office"] = "atlantis"
    rows["relatives"] = [
        {"investor_ref": "W1", "relation": "cousin", "full_name": "A", "nationality": "CN",
         "date_of_birth": date(1990, 1, 1)},
        {"investor_ref": "NOPE", "relation": "spouse", "full_name": "B", "nationality": "CN",
         "date_of_birth": date(1990, 1, 1)},
        {"investor_ref": "W1", "relation": "child", "full_name": "C", "nationality": "CN",
         "date_of_birth": date(2999, 1, 1)},
        {"investor_ref": "W1", "relation": "child", "full_name": "D", "nationality": "CN"},
    ]  # fmt: skip
    errors = refused(company, xlsx(rows))
    assert {(e["sheet"], e["row"], e["column"], e["column_letter"]) for e in errors} == {
        ("investors", 3, "residence_office", "I"),
        # what depends on the refused client is named too
        ("investments", 3, "investor_ref", "B"),
        ("payments", 5, "investment_ref", "A"),
        ("relatives", 2, "relation", "B"),
        ("relatives", 3, "investor_ref", "A"),
        ("relatives", 4, "date_of_birth", "E"),
        ("relatives", 5, "date_of_birth", "E"),
    }
    assert not RelatedPerson.objects.exists()


def test_a_file_from_the_template_before_relatives_and_residence_office_still_imports(company):
    def edit(workbook):
        del workbook["relatives"]
        workbook["investors"].delete_cols(9)  # residence_office

    rows = good_rows()
    del rows["relatives"]
    result = imports.import_ledger(by=company, file=xlsx(rows, edit=edit))
    assert result.created["investors"] == 2 and result.created["relatives"] == 0
    assert Investor.objects.get(full_name="Wang Fang").residence_office is None

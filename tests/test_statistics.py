"""National statistics (issue 13.7): HQ sees national trends as charts and tables and
publishes them as open data (CSV, .xlsx, API) in which a cell counting fewer than five
investors is suppressed — and, so that it cannot be recovered by subtracting the others from
a total, enough further cells of its group to hide at least five investors in two cells."""

import csv
import io
from datetime import date

import pytest
from openpyxl import load_workbook

from reporting.statistics import Cell, suppress
from tests.factories import jeju_investment

OCTOBER = date(2025, 10, 1)


def group(*counts):
    return [
        Cell(OCTOBER, "tourism", "nationality", f"C{i}", "new_investments", n, n)
        for i, n in enumerate(counts)
    ]


@pytest.mark.parametrize(
    ("counts", "hidden"),
    [
        ((9, 7, 5), []),  # nothing small
        ((9, 7, 1), [1, 2]),  # a lone small cell takes the next smallest with it
        ((9, 2, 1, 8), [1, 2, 3]),  # two small cells, 3 investors in all: one more
        ((3,), [0]),  # a group of one small cell
        ((4, 30), [0, 1]),
    ],
)
def test_suppression_hides_small_cells_and_their_complements(counts, hidden):
    cells = suppress(group(*counts), threshold=5)
    assert [i for i, cell in enumerate(cells) if cell.suppressed] == hidden
    published = [cell.published() for cell in cells if cell.suppressed]
    assert all(row["value"] is None and row["investors"] is None for row in published)


@pytest.fixture
def october(company):
    """Six Chinese, five Vietnamese and one Japanese investor buying Jeju units in 2025-10."""
    people = [("CN", 6), ("VN", 5), ("JP", 1)]
    n = 0
    for nationality, count in people:
        for _ in range(count):
            n += 1
            jeju_investment(
                company,
                name=f"Investor {n}",
                passport=f"PS{n:07d}",
                nationality=nationality,
                contract_date=date(2025, 10, 6),
                unit_number=f"U-{n}",
            )


def published(api, user, **params):
    response = api.as_user(user).get(
        "/api/v1/statistics/open-data/", {"from": "2025-10", "to": "2025-10", **params}
    )
    assert response.status_code == 200
    return response


@pytest.mark.django_db
def test_the_open_data_suppresses_the_lone_japanese_investor_and_a_complement(
    api, other_company, october
):
    rows = published(api, other_company).data["results"]
    by_nationality = {
        row["category"]: row
        for row in rows
        if row["dimension"] == "nationality" and row["measure"] == "new_investments"
    }
    assert by_nationality["CN"]["value"] == 6
    assert by_nationality["JP"]["suppressed"] and by_nationality["JP"]["value"] is None
    assert by_nationality["VN"]["suppressed"]  # else 12 − 6 − 5 would give JP
    [jeju] = [
        row
        for row in rows
        if row["dimension"] == "zone_or_project" and row["measure"] == "new_investments"
    ]
    assert (jeju["category"], jeju["value"], jeju["investors"]) == ("jeju", 12, 12)
    assert not any("Investor" in str(value) for row in rows for value in row.values())


@pytest.mark.django_db
def test_csv_and_xlsx_carry_the_same_suppressed_rows(api, hq, october):
    text = published(api, hq, format="csv").content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    jp = next(r for r in rows if r["category"] == "JP" and r["measure"] == "new_investments")
    assert (jp["value"], jp["investors"], jp["suppressed"]) == ("", "", "True")
    book = load_workbook(io.BytesIO(published(api, hq, format="xlsx").content))
    sheet = book.active
    header = [c.value for c in sheet[1]]
    assert header[:5] == ["period", "program", "dimension", "category", "measure"]
    assert sheet.max_row == len(rows) + 1


@pytest.mark.django_db
def test_a_voided_payment_is_not_counted(api, hq, company):
    from investments import services as ledger

    investment = jeju_investment(company, contract_date=date(2025, 10, 6))
    ledger.void_entry(by=company, entry=investment.payments.get(), reason="Bounced")
    rows = published(api, hq).data["results"]
    assert not [row for row in rows if row["measure"] == "amount_paid_krw"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "params",
    [
        {"from": "2025-13"},
        {"from": "2025-10", "to": "2025-01"},
        {"from": "1990-01", "to": "2025-01"},
    ],
)
def test_a_bad_range_is_400(api, hq, params):
    response = api.as_user(hq).get("/api/v1/statistics/open-data/", params)
    assert response.status_code == 400


@pytest.mark.django_db
def test_hq_sees_the_national_page_with_charts_and_downloads(client, hq, october):
    client.force_login(hq)
    page = client.get("/hq/statistics/", {"from": "2025-10", "to": "2025-10"})
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count('<svg class="chart bars"') == 4
    assert "open-data.csv?from=2025-10&amp;to=2025-10" in html
    download = client.get("/hq/statistics/open-data.csv", {"from": "2025-10", "to": "2025-10"})
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment;")


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["company", "officer", "kdb"])
def test_only_hq_sees_the_page(client, request, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get("/hq/statistics/").status_code == 403
    assert client.get("/hq/statistics/open-data.csv").status_code == 403

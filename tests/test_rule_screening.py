"""R3: screening on a date (SPEC §4 R3, seed §6.E, §7.S(4), §7.S(5)).

Every bar is checked on its last day (still barred) and on the anniversary (ended), so an
off-by-one in either direction fails a test."""

from datetime import date

import pytest

from investments.rules.facts import Disqualification, Interval, InvestmentFacts, Parameters
from investments.rules.screening import Screening, screen

D = date.fromisoformat
PARAMS = Parameters()
M = 1_000_000


def record(kind: str, on: str, amount: int | None = None, ends_on: str | None = None):
    return Disqualification(kind, D(on), amount, D(ends_on) if ends_on else None)


def unit(*lapses: Interval, label: str = "Jeju A-1203") -> InvestmentFacts:
    return InvestmentFacts(
        id=7,
        program="tourism",
        investor_class="registered_owner",
        track="general",
        contract_date=D("2023-06-01"),
        contract_amount_krw=1000 * M,
        registered_on=D("2023-07-01"),
        minimum_krw=1000 * M,
        in_period=True,
        lapses=lapses,
        label=label,
    )


def run(records=(), investments=(), on="2025-01-01", params=PARAMS) -> Screening:
    return screen(records, investments, on=D(on), params=params)


def bar_case(source: str, kind: str, start: str, last_day: str, anniversary: str, **extra):
    """Two rows per bar: barred on its last day, free on the anniversary."""
    rec = record(kind, start, **extra)
    return [
        pytest.param(rec, last_day, False, D(last_day), id=f"{source}: {kind} last day"),
        pytest.param(rec, anniversary, True, None, id=f"{source}: {kind} anniversary"),
    ]


BARS = [
    *bar_case("seed 6.E", "prison", "2020-03-10", "2025-03-09", "2025-03-10"),
    *bar_case("seed 6.E", "suspended_sentence", "2020-03-10", "2025-03-09", "2025-03-10"),
    *bar_case("seed 6.E", "fine", "2022-03-01", "2025-02-28", "2025-03-01", amount=5 * M),
    *bar_case("seed 6.E leap day", "fine", "2020-02-29", "2023-02-28", "2023-03-01", amount=5 * M),
    *bar_case("seed 6.E", "deportation", "2018-07-01", "2025-06-30", "2025-07-01"),
    *bar_case("seed 6.E", "departure_order", "2020-07-01", "2025-06-30", "2025-07-01"),
    *bar_case("seed 6.E", "immigration_fine", "2022-07-01", "2025-06-30", "2025-07-01"),
    *bar_case("seed 6.E", "false_documents", "2022-07-01", "2025-06-30", "2025-07-01"),
    *bar_case("seed 6.E", "foreign_prison", "2020-07-01", "2025-06-30", "2025-07-01"),
    *bar_case("seed 6.E", "entry_ban", "2024-01-01", "2025-06-30", "2025-07-01",
              ends_on="2025-06-30"),
    pytest.param(record("entry_ban", "2024-01-01"), "2090-01-01", False, None,
                 id="seed 6.E: entry_ban without end bars for good"),
    pytest.param(record("foreign_serious_crime", "1990-01-01"), "2090-01-01", False, None,
                 id="seed 6.E: foreign_serious_crime never ends"),
    pytest.param(record("fine", "2024-01-01", 3 * M - 1), "2024-01-02", True, None,
                 id="seed 6.E: fine of 2,999,999 does not bar"),
    pytest.param(record("fine", "2024-01-01", 3 * M), "2024-01-02", False, D("2026-12-31"),
                 id="seed 6.E: fine of 3,000,000 bars"),
    pytest.param(record("fine", "2024-01-01"), "2024-01-02", False, D("2026-12-31"),
                 id="decision: fine without amount bars"),
    pytest.param(record("prison", "2026-01-01"), "2025-01-01", False, D("2030-12-31"),
                 id="seed 6.E: sentence not yet completed bars"),
]  # fmt: skip


@pytest.mark.parametrize(("rec", "on", "passes", "barred_until"), BARS)
def test_each_disqualification(rec, on, passes, barred_until):
    result = run([rec], on=on)
    assert (result.passes, result.barred_until) == (passes, barred_until)
    assert all(r.rule == "R3" for r in result.reasons)


def test_bar_reason_gives_its_end_date():
    result = run([record("fine", "2022-03-01", 5 * M)], on="2024-01-01")
    reason = result.reasons[0]
    assert reason.text == "fine of KRW 5,000,000 paid 2022-03-01: barred until 2025-02-28"
    assert reason.source == "seed §6.E, §7.S(4)"


def test_fine_at_the_threshold_notes_the_seed_discrepancy():
    result = run([record("fine", "2024-01-01", 3 * M)], on="2024-06-01")
    note = result.reasons[0]
    assert note.source == "[decision] fine_disqualifying_krw"
    assert "§7.S(4)" in note.text and "§6.E followed" in note.text


def test_ended_bar_is_reported():
    result = run([record("prison", "2015-01-01")], on="2025-01-01")
    assert result.passes
    assert result.reasons[0].text == "prison sentence completed 2015-01-01: bar ended 2019-12-31"


def test_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="tax_evasion"):
        run([record("tax_evasion", "2024-01-01")])


@pytest.mark.parametrize(
    ("records", "barred_until"),
    [
        pytest.param(
            [record("prison", "2020-03-10"), record("deportation", "2019-01-01")],
            D("2025-12-31"),
            id="seed 6.E: the later of two bars",
        ),
        pytest.param(
            [record("prison", "2020-03-10"), record("entry_ban", "2024-01-01")],
            None,
            id="seed 6.E: a bar with no end wins",
        ),
    ],
)
def test_barred_until_is_the_last_day_of_all_bars(records, barred_until):
    result = run(records, on="2025-01-01")
    assert not result.passes
    assert result.barred_until == barred_until


@pytest.mark.parametrize(
    ("lapse", "passes", "barred_until"),
    [
        pytest.param(Interval("lease", D("2024-06-01"), D("2025-01-01")), False, D("2025-01-01"),
                     id="seed 6.E: leased, last day"),
        pytest.param(Interval("lease", D("2024-06-01"), D("2024-12-31")), True, None,
                     id="seed 6.E: lease ended the day before"),
        pytest.param(Interval("lease", D("2025-01-02")), True, None,
                     id="seed 6.E: lease starting tomorrow"),
        pytest.param(Interval("mortgage", D("2024-06-01")), False, None,
                     id="seed 6.E: mortgaged, no end"),
        pytest.param(Interval("seizure", D("2025-01-01"), D("2025-03-31")), False, D("2025-03-31"),
                     id="seed 6.E: seized from today"),
        pytest.param(Interval("profit_use", D("2024-01-01")), False, None,
                     id="seed 6.E: used for profit"),
        pytest.param(Interval("departure", D("2024-01-01")), True, None,
                     id="seed 6.E: departure is not a facility state"),
    ],
)  # fmt: skip
def test_facility_state(lapse, passes, barred_until):
    result = run(investments=[unit(lapse)], on="2025-01-01")
    assert (result.passes, result.barred_until) == (passes, barred_until)


def test_facility_reason_names_the_investment():
    lease = Interval("lease", D("2024-06-01"), D("2025-06-30"))
    result = run(investments=[unit(lease, label="Busan Haeundae 3-1502")])
    assert result.reasons[0].text == (
        "Busan Haeundae 3-1502: facility under lease from 2024-06-01, until 2025-06-30"
    )
    assert result.reasons[0].source == "seed §6.E"


def test_facility_and_bar_together_take_the_later_end():
    lease = Interval("lease", D("2024-06-01"), D("2026-06-30"))
    result = run([record("fine", "2022-03-01", 5 * M)], [unit(lease)], on="2025-01-01")
    assert not result.passes
    assert result.barred_until == D("2026-06-30")


SMALL_FINE = record("fine", "2024-01-01", 500_000)


@pytest.mark.parametrize(
    ("records", "on", "required"),
    [
        pytest.param([], "2025-01-01", False, id="seed 7.S(5): no violation"),
        pytest.param([record("fine", "2024-01-01", M - 1)], "2025-01-01", False,
                     id="seed 7.S(5): one fine under 1M is exempt"),
        pytest.param([record("immigration_fine", "2024-01-01", 500_000)], "2025-01-01", False,
                     id="seed 7.S(5): one small administrative fine is exempt"),
        pytest.param([record("fine", "2024-01-01", M)], "2025-01-01", True,
                     id="seed 7.S(5): one fine of 1M is not exempt"),
        pytest.param([record("fine", "2024-01-01")], "2025-01-01", True,
                     id="seed 7.S(5): fine without amount is not exempt"),
        pytest.param([record("fine", "2023-01-01", 500_000), SMALL_FINE],
                     "2025-01-01", True, id="seed 7.S(5): two small fines"),
        pytest.param([record("prison", "2016-01-01")], "2025-01-01", True,
                     id="seed 7.S(5): ended bar still within 10 years"),
        pytest.param([record("fine", "2015-01-01", 5 * M)], "2024-12-31", True,
                     id="seed 7.S(5): last day of the 10 years"),
        pytest.param([record("fine", "2015-01-01", 5 * M)], "2025-01-01", False,
                     id="seed 7.S(5): 10 years have passed"),
        pytest.param([record("foreign_prison", "2024-01-01")], "2025-01-01", False,
                     id="seed 7.S(5): foreign conviction is not a domestic violation"),
        pytest.param([record("foreign_serious_crime", "2024-01-01")], "2025-01-01", False,
                     id="seed 7.S(5): serious crime abroad is not a domestic violation"),
        pytest.param([SMALL_FINE, record("foreign_prison", "2020-01-01")],
                     "2025-01-01", False, id="seed 7.S(5): foreign record does not count"),
    ],
)  # fmt: skip
def test_civic_compliance_education(records, on, required):
    result = run(records, on=on)
    assert result.education_required is required
    assert result.reasons[-1].source == "seed §7.S(5)"


def test_clean_record_passes_with_reasons():
    result = run()
    assert result == Screening(True, None, False, result.reasons)
    assert [r.text for r in result.reasons] == [
        "no disqualification or facility lapse on 2025-01-01",
        "no violation of Korean law in the last 10 years: no education",
    ]


def test_params_drive_the_numbers():
    params = Parameters(fine_disqualifying_krw=5 * M, disqualification_years={"fine": 2})
    assert run([record("fine", "2023-01-01", 4 * M)], on="2024-01-01", params=params).passes
    barred = run([record("fine", "2023-01-01", 5 * M)], on="2024-01-01", params=params)
    assert barred.barred_until == D("2024-12-31")

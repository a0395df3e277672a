"""R1: the minimum in force on the contract date and the implementation period (SPEC §4 R1).

The thresholds and periods come from the shipped seeds/zones.json and seeds/programs.json, so
these tests check the data the portal loads as well as the rule."""

import json
from datetime import date, timedelta
from functools import cache
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from investments.rules.facts import Period, Threshold
from investments.rules.minimum import MinimumResult, minimum

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
D = date.fromisoformat
M = 1_000_000  # one million KRW


def _date(value: str | None) -> date | None:
    return D(value) if value else None


def _threshold(row: dict) -> Threshold:
    return Threshold(
        row["minimum_krw"], D(row["effective_from"]), _date(row["effective_to"]), row["source"]
    )


@cache
def zone(code: str) -> tuple[tuple[Threshold, ...], tuple[Period, ...]]:
    """The dated thresholds and periods of a zone, as shipped."""
    rows = json.loads((SEEDS / "zones.json").read_text(encoding="utf-8"))["zones"]
    row = next(z for z in rows if z["code"] == code)
    thresholds = tuple(_threshold(t) for t in row["thresholds"])
    periods = tuple(Period(D(p["start"]), D(p["end"]), p["source"]) for p in row["periods"])
    return thresholds, periods


@cache
def program(code: str, track: str) -> tuple[Threshold, ...]:
    """The dated minimums of a program's track, as shipped (no implementation periods)."""
    rows = json.loads((SEEDS / "programs.json").read_text(encoding="utf-8"))["minimums"]
    return tuple(_threshold(r) for r in rows if r["program"] == code and r["track"] == track)


def zone_minimum(code: str, on: str) -> MinimumResult:
    thresholds, periods = zone(code)
    return minimum(thresholds, D(on), periods=periods, label=code)


GANGNEUNG, HWAYANG, BUSAN = "gangneung-jeongdongjin", "yeosu-hwayang", "busan-haeundae"


def case(source: str, code: str, on: str, expected_minimum: int | None, in_period: bool):
    """One row of the table; the id names the seed section (or [public]) that sets it."""
    return pytest.param(code, on, expected_minimum, in_period, id=f"{source}: {code} {on}")


@pytest.mark.parametrize(
    ("code", "on", "expected_minimum", "expected_in_period"),
    [
        case("seed 6.J 1.c before the first period", GANGNEUNG, "2016-01-31", None, False),
        case("seed 6.J 1.c first day", GANGNEUNG, "2016-02-01", 500 * M, True),
        case("seed 6.J 1.b 'before' includes the day", GANGNEUNG, "2021-01-31", 500 * M, True),
        case("seed 6.J 1.b 700M in the extension", GANGNEUNG, "2021-02-01", 700 * M, True),
        case("seed 6.J 1.c extension last day", GANGNEUNG, "2024-12-31", 700 * M, True),
        case("seed 6.J 1.c after the extension", GANGNEUNG, "2025-01-01", 700 * M, False),
        case("seed 6.J 2.b 'before' includes the day", HWAYANG, "2021-07-10", 500 * M, True),
        case("seed 6.J 2.b 700M next day", HWAYANG, "2021-07-11", 700 * M, True),
        case("seed 6.J 3.b", "pyeongchang-alpensia", "2023-05-01", 1000 * M, True),
        case("seed 6.J 4.c last day", "incheon-fez", "2026-04-30", 1000 * M, True),
        case("seed 6.J 4.c ended, minimum stays", "incheon-fez", "2026-05-01", 1000 * M, False),
        case("public first period first day", "jeju", "2010-02-01", 500 * M, True),
        case("public first period last day", "jeju", "2023-04-30", 500 * M, True),
        case("seed 6.J 5.b 1B", "jeju", "2023-05-01", 1000 * M, True),
        case("seed 6.J 6.c last day", "yeosu-gyeongdo", "2026-04-30", 1000 * M, True),
        case("seed 6.J 7.C day before", BUSAN, "2023-05-19", None, False),
        case("seed 6.J 7.C first day", BUSAN, "2023-05-20", 1000 * M, True),
        case("seed 6.J 7.C last day", BUSAN, "2026-05-19", 1000 * M, True),
        case("seed 6.J 7.C day after", BUSAN, "2026-05-20", 1000 * M, False),
    ],
)
def test_zone_minimum_and_period(code, on, expected_minimum, expected_in_period):
    result = zone_minimum(code, on)
    assert result.minimum_krw == expected_minimum
    assert result.in_period is expected_in_period
    assert (result.threshold is None) == (expected_minimum is None)
    assert all(r.rule == "R1" for r in result.reasons)


@pytest.mark.parametrize(
    ("track", "on", "expected"),
    [
        pytest.param("general", "2013-04-30", None, id="public: before the program"),
        pytest.param("general", "2023-06-28", 500 * M, id="public: general 500M last day"),
        pytest.param("general", "2023-06-29", 1500 * M, id="seed 7.C: general 1.5B"),
        pytest.param("high_value", "2023-06-28", 1500 * M, id="public: high value last day"),
        pytest.param("high_value", "2023-06-29", 3000 * M, id="seed 7.C: high value 3B"),
        pytest.param("retirement", "2023-06-28", 300 * M, id="public: retirement track last day"),
        pytest.param("retirement", "2023-06-29", None, id="public: retirement track abolished"),
    ],
)
def test_public_interest_minimum_has_no_period(track, on, expected):
    result = minimum(program("public_interest", track), D(on), label=track)
    assert result.minimum_krw == expected
    assert result.in_period is True


def test_reasons_cite_the_row_and_the_period():
    result = zone_minimum("jeju", "2023-05-01")
    texts = [r.text for r in result.reasons]
    assert texts[0] == (
        "jeju: minimum KRW 1,000,000,000 for an investment made on 2023-05-01 "
        "(in force 2023-05-01 – open)"
    )
    assert [r.source for r in result.reasons] == ["seed §6.J 5.b", "seed §6.J 5.c"]


def test_outside_every_period_says_so():
    result = zone_minimum("incheon-fez", "2026-05-01")
    assert result.reasons[-1].text == (
        "incheon-fez: 2026-05-01 is outside every implementation period "
        "(2023-05-01 – 2026-04-30); an investment made then does not qualify"
    )
    assert result.reasons[-1].source == "seed §6.J"


def test_no_threshold_gives_none_with_a_reason():
    result = minimum((), D("2024-01-01"), label="nowhere")
    assert result == MinimumResult(None, True, None, result.reasons)
    assert result.reasons[0].text == "nowhere: no minimum is in force on 2024-01-01"


OLD = Threshold(500 * M, D("2010-02-01"), None, "old row left open")
NEW = Threshold(1000 * M, D("2023-05-01"), None, "seed §6.J 5.b")
TIE = Threshold(800 * M, D("2023-05-01"), None, "same-day row")


@pytest.mark.parametrize(
    ("rows", "on", "expected", "overlap"),
    [
        pytest.param((OLD, NEW), "2023-04-30", OLD, False, id="decision: only the old row covers"),
        pytest.param((OLD, NEW), "2023-05-01", NEW, True, id="decision: latest row wins"),
        pytest.param((NEW, OLD), "2023-05-01", NEW, True, id="decision: order of rows irrelevant"),
        pytest.param((TIE, NEW), "2023-05-01", NEW, True, id="decision: same day, higher minimum"),
    ],
)
def test_overlapping_thresholds(rows, on, expected, overlap):
    result = minimum(rows, D(on))
    assert result.threshold == expected
    overlap_reasons = [r for r in result.reasons if r.source == "[decision] latest threshold wins"]
    assert bool(overlap_reasons) is overlap


@pytest.mark.parametrize(
    "code",
    [
        "gangneung-jeongdongjin",
        "yeosu-hwayang",
        "pyeongchang-alpensia",
        "incheon-fez",
        "jeju",
        "yeosu-gyeongdo",
        "busan-haeundae",
    ],
)
@given(offset=st.integers(min_value=0, max_value=(D("2030-12-31") - D("2010-01-01")).days))
def test_shipped_rows_never_overlap_and_periods_have_a_minimum(code, offset):
    """Every day of the shipped data has at most one row, and every in-period day a minimum."""
    on = D("2010-01-01") + timedelta(days=offset)
    thresholds, periods = zone(code)
    result = minimum(thresholds, on, periods=periods)
    assert len(result.reasons) == 2  # the row (or its absence) and the period, no overlap
    if result.in_period:
        assert result.minimum_krw is not None

"""Reference data of SPEC §2, loaded from seeds/ by an idempotent loader."""

from datetime import date

import pytest
from django.core.management import call_command

from investments.models import ImplementationPeriod, MinimumAmount, Project, StatusCode, Zone
from portal.models import Office, ReservationService
from seeds.loader import office_code, parse_validity, split_branch

pytestmark = pytest.mark.django_db

D = date.fromisoformat

# SPEC §2.1 table: code → office, [(minimum, from, to)], [(start, end)]
#: A zone designated from 2023-05-01: KRW 1 billion, one period to 2026-04-30.
OPENED_2023 = [(1_000_000_000, "2023-05-01", None)], [("2023-05-01", "2026-04-30")]
ZONES = {
    "gangneung-jeongdongjin": (
        "donghae",
        [(500_000_000, "2016-02-01", "2021-01-31"), (700_000_000, "2021-02-01", None)],
        [("2016-02-01", "2021-01-31"), ("2021-02-01", "2024-12-31")],
    ),
    "yeosu-hwayang": (
        "yeosu",
        [(500_000_000, "2016-07-11", "2021-07-10"), (700_000_000, "2021-07-11", None)],
        [("2016-07-11", "2021-07-10"), ("2021-07-11", "2024-12-31")],
    ),
    "pyeongchang-alpensia": ("chuncheon", *OPENED_2023),
    "incheon-fez": ("incheon", *OPENED_2023),
    "jeju": (
        "jeju",
        [(500_000_000, "2010-02-01", "2023-04-30"), (1_000_000_000, "2023-05-01", None)],
        [("2010-02-01", "2023-04-30"), ("2023-05-01", "2026-04-30")],
    ),
    "yeosu-gyeongdo": ("yeosu", *OPENED_2023),
    "busan-haeundae": (
        "busan",
        [(1_000_000_000, "2023-05-20", None)],
        [("2023-05-20", "2026-05-19")],
    ),
}


def snapshot():
    return {
        "offices": list(Office.objects.values_list("code", "name", "parent__code")),
        "services": list(ReservationService.objects.values_list("service_id", "office__code")),
        "minimums": list(MinimumAmount.objects.values_list("zone__code", "track", "minimum_krw")),
        "periods": list(ImplementationPeriod.objects.values_list("zone__code", "start", "end")),
        "codes": list(StatusCode.objects.values_list("code", flat=True)),
    }


def test_load_seeds_twice_gives_the_same_rows():
    before = snapshot()
    call_command("load_seeds")
    call_command("load_seeds")
    assert snapshot() == before
    assert Office.objects.count() == 34
    assert Zone.objects.count() == 7


@pytest.mark.parametrize("code", ZONES)
def test_zone_thresholds_and_periods_are_those_of_spec_2_1(code):
    office, thresholds, periods = ZONES[code]
    zone = Zone.objects.get(code=code)
    assert zone.office.code == office
    assert [
        (t.minimum_krw, t.effective_from, t.effective_to)
        for t in zone.thresholds.order_by("effective_from")
    ] == [(m, D(f), D(t) if t else None) for m, f, t in thresholds]
    assert [(p.start, p.end) for p in zone.periods.order_by("start")] == [
        (D(s), D(e)) for s, e in periods
    ]


def test_public_interest_minimums_are_dated_rows_seed_7c():
    rows = set(
        MinimumAmount.objects.filter(zone=None).values_list(
            "track", "minimum_krw", "effective_from", "effective_to"
        )
    )
    assert ("general", 1_500_000_000, D("2023-06-29"), None) in rows
    assert ("high_value", 3_000_000_000, D("2023-06-29"), None) in rows
    assert ("general", 500_000_000, D("2013-05-01"), D("2023-06-28")) in rows
    assert ("retirement", 300_000_000, D("2013-05-01"), D("2023-06-28")) in rows
    assert Project.objects.get(code="kdb-fund").office.code == "sejongno"


def test_incheon_alone_admits_sports_linked_housing_seed_6j():
    with_housing = Zone.objects.filter(facility_types__code="sports-linked-housing")
    assert list(with_housing.values_list("code", flat=True)) == ["incheon-fez"]


def test_branch_offices_hang_under_their_office():
    assert Office.objects.get(code="daejeon-cheonan").parent.code == "daejeon"
    assert Office.objects.get(code="yangju-goyang").parent.code == "yangju"
    assert Office.objects.get(code="sejongno").parent.code == "seoul"
    assert Office.objects.get(code="jeju").parent is None


def test_reservation_services_keep_validity_and_the_0936_variant():
    ulsan = ReservationService.objects.get(service_id=794)
    assert (ulsan.valid_from, ulsan.valid_to, ulsan.after_0936) == (
        D("2024-06-21"),
        D("2024-09-09"),
        True,
    )
    yeosu = ReservationService.objects.get(service_id=716)
    assert yeosu.valid_from == D("2022-05-01") and yeosu.valid_to is None
    assert "Permission to Stay" in yeosu.name
    assert yeosu.is_valid_on(D("2026-11-22"))
    assert not ulsan.is_valid_on(D("2026-11-22"))


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Others(2021.05.01 ~ )", (D("2021-05-01"), None)),
        ("Control(2021.05.01.~2024.10.04.)", (D("2021-05-01"), D("2024-10-04"))),
        ("Control(2024.3.23.~)", (D("2024-03-23"), None)),
        ("General Residence Affairs (May 1, 2021 ~)", (D("2021-05-01"), None)),
        ("Permission to Stay(from May 1,2022)(Jurisdiction : Yeosu)", (D("2022-05-01"), None)),
        ("Scheduling Appointment for Naturalization", (None, None)),
    ],
)
def test_validity_is_parsed_from_each_form_the_source_uses(text, expected):
    assert parse_validity(text) == expected


def test_office_names_become_codes_and_branches():
    name = "Daejeon Immigration Office Cheonan Branch Office"
    assert office_code(name) == "daejeon-cheonan"
    assert split_branch(name) == "Daejeon Immigration Office"
    assert split_branch("Sejongno Branch Office") is None

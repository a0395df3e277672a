"""Issue 8, "Must show", as a property: for every investment of a ``make_demo --investors 2000``
ledger, raising a minimum row dated after its contract date changes no ``qualifies_for`` and no
F-5 date (seed §7.C "KRW 500 million or more (for investments before …)", seed §6.J; SPEC §2.2
"so older records validate").

The raise is written the way an administrator would record a new notice: the open row of the
zone (tourism) or of the program and track (public interest) is closed on the eve of the new
one, and a new row doubles the amount from a date after the contract. The answers are computed by
``eligibility_store.compute``, the path of the stored facts every page and the F-5 pipeline read.
"""

from copy import copy
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from investments.models import Investment, MinimumAmount, Person
from reporting import eligibility_store
from reporting.eligibility import Reference

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def answers(reference, as_of, people):
    rows = eligibility_store.compute(people, as_of=as_of, reference=reference)
    return {row.person_id: (row.qualifies_for, row.eligible_on) for row in rows}


def raised(reference, start):
    """``reference`` with every open minimum row doubled from ``start`` on (in memory, so the
    ledger is built once)."""
    changed = copy(reference)
    changed.minimums = []
    for row in reference.minimums:
        if row.effective_to is not None and row.effective_to < start:
            changed.minimums.append(row)
            continue
        if row.effective_from >= start:
            changed.minimums.append(row)
            continue
        closed = copy(row)
        closed.effective_to = start - timedelta(days=1)
        higher = MinimumAmount(
            program_id=row.program_id,
            zone_id=row.zone_id,
            track=row.track,
            minimum_krw=row.minimum_krw * 2,
            effective_from=start,
            effective_to=row.effective_to,
            source="a later notice raising the minimum (test)",
        )
        changed.minimums += [closed, higher]
    return changed


@pytest.fixture
def ledger(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("make_demo", investors=2000, password="demo-property-2026", stdout=StringIO())


def test_a_later_raise_changes_no_status_and_no_f5_date(ledger):
    as_of = timezone.localdate()
    reference = Reference()
    people = list(Person.objects.values_list("pk", flat=True))
    before = answers(reference, as_of, people)
    assert sum(1 for q, _ in before.values() if q) > 500  # a ledger worth the name
    assert sum(1 for _, e in before.values() if e) > 100
    contracts = sorted(Investment.objects.values_list("contract_date", flat=True))
    latest = {}
    for person, contract in Investment.objects.values_list("investor__person", "contract_date"):
        latest[person] = max(latest.get(person, contract), contract)
    # A raise the day after the last contract of the ledger, and raises cutting through it: each
    # binds only the people whose every investment was contracted before it.
    cuts = [contracts[-1] + timedelta(days=1)]
    cuts += [contracts[len(contracts) * n // 4] for n in (1, 2, 3)]
    for start in cuts:
        bound = [p for p in people if p in latest and latest[p] < start]
        assert bound, start
        after = answers(raised(reference, start), as_of, bound)
        changed = {p: (before[p], after[p]) for p in bound if before[p] != after[p]}
        assert not changed, (start, list(changed.items())[:5])

"""Every month's notice figures at once (``reporting.notices.notice_history``) are the figures
``tally`` computes month by month (seed §6.H, §7.F, §7.S; SPEC §5.2), on a demo ledger from
2014 on: the same notices (the offices owed each month, ``notice_offices``) and the same
figures, residence and KDB's repayment details included. The recheck of submitted notices
relies on it (``reporting.amendments``)."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from investments.models import Payment
from portal import months
from portal.models import Organisation
from reporting import notices
from reporting.amendments import recheck_notices
from tests.factories import rolled_back

FIRST = date(2014, 1, 1)


@pytest.fixture(scope="module")
def built(django_db_setup, django_db_blocker):
    """A 300-investor demo (both programs, every institution kind), rolled back after."""
    with rolled_back(django_db_blocker):
        call_command("make_demo", investors=300, password="demo-pass-1", stdout=StringIO())
        yield


@pytest.fixture
def demo(built, db):
    return months.previous_month(timezone.localdate())


def institutions():
    return Organisation.objects.filter(pk__in=Payment.objects.values("investment__institution"))


def test_every_month_of_every_institution_equals_the_month_by_month_figures(demo):
    last = demo
    history = notices.notice_history(FIRST, last)
    expected = {}
    for institution in institutions():
        for program in notices.programs_of(institution):
            for period in months.month_range(FIRST, last):
                for office in notices.notice_offices(institution, program, period):
                    figures = notices.tally(institution, program, period, office)[0]
                    expected[institution.pk, program, office, period] = figures
    assert len({key[2] for key in expected}) > 1  # notices to several offices
    assert any(f["residence"]["F-2"]["new"] for f in expected.values())
    assert any(f["repayments"].get("details") for f in expected.values())
    assert set(history) == set(expected)
    differ = [key for key in expected if history[key] != expected[key]]
    assert differ == []


def test_one_institution_and_program_alone(demo):
    institution = institutions().first()
    program = notices.programs_of(institution)[0]
    alone = notices.notice_history(
        date(2020, 1, 1), demo, institution=institution.pk, program=program
    )
    every = notices.notice_history(date(2020, 1, 1), demo)
    assert alone
    assert alone == {k: v for k, v in every.items() if k[:2] == (institution.pk, program)}


def test_a_voided_payment_flags_every_submitted_month_it_counted_in(demo):
    """Seed §6.H figures are cumulative: a payment voided after three notices were submitted
    changes all three (issue 11.3), found in one pass over the ledger."""
    payment = (
        Payment.objects.filter(investment__program="tourism", paid_on__lt=date(2025, 1, 1))
        .select_related("investment__institution")
        .first()
    )
    institution = payment.investment.institution
    office = payment.investment.office_id
    submitted = []
    for period in (date(2025, 1, 1), date(2025, 2, 1), date(2025, 3, 1)):
        notice = notices.compute_notice(
            by=None, institution=institution, program="tourism", period=period, office=office
        )
        notice.state, notice.receipt_number = "submitted", f"R-{period:%Y%m}"
        notice.submitted_at = timezone.now()
        notice.save()
        submitted.append(notice)
    assert recheck_notices(institution=institution.pk, program="tourism", since=FIRST) == []

    Payment.objects.filter(pk=payment.pk).update(voided_at=timezone.now(), void_reason="typo")
    changed = recheck_notices(institution=institution.pk, program="tourism", since=FIRST)
    assert {n.pk for n in submitted} <= {n.pk for n in changed}
    assert all(n.amendment_needed for n in changed)

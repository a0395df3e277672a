"""Stored eligibility facts (issue "national scale" 1): marked stale in the transaction of a
ledger change, recomputed after it commits or before a reader reads them, refreshed nightly for
what the passing days change, recomputed in full when the rules' reference data changes; and
always the live answer of the investor page (SPEC §8.2) on the day they were computed."""

import re
from datetime import date

import pytest
from django.conf import settings as django_settings
from django.contrib.admin.sites import site
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from investments import services as ledger
from investments.models import MinimumAmount
from reporting import eligibility_store
from reporting.eligibility import evaluate
from reporting.models import EligibilityFact
from reporting.tasks import refresh_eligibility_task
from tests.factories import client, jeju_investment, on, recovered

M = 1_000_000


def owner(company, officer):
    """KRW 500 million in Jeju from 2020-03-02, F-2-8 from 2020-04-01: F-5 on 2025-04-01."""
    investment = jeju_investment(company, contract_date=date(2020, 3, 2), amount=500 * M)
    ledger.grant_status(
        by=officer, investor=investment.investor, code="F-2-8", granted_on=date(2020, 4, 1)
    )
    return investment


def assert_live(fact, investor, hq, as_of):
    live = evaluate(investor, user=hq, as_of=as_of)
    assert not fact.stale and fact.as_of == as_of
    assert (fact.qualifies_for or None) == live["qualifies_for"]
    assert fact.held_krw == live["held_krw"]
    assert fact.on_track == live["f5"]["on_track"]
    assert fact.eligible_on == live["f5"]["eligible_on"]
    assert fact.counted_days == live["f5"]["counted_days"]
    assert (fact.code or None) == live["f5"]["code"]
    # where the person applies (seed §6.F, §7.A), as the live answer names it
    assert (fact.office.code if fact.office else None) == (live["application_office"] or {}).get(
        "code"
    )


@pytest.mark.django_db
def test_a_ledger_verb_marks_the_fact_stale_and_a_reader_recomputes_it(company, officer, hq):
    with on(date(2025, 2, 15)):
        investment = owner(company, officer)
        person = investment.investor.person_id
        assert EligibilityFact.objects.get(person_id=person).stale  # in the same transaction
        assert eligibility_store.refresh_stale() == 1
        fact = EligibilityFact.objects.get(person_id=person)
        assert fact.eligible_on == date(2025, 4, 1) and fact.code == "F-5-17"
        assert fact.office_id == investment.office_id and fact.f2_since == date(2020, 4, 1)
        assert_live(fact, investment.investor, hq, date(2025, 2, 15))

        recovered(company, date(2025, 2, 3), investment=investment, amount_krw=50 * M)
        assert EligibilityFact.objects.get(person_id=person).stale
        eligibility_store.refresh_stale()
        fact = EligibilityFact.objects.get(person_id=person)
        assert not fact.on_track and fact.at_risk and fact.risk_kind == "stalled"
        assert_live(fact, investment.investor, hq, date(2025, 2, 15))


@pytest.mark.django_db
def test_the_nightly_refresh_moves_the_counted_days_with_the_date(company, officer, hq):
    with on(date(2025, 2, 15)):
        investment = owner(company, officer)
        eligibility_store.refresh_stale()
        before = EligibilityFact.objects.get(person_id=investment.investor.person_id)
    with on(date(2025, 2, 25)):
        refresh_eligibility_task()
        after = EligibilityFact.objects.get(person_id=investment.investor.person_id)
        assert_live(after, investment.investor, hq, date(2025, 2, 25))
    assert after.counted_days == before.counted_days + 10
    assert "reporting.tasks.refresh_eligibility_task" in {
        entry["task"] for entry in django_settings.CELERY_BEAT_SCHEDULE.values()
    }


@pytest.mark.django_db
def test_a_change_of_minimums_in_the_admin_recomputes_every_fact(company, officer, hq):
    with on(date(2025, 2, 15)):
        investment = owner(company, officer)
        eligibility_store.refresh_stale()
        EligibilityFact.objects.update(as_of=date(2025, 1, 1))  # an old answer
        minimum = MinimumAmount.objects.filter(zone__code="jeju").first()
        admin = site._registry[MinimumAmount]
        request = RequestFactory().post("/")
        request.user = hq
        form = admin.get_form(request, minimum)(instance=minimum, data={})
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(form, "save_m2m", lambda: None, raising=False)
            admin.save_related(request, form, [], change=True)
        fact = EligibilityFact.objects.get(person_id=investment.investor.person_id)
        assert fact.stale  # until the queued recomputation runs after commit
        eligibility_store.refresh_stale()
        assert_live(
            EligibilityFact.objects.get(person_id=investment.investor.person_id),
            investment.investor,
            hq,
            date(2025, 2, 15),
        )


def test_after_commit_the_follower_recomputes_the_fact(committing, company, officer, hq):
    with on(date(2025, 2, 15)):
        investment = owner(company, officer)
        fact = EligibilityFact.objects.get(person_id=investment.investor.person_id)
    assert not fact.stale and fact.eligible_on == date(2025, 4, 1)


@pytest.mark.django_db
def test_a_page_leaves_a_full_recomputation_to_the_background_job(company, officer, settings):
    settings.ELIGIBILITY_INLINE_REFRESH = 0
    with on(date(2025, 2, 15)):
        investment = owner(company, officer)
        assert eligibility_store.refresh_stale() == 0
        assert EligibilityFact.objects.get(person_id=investment.investor.person_id).stale


@pytest.mark.django_db
def test_a_fact_is_seen_through_its_routes_as_its_investments_are(
    company, other_company, officer, officer_sejongno, hq
):
    """SPEC §7: officers see what is routed to their office, institutions what they recorded,
    HQ everything; the stored facts follow the same gate through their routes."""
    with on(date(2025, 2, 15)):
        investment = owner(company, officer)
        person = investment.investor.person_id
        eligibility_store.refresh_stale()
        seen = {
            user.username: set(
                EligibilityFact.objects.visible_to(user).values_list("person_id", flat=True)
            )
            for user in (company, other_company, officer, officer_sejongno, hq)
        }
    assert seen["company.jeju"] == {person} and seen["officer.jeju"] == {person}
    assert seen["hq"] == {person}
    assert seen["company.incheon"] == set() and seen["officer.sejongno"] == set()
    route = EligibilityFact.objects.get(person_id=person).routes.get()
    assert (route.office_id, route.institution_id) == (
        investment.office_id,
        company.organisation_id,
    )


@pytest.mark.django_db
def test_a_merge_moves_the_duplicates_fact_to_the_person_kept(company, officer, hq):
    """issue 11.3: after a merge the duplicate's person holds nothing, so no fact of theirs
    stays in the officers' pipeline; the person kept is recomputed with both investments."""
    with on(date(2025, 2, 15)):
        kept = owner(company, officer)
        typo = client(company, name="ZHANG Wei", passport="E12345679")
        duplicate = jeju_investment(
            company, investor=typo, unit_number="B-101", contract_date=date(2021, 1, 4)
        )
        eligibility_store.refresh_stale()
        assert EligibilityFact.objects.filter(person_id=typo.person_id).exists()
        ledger.merge_investors(
            by=company, survivor=kept.investor, duplicate=typo, reason="same client"
        )
        assert eligibility_store.refresh_stale() == 2
        assert not EligibilityFact.objects.filter(person_id=typo.person_id).exists()
        fact = EligibilityFact.objects.get(person_id=kept.investor.person_id)
        assert set(fact.routes.values_list("office_id", flat=True)) == {kept.office_id}
        assert (
            fact.held_krw == evaluate(kept.investor, user=hq, as_of=date(2025, 2, 15))["held_krw"]
        )
    assert duplicate.pk in set(kept.investor.investments.values_list("pk", flat=True))


@pytest.mark.django_db
def test_a_full_recomputation_drops_the_facts_of_people_without_investment(
    company, officer, monkeypatch
):
    """The facts of people who no longer hold an investment are removed by one anti-join, not
    by a statement listing every person kept: at a million people that list outgrew the
    planner's hash memory and the statement ran for hours (docs/performance.md). In batches of
    one person, no statement names more than one person."""
    monkeypatch.setattr(eligibility_store, "CHUNK", 1)
    held = [
        jeju_investment(company, passport=f"E0000000{n}", unit_number=f"B-{n}") for n in (1, 2, 3)
    ]
    bystander = client(company, passport="E99999999")  # a client record, no investment yet
    eligibility_store.mark_stale([bystander.person_id])
    with CaptureQueriesContext(connection) as captured:
        assert eligibility_store.refresh_all() == 3
    assert set(EligibilityFact.objects.values_list("person_id", flat=True)) == {
        investment.investor.person_id for investment in held
    }
    lists = [re.findall(r"IN \(([^()]*)\)", query["sql"]) for query in captured]
    assert max(len(ids.split(",")) for found in lists for ids in found) == 1

"""Stored eligibility facts (``reporting.models.EligibilityFact``): each person's answer of the
rules, kept current so that the dashboards and the F-5 pipeline read one indexed query instead
of running the F-5 clock over the whole ledger on every load (issue "national scale", item 1).

The rules are applied by ``eligibility.judge`` to facts read by ``eligibility.investment_facts``
— the same two functions the investor page uses — so a stored fact is what the investor page
would show an officer on the day it was computed. Computed in batch: a chunk of people costs a
fixed number of queries (their investments with payments, recoveries and lapses, their grants,
their disqualifications, and the reference rows once).

How they stay current:

* a ledger row written through ``portal.audit`` marks its person's fact stale in the same
  transaction (:func:`mark_stale`, named in ``settings.LEDGER_MARKERS``); once it commits,
  :func:`ledger_changed` (a ``settings.LEDGER_FOLLOWERS`` entry) queues the recomputation, and
  any reader recomputes the stale facts it is about to read (:func:`refresh_stale`), so a page
  never shows an answer older than the ledger;
* the passing days change counted days, "eligible now" and what is recent: a nightly Celery beat
  task recomputes every fact (``refresh_eligibility_task``, also ``manage.py
  refresh_eligibility``);
* a change of the rules' reference rows, settings or holidays marks every fact stale and queues
  the same full recomputation (:func:`recompute_all`), which records its progress.
"""

import logging
from collections import defaultdict
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone

from investments.models import (
    Disqualification,
    Investment,
    Lapse,
    Payment,
    Person,
    Recovery,
    StatusGrant,
)
from investments.rules import facts
from investments.rules.f5_clock import F2_INVESTOR_CODES

from .eligibility import Reference, investment_facts, judge
from .models import EligibilityFact

log = logging.getLogger(__name__)

#: People computed per batch: bounded memory and a fixed number of queries per batch.
CHUNK = 2000
#: [decision] How recent a recovery or lapse must be to put a person at risk, when the setting
#: ``f5_pipeline_at_risk_days`` is missing.
DEFAULT_AT_RISK_DAYS = 90
FIELDS = [f.name for f in EligibilityFact._meta.concrete_fields if f.name != "person"]


def load(person_ids):
    """Every investment of these people with its money movements and lapses, in the order the
    clock reads them."""
    return (
        Investment.objects.filter(investor__person_id__in=person_ids)
        .select_related("investor", "institution", "unit", "project", "zone")
        .prefetch_related(
            Prefetch("payments", Payment.objects.order_by("paid_on", "pk")),
            Prefetch("recoveries", Recovery.objects.order_by("recovered_on", "pk")),
            Prefetch("lapses", Lapse.objects.order_by("started_on", "pk")),
        )
        .order_by("contract_date", "pk")
    )


def latest_risk(investments, *, since, as_of):
    """The most recent recovery or lapse since ``since``: ``(kind, day, amount, detail)``."""
    found = []
    for investment in investments:
        for recovery in investment.recoveries.all():
            if since <= recovery.recovered_on <= as_of:
                found.append(("recovery", recovery.recovered_on, recovery.amount_krw, ""))
        for lapse in investment.lapses.all():
            if lapse.started_on <= as_of and (lapse.ended_on is None or lapse.ended_on >= since):
                found.append(("lapse", lapse.started_on, None, lapse.kind))
    return max(found, key=lambda risk: risk[1], default=None)


def compute(person_ids, *, as_of, reference=None):
    """The facts of ``person_ids`` on ``as_of`` (unsaved rows); people without an investment
    get none."""
    reference = reference or Reference()
    params = reference.parameters(as_of)
    at_risk_days = reference.settings.get("f5_pipeline_at_risk_days")
    since = as_of - timedelta(
        days=DEFAULT_AT_RISK_DAYS if at_risk_days is None else int(at_risk_days)
    )
    people = defaultdict(list)
    for investment in load(person_ids):
        people[investment.investor.person_id].append(investment)
    grants, records = defaultdict(list), defaultdict(list)
    for grant in StatusGrant.objects.filter(person_id__in=person_ids).order_by("granted_on", "pk"):
        grants[grant.person_id].append(grant)
    for record in Disqualification.objects.filter(person_id__in=person_ids):
        records[record.person_id].append(record)
    now = timezone.now()
    found = []
    for person_id, held in people.items():
        granted = grants[person_id]
        status, screening, clock = judge(
            [investment_facts(i, reference)[0] for i in held],
            [facts.Grant(g.code_id, g.granted_on, g.expires_on) for g in granted],
            [
                facts.Disqualification(d.kind_id, d.on, d.amount_krw, d.ends_on, d.note)
                for d in records[person_id]
            ],
            as_of=as_of,
            params=params,
        )
        stalled = not clock.on_track and any(
            g.code_id in F2_INVESTOR_CODES
            and g.granted_on <= as_of
            and (g.expires_on is None or g.expires_on >= as_of)
            for g in granted
        )
        recent = latest_risk(held, since=since, as_of=as_of)
        if stalled:
            # The clock's own last word on why (as the investor page shows it).
            why = next((r.text for r in reversed(clock.reasons) if r.rule == "R4"), "")
            risk = ("stalled", None, None, why[:500])
        else:
            risk = recent or ("", None, None, "")
        largest = max(held, key=lambda i: (i.contract_amount_krw, -i.pk))
        found.append(
            EligibilityFact(
                person_id=person_id,
                investor_id=held[0].investor_id,
                office_id=largest.office_id,
                as_of=as_of,
                computed_at=now,
                stale=False,
                qualifies_for=(status.qualifies_for if screening.passes else None) or "",
                held_krw=status.held_krw or 0,
                on_track=clock.on_track,
                eligible_on=clock.eligible_on,
                code=clock.code or "",
                counted_days=clock.counted_days or 0,
                required_days=clock.required_days or 0,
                f2_since=min(
                    (g.granted_on for g in granted if g.code_id in F2_INVESTOR_CODES),
                    default=None,
                ),
                permanent=any(
                    g.code_id.startswith("F-5") and g.granted_on <= as_of for g in granted
                ),
                at_risk=stalled or recent is not None,
                risk_kind=risk[0],
                risk_on=risk[1],
                risk_amount_krw=risk[2],
                risk_detail=risk[3],
                institutions=sorted({i.institution.name for i in held}),
            )
        )
    return found


def save(rows):
    """Insert or replace ``rows`` (one statement per batch)."""
    EligibilityFact.objects.bulk_create(
        rows, update_conflicts=True, unique_fields=["person"], update_fields=FIELDS
    )


def refresh(person_ids, *, as_of=None, reference=None):
    """Recompute and store the facts of ``person_ids``; the facts of people who no longer hold
    an investment are removed. Returns how many were stored."""
    as_of = as_of or timezone.localdate()
    person_ids = list(person_ids)
    stored = 0
    for start in range(0, len(person_ids), CHUNK):
        chunk = person_ids[start : start + CHUNK]
        with transaction.atomic():
            rows = compute(chunk, as_of=as_of, reference=reference)
            save(rows)
            gone = set(chunk) - {row.person_id for row in rows}
            if gone:
                EligibilityFact.objects.filter(person_id__in=gone).delete()
        stored += len(rows)
    return stored


def refresh_stale(*, as_of=None):
    """Recompute the facts marked stale (what readers call before reading), unless there are
    more than ``settings.ELIGIBILITY_INLINE_REFRESH``: then the full recomputation queued with
    them is under way and the reader reads what is stored. Returns how many were recomputed."""
    limit = settings.ELIGIBILITY_INLINE_REFRESH
    stale = list(
        EligibilityFact.objects.filter(stale=True).values_list("person_id", flat=True)[: limit + 1]
    )
    if not stale or len(stale) > limit:
        return 0
    refresh(stale, as_of=as_of)
    return len(stale)


def refresh_all(*, as_of=None, progress=None):
    """Recompute every person's fact (the nightly refresh and the full recomputation).
    ``progress(done, total)`` is called after each batch."""
    as_of = as_of or timezone.localdate()
    ids = list(
        Person.objects.filter(investor_records__investments__isnull=False)
        .distinct()
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    reference = Reference()
    done = 0
    for start in range(0, len(ids), CHUNK):
        done += refresh(ids[start : start + CHUNK], as_of=as_of, reference=reference)
        if progress:
            progress(min(start + CHUNK, len(ids)), len(ids))
    EligibilityFact.objects.exclude(person_id__in=Person.objects.filter(pk__in=ids)).delete()
    return done


def mark_stale(person_ids):
    """In the transaction of a ledger change: the people's facts are no longer current (a
    placeholder row for a person who has none yet)."""
    EligibilityFact.objects.bulk_create(
        [EligibilityFact(person_id=pk, stale=True) for pk in person_ids],
        update_conflicts=True,
        unique_fields=["person"],
        update_fields=["stale"],
    )


def ledger_changed(changes, people=()):
    """The ledger follower: recompute the facts of the people a committed change touched."""
    if people:
        from .tasks import refresh_eligibility_task

        refresh_eligibility_task.delay(sorted(people))


def recompute_all():
    """Rules, settings or holidays changed: every fact is stale until the full recomputation,
    queued once the change commits, has run."""
    from .tasks import queue_after_commit, refresh_eligibility_task

    EligibilityFact.objects.update(stale=True)
    queue_after_commit(refresh_eligibility_task)

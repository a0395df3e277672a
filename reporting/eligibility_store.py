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

It is one module of some 430 lines on purpose: computing, storing and refreshing the facts
share the same batch reads.
"""

import json
import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from investments.models import (
    Disqualification,
    Investment,
    Investor,
    Lapse,
    Payment,
    Person,
    Project,
    Recovery,
    StatusGrant,
)
from investments.rules import facts
from investments.rules.office import Applicant, application_office
from portal.models import Office

from .eligibility import Reference, Row, judge, office_facts, plain_investment_facts
from .models import EligibilityFact, EligibilityRoute

log = logging.getLogger(__name__)

#: People computed per batch: bounded memory and a fixed number of queries per batch.
CHUNK = 2000
#: [decision] How recent a recovery or lapse must be to put a person at risk, when the setting
#: ``f5_pipeline_at_risk_days`` is missing.
DEFAULT_AT_RISK_DAYS = 90
FIELDS = [f.name for f in EligibilityFact._meta.concrete_fields if f.name != "person"]


#: The columns of an investment ``compute`` reads (``eligibility.Row`` and the routing).
COLUMNS = (
    "pk",
    "investor_id",
    "investor__person_id",
    "office_id",
    "institution_id",
    "program",
    "investor_class",
    "zone_id",
    "contract_date",
    "contract_amount_krw",
    "registered_on",
    "institution__name",
    "unit_id",
    "unit__name",
    "unit__unit_number",
    "project__name",
    "zone__name",
    "project__kind",
    "investor__date_of_birth",
    "prescreened_on",
    "project_id",
)


@dataclass
class Held:
    """One investment of a person as ``compute`` reads it: plain values, no model instances
    (a batch holds thousands; building ORM objects for them and their money movements cost
    most of the time of a full recomputation)."""

    row: Row
    investor_id: int
    office_id: int | None
    institution_id: int
    project_id: int | None = None
    payments: list = field(default_factory=list)
    recoveries: list = field(default_factory=list)
    lapses: list = field(default_factory=list)


def where(unit_id, unit_name, unit_number, project_name, zone_name):
    """What ``eligibility.label`` shows after the number: the unit, else the project, else the
    zone, as each one's ``str``."""
    if unit_id is not None:
        return f"{unit_name} {unit_number}"
    return project_name if project_name is not None else zone_name


def load(person_ids):
    """Every investment of these people with its money movements and lapses, in the order the
    clock reads them: ``{person_id: [Held, …]}``, four queries whatever the number of people."""
    people, by_id = defaultdict(list), {}
    investments = (
        Investment.objects.filter(investor__person_id__in=person_ids)
        .order_by("contract_date", "pk")
        .values_list(*COLUMNS)
    )
    for (
        pk, investor_id, person_id, office_id, institution_id, program, investor_class,
        zone_id, contract_date, amount, registered_on, institution, unit_id, unit_name,
        unit_number, project, zone, project_kind, date_of_birth,
        prescreened_on, project_id,
    ) in investments:  # fmt: skip
        held = Held(
            Row(
                pk=pk,
                program=program,
                investor_class=investor_class,
                zone_id=zone_id,
                contract_date=contract_date,
                contract_amount_krw=amount,
                registered_on=registered_on,
                institution=institution,
                label=f"#{pk} {where(unit_id, unit_name, unit_number, project, zone)}",
                project_kind=project_kind,
                date_of_birth=date_of_birth,
                prescreened_on=prescreened_on,
            ),
            investor_id,
            office_id,
            institution_id,
            project_id,
        )
        people[person_id].append(held)
        by_id[pk] = held
    ids = list(by_id)
    for investment_id, *money in (
        Payment.objects.filter(investment_id__in=ids)
        .order_by("paid_on", "pk")
        .values_list(
            "investment_id", "paid_on", "amount_krw", "kind", "currency", "original_amount"
        )
    ):
        by_id[investment_id].payments.append(money)
    for investment_id, *money in (
        Recovery.objects.filter(investment_id__in=ids)
        .order_by("recovered_on", "pk")
        .values_list("investment_id", "recovered_on", "amount_krw", "reason")
    ):
        by_id[investment_id].recoveries.append(money)
    for investment_id, *interval in (
        Lapse.objects.filter(investment_id__in=ids)
        .order_by("started_on", "pk")
        .values_list("investment_id", "kind", "started_on", "ended_on")
    ):
        by_id[investment_id].lapses.append(interval)
    return people


#: ``EligibilityFact.risk_detail`` holds at most this many characters.
RISK_DETAIL_LENGTH = 500


def stored_reason(reason):
    """A reason as ``risk_detail`` keeps it: JSON of its message id and parameters
    (``facts.to_data``), rendered when read (``pipeline.why``); a reason too long for the
    column keeps its English text, cut to fit."""
    if reason is None:
        return ""
    if reason.message:
        data = json.dumps(facts.to_data(reason), ensure_ascii=False, separators=(",", ":"))
        if len(data) <= RISK_DETAIL_LENGTH:
            return data
    return reason.text[:RISK_DETAIL_LENGTH]


def read_reason(detail):
    """The reason ``stored_reason`` kept, or None for English text stored as it is."""
    if not detail.startswith("{"):
        return None
    try:
        return facts.from_data(json.loads(detail))
    except (ValueError, KeyError, TypeError):
        return None


def latest_risk(investments, *, since, as_of):
    """The most recent recovery or lapse since ``since``: ``(kind, day, amount, detail)``."""
    found = []
    for investment in investments:
        for recovery in investment.recoveries:
            if since <= recovery.on <= as_of:
                found.append(("recovery", recovery.on, recovery.amount_krw, ""))
        for lapse in investment.lapses:
            if lapse.start <= as_of and (lapse.end is None or lapse.end >= since):
                found.append(("lapse", lapse.start, None, lapse.kind))
    return max(found, key=lambda risk: risk[1], default=None)


def application_offices(largest_of):
    """``{person_id: office id}``: where each person applies for a residence status (R6,
    ``investments.rules.office``: the residence office of a registered foreign resident, the
    facility's or project's office otherwise; seed §6.F, §7.A), decided as the live answer
    decides it for the investor record that holds the person's largest investment (SPEC §8.2
    ``application_office``). Three queries whatever the number of people."""
    investor_ids = {h.investor_id for h in largest_of.values()}
    investors = {
        pk: (bool(arn), residence)
        for pk, arn, residence in Investor.objects.filter(pk__in=investor_ids).values_list(
            "pk", "alien_registration_hash", "residence_office_id"
        )
    }
    offices = {o.pk: o for o in Office.objects.select_related("parent")}
    project_ids = {h.project_id for h in largest_of.values() if h.project_id is not None}
    residents = defaultdict(list)
    for project_id, office_id in Project.resident_offices.through.objects.filter(
        project_id__in=project_ids
    ).values_list("project_id", "office_id"):
        residents[project_id].append(office_facts(offices[office_id]))
    by_code = {o.code: pk for pk, o in offices.items()}
    found = {}
    for person_id, largest in largest_of.items():
        registered, residence = investors.get(largest.investor_id, (False, None))
        competence = application_office(
            Applicant(
                program=largest.row.program,
                facility_office=office_facts(offices.get(largest.office_id)),
                registered_resident=registered,
                residence_office=office_facts(offices.get(residence)),
                project_kind=largest.row.project_kind,
                resident_offices=tuple(residents[largest.project_id]),
            )
        )
        found[person_id] = by_code[competence.office.code] if competence.office else None
    return found


def compute(person_ids, *, as_of, reference=None):
    """The facts of ``person_ids`` on ``as_of`` (unsaved rows); people without an investment
    get none."""
    reference = reference or Reference()
    params = reference.parameters(as_of)
    at_risk_days = reference.settings.get("f5_pipeline_at_risk_days")
    since = as_of - timedelta(
        days=DEFAULT_AT_RISK_DAYS if at_risk_days is None else int(at_risk_days)
    )
    people = load(person_ids)
    largest_of = {
        person_id: max(held, key=lambda h: (h.row.contract_amount_krw, -h.row.pk))
        for person_id, held in people.items()
    }
    applies_at = application_offices(largest_of)
    grants, records = defaultdict(list), defaultdict(list)
    for person_id, *grant in (
        StatusGrant.objects.filter(person_id__in=person_ids)
        .order_by("granted_on", "pk")
        .values_list("person_id", "code_id", "granted_on", "expires_on")
    ):
        grants[person_id].append(facts.Grant(*grant))
    for person_id, *record in Disqualification.objects.filter(person_id__in=person_ids).values_list(
        "person_id", "kind_id", "on", "amount_krw", "ends_on", "note"
    ):
        records[person_id].append(facts.Disqualification(*record))
    now = timezone.now()
    found = []
    for person_id, held in people.items():
        granted = grants[person_id]
        ledger = [
            plain_investment_facts(h.row, h.payments, h.recoveries, h.lapses, reference)[0]
            for h in held
        ]
        status, screening, clock = judge(
            ledger, granted, records[person_id], as_of=as_of, params=params
        )
        stalled = not clock.on_track and any(
            g.code in params.f2_investor_codes
            and g.granted_on <= as_of
            and (g.expires_on is None or g.expires_on >= as_of)
            for g in granted
        )
        recent = latest_risk(ledger, since=since, as_of=as_of)
        if stalled:
            # The clock's own last word on why (as the investor page shows it), kept as its
            # message id and parameters so the pipeline says it in the reader's language.
            last = next((r for r in reversed(clock.reasons) if r.rule == "R4"), None)
            risk = ("stalled", None, None, stored_reason(last))
        else:
            risk = recent or ("", None, None, "")
        routes = {(h.office_id, h.institution_id) for h in held if h.office_id is not None}
        found.append(
            EligibilityFact(
                person_id=person_id,
                investor_id=held[0].investor_id,
                office_id=applies_at.get(person_id),
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
                    (g.granted_on for g in granted if g.code in params.f2_investor_codes),
                    default=None,
                ),
                permanent=any(g.code.startswith("F-5") and g.granted_on <= as_of for g in granted),
                at_risk=stalled or recent is not None,
                risk_kind=risk[0],
                risk_on=risk[1],
                risk_amount_krw=risk[2],
                risk_detail=risk[3],
                institutions=sorted({h.row.institution for h in held}),
            )
        )
        found[-1].routes_found = routes
    return found


def save(rows):
    """Insert or replace ``rows`` and their routes (three statements per batch)."""
    EligibilityFact.objects.bulk_create(
        rows, update_conflicts=True, unique_fields=["person"], update_fields=FIELDS
    )
    EligibilityRoute.objects.filter(fact_id__in=[row.person_id for row in rows]).delete()
    EligibilityRoute.objects.bulk_create(
        EligibilityRoute(fact_id=row.person_id, office_id=office, institution_id=institution)
        for row in rows
        for office, institution in sorted(row.routes_found)
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
        Person.objects.filter(holds_investment("pk")).order_by("pk").values_list("pk", flat=True)
    )
    reference = Reference()
    done = 0
    for start in range(0, len(ids), CHUNK):
        done += refresh(ids[start : start + CHUNK], as_of=as_of, reference=reference)
        if progress:
            progress(min(start + CHUNK, len(ids)), len(ids))
    # An anti-join, not "person not in (every id above)": with a million ids the list no
    # longer fits the planner's hash memory and it compared every fact with every id, for
    # hours (docs/performance.md, "The demo ledger").
    EligibilityFact.objects.exclude(holds_investment("person_id")).delete()
    return done


def holds_investment(person):
    """The person whose id is the outer query's column ``person`` holds an investment."""
    return Exists(Investment.objects.filter(investor__person_id=OuterRef(person)))


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

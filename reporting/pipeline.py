"""The officers' F-5 pipeline: who becomes eligible for permanent residence soon, and who is at
risk of not getting there (SPEC §1 "investors nearing F-5 eligibility", §4 R4, §8).

It is computed in batch, because an office has hundreds or thousands of investors and the page
must cost the same few queries whatever their number: every visible investment with its
payments, recoveries and lapses is read once, the grants of those people once, the reference
rows once (one shared ``eligibility.Reference``); then each person's facts are grouped in
memory and the pure clock (``investments.rules.f5_clock``) runs per person. The clock is the
one the investor page and the eligibility API use, so the pipeline never disagrees with them.

Officers and HQ see a person whole (SPEC §3): a person with an investment routed to the office
is listed, and the clock combines all of that person's investments, as on the investor page.

Buckets: eligible within 30 and 90 days [decision] and within the horizon (RuleSetting
``f5_pipeline_horizon_days``), counted from tomorrow; those who may already apply are a bucket
of their own ("eligible now"). At risk [decision]: not on track while holding an investor F-2
grant, or a recovery or a lapse within the last ``f5_pipeline_at_risk_days`` days. People
already holding an F-5 grant have arrived and are left out.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from investments.models import Investment, Lapse, Payment, Recovery, RuleSetting, StatusGrant
from investments.rules import facts
from investments.rules.f5_clock import F2_INVESTOR_CODES, f5_clock
from portal.access import reviews

from .eligibility import Reference, investment_facts

#: Used when the RuleSetting rows are missing; seeds/rules.json ships the horizon (180).
DEFAULT_HORIZON_DAYS = 180
#: [decision] How recent a recovery or lapse must be to put a person at risk; setting
#: ``f5_pipeline_at_risk_days`` overrides it.
DEFAULT_AT_RISK_DAYS = 90
#: [decision] The nearer buckets shown besides the horizon (settings
#: ``f5_pipeline_first_bucket_days`` and ``f5_pipeline_second_bucket_days`` override them); a
#: bucket not below the horizon is dropped.
DEFAULT_NEAR_BUCKETS = (30, 90)
AT_RISK, ELIGIBLE_NOW = "at_risk", "eligible_now"


@dataclass(frozen=True)
class Row:
    """One person in the pipeline, as the officer's table shows it."""

    person_id: int
    investor_id: int  # a client record the user may open (the investor page)
    name: str
    nationality: str
    institutions: tuple[str, ...]
    f2_since: date | None
    on_track: bool
    eligible_on: date | None
    days_remaining: int | None
    code: str | None
    at_risk: bool
    why: str

    def within(self, days, as_of):
        """Becomes eligible after ``as_of`` and at most ``days`` later."""
        return self.on_track and as_of < self.eligible_on <= as_of + timedelta(days=days)

    def eligible_by(self, as_of):
        """May already apply (eligible on or before ``as_of``) and holds no F-5 yet."""
        return self.on_track and self.eligible_on <= as_of


@dataclass
class Pipeline:
    as_of: date
    horizon_days: int
    near_days: tuple[int, ...] = DEFAULT_NEAR_BUCKETS
    rows: list[Row] = field(default_factory=list)

    @property
    def buckets(self):
        near = sorted({days for days in self.near_days if 0 < days < self.horizon_days})
        return (*near, self.horizon_days)

    def within(self, days):
        return [row for row in self.rows if row.within(days, self.as_of)]

    @property
    def eligible_now(self):
        return [row for row in self.rows if row.eligible_by(self.as_of)]

    @property
    def at_risk(self):
        return [row for row in self.rows if row.at_risk]

    def counts(self):
        counted = {days: len(self.within(days)) for days in self.buckets}
        counted[ELIGIBLE_NOW] = len(self.eligible_now)
        counted[AT_RISK] = len(self.at_risk)
        return counted

    def tab(self, name):
        """The rows of a filter tab: a bucket's day count as text, ``eligible_now`` or
        ``at_risk``."""
        if name == AT_RISK:
            return self.at_risk
        if name == ELIGIBLE_NOW:
            return self.eligible_now
        days = int(name) if str(name).isdigit() and int(name) in self.buckets else None
        return self.within(days or self.horizon_days)


def setting(values, key, default):
    value = values.get(key)
    return default if value is None else int(value)


def load(user):
    """``(investments, visible ids, scope)``: every investment of every person with an
    investment ``user`` may see (officers and HQ see the person whole), with its money movements
    and lapses (four queries), and the ids of those ``user`` may open (one more)."""
    visible = Investment.objects.visible_to(user)
    scope = (
        Investment.objects.filter(investor__person_id__in=visible.values("investor__person_id"))
        if reviews(user)
        else visible
    )
    return (
        list(
            scope.select_related("investor", "institution", "unit", "project", "zone")
            .prefetch_related(
                Prefetch("payments", Payment.objects.order_by("paid_on", "pk")),
                Prefetch("recoveries", Recovery.objects.order_by("recovered_on", "pk")),
                Prefetch("lapses", Lapse.objects.order_by("started_on", "pk")),
            )
            .order_by("contract_date", "pk")
        ),
        set(visible.values_list("pk", flat=True)),
        scope,
    )


def risks(investments, *, since, as_of):
    """Why recent events put the person at risk: recoveries and lapses since ``since``."""
    found = []
    for investment in investments:
        for recovery in investment.recoveries.all():
            if since <= recovery.recovered_on <= as_of:
                found.append(
                    (
                        recovery.recovered_on,
                        _("Recovery of KRW %(amount)s on %(day)s")
                        % {
                            "amount": f"{recovery.amount_krw:,}",
                            "day": recovery.recovered_on.isoformat(),
                        },
                    )
                )
        for lapse in investment.lapses.all():
            if lapse.started_on <= as_of and (lapse.ended_on is None or lapse.ended_on >= since):
                found.append(
                    (
                        lapse.started_on,
                        _("Lapse (%(kind)s) from %(day)s")
                        % {"kind": lapse.get_kind_display(), "day": lapse.started_on.isoformat()},
                    )
                )
    return [text for _day, text in sorted(found, reverse=True)]


def holds(grants, codes, on):
    return any(
        g.code_id in codes and g.granted_on <= on and (g.expires_on is None or g.expires_on >= on)
        for g in grants
    )


def not_on_track_reason(clock):
    """The clock's own last word on why (as the investor page shows it)."""
    return next((r.text for r in reversed(clock.reasons) if r.rule == "R4"), "")


def build(user, *, as_of):
    """The pipeline of everything ``user`` may see on ``as_of``."""
    settings = dict(RuleSetting.objects.values_list("key", "value"))
    horizon = setting(settings, "f5_pipeline_horizon_days", DEFAULT_HORIZON_DAYS)
    since = as_of - timedelta(
        days=setting(settings, "f5_pipeline_at_risk_days", DEFAULT_AT_RISK_DAYS)
    )
    investments, visible_ids, scope = load(user)
    grants = defaultdict(list)
    for grant in StatusGrant.objects.filter(
        person_id__in=scope.values("investor__person_id")
    ).order_by("granted_on", "pk"):
        grants[grant.person_id].append(grant)
    reference = Reference()
    params = reference.parameters(as_of)
    people = defaultdict(list)
    for investment in investments:
        people[investment.investor.person_id].append(investment)

    near = (
        setting(settings, "f5_pipeline_first_bucket_days", DEFAULT_NEAR_BUCKETS[0]),
        setting(settings, "f5_pipeline_second_bucket_days", DEFAULT_NEAR_BUCKETS[1]),
    )
    pipeline = Pipeline(as_of=as_of, horizon_days=horizon, near_days=near)
    for person_id, held in people.items():
        granted = grants.get(person_id, [])
        if any(g.code_id.startswith("F-5") and g.granted_on <= as_of for g in granted):
            continue  # already a permanent resident
        shown = next((i for i in held if i.pk in visible_ids), None)
        if shown is None:
            continue
        clock = f5_clock(
            grants=[facts.Grant(g.code_id, g.granted_on, g.expires_on) for g in granted],
            investments=[investment_facts(i, reference)[0] for i in held],
            as_of=as_of,
            params=params,
        )
        recent = risks(held, since=since, as_of=as_of)
        stalled = not clock.on_track and holds(granted, F2_INVESTOR_CODES, as_of)
        soon = clock.on_track and clock.eligible_on <= as_of + timedelta(days=horizon)
        if not (soon or stalled or recent):
            continue
        f2 = [g.granted_on for g in granted if g.code_id in F2_INVESTOR_CODES]
        pipeline.rows.append(
            Row(
                person_id=person_id,
                investor_id=shown.investor_id,
                name=shown.investor.full_name,
                nationality=shown.investor.nationality,
                institutions=tuple(sorted({i.institution.name for i in held})),
                f2_since=min(f2, default=None),
                on_track=clock.on_track,
                eligible_on=clock.eligible_on,
                days_remaining=clock.days_remaining if clock.on_track else None,
                code=clock.code,
                at_risk=stalled or bool(recent),
                why=not_on_track_reason(clock) if stalled else (recent[0] if recent else ""),
            )
        )
    pipeline.rows.sort(key=lambda r: (r.eligible_on or date.max, r.name, r.person_id))
    return pipeline

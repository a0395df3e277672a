"""The officers' F-5 pipeline: who becomes eligible for permanent residence soon, and who is at
risk of not getting there (SPEC §1 "investors nearing F-5 eligibility", §4 R4, §8).

It reads the stored eligibility facts (``reporting.eligibility_store``): one indexed query of
the people with an investment the user may see (through the facts' stored routes) who are on
track within the horizon or at risk, whatever the size of the ledger. Those facts are the
rules' answer through the same entry point the investor page uses, so the pipeline never
disagrees with it.

Officers and HQ see a person whole (SPEC §3): a person with an investment routed to the office
is listed, and the clock combines all of that person's investments, as on the investor page.

Buckets: eligible within 30 and 90 days [decision] and within the horizon (RuleSetting
``f5_pipeline_horizon_days``), counted from tomorrow; those who may already apply are a bucket
of their own ("eligible now"). At risk [decision]: not on track while holding an investor F-2
grant, or a recovery or a lapse within the last ``f5_pipeline_at_risk_days`` days. People
already holding an F-5 grant have arrived and are left out.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, F, OuterRef, Q, Subquery
from django.utils.translation import gettext as _

from investments.choices import LapseKind
from investments.models import Investment, RuleSetting
from portal.money import format_krw

from . import eligibility_store, explain
from .models import EligibilityFact

#: Used when the RuleSetting rows are missing; seeds/rules.json ships the horizon (180).
DEFAULT_HORIZON_DAYS = 180
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


def tab_filter(name, *, as_of, buckets):
    """The facts of a filter tab: a bucket's day count as text, ``eligible_now`` or
    ``at_risk``."""
    if name == AT_RISK:
        return Q(at_risk=True)
    if name == ELIGIBLE_NOW:
        return Q(on_track=True, eligible_on__lte=as_of)
    days = int(name) if str(name).isdigit() and int(name) in buckets else buckets[-1]
    return within_filter(days, as_of)


def within_filter(days, as_of):
    return Q(on_track=True, eligible_on__gt=as_of, eligible_on__lte=as_of + timedelta(days=days))


class Rows:
    """A tab's rows read a page at a time (what ``Paginator`` needs: a count and slices)."""

    def __init__(self, queryset, as_of):
        self.queryset, self.as_of = queryset, as_of

    def count(self):
        return self.queryset.count()

    def __len__(self):
        return self.count()

    def __getitem__(self, index):
        return rows(self.queryset[index], self.as_of)


@dataclass
class Pipeline:
    """The pipeline of one user on ``as_of``: the stored facts in scope (``facts``), counted
    by the database; ``rows`` holds every row only when :func:`build` read them all."""

    as_of: date
    horizon_days: int
    near_days: tuple[int, ...] = DEFAULT_NEAR_BUCKETS
    rows: list[Row] = field(default_factory=list)
    facts: object = None  # the stored facts in scope (a query set)
    visible: object = None  # the investments the user may see (a query set)

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

    def counts(self, *extra_days):
        """``{bucket days: n, …, ELIGIBLE_NOW: n, AT_RISK: n}`` in one aggregate query, with
        ``extra_days`` counted like buckets."""
        days = sorted({*self.buckets, *extra_days})
        named = {str(d): Count("pk", filter=within_filter(d, self.as_of)) for d in days}
        named[ELIGIBLE_NOW] = Count("pk", filter=Q(on_track=True, eligible_on__lte=self.as_of))
        named[AT_RISK] = Count("pk", filter=Q(at_risk=True))
        counted = self.facts.aggregate(**named)
        return {int(k) if k.isdigit() else k: v for k, v in counted.items()}

    def tab(self, name):
        """The rows of a filter tab, in the page's order."""
        condition = tab_filter(name, as_of=self.as_of, buckets=self.buckets)
        return Rows(shown(self.facts.filter(condition), self.visible), self.as_of)


def setting(values, key, default):
    value = values.get(key)
    return default if value is None else int(value)


def why(fact):
    """Why a stored fact is at risk, in the reader's language."""
    if fact["risk_kind"] == "stalled":
        reason = eligibility_store.read_reason(fact["risk_detail"])
        return fact["risk_detail"] if reason is None else explain.render(reason)
    if fact["risk_kind"] == "recovery":
        return _("Recovery of %(amount)s on %(day)s") % {
            "amount": format_krw(fact["risk_amount_krw"]),
            "day": fact["risk_on"].isoformat(),
        }
    if fact["risk_kind"] == "lapse":
        return _("Lapse (%(kind)s) from %(day)s") % {
            "kind": LapseKind(fact["risk_detail"]).label,
            "day": fact["risk_on"].isoformat(),
        }
    return ""


def summary(user, *, as_of):
    """The pipeline of everything ``user`` may see on ``as_of`` without reading its rows: the
    counts and each tab's rows come from the stored facts a page at a time (stale facts are
    recomputed first)."""
    settings = dict(RuleSetting.objects.values_list("key", "value"))
    horizon = setting(settings, "f5_pipeline_horizon_days", DEFAULT_HORIZON_DAYS)
    near = (
        setting(settings, "f5_pipeline_first_bucket_days", DEFAULT_NEAR_BUCKETS[0]),
        setting(settings, "f5_pipeline_second_bucket_days", DEFAULT_NEAR_BUCKETS[1]),
    )
    eligibility_store.refresh_stale(as_of=as_of)
    visible = Investment.objects.visible_to(user)
    facts = (
        EligibilityFact.objects.visible_to(user)
        .filter(permanent=False)
        .filter(
            Q(on_track=True, eligible_on__lte=as_of + timedelta(days=horizon)) | Q(at_risk=True)
        )
    )
    return Pipeline(as_of=as_of, horizon_days=horizon, near_days=near, facts=facts, visible=visible)


def shown(facts, visible):
    """The facts with what the table shows, in its order: the client record shown is that of
    the person's first investment the user may see."""
    first = visible.filter(investor__person_id=OuterRef("person_id")).order_by(
        "contract_date", "pk"
    )
    return (
        facts.annotate(
            shown=Subquery(first.values("investor_id")[:1]),
            name=Subquery(first.values("investor__full_name")[:1]),
            nationality=Subquery(first.values("investor__nationality")[:1]),
        )
        .order_by(F("eligible_on").asc(nulls_last=True), "name", "person_id")
        .values(
            "person_id",
            "shown",
            "name",
            "nationality",
            "institutions",
            "f2_since",
            "on_track",
            "eligible_on",
            "code",
            "at_risk",
            "risk_kind",
            "risk_on",
            "risk_amount_krw",
            "risk_detail",
        )
    )


def rows(facts, as_of):
    found = []
    for fact in facts:
        days = (fact["eligible_on"] - as_of).days if fact["on_track"] else None
        found.append(
            Row(
                person_id=fact["person_id"],
                investor_id=fact["shown"],
                name=fact["name"],
                nationality=fact["nationality"],
                institutions=tuple(fact["institutions"]),
                f2_since=fact["f2_since"],
                on_track=fact["on_track"],
                eligible_on=fact["eligible_on"],
                days_remaining=max(days, 0) if days is not None else None,
                code=fact["code"] or None,
                at_risk=fact["at_risk"],
                why=why(fact),
            )
        )
    return found


def build(user, *, as_of):
    """The pipeline with every row read (for a report or a test; the pages use
    :func:`summary`)."""
    pipeline = summary(user, as_of=as_of)
    pipeline.rows = rows(shown(pipeline.facts, pipeline.visible), as_of)
    return pipeline

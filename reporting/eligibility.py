"""What a person qualifies for and when F-5 comes: the ledger read into plain facts, the pure
rules of ``investments.rules`` applied, and the answer explained (SPEC §4, §8.2).

Officers and HQ see the person whole: every investment of every institution recognised as the
same person (nationality + passport keyed hash). An institution sees only its own client's
investments. The what-if adds a hypothetical recovery and says which report it would require
and by when.
"""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING, Any, TypeVar

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from investments.choices import ProjectKind, StatusRole, StatusRuleKey
from investments.models import (
    Disqualification,
    DisqualificationKind,
    ImplementationPeriod,
    Investment,
    Lapse,
    MinimumAmount,
    Payment,
    Program,
    Recovery,
    RuleSetting,
    StatusCode,
    StatusGrant,
    StatusRule,
)
from investments.rules import facts
from investments.rules.dates import anniversary
from investments.rules.f5_clock import F5Clock, f5_clock
from investments.rules.minimum import MinimumResult, minimum
from investments.rules.office import Applicant, application_office
from investments.rules.office import Office as OfficeFacts
from investments.rules.prescreening import prescreening
from investments.rules.screening import Screening, screen
from investments.rules.status import Qualification, qualification
from portal.access import reviews

from . import explain
from .deadlines import withdrawal_report_due
from .services import holiday_calendar, permanent_residence_on

if TYPE_CHECKING:
    from investments.models import Investor
    from portal.models import Office, User

T = TypeVar("T")


def settings_map() -> dict[str, Any]:
    return dict(RuleSetting.objects.values_list("key", "value"))


def thresholds(rows: Iterable[MinimumAmount]) -> list[facts.Threshold]:
    return [
        facts.Threshold(r.minimum_krw, r.effective_from, r.effective_to, r.source) for r in rows
    ]


class Reference:
    """The reference rows the rules need, read once per request."""

    def __init__(self) -> None:
        self.minimums = list(MinimumAmount.objects.all())
        self.periods = list(ImplementationPeriod.objects.all())
        self.programs = {p.code: p for p in Program.objects.all()}
        self.settings = settings_map()
        self.status_rules = list(StatusRule.objects.all())
        # The investor F-2 codes in the order R2 tries the tests granting them (as reasons
        # list them: F-2-8, F-2-12, F-2-14), then any other by code.
        rank = {r.code_id: r.precedence or 0 for r in self.status_rules}
        investor = StatusCode.objects.filter(role=StatusRole.INVESTOR).values_list("code")
        self.investor_codes = tuple(
            sorted((c for (c,) in investor), key=lambda c: (c not in rank, rank.get(c), c))
        )
        self.disqualification_years = dict(
            DisqualificationKind.objects.filter(years__isnull=False).values_list("code", "years")
        )
        # R1's answers already given: a batch of people asks the same few (zone or track,
        # contract date) questions thousands of times.
        self.answers: dict[tuple[Any, ...], Any] = {}

    def answer(self, key: tuple[Any, ...], compute: Callable[[], T]) -> T:
        if key not in self.answers:
            self.answers[key] = compute()
        return self.answers[key]

    def program_minimum(self, track: str, on: date) -> MinimumResult:
        return self.answer(("program", track, on), lambda: self._program_minimum(track, on))

    def _program_minimum(self, track: str, on: date) -> MinimumResult:
        rows = [m for m in self.minimums if m.zone_id is None and m.track == track]
        return minimum(thresholds(rows), on, label=f"public interest ({track})")

    def program_minimum_krw(self, track: str, on: date) -> int:
        """The program's minimum on ``on``; before the first dated row, that row's amount (the
        rules need a number, and no earlier minimum is known)."""
        found = self.program_minimum(track, on).minimum_krw
        if found is not None:
            return found
        rows = sorted(
            (m for m in self.minimums if m.zone_id is None and m.track == track),
            key=lambda m: m.effective_from,
        )
        return rows[0].minimum_krw if rows else 0

    def zone_minimum(self, zone_id: int | None, on: date) -> MinimumResult:
        return self.answer(("zone", zone_id, on), lambda: self._zone_minimum(zone_id, on))

    def _zone_minimum(self, zone_id: int | None, on: date) -> MinimumResult:
        rows = [m for m in self.minimums if m.zone_id == zone_id]
        periods = [
            facts.Period(p.start, p.end, p.source) for p in self.periods if p.zone_id == zone_id
        ]
        return minimum(thresholds(rows), on, periods=periods)

    def parameters(self, on: date) -> facts.Parameters:
        tourism = self.programs["tourism"]
        s = self.settings
        return facts.Parameters(
            f1_minimum_krw=tourism.f1_minimum_krw,
            f1_minimum_usd=tourism.f1_minimum_usd,
            public_interest_minimum_krw=self.program_minimum_krw("general", on),
            high_value_minimum_krw=self.program_minimum_krw("high_value", on),
            linked_deposit_percent=s["linked_deposit_percent"],
            f5_years=s["f5_years"],
            combined_public_interest_min_days=s["combined_public_interest_min_days"],
            f1_counts_toward_f5=bool(s["f1_counts_toward_f5"]),
            disqualification_years=self.disqualification_years,
            fine_disqualifying_krw=s["fine_disqualifying_krw"],
            education_lookback_years=s["education_lookback_years"],
            education_exempt_fine_krw=s["education_exempt_fine_krw"],
            prescreening_months=s["prescreening_months"],
            education_lookback_years_extension=s["education_lookback_years_extension"],
            fine_bar_exceeding_only=bool(s["fine_bar_exceeding_only"]),
            tourism_units_add_up=bool(s["tourism_units_add_up"]),
            f5_withdrawal_restarts=bool(s["f5_withdrawal_restarts"]),
            f5_grant_gap_restarts=bool(s["f5_grant_gap_restarts"]),
            **self.status_codes(),
        )

    def status_codes(self) -> dict[str, Any]:
        """The codes the rules grant and R2's order (StatusRule rows), the investor F-2 codes
        (status codes of role investor): data HQ edits, never constants of the rules."""
        rules = {r.key: r for r in self.status_rules}
        tests = sorted((r for r in self.status_rules if r.precedence is not None), key=_order)
        return {
            "status_precedence": tuple((r.key, r.code_id) for r in tests),
            "f5_tourism_code": rules[StatusRuleKey.F5_TOURISM].code_id,
            "f5_public_interest_code": rules[StatusRuleKey.F5_PUBLIC_INTEREST].code_id,
            "f2_investor_codes": self.investor_codes,
        }


def _order(rule: StatusRule) -> int:
    return rule.precedence or 0


def investment_facts(
    investment: Investment, reference: Reference
) -> tuple[facts.InvestmentFacts, MinimumResult]:
    return plain_investment_facts(
        Row(
            pk=investment.pk,
            program=investment.program,
            investor_class=investment.investor_class,
            zone_id=investment.zone_id,
            contract_date=investment.contract_date,
            contract_amount_krw=investment.contract_amount_krw,
            registered_on=investment.registered_on,
            institution=investment.institution.name,
            label=label(investment),
            project_kind=investment.project.kind if investment.project_id else None,
            date_of_birth=investment.investor.date_of_birth,
            prescreened_on=investment.prescreened_on,
        ),
        [
            (p.paid_on, p.amount_krw, p.kind, p.currency, p.original_amount)
            for p in investment.payments.all()
        ],
        [(r.recovered_on, r.amount_krw, r.reason) for r in investment.recoveries.all()],
        [(lapse.kind, lapse.started_on, lapse.ended_on) for lapse in investment.lapses.all()],
        reference,
    )


@dataclass(frozen=True)
class Row:
    """The columns of an investment the rules read (from a model instance or, in bulk, from
    ``values_list``; ``reporting.eligibility_store``)."""

    pk: int
    program: str
    investor_class: str
    zone_id: int | None
    contract_date: date
    contract_amount_krw: int
    registered_on: date | None
    institution: str
    label: str
    project_kind: str | None
    date_of_birth: date | None
    prescreened_on: date | None


def plain_investment_facts(
    row: "Row",
    payments: Iterable[tuple[date, int, str, str, Any]],
    recoveries: Iterable[tuple[date, int, str]],
    lapses: Iterable[tuple[str, date, date | None]],
    reference: Reference,
) -> tuple[facts.InvestmentFacts, MinimumResult]:
    """``(InvestmentFacts, R1 answer)`` of one investment from plain values: payments as
    ``(on, krw, kind, currency, original)``, recoveries ``(on, krw, reason)`` and lapses
    ``(kind, start, end)``, each in the order the clock reads them."""
    if row.program == "tourism":
        r1 = reference.zone_minimum(row.zone_id, row.contract_date)
        track = "general"
    else:
        track = public_interest_track(row, reference)
        r1 = reference.program_minimum(track, row.contract_date)
    return facts.InvestmentFacts(
        id=row.pk,
        program=row.program,
        investor_class=row.investor_class,
        track=track,
        contract_date=row.contract_date,
        contract_amount_krw=row.contract_amount_krw,
        registered_on=row.registered_on,
        minimum_krw=r1.minimum_krw,
        in_period=r1.in_period,
        payments=tuple(
            facts.Money(on, krw, kind, currency, float(original) if original is not None else None)
            for on, krw, kind, currency, original in payments
        ),
        recoveries=tuple(facts.Money(on, krw, reason) for on, krw, reason in recoveries),
        lapses=tuple(facts.Interval(kind, start, end) for kind, start, end in lapses),
        institution=row.institution,
        label=row.label,
        prescreened_on=row.prescreened_on,
        zone_id=row.zone_id,
        public_interest_minimum_krw=reference.program_minimum_krw("general", row.contract_date),
    ), r1


def public_interest_track(row: "Row", reference: Reference) -> str:
    """Which public-interest minimum an investment is judged against (seed §7.C).

    High-value: "KRW 3 billion or more (Principal-guaranteed / Interest-free Type only)", so a
    profit-loss project is never on it, whatever the amount. Retirement (F-2-14, abolished
    2023-06-29 [public]): an investor aged ``retirement_min_age`` or more on the deposit date,
    while a retirement row is in force, whose amount does not reach the general minimum of that
    day; one that does is on the general track and F-2-12, the status still granted [decision]."""
    on, amount = row.contract_date, row.contract_amount_krw
    high = reference.program_minimum("high_value", on)
    guaranteed = row.project_kind == ProjectKind.PRINCIPAL_GUARANTEED
    if guaranteed and high.minimum_krw and amount >= high.minimum_krw:
        return "high_value"
    retirement = reference.program_minimum("retirement", on).minimum_krw
    general = reference.program_minimum("general", on).minimum_krw
    born = row.date_of_birth
    if (
        retirement is not None
        and born is not None
        and anniversary(born, reference.settings["retirement_min_age"]) <= on
        and (general is None or amount < general)
    ):
        return "retirement"
    return "general"


def label(investment: Investment) -> str:
    return f"#{investment.pk} {investment.place}"


def person_investments(investor: "Investor", user: "User") -> list[Investment]:
    """Every investment the rules combine for this caller (see module docstring)."""
    if reviews(user):
        queryset = Investment.objects.filter(investor__person_id=investor.person_id)
    else:
        queryset = Investment.objects.filter(investor=investor)
    return list(
        queryset.select_related(
            "institution", "investor", "unit", "project", "zone", "office__parent"
        )
        .prefetch_related(
            Prefetch("payments", Payment.objects.order_by("paid_on")),
            Prefetch("recoveries", Recovery.objects.order_by("recovered_on")),
            Prefetch("lapses", Lapse.objects.order_by("started_on")),
        )
        # the order the stored facts read them in (eligibility_store.load): the rules name the
        # first investment that meets a test, so both answers must read the same order
        .order_by("contract_date", "pk")
    )


@dataclass(frozen=True)
class WhatIf:
    investment_id: int
    amount_krw: int
    on: date


def what_if_for(
    investor: "Investor",
    *,
    user: "User",
    recover_krw: int | None = None,
    recover_on: date | None = None,
    recover_investment: int | None = None,
    **_ignored: Any,
) -> WhatIf | None:
    """Validate a what-if recovery: on one of the caller's visible investments of this investor
    (default: the one holding the most), never more than it holds on that day."""
    if recover_krw is None:
        return None
    if recover_on is None:  # every caller asks for both; the API says so in these words
        raise ValidationError({"recover_on": _("A what-if needs both recover_krw and recover_on.")})
    candidates = Investment.objects.visible_to(user).filter(investor__person_id=investor.person_id)
    if recover_investment is not None:
        investment = candidates.filter(pk=recover_investment).first()
        if investment is None:
            raise ValidationError({"recover_investment": _("No such investment of this investor.")})
    else:
        investment = max(candidates, key=lambda i: held(i, recover_on), default=None)
        if investment is None:
            raise ValidationError({"recover_krw": _("This investor has no investment to recover.")})
    if recover_krw > held(investment, recover_on):
        raise ValidationError(
            {
                "recover_krw": _("Investment #%(id)s holds only KRW %(held)s on %(day)s.")
                % {
                    "id": investment.pk,
                    "held": f"{held(investment, recover_on):,}",
                    "day": recover_on,
                }
            }
        )
    return WhatIf(investment.pk, recover_krw, recover_on)


def held(investment: Investment, on: date | None) -> int:
    paid = investment.payments.filter(paid_on__lte=on).aggregate(s=Sum("amount_krw"))["s"] or 0
    recovered = (
        investment.recoveries.filter(recovered_on__lte=on).aggregate(s=Sum("amount_krw"))["s"] or 0
    )
    return paid - recovered


def judge(
    facts_list: Sequence[facts.InvestmentFacts],
    grants: Sequence[facts.Grant],
    records: Sequence[facts.Disqualification],
    *,
    as_of: date,
    params: facts.Parameters,
    status_on: date | None = None,
) -> tuple[Qualification, Screening, F5Clock]:
    """``(status, screening, clock)``: the rules applied to one person's facts. The one place
    the rules are called, so the live answer and the stored facts
    (``reporting.eligibility_store``) cannot disagree."""
    status_on = status_on or as_of
    status = qualification(facts_list, on=status_on, params=params)
    # Holding an investor F-2 on the day, an application is an extension of stay (seed §7.S(5)).
    extension = any(
        g.code in params.f2_investor_codes
        and g.granted_on <= status_on
        and (g.expires_on is None or status_on <= g.expires_on)
        for g in grants
    )
    screening = screen(records, facts_list, on=status_on, params=params, extension=extension)
    clock = f5_clock(grants=grants, investments=facts_list, as_of=as_of, params=params)
    return status, screening, clock


def evaluate(
    investor: "Investor", *, user: "User", as_of: date, what_if: WhatIf | None = None
) -> dict[str, Any]:
    """The eligibility answer of SPEC §8.2 as a plain dict, ready for JSON."""
    reference = Reference()
    params = reference.parameters(as_of)
    investments = person_investments(investor, user)
    ledger = {}
    for investment in investments:
        ledger[investment.pk] = investment_facts(investment, reference)[0]
    report: dict[str, Any] | None = None
    if what_if is not None:
        target = ledger[what_if.investment_id]
        hypothetical = facts.Money(what_if.on, what_if.amount_krw, "what_if")
        ledger[target.id] = replace(target, recoveries=(*target.recoveries, hypothetical))
        program = reference.programs[target.program]
        resident = permanent_residence_on(investor.person_id, what_if.on)
        if resident is not None:
            report = {
                "kind": None,
                "investment": target.id,
                "recipient_office": None,
                "due_on": None,
                "reasons": [
                    reason_dict(
                        facts.explained(
                            "R5",
                            "seed §6.H, §7.F",
                            gettext_noop(
                                "no withdrawal report: the investor holds permanent residence "
                                "(%(code)s, granted %(granted)s) on %(on)s"
                            ),
                            code=resident.code_id,
                            granted=resident.granted_on,
                            on=what_if.on,
                        )
                    )
                ],
            }
        else:
            deadline = withdrawal_report_due(
                what_if.on,
                days=program.withdrawal_report_days,
                enforced_on=program.guideline_enforced_on,
                calendar=holiday_calendar(),
            )
            investment = next(i for i in investments if i.pk == target.id)
            report = {
                "kind": "withdrawal_report",
                "investment": target.id,
                "recipient_office": investment.office.code,
                "due_on": deadline.due_on,
                "reasons": [reason_dict(step) for step in deadline.steps],
            }
    facts_list = list(ledger.values())
    grants = [
        facts.Grant(g.code_id, g.granted_on, g.expires_on)
        for g in StatusGrant.objects.filter(person_id=investor.person_id).order_by("granted_on")
    ]
    records = (
        [
            facts.Disqualification(d.kind_id, d.on, d.amount_krw, d.ends_on, d.note)
            for d in Disqualification.objects.filter(person_id=investor.person_id)
        ]
        if reviews(user)
        else []
    )
    # A what-if is judged from the day of the hypothetical recovery on.
    status_on = max(as_of, what_if.on) if what_if else as_of
    status, screening, clock = judge(
        facts_list, grants, records, as_of=as_of, status_on=status_on, params=params
    )
    qualifies_for = status.qualifies_for if screening.passes else None
    screened = [p for f in facts_list if (p := prescreening(f, as_of, params)) is not None]
    competence = application_office(applicant(investor, investments))
    reasons = [
        *status.reasons,
        *screening.reasons,
        *(p.reason for p in screened),
        *clock.reasons,
        competence.reason,
    ]
    answer = {
        "investor": investor.pk,
        "as_of": as_of,
        "status_on": status_on,
        "qualifies_for": qualifies_for,
        "minimum_krw": status.minimum_krw,
        "held_krw": status.held_krw,
        "screening": {
            "passes": screening.passes,
            "barred_until": screening.barred_until,
            "education_required": screening.education_required,
        },
        "application_office": office_dict(competence.office),
        "prescreening": [
            {
                "investment": p.investment,
                "prescreened_on": p.prescreened_on,
                "funds_due_by": p.funds_due_by,
                "lapsed": p.lapsed,
            }
            for p in screened
        ],
        "f5": {
            "on_track": clock.on_track,
            "eligible_on": clock.eligible_on,
            "code": clock.code,
            "days_remaining": clock.days_remaining,
            "counted_days": clock.counted_days,
            "required_days": clock.required_days,
            "intervals": [{"start": start, "end": end} for start, end in clock.intervals],
        },
        "investments": [
            {
                "id": f.id,
                "program": f.program,
                "institution": f.institution,
                "label": f.label,
                "minimum_krw": f.minimum_krw,
                "in_period": f.in_period,
            }
            for f in facts_list
        ],
        "reasons": [reason_dict(r) for r in reasons],
    }
    if what_if is not None:
        answer["what_if"] = {
            "investment": what_if.investment_id,
            "recover_krw": what_if.amount_krw,
            "recover_on": what_if.on,
            "report_required": report is not None and report["kind"] is not None,
            "report": report,
        }
    return answer


def office_facts(office: "Office | None") -> OfficeFacts | None:
    if office is None:
        return None
    parent = office.parent.code if office.parent_id else ""
    return OfficeFacts(office.code, office.name, office.name_ko, parent)


def office_dict(office: OfficeFacts | None) -> dict[str, str] | None:
    return None if office is None else {"code": office.code, "name": office.local_name}


def applicant(investor: "Investor", investments: list[Investment]) -> Applicant:
    """What decides where ``investor`` applies (``investments.rules.office``): the investment
    with the largest contract amount (seed §6.F "the facility where the larger investment was
    made"), the residence office recorded on the investor and whether an alien registration
    number is on record (a registered foreign resident)."""
    largest = max(investments, key=lambda i: (i.contract_amount_krw, -i.pk), default=None)
    project = largest.project if largest is not None and largest.project_id else None
    return Applicant(
        program=largest.program if largest is not None else None,
        facility_office=office_facts(largest.office) if largest is not None else None,
        registered_resident=bool(investor.alien_registration_number),
        residence_office=office_facts(investor.residence_office),
        project_kind=project.kind if project is not None else None,
        resident_offices=tuple(
            facts for o in project.resident_offices.all() if (facts := office_facts(o))
        )
        if project is not None
        else (),
    )


def reason_dict(reason: facts.Reason) -> dict[str, str]:
    """A reason as shown: its sentence in the reader's language, its source as a citation."""
    return {
        "rule": reason.rule,
        "text": explain.render(reason),
        "source": explain.cite(reason.source),
    }

"""The ledger read into the plain facts the rules take (``investments.rules.facts``).

``Reference`` reads the reference rows once per request (minimums, periods, programs, rule
settings, status rules) and turns them into ``Parameters``; ``plain_investment_facts`` makes one
investment's facts from plain values, so the live answer and the stored facts
(``reporting.eligibility_store``) build them the same way; ``applicant`` gathers what decides
where a person applies.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, TypeVar

from django.db.models import Prefetch

from investments.choices import ProjectKind, StatusRole, StatusRuleKey
from investments.models import (
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
    StatusRule,
)
from investments.rules import facts
from investments.rules.dates import anniversary
from investments.rules.minimum import MinimumResult, minimum
from investments.rules.office import Applicant
from investments.rules.office import Office as OfficeFacts
from portal.access import reviews

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


def office_facts(office: "Office | None") -> OfficeFacts | None:
    if office is None:
        return None
    parent = office.parent.code if office.parent_id else ""
    return OfficeFacts(office.code, office.name, office.name_ko, parent)


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

"""R2's tests, one per status it can grant (seed §6.D, §7.C, §7.S(3)): each takes the
investments maintained on the date and answers passed or not, with the minimum it used, what it
counted and its reasons. Which code each test grants and the order they are tried in are data
(``Parameters.status_precedence``), applied in ``status.qualification``. The parts the F-5 clock
(R4) shares — the F-2-12 test, combined minimums, units of one zone, the retirement minimum —
live here too, so both rules ask the same question.

It is one module of some 480 lines for that reason: the five tests and the parts R4 asks too
are read side by side.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext_noop

from .facts import InvestmentFacts, Parameters, Reason, explained, phrase
from .status_reasons import RULE, Outcome, held_of, name_of, said

TOURISM, PUBLIC_INTEREST = "tourism", "public_interest"

# R2's tests by the key of their status rule; which code each grants and the order in which
# they are tried are data (``Parameters.status_precedence``, the StatusRule rows).
HIGH_VALUE, TOURISM_RESIDENCE = "high_value", "tourism_residence"
PUBLIC_INTEREST_RESIDENCE, RETIREMENT_RESIDENCE, VISIT = "public_interest", "retirement", "visit"
RETIREMENT = "retirement"


def net_held(inv: InvestmentFacts, on: date) -> int:
    """Payments made on or before ``on`` less recoveries made on or before it, never below 0."""
    paid = sum(p.amount_krw for p in inv.payments if p.on <= on)
    recovered = sum(r.amount_krw for r in inv.recoveries if r.on <= on)
    return max(0, paid - recovered)


def _high_value(invs: Sequence[InvestmentFacts], on: date, params: Parameters) -> Outcome:
    """F-5-25: a high-value principal-guaranteed deposit gives permanent residence at once."""
    code = params.code(HIGH_VALUE)
    candidates = [i for i in invs if i.program == PUBLIC_INTEREST and i.track == "high_value"]
    if not candidates:
        return said(
            "seed §7.C", gettext_noop("%(code)s: no high-value public-interest deposit"), code=code
        )
    failures = []
    for inv in candidates:
        # The minimum of the contract date (R1) when the caller knows it, else today's.
        need = inv.minimum_krw if inv.minimum_krw is not None else params.high_value_minimum_krw
        held = net_held(inv, on)
        values = {"code": code, "name": name_of(inv), "held_krw": held, "need_krw": need}
        if held >= need:
            met = gettext_noop(
                "%(code)s: %(name)s: holds %(held_krw)s, meeting the %(need_krw)s high-value "
                "minimum"
            )
            granted = explained(
                RULE,
                "[public]",
                gettext_noop("a high-value depositor is granted %(code)s at once"),
                code=code,
            )
            return Outcome(True, need, held, (explained(RULE, "seed §7.C", met, **values), granted))
        short = gettext_noop(
            "%(code)s: %(name)s: holds %(held_krw)s of the %(need_krw)s high-value minimum"
        )
        failures.append(explained(RULE, "seed §7.C", short, **values))
    return Outcome(False, reasons=tuple(failures))


def _tourism_residence(invs: Sequence[InvestmentFacts], on: date, params: Parameters) -> Outcome:
    """F-2-8: one tourism investment, made in an implementation period, that meets seed §6.D."""
    code = params.code(TOURISM_RESIDENCE)
    candidates = [i for i in invs if i.program == TOURISM]
    if not candidates:
        return said("seed §6.D", gettext_noop("%(code)s: no tourism investment"), code=code)
    failures: list[Reason] = []
    for inv in candidates:
        if not inv.in_period:
            outcome = said(
                "seed §6.J",
                gettext_noop(
                    "%(code)s: %(name)s: contract of %(day)s falls outside the zone's "
                    "implementation periods"
                ),
                code=code,
                name=name_of(inv),
                day=inv.contract_date,
            )
        elif inv.investor_class == "linked":
            outcome = _linked(inv, on, params)
        else:
            outcome = _owner(inv, on, code)
        if outcome.passed:
            return outcome
        failures.extend(outcome.reasons)
    if params.tourism_units_add_up:
        outcome = _units_together(candidates, on, code)
        if outcome.passed:
            return outcome
        failures.extend(outcome.reasons)
    return Outcome(False, reasons=tuple(failures))


def zone_units(
    invs: Sequence[tuple[InvestmentFacts, int]],
) -> dict[int, tuple[list[tuple[InvestmentFacts, int]], int]]:
    """Registered units of one investor grouped by zone, with the minimum they are judged
    against together: that of the latest contract date among them, the day the combination
    was complete (as for public-interest investments together) [decision]. Only used when the
    ``tourism_units_add_up`` setting says units add up; shared by R2 and the F-5 clock."""
    zones: dict[int, list[tuple[InvestmentFacts, int]]] = {}
    for inv, held in invs:
        if inv.zone_id is not None and inv.minimum_krw is not None and held > 0:
            zones.setdefault(inv.zone_id, []).append((inv, held))
    return {
        zone: (units, max(units, key=lambda u: u[0].contract_date)[0].minimum_krw or 0)
        for zone, units in zones.items()
        if len(units) > 1
    }


def _units_together(candidates: Sequence[InvestmentFacts], on: date, code: str) -> Outcome:
    """F-2-8 on several registered units of one zone added up (setting
    ``tourism_units_add_up``)."""
    registered = [
        (inv, net_held(inv, on))
        for inv in candidates
        if inv.in_period
        and inv.investor_class in ("registered_owner", "membership_holder")
        and inv.registered_on is not None
        and inv.registered_on <= on
    ]
    failures = []
    for units, need in zone_units(registered).values():
        held = sum(n for _, n in units)
        values = {
            "code": code,
            "names": tuple(name_of(inv) for inv, _ in units),
            "held_krw": held,
            "need_krw": need,
        }
        source = "seed §6.D, §6.F; [decision] tourism_units_add_up"
        if held >= need:
            message = gettext_noop(
                "%(code)s: registered units of one zone together (%(names)s): holds "
                "%(held_krw)s, meeting the %(need_krw)s minimum"
            )
            return Outcome(True, need, held, (explained(RULE, source, message, **values),))
        message = gettext_noop(
            "%(code)s: registered units of one zone together (%(names)s): holds %(held_krw)s "
            "of the %(need_krw)s minimum"
        )
        failures.append(explained(RULE, source, message, **values))
    return Outcome(False, reasons=tuple(failures))


def _owner(inv: InvestmentFacts, on: date, code: str) -> Outcome:
    """Registered owner or membership holder (seed §6.D ①②): full minimum paid AND the
    registration done; money paid for a unit not yet registered gives no F-2."""
    name, held, need = name_of(inv), net_held(inv, on), inv.minimum_krw
    if need is None:
        return said(
            "seed §6.J",
            gettext_noop("%(code)s: %(name)s: no minimum in force on the contract date"),
            code=code,
            name=name,
        )
    values = {"code": code, "name": name, "held_krw": held, "need_krw": need}
    if held < need:
        return said(
            "seed §6.D",
            gettext_noop("%(code)s: %(name)s: holds %(held_krw)s of the %(need_krw)s minimum"),
            **values,
        )
    if inv.investor_class not in ("registered_owner", "membership_holder"):
        message = gettext_noop("%(code)s: %(name)s: investor class '%(kind)s' is none of seed §6.D")
        return said("seed §6.D", message, code=code, name=name, kind=inv.investor_class)
    owner = inv.investor_class == "registered_owner"
    if inv.registered_on is None or inv.registered_on > on:
        if owner:
            message = gettext_noop(
                "%(code)s: %(name)s: holds %(held_krw)s, meeting the %(need_krw)s minimum but "
                "has no ownership registration on %(on)s; no F-2 until it is registered"
            )
        else:
            message = gettext_noop(
                "%(code)s: %(name)s: holds %(held_krw)s, meeting the %(need_krw)s minimum but "
                "has no membership on %(on)s; no F-2 until it is registered"
            )
        return said("seed §6.D", message, on=on, **values)
    if owner:
        message = gettext_noop(
            "%(code)s: %(name)s: holds %(held_krw)s, meeting the %(need_krw)s minimum, "
            "ownership registration since %(since)s"
        )
    else:
        message = gettext_noop(
            "%(code)s: %(name)s: holds %(held_krw)s, meeting the %(need_krw)s minimum, "
            "membership since %(since)s"
        )
    reason = explained(RULE, "seed §6.D", message, since=inv.registered_on, **values)
    return Outcome(True, need, held, (reason,))


def _linked(inv: InvestmentFacts, on: date, params: Parameters) -> Outcome:
    """Linked investor (seed §6.D ③): unit price ≥ the public-interest minimum, a down payment,
    a KDB deposit ≥ 40 % of that minimum, and down payment + deposit ≥ that minimum.

    Recoveries (in practice KDB money paid back early) are taken off both the deposit and the
    total, so a withdrawal can only weaken the case [decision]."""
    name, need = name_of(inv), public_interest_minimum(inv, params)
    code = params.code(TOURISM_RESIDENCE)
    paid = [p for p in inv.payments if p.on <= on]
    down = sum(p.amount_krw for p in paid if p.kind == "down")
    recovered = sum(r.amount_krw for r in inv.recoveries if r.on <= on)
    deposited = sum(p.amount_krw for p in paid if p.kind == "deposit")
    deposit, total = max(0, deposited - recovered), max(0, down + deposited - recovered)
    share = -(-need * params.linked_deposit_percent // 100)  # rounded up: at least the share
    prefix = phrase(gettext_noop("%(code)s: %(name)s (linked investor)"), code=code, name=name)
    values = {
        "prefix": prefix,
        "price_krw": inv.contract_amount_krw,
        "need_krw": need,
        "deposit_krw": deposit,
        "percent": params.linked_deposit_percent,
        "share_krw": share,
        "total_krw": total,
    }
    if inv.contract_amount_krw < need:
        message = gettext_noop("%(prefix)s: unit price %(price_krw)s is below %(need_krw)s")
        return said("seed §6.D", message, **values)
    if down <= 0:
        message = gettext_noop("%(prefix)s: no down payment by %(on)s")
        return said("seed §6.D", message, prefix=prefix, on=on)
    if deposit * 100 < need * params.linked_deposit_percent:
        message = gettext_noop(
            "%(prefix)s: KDB deposit %(deposit_krw)s is below %(percent)s %% "
            "of %(need_krw)s (%(share_krw)s)"
        )
        return said("seed §6.D", message, **values)
    if total < need:
        message = gettext_noop("%(prefix)s: down payment + deposit: %(of)s minimum")
        return said("seed §6.D", message, prefix=prefix, of=held_of(total, need))
    message = gettext_noop(
        "%(prefix)s: unit price %(price_krw)s, KDB deposit %(deposit_krw)s ≥ %(percent)s %% "
        "of %(need_krw)s, down payment + deposit %(total_krw)s ≥ %(need_krw)s"
    )
    return Outcome(True, need, total, (explained(RULE, "seed §6.D", message, **values),))


def public_interest_minimum(inv: InvestmentFacts, params: Parameters) -> int:
    """The general public-interest minimum of ``inv``'s contract date (R1), else today's."""
    if inv.public_interest_minimum_krw is not None:
        return inv.public_interest_minimum_krw
    return params.public_interest_minimum_krw


@dataclass(frozen=True)
class PublicInterestTest:
    """F-2-12's test, shared by R2 and the F-5 clock (R4) so both ask the same question."""

    passed: bool
    need: int  # the minimum the decisive (or closest) test used
    held: int  # what it counted against it
    alone: InvestmentFacts | None  # the investment that met its own minimum, if one did
    combined: bool  # True when tourism money was needed to reach the minimum


def public_interest_test(
    public: Sequence[tuple[InvestmentFacts, int]],
    tourism: Sequence[tuple[InvestmentFacts, int]],
    params: Parameters,
) -> PublicInterestTest:
    """F-2-12 on (investment, net held) pairs; pairs with nothing held are ignored.

    Each investment keeps the minimum of its own contract date: one that met it is enough
    however the minimum rose afterwards (seed §7.C; SPEC §2.2 "so older records validate").
    Several investments together are judged against the minimum in force on the latest contract
    date among them, the day the combination was complete [decision]. Tourism money only adds
    to some public-interest money (linkage, seed §6.A, §7.C)."""
    public = [(i, n) for i, n in public if n > 0]
    tourism = [(i, n) for i, n in tourism if n > 0]
    pi_total, tour_total = sum(n for _, n in public), sum(n for _, n in tourism)
    for inv, held in public:
        need = public_interest_minimum(inv, params)
        if held >= need:
            return PublicInterestTest(True, need, held, inv, False)
    need = combined_minimum([i for i, _ in public], params)
    if public and pi_total >= need:
        return PublicInterestTest(True, need, pi_total, None, False)
    need = combined_minimum([i for i, _ in public + tourism], params)
    passed = bool(public) and pi_total + tour_total >= need
    return PublicInterestTest(passed, need, pi_total + tour_total, None, bool(tourism))


def combined_minimum(invs: Sequence[InvestmentFacts], params: Parameters) -> int:
    """The public-interest minimum several investments together are judged against: that of
    the latest contract date among them [decision]."""
    latest = max(invs, key=lambda i: i.contract_date, default=None)
    if latest is None:
        return params.public_interest_minimum_krw
    return public_interest_minimum(latest, params)


def _public_interest(invs: Sequence[InvestmentFacts], on: date, params: Parameters) -> Outcome:
    """F-2-12: public-interest amounts reach the minimum on their own (seed §7.S(3)) or with
    the person's tourism amounts (linkage, seed §6.A, §7.C), which needs some public-interest
    money: tourism alone is judged by F-2-8."""
    code = params.code(PUBLIC_INTEREST_RESIDENCE)
    public = [(i, net_held(i, on)) for i in invs if i.program == PUBLIC_INTEREST]
    tourism = [(i, net_held(i, on)) for i in invs if i.program == TOURISM and i.in_period]
    pi_total = sum(n for _, n in public)
    tour_total = sum(n for _, n in tourism)
    test = public_interest_test(public, tourism, params)
    need = test.need
    values = {
        "code": code,
        "need_krw": need,
        "public_krw": pi_total,
        "tourism_krw": tour_total,
        "held_krw": pi_total + tour_total,
    }
    if test.passed and test.alone is not None:
        inv = test.alone
        message = gettext_noop(
            "%(code)s: %(name)s: holds %(held_krw)s, meeting the %(need_krw)s minimum in force "
            "on its contract date %(day)s"
        )
        reason = explained(
            RULE,
            "seed §7.C, §7.S(3)",
            message,
            **{**values, "name": name_of(inv), "held_krw": test.held, "day": inv.contract_date},
        )
        return Outcome(True, need, test.held, (reason,))
    if test.passed and not test.combined:
        message = gettext_noop(
            "%(code)s: public-interest investments: holds %(held_krw)s, meeting the "
            "%(need_krw)s minimum"
        )
        reason = explained(RULE, "seed §7.S(3)", message, **{**values, "held_krw": pi_total})
        return Outcome(True, need, pi_total, (reason,))
    if test.passed:
        message = gettext_noop(
            "%(code)s: public-interest %(public_krw)s + tourism %(tourism_krw)s together: "
            "holds %(held_krw)s, meeting the %(need_krw)s public-interest minimum"
        )
        return Outcome(
            True, need, test.held, (explained(RULE, "seed §6.A, §7.C", message, **values),)
        )
    if pi_total == 0:
        return said(
            "seed §7.S(3)",
            gettext_noop("%(code)s: no public-interest investment held on %(on)s"),
            code=code,
            on=on,
        )
    return said(
        "seed §6.A, §7.C",
        gettext_noop(
            "%(code)s: public-interest %(public_krw)s + tourism %(tourism_krw)s: holds "
            "%(held_krw)s of the %(need_krw)s minimum"
        ),
        **values,
    )


def retirement_met(public: Sequence[tuple[InvestmentFacts, int]]) -> InvestmentFacts | None:
    """The retirement-track investment (55+, abolished 2023-06-29 [public]) that holds the
    retirement minimum of its deposit date, if one does; shared by R2 and the F-5 clock."""
    return next(
        (
            inv
            for inv, held in public
            if inv.track == RETIREMENT and inv.minimum_krw is not None and held >= inv.minimum_krw
        ),
        None,
    )


def _retirement(invs: Sequence[InvestmentFacts], on: date, params: Parameters) -> Outcome:
    """F-2-14: an investor aged 55 or more on the deposit date, judged against the retirement
    minimum of that date (KRW 300 million until 2023-06-28) [public]."""
    code = params.code(RETIREMENT_RESIDENCE)
    public = [(i, net_held(i, on)) for i in invs if i.program == PUBLIC_INTEREST]
    candidates = [(i, n) for i, n in public if i.track == RETIREMENT]
    if not candidates:
        message = gettext_noop("%(code)s: no retirement-track deposit (aged 55 or more)")
        return said("[public]", message, code=code)
    met = retirement_met(candidates)
    if met is not None:
        held = {i.id: n for i, n in candidates}[met.id]
        message = gettext_noop(
            "%(code)s: %(name)s: %(of)s retirement minimum in force on its contract date "
            "%(on)s (investor aged 55 or more)"
        )
        of = held_of(held, met.minimum_krw or 0)
        values = {"code": code, "name": name_of(met), "of": of, "on": met.contract_date}
        reason = explained(RULE, "[public]", message, **values)
        return Outcome(True, met.minimum_krw, held, (reason,))
    inv, held = candidates[0]
    need = inv.minimum_krw or 0
    message = gettext_noop("%(code)s: %(name)s: %(of)s retirement minimum")
    return said("[public]", message, code=code, name=name_of(inv), of=held_of(held, need))


def _visit(invs: Sequence[InvestmentFacts], on: date, params: Parameters) -> Outcome:
    """F-1 (seed §6.D): down and intermediate payments on one tourism facility, net of
    recoveries, of at least KRW 100 million or USD 100,000.

    Every payment towards the facility counts, whatever its label: a payment called "final"
    while the registration is pending is money paid before ownership, as a down or intermediate
    payment is, so down 50 M + "final" 950 M is at least what down 100 M alone is (seed §6.A,
    §6.D) [decision]. A linked investor's KDB deposit is no payment for the facility.

    Recoveries are in KRW; the USD test takes the USD paid in the same proportion as the KRW
    still held, so a recovery weakens both tests alike [decision]."""
    code = params.code(VISIT)
    candidates = [i for i in invs if i.program == TOURISM and i.in_period]
    if not candidates:
        message = gettext_noop("%(code)s: no tourism investment made in an implementation period")
        return said("seed §6.D", message, code=code)
    f1_krw, failures = params.f1_minimum_krw, []
    for inv in candidates:
        early = [p for p in inv.payments if p.on <= on and p.kind != "deposit"]
        gross = sum(p.amount_krw for p in early)
        recovered = sum(r.amount_krw for r in inv.recoveries if r.on <= on)
        held = max(0, gross - recovered)
        usd = sum(
            Decimal(str(p.original_amount or 0)) for p in early if p.currency.upper() == "USD"
        )
        usd_held = usd * held / gross if gross else Decimal(0)
        what = (
            gettext_noop("payments, the one labelled final included")
            if any(p.kind == "final" for p in early)
            else gettext_noop("down + intermediate payments")
        )
        values = {
            "code": code,
            "name": name_of(inv),
            "what_text": what,
            "held_krw": held,
            "need_krw": f1_krw,
        }
        if held >= f1_krw:
            message = gettext_noop(
                "%(code)s: %(name)s: %(what_text)s: holds %(held_krw)s, meeting the "
                "%(need_krw)s minimum"
            )
            reason = explained(RULE, "seed §6.D", message, **values)
            return Outcome(True, f1_krw, held, (reason,))
        values["dollars"] = f"USD {usd_held:,.2f}"
        values["usd_need"] = f"USD {params.f1_minimum_usd:,}"
        if usd_held >= params.f1_minimum_usd:
            message = gettext_noop(
                "%(code)s: %(name)s: %(what_text)s: holds %(dollars)s, meeting the "
                "%(usd_need)s minimum (%(held_krw)s)"
            )
            reason = explained(RULE, "seed §6.D", message, **values)
            return Outcome(True, f1_krw, held, (reason,))
        if usd:
            message = gettext_noop(
                "%(code)s: %(name)s: %(what_text)s: holds %(held_krw)s of the %(need_krw)s "
                "minimum; %(dollars)s of the %(usd_need)s"
            )
            failures.append(explained(RULE, "seed §6.D", message, **values))
        else:
            message = gettext_noop(
                "%(code)s: %(name)s: %(what_text)s: holds %(held_krw)s of the %(need_krw)s minimum"
            )
            failures.append(explained(RULE, "seed §6.D", message, **values))
    return Outcome(False, reasons=tuple(failures))


#: R2's tests by the key of their status rule (``StatusRule``).
TESTS: dict[str, Callable[[Sequence[InvestmentFacts], date, Parameters], Outcome]] = {
    HIGH_VALUE: _high_value,
    TOURISM_RESIDENCE: _tourism_residence,
    PUBLIC_INTEREST_RESIDENCE: _public_interest,
    RETIREMENT_RESIDENCE: _retirement,
    VISIT: _visit,
}

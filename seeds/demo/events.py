"""What happens to a demo investment after the contract: payments (some in a foreign
currency, the KRW amount counting), recoveries, lapses, and the residence-status grants
officers record: F-1 while paying, F-2 once paid and registered, F-5 five years on for those
whose investment stayed whole. A mixin of ``seeds.demo.ledger.DemoLedger``, which draws the
sales themselves."""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from investments.choices import InvestorClass, LapseKind, ProgramCode, RecoveryReason
from investments.models import Investment, Investor, Lapse, Payment, Recovery, StatusGrant
from portal.crypto import keyed_hash

from .people import Identity, add_years

MILLION = 1_000_000
RECOVERY_SHARE, LAPSE_SHARE = 0.05, 0.03
#: Recoveries every institution made this many days ago, whatever the demo's size: the first
#: two still due (the 14-day report is not late yet; one is this month's even on the 1st), the
#: last two overdue and left unfiled.
RECENT_RECOVERIES = (0, 3, 24, 28)
YEARS = range(2014, 2027)
# Approximate yearly KRW per USD and per CNY (later years: the last), for foreign payments.
USD = [1053, 1131, 1160, 1130, 1100, 1166, 1180, 1144, 1292, 1306, 1364, 1420, 1450]
CNY = [171, 180, 175, 167, 166, 169, 171, 177, 192, 184, 189, 196, 203]
KRW_PER = {"USD": dict(zip(YEARS, USD, strict=True)), "CNY": dict(zip(YEARS, CNY, strict=True))}


@dataclass
class Plan:
    """One investment being built, with the facts its grants and events depend on."""

    who: Identity
    investor: Investor
    investment: Investment
    payments: list = field(default_factory=list)
    recovered_on: date | None = None
    lapsed: bool = False

    @property
    def paid(self):
        return sum(p.amount_krw for p in self.payments)

    @property
    def paid_off(self):
        return self.paid == self.investment.contract_amount_krw


class Events:
    """Payments, recoveries, lapses and grants of a ``Plan`` (needs ``rng``, ``today``,
    ``add``, ``days``, ``later``, ``crowd``, ``arns``, ``officers``, ``hq`` and ``recent``)."""

    def pay(self, plan, schedule):
        """The payments of ``schedule`` [(day, kind, krw)] made by today, in one currency; the
        KRW amount is what counts, the original amount is kept beside it."""
        currency = "KRW"
        if self.rng.random() < 0.3:
            currency = "CNY" if plan.who.nationality == "CN" else "USD"
        for day, kind, krw in schedule:
            if day > self.today:
                break
            original = None
            if currency != "KRW":
                rate = KRW_PER[currency][min(day.year, max(YEARS))] * self.rng.uniform(0.98, 1.02)
                original = (Decimal(krw) / Decimal(f"{rate:.2f}")).quantize(Decimal("0.01"))
            plan.payments.append(
                self.add(
                    Payment(
                        investment=plan.investment,
                        paid_on=day,
                        amount_krw=krw,
                        kind=kind,
                        currency=currency,
                        original_amount=original,
                    )
                )
            )

    def grant(self, plan, code, granted_on, expires_on=None):
        """A grant recorded by an officer of the competent office (HQ where no demo officer
        sits); none after today or after a recovery. Residents get an alien registration
        number (birth date, then 5/6 for men/women born before 2000, 7/8 after)."""
        if granted_on > self.today or (plan.recovered_on and granted_on >= plan.recovered_on):
            return None
        investor, who = plan.investor, plan.who
        if code != "C-3" and not investor.alien_registration_number:
            if investor.person.identity_hash not in self.arns:
                self.arns[investor.person.identity_hash] = self.crowd.registration_number(who)
            investor.alien_registration_number = self.arns[investor.person.identity_hash]
            investor.alien_registration_hash = keyed_hash(investor.alien_registration_number)
        return self.add(
            StatusGrant(
                person=investor.person,
                investor=investor,
                code_id=code,
                granted_on=granted_on,
                expires_on=expires_on,
                recorded_by=self.officers.get(plan.investment.office_id, self.hq),
            )
        )

    def residence(self, plan, start, f2_code, f5_code):
        """F-2 a few weeks after ``start`` (nine in ten apply); F-5 for most of those whose
        investment stayed whole (no recovery, no lapse) once five years have run."""
        if self.rng.random() >= 0.9:
            return
        granted = start + self.days(14, 60)
        fifth = add_years(granted, 5)
        if (
            self.grant(plan, f2_code, granted, fifth + self.days(30, 120))
            and not (plan.recovered_on or plan.lapsed)
            and self.rng.random() < 0.6
        ):
            self.grant(plan, f5_code, fifth + self.days(0, 25))

    def recent_day(self, institution_id, since):
        """The next of the institution's ``RECENT_RECOVERIES`` days, if it is after ``since``."""
        pending = self.recent[institution_id]
        if pending and since < self.today - timedelta(days=pending[0]):
            return self.today - timedelta(days=pending.pop(0))
        return None

    def events(self, plan):
        """~5 % recover funds (wholly or partly) after their last payment, and the first
        investments of each institution make its recent recoveries; ~3 % of the fully paid
        have a lapse, some still open."""
        roll, inv, rng = self.rng.random(), plan.investment, self.rng
        since = inv.registered_on or max(p.paid_on for p in plan.payments)
        day = self.recent_day(inv.institution_id, since)
        if day or (roll < RECOVERY_SHARE and (day := self.later(since, 20, 1500))):
            if inv.program == ProgramCode.PUBLIC_INTEREST:
                reason = RecoveryReason.EARLY_REPAYMENT
            elif not plan.paid_off:
                reason = RecoveryReason.CONTRACT_CANCELLATION
            elif inv.investor_class == InvestorClass.MEMBERSHIP_HOLDER:
                reason = rng.choice([RecoveryReason.MEMBERSHIP_TRANSFER, RecoveryReason.SALE])
            else:
                reason = rng.choice(
                    [RecoveryReason.SALE] * 3 + [RecoveryReason.CONTRACT_CANCELLATION]
                )
            full = reason == RecoveryReason.CONTRACT_CANCELLATION or rng.random() < 0.7
            part = int(plan.paid * rng.uniform(0.2, 0.6)) // MILLION * MILLION
            amount = plan.paid if full else part
            self.add(
                Recovery(
                    investment=inv,
                    recovered_on=day,
                    amount_krw=amount,
                    reason=reason,
                    is_full=amount == plan.paid,
                )
            )
            plan.recovered_on = day
        elif (
            roll < RECOVERY_SHARE + LAPSE_SHARE
            and plan.paid_off
            and (started := self.later(since, 60, 1500))
        ):
            kinds = (
                [LapseKind.SEIZURE, LapseKind.DEPARTURE]
                if inv.project_id
                else [
                    LapseKind.LEASE,
                    LapseKind.LEASE,
                    LapseKind.MORTGAGE,
                    LapseKind.SEIZURE,
                    LapseKind.DEPARTURE,
                ]
            )
            ended = started + self.days(30, 500)
            self.add(
                Lapse(
                    investment=inv,
                    kind=rng.choice(kinds),
                    started_on=started,
                    ended_on=ended if ended <= self.today and rng.random() < 0.6 else None,
                )
            )
            plan.lapsed = True

"""The demo ledger, generated in memory a chunk of investors at a time and written in bulk
(``seeds.demo.writer``): institutions' clients, units, investments, payments, recoveries,
lapses, family members and the residence-status grants officers recorded.

It does not call ``investments.services``: one validated, locked, audited call per row is
right for real data but would take hours for a national ledger. So this module keeps by itself
what the verbs guarantee, and ``tests/test_make_demo.py`` checks each of these on a built demo:

* the hash columns (``passport_hash``, ``Person.identity_hash``) exactly as
  ``register_investor`` computes them, so demo people are found and recognised across
  institutions (a few hold both a Jeju condo and a KDB deposit: one ``Person``, two records);
* ``Investment.office`` = the competent office (the zone's, or the project's for KDB);
* whole KRW, nothing after today, no payment before its contract, no recovery larger than what
  was paid before it, facility types eligible in the zone, contract dates inside a zone's
  implementation period, amounts at or above the dated minimum (read from the reference rows).

Dates are relative to today: twelve years of sales up to today, and in every institution a few
recoveries of the last weeks (``RECENT_RECOVERIES``), so every dashboard has something due,
something overdue and something recent. The output depends only on the seed, the size and
today's date, so a demo is reproducible on a day.
"""

import random
from collections import defaultdict
from datetime import date, timedelta

from django.utils import timezone

from investments.choices import (
    InvestorClass,
    PaymentKind,
    ProgramCode,
    Track,
)
from investments.models import (
    FacilityType,
    Investment,
    Investor,
    MinimumAmount,
    Person,
    Program,
    Project,
    Property,
    RelatedPerson,
    StatusCode,
    Zone,
)
from portal.crypto import keyed_hash, normalise_identifier

from .catalogue import Catalogue
from .events import RECENT_RECOVERIES, YEARS, Events, Plan
from .people import Crowd, add_years

#: Investors generated and written at a time: memory stays flat whatever the demo's size.
CHUNK = 5000
MILLION = 1_000_000
EARLIEST = date(2014, 1, 1)
KDB_PROJECT = "kdb-fund"
#: Demo sales companies → ((zone, share of the tourism investors), …). Accounts missing from
#: ``seeds.demo.accounts.ACCOUNTS`` are skipped, so adding e.g. a Busan company there is enough.
#: company.jeju also sells in Yeosu Gyeongdo, so it owes the Yeosu office a monthly notice of
#: those units besides Jeju's (seed §6.H) and ``officer.yeosu`` has something to read.
SELLERS = {
    "company.jeju": (("jeju", 66), ("yeosu-gyeongdo", 4)),
    "company.incheon": (("incheon-fez", 30),),
}
KDB_SHARE, BOTH_SHARE, FAMILY_SHARE = 0.15, 0.02, 0.5
# Contracts per year: the Chinese Jeju boom of 2014–15, the 2017 slump, the 2023 KRW 1 billion
# minimum; KDB deposits spread more evenly. Later years weigh as the last one.
TOURISM_YEARS = dict(zip(YEARS, [22, 18, 12, 7, 6, 6, 3, 3, 4, 5, 6, 6, 5], strict=True))
KDB_YEARS = dict(zip(YEARS, [6, 8, 10, 10, 10, 10, 6, 7, 9, 8, 6, 6, 5], strict=True))


def reference_loaded():
    zones = {zone for sales in SELLERS.values() for zone, _ in sales}
    return (
        Project.objects.filter(code=KDB_PROJECT).exists()
        and Zone.objects.filter(code__in=zones).count() == len(zones)
        and StatusCode.objects.exists()
    )


class DemoLedger(Events):
    """Builds the rows of a chunk of investors in memory (``generate``); ``rows`` holds them,
    parents before children, until the writer takes them (``take``)."""

    def __init__(self, accounts, *, seed, today=None):
        self.rng = random.Random(seed)
        self.today = today or timezone.localdate()
        self.rows = defaultdict(list)
        self.people, self.arns, self.spans = {}, {}, {}
        self.crowd = Crowd(self.rng, self.today)
        self.hq = accounts["hq"]
        self.officers = {u.organisation.office_id: u for u in accounts.values() if u.is_officer}
        self.sellers = [
            (accounts[u].organisation, zone, weight)
            for u, sales in SELLERS.items()
            if u in accounts
            for zone, weight in sales
        ]
        self.kdb_org = accounts["kdb"].organisation
        self.recent = {org.pk: list(RECENT_RECOVERIES) for org, *_ in self.sellers}
        self.recent[self.kdb_org.pk] = list(RECENT_RECOVERIES)
        self.zones = {
            z.code: z
            for z in Zone.objects.select_related("office").prefetch_related(
                "facility_types", "periods"
            )
        }
        self.project = Project.objects.select_related("office").get(code=KDB_PROJECT)
        tourism = Program.objects.get(code=ProgramCode.TOURISM)
        self.f1_minimum, self.prescreening_from = (
            tourism.f1_minimum_krw,
            tourism.guideline_enforced_on,
        )
        self.minimums = defaultdict(list)
        for m in MinimumAmount.objects.select_related("program", "zone"):
            key = (m.zone.code if m.zone_id else m.program.code, m.track)
            self.minimums[key].append((m.effective_from, m.effective_to or date.max, m.minimum_krw))
        self.facility_types = {t.code: t for t in FacilityType.objects.all()}
        self.catalogues = {}  # (institution, zone) → Catalogue

    # --- drawing ------------------------------------------------------------------------------

    def days(self, low, high):
        return timedelta(days=self.rng.randint(low, high))

    def later(self, start, low, high):
        """A day ``low``–``high`` days after ``start``, pulled back to today; None if none."""
        day = start + self.days(low, high)
        if day <= self.today:
            return day
        return start + self.days(1, (self.today - start).days) if start < self.today else None

    def contract_date(self, windows, weights):
        """A day inside one of ``windows`` (from 2014 to today), years weighted as ``weights``."""
        key = (tuple(windows), tuple(weights.values()))
        if key not in self.spans:
            spans = []
            for start, end in windows:
                start, end = max(start, EARLIEST), min(end, self.today)
                while start <= end:
                    stop = min(date(start.year, 12, 31), end)
                    weight = weights.get(start.year, weights[max(weights)])
                    spans.append((start, stop, weight * ((stop - start).days + 1)))
                    start = stop + timedelta(days=1)
            self.spans[key] = spans
        spans = self.spans[key]
        start, stop, _ = self.rng.choices(spans, weights=[s[2] for s in spans])[0]
        return start + self.days(0, (stop - start).days)

    def minimum(self, key, track, day):
        return next(krw for start, end, krw in self.minimums[(key, track)] if start <= day <= end)

    def amount(self, minimum, exact, uplift):
        """The minimum itself (a share ``exact``), or up to ``uplift`` above it, in millions."""
        if self.rng.random() < exact:
            return minimum
        return -(-int(minimum * self.rng.uniform(1, 1 + uplift)) // MILLION) * MILLION

    # --- rows ---------------------------------------------------------------------------------

    def add(self, obj):
        self.rows[type(obj)].append(obj)
        return obj

    def investor(self, org, who):
        """The institution's client record, hashed as ``register_investor`` does; one ``Person``
        per nationality and passport however many institutions record it."""
        passport = normalise_identifier(who.passport)
        identity_hash = keyed_hash(who.nationality, passport)
        if identity_hash not in self.people:
            self.people[identity_hash] = Person(
                identity_hash=identity_hash, nationality=who.nationality
            )
        return self.add(
            Investor(
                institution=org,
                person=self.people[identity_hash],
                full_name=who.full_name,
                nationality=who.nationality,
                date_of_birth=who.date_of_birth,
                passport_number=passport,
                passport_hash=keyed_hash(passport),
                email=who.email,
            )
        )

    def family(self, investor, who, contract_day):
        for relation, nationality, born, name, passport in self.crowd.family(who, contract_day):
            self.add(
                RelatedPerson(
                    investor=investor,
                    relation=relation,
                    nationality=nationality,
                    date_of_birth=born,
                    full_name=name,
                    passport_number=passport,
                )
            )

    def unit(self, org, zone):
        """A unit of one of the zone's properties nobody has bought yet."""
        key = (org.pk, zone.code)
        if key not in self.catalogues:
            allowed = {t.code for t in zone.facility_types.all()}
            self.catalogues[key] = Catalogue(zone.code, allowed, self.rng)
        name, kind, number = self.catalogues[key].unit()
        return self.add(
            Property(
                institution=org,
                zone=zone,
                name=name,
                unit_number=number,
                facility_type=self.facility_types[kind],
            )
        )

    # --- investments --------------------------------------------------------------------------

    def tourism(self, org, zone_code, who):
        """A unit bought in a zone: 10 % down on the contract day, one to three intermediate
        payments, the rest within about six months (off-plan sales: up to 2½ years, which
        leaves recent buyers still paying), ownership or membership registered soon after."""
        zone, rng = self.zones[zone_code], self.rng
        day = self.contract_date([(p.start, p.end) for p in zone.periods.all()], TOURISM_YEARS)
        amount = self.amount(self.minimum(zone_code, Track.GENERAL, day), 0.35, 0.5)
        unit = self.unit(org, zone)
        membership = unit.facility_type.code == "resort-condominium" and rng.random() < 0.25
        investor = self.investor(org, who)
        inv = self.add(
            Investment(
                investor=investor,
                institution=org,
                program=ProgramCode.TOURISM,
                zone=zone,
                unit=unit,
                investor_class=InvestorClass.MEMBERSHIP_HOLDER
                if membership
                else InvestorClass.REGISTERED_OWNER,
                contract_date=day,
                contract_amount_krw=amount,
                office=zone.office,
            )
        )
        span = rng.randint(400, 900) if rng.random() < 0.15 else rng.randint(90, 200)
        count, down = rng.randint(1, 3), amount // 10 // MILLION * MILLION
        middle = int(amount * rng.uniform(0.4, 0.6)) // count // MILLION * MILLION
        step = span // (count + 1)
        schedule = (
            [(day, PaymentKind.DOWN, down)]
            + [
                (day + timedelta(days=step * i), PaymentKind.INTERMEDIATE, middle)
                for i in range(1, count + 1)
            ]
            + [(day + timedelta(days=span), PaymentKind.FINAL, amount - down - middle * count)]
        )
        if day >= self.prescreening_from and span <= 150 and rng.random() < 0.6:
            inv.prescreened_on = day - self.days(7, 30)  # so the funds arrive within 6 months
        plan = Plan(who, investor, inv)
        self.pay(plan, schedule)
        registered = plan.payments[-1].paid_on + self.days(3, 45)
        if plan.paid_off and registered <= self.today and rng.random() < 0.9:
            inv.registered_on = registered
        self.events(plan)
        if inv.registered_on:
            self.residence(plan, inv.registered_on, "F-2-8", "F-5-17")
        elif not plan.paid_off and rng.random() < 0.7:
            paid = 0  # F-1 once down + intermediate payments reach the program's F-1 minimum
            for payment in plan.payments:
                paid += payment.amount_krw
                if paid >= self.f1_minimum:
                    granted = payment.paid_on + self.days(10, 45)
                    self.grant(plan, "F-1", granted, add_years(granted, 1))
                    break
        if rng.random() < FAMILY_SHARE:
            self.family(investor, who, day)

    def kdb(self, who, *, linked):
        """One deposit into the KDB fund, general or (one in ten) high-value track. A person who
        also owns a Jeju condo (``linked``) holds a status through it, so gets no grant here."""
        rng, project = self.rng, self.project
        day = self.contract_date([(EARLIEST, self.today)], KDB_YEARS)
        track = Track.HIGH_VALUE if rng.random() < 0.1 else Track.GENERAL
        amount = self.amount(self.minimum(ProgramCode.PUBLIC_INTEREST, track, day), 0.8, 0.2)
        investor = self.investor(self.kdb_org, who)
        plan = Plan(
            who,
            investor,
            self.add(
                Investment(
                    investor=investor,
                    institution=self.kdb_org,
                    program=ProgramCode.PUBLIC_INTEREST,
                    project=project,
                    investor_class=InvestorClass.DEPOSITOR,
                    contract_date=day,
                    contract_amount_krw=amount,
                    office=project.office,
                )
            ),
        )
        self.pay(plan, [(day, PaymentKind.DEPOSIT, amount)])
        self.events(plan)
        if linked:
            return
        if track == Track.HIGH_VALUE:
            self.grant(plan, "F-5-25", day + self.days(14, 60))
        elif rng.random() < 0.25:
            granted = day + self.days(7, 40)
            self.grant(plan, "C-3", granted, add_years(granted, 3) - timedelta(days=1))
        else:
            self.residence(plan, day, "F-2-12", "F-5-21")
        if rng.random() < FAMILY_SHARE:
            self.family(investor, who, day)

    def generate(self, investors):
        """The rows of ``investors`` more investors: sales companies' clients by their shares,
        KDB depositors (a few of them Jeju buyers who also deposit)."""
        kdb_count = round(investors * KDB_SHARE)
        jeju_buyers, weights = [], [weight for *_, weight in self.sellers]
        for _ in range(investors - kdb_count):
            org, zone, _ = self.rng.choices(self.sellers, weights=weights)[0]
            who = self.crowd.identity()
            self.tourism(org, zone, who)
            if zone == "jeju":
                jeju_buyers.append(who)
        both = min(round(investors * BOTH_SHARE), kdb_count, len(jeju_buyers))
        for who in self.rng.sample(jeju_buyers, both):
            self.kdb(who, linked=True)
        for _ in range(kdb_count - both):
            self.kdb(self.crowd.identity(), linked=False)

    def take(self):
        """The rows generated so far (by model, parents first) and the new persons among
        them; the ledger starts the next chunk empty."""
        rows, people = self.rows, self.people
        self.rows, self.people, self.arns = defaultdict(list), {}, {}
        return rows, people

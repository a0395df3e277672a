"""A synthetic ledger for demonstrations and load tests, behind ``manage.py make_demo``.

It does not call ``investments.services``: one validated, locked, audited call per row is right
for real data but takes minutes for 10,000 investors. Rows are built in memory and written with
``bulk_create`` in one transaction, so this module keeps by itself what the services guarantee:

* the hash columns (``passport_hash``, ``Person.identity_hash``) exactly as
  ``register_investor`` computes them, so demo people are found and recognised across
  institutions (a few hold both a Jeju condo and a KDB deposit: one ``Person``, two records);
* ``Investment.office`` = the competent office (the zone's, or the project's for KDB);
* whole KRW, nothing after today, no payment before its contract, no recovery larger than what
  was paid before it, facility types eligible in the zone, contract dates inside a zone's
  implementation period, amounts at or above the dated minimum (read from the reference rows).

No history records are written for these rows. The output depends only on the seed and today's
date (events that would fall after today are left out), so a demo is reproducible on a day.
"""

import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from portal.crypto import keyed_hash, normalise_identifier
from seeds.loader import load_all

from .choices import (
    InvestorClass,
    LapseKind,
    PaymentKind,
    ProgramCode,
    RecoveryReason,
    Relation,
    Track,
)
from .demo import create_accounts
from .models import (
    FacilityType,
    Investment,
    Investor,
    Lapse,
    MinimumAmount,
    Payment,
    Person,
    Program,
    Project,
    Property,
    Recovery,
    RelatedPerson,
    StatusCode,
    StatusGrant,
    Zone,
)

BATCH = 2000
MILLION = 1_000_000
EARLIEST = date(2014, 1, 1)
KDB_PROJECT = "kdb-fund"
#: Demo sales companies → (zone, share of the tourism investors). Accounts missing from
#: ``investments.demo.ACCOUNTS`` are skipped, so adding e.g. a Busan company there is enough.
SELLERS = {"company.jeju": ("jeju", 70), "company.incheon": ("incheon-fez", 30)}
KDB_SHARE, BOTH_SHARE, FAMILY_SHARE = 0.15, 0.02, 0.5
RECOVERY_SHARE, LAPSE_SHARE = 0.05, 0.03
# Contracts per year: the Chinese Jeju boom of 2014–15, the 2017 slump, the 2023 KRW 1 billion
# minimum; KDB deposits spread more evenly. Later years weigh as the last one.
YEARS = range(2014, 2027)
TOURISM_YEARS = dict(zip(YEARS, [22, 18, 12, 7, 6, 6, 3, 3, 4, 5, 6, 6, 5], strict=True))
KDB_YEARS = dict(zip(YEARS, [6, 8, 10, 10, 10, 10, 6, 7, 9, 8, 6, 6, 5], strict=True))
# Approximate yearly KRW per USD and per CNY (later years: the last), for foreign payments.
USD = [1053, 1131, 1160, 1130, 1100, 1166, 1180, 1144, 1292, 1306, 1364, 1420, 1450]
CNY = [171, 180, 175, 167, 166, 169, 171, 177, 192, 184, 189, 196, 203]
KRW_PER = {"USD": dict(zip(YEARS, USD, strict=True)), "CNY": dict(zip(YEARS, CNY, strict=True))}

# Per nationality: share of investors, passport formats (# = a digit), a wife's surname ("keep"
# her own, "share" her husband's, "slavic" his + A), then surnames, men's and women's names.
PEOPLE_TABLE = """
CN 70 E########,G######## keep
    WANG,LI,ZHANG,LIU,CHEN,YANG,HUANG,ZHAO,WU,ZHOU,XU,SUN,MA,ZHU,HU,GUO,HE,LIN,LUO,GAO,ZHENG,
    LIANG,XIE,SONG,TANG,HAN,FENG,DENG,CAO,PENG,XIAO,DONG
    Wei,Jun,Hao,Lei,Qiang,Yong,Jie,Tao,Ming,Chao,Gang,Bo,Peng,Jianguo,Zhiwei,Haitao,Xiaoming,
    Guoqiang,Wenbin,Zhiqiang,Dong,Kai
    Fang,Na,Min,Jing,Yan,Juan,Xia,Ying,Hong,Hua,Mei,Lan,Ting,Qian,Xue,Yun,Xiaoyan,Lijuan,Hongmei,
    Yuqing,Ling,Wen
VN 5 B#######,C####### keep
    NGUYEN,TRAN,LE,PHAM,HOANG,HUYNH,PHAN,VU,VO,DANG,BUI,DO,NGO
    Van Hung,Van Minh,Duc Tuan,Van Dung,Quoc Nam,Van Long,Minh Quang,Duc Thanh,Van Hai
    Thi Lan,Thi Hoa,Thi Huong,Thi Mai,Ngoc Anh,Thu Trang,Thi Hanh,Thanh Linh,Thi Ngoc
RU 4 75#######,76####### slavic
    IVANOV,SMIRNOV,KUZNETSOV,POPOV,VASILIEV,PETROV,SOKOLOV,MIKHAILOV,NOVIKOV,FEDOROV,MOROZOV,
    VOLKOV,BELYAEV,ORLOV
    Sergei,Alexei,Dmitry,Andrei,Vladimir,Nikolai,Igor,Mikhail,Pavel,Oleg,Yuri
    Olga,Elena,Natalia,Irina,Tatiana,Svetlana,Anna,Marina,Yulia,Ekaterina
TW 3 3######## keep
    CHEN,LIN,HUANG,CHANG,LI,WANG,WU,LIU,TSAI,YANG,HSU,CHENG
    Chih-Ming,Chien-Hung,Wen-Hsiung,Chun-Chieh,Kuo-Hua,Tsung-Han,Cheng-Yu
    Shu-Fen,Mei-Ling,Hui-Chen,Ya-Ting,Pei-Shan,Yi-Chun,Hsiu-Ying
HK 3 K########,H######## keep
    CHAN,WONG,LEUNG,LAU,LEE,CHEUNG,NG,HO,LAM,TANG,YEUNG
    Tai Man,Ka Ho,Chi Keung,Wing Kin,Siu Ming,Kwok Wai,Chun Kit
    Ka Yan,Mei Ling,Wai Man,Siu Fong,Hoi Yan,Suk Yee,Wing Sze
US 3 5########,A######## share
    SMITH,JOHNSON,WILLIAMS,BROWN,JONES,MILLER,DAVIS,WILSON,ANDERSON,TAYLOR,KIM,LEE,PARK,CHEN
    James,John,Robert,Michael,David,William,Daniel
    Mary,Jennifer,Linda,Patricia,Elizabeth,Susan,Sarah,Karen
MY 2 A######## keep
    TAN,LIM,LEE,ONG,WONG,NG,TEH,GOH,CHONG,YAP
    Wei Ming,Chee Keong,Kok Leong,Boon Huat,Jun Hao,Kah Seng
    Mei Ling,Siew Lan,Li Ying,Pei Shan,Hui Min,Siew Mei
ID 2 B#######,C####### share
    SANTOSO,WIJAYA,GUNAWAN,HALIM,SALIM,KUSUMA,HARTONO,SETIAWAN
    Budi,Andi,Hendra,Agus,Rudy,Kevin,Bambang
    Dewi,Siti,Lina,Maya,Sari,Indah,Ratna
KZ 2 N######## slavic
    NURLANOV,ABENOV,SEITKALIEV,ZHUMABAYEV,OMAROV,ISMAILOV,KASYMOV,BEKOV
    Aidar,Nurlan,Yerlan,Daniyar,Arman,Askar,Bolat,Marat
    Aigerim,Dana,Gulnara,Aliya,Saule,Madina,Zhanna,Asel
MN 2 E####### keep
    BATBAYAR,GANBOLD,ERDENEBAT,TSEND,OTGONBAYAR,DORJ,BOLD,SUKHBAATAR
    Bat-Erdene,Ganzorig,Temuulen,Munkhbat,Enkhbold,Tuvshin
    Enkhjargal,Oyuntsetseg,Sarangerel,Narantsetseg,Bolormaa,Altantsetseg
JP 2 TK#######,TR#######,MZ####### share
    TANAKA,SATO,SUZUKI,TAKAHASHI,WATANABE,ITO,YAMAMOTO,NAKAMURA,KOBAYASHI,KATO
    Hiroshi,Takeshi,Kenji,Makoto,Daisuke,Satoshi
    Yuko,Keiko,Akiko,Naomi,Yumi,Megumi,Ayaka
PH 2 P#######A,P#######B share
    SANTOS,REYES,CRUZ,BAUTISTA,GARCIA,MENDOZA,TAN,LIM,GO
    Jose,Juan,Antonio,Mark,Paolo,Rafael
    Maria,Ana,Kristine,Angelica,Patricia,Joy
"""
# Per zone: property, facility type, building letters, floors, share of sales ("A-1203").
PROPERTIES_TABLE = """
jeju        | Jeju Shinhwa World Residence      | resort-condominium    | ABCDEFGHJK | 15 | 25
jeju        | Lotte Resort Jeju Art Villas      | resort-condominium    | ABCDEFGHJK |  3 |  8
jeju        | Jeju Haevichi Resort Residence    | resort-condominium    | ABCDEFGH   | 12 | 15
jeju        | Jungmun Sea Breeze Condominium    | resort-condominium    | ABCDEFGHJK | 15 | 15
jeju        | Hamdeok Emerald Bay Resort        | resort-condominium    | ABCDEFGH   | 18 | 12
jeju        | Seogwipo Ocean Suites             | lodging               | ABCDEF     | 20 | 15
jeju        | Aewol Hallasan View Pension       | tourist-pension       | ABCD       |  3 |  5
incheon-fez | Songdo The Sharp Residence        | lodging               | ABCDEF     | 25 | 35
incheon-fez | Yeongjong Paradise City Residence | resort-condominium    | ABCDEFGH   | 20 | 30
incheon-fez | Cheongna Lake Park Golf Villas    | sports-linked-housing | ABCDEFGH   |  5 | 15
incheon-fez | Songdo Central Park Condominium   | resort-condominium    | ABCDEF     | 22 | 20
"""


@dataclass(frozen=True)
class Nationality:
    weight: int
    passports: str
    wife: str
    surnames: list
    male: list
    female: list


def read_people(text):
    """``PEOPLE_TABLE`` → {code: Nationality}; a head line, then three comma lists."""
    people, rows = {}, []
    for line in text.strip().splitlines():
        if not line.startswith(" "):
            rows.append([line.split(), ""])
        else:
            rows[-1][1] += line.strip() + ("" if line.endswith(",") else "\n")
    for (code, weight, passports, wife), names in rows:
        lists = [part.split(",") for part in names.strip().split("\n")]
        people[code] = Nationality(int(weight), passports, wife, *lists)
    return people


PEOPLE = read_people(PEOPLE_TABLE)
NATIONALITIES, NATIONALITY_WEIGHTS = list(PEOPLE), [p.weight for p in PEOPLE.values()]
PROPERTIES = defaultdict(list)
for _line in PROPERTIES_TABLE.strip().splitlines():
    _zone, _name, _type, _buildings, _floors, _weight = (c.strip() for c in _line.split("|"))
    PROPERTIES[_zone].append((_name, _type, _buildings, int(_floors), int(_weight)))


@dataclass
class Identity:
    nationality: str
    sex: str
    surname: str  # the family's form (a slavic surname in its male form)
    given: str
    date_of_birth: date
    passport: str
    email: str = ""

    @property
    def full_name(self):
        return display_name(self.nationality, self.sex, self.surname, self.given)


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


@dataclass
class DemoResult:
    accounts: dict
    counts: dict
    existing: int = 0  # demo investors found (and kept) when nothing was generated
    deleted: int = 0


def add_years(day, years):
    """Same day ``years`` later; 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def display_name(nationality, sex, surname, given):
    """Passport order, surname first: 'ZHANG Wei', 'NGUYEN Thi Lan', 'IVANOVA Olga'."""
    if PEOPLE[nationality].wife == "slavic" and sex == "F":
        surname += "A"
    return f"{surname} {given}"


def reference_loaded():
    zones = {zone for zone, _ in SELLERS.values()}
    return (
        Project.objects.filter(code=KDB_PROJECT).exists()
        and Zone.objects.filter(code__in=zones).count() == len(zones)
        and StatusCode.objects.exists()
    )


def demo_institutions(accounts):
    return [accounts[name].organisation for name in [*SELLERS, "kdb"] if name in accounts]


class DemoLedger:
    """Builds the rows in memory (``generate``), then writes them in batches (``save``)."""

    def __init__(self, accounts, *, seed, today=None):
        self.rng = random.Random(seed)
        self.today = today or timezone.localdate()
        self.rows = defaultdict(list)
        self.people, self.arns, self.spans = {}, {}, {}
        self.passports, self.arn_pool, self.units = set(), set(), set()
        self.hq = accounts["hq"]
        self.officers = {u.organisation.office_id: u for u in accounts.values() if u.is_officer}
        self.sellers = [
            (accounts[u].organisation, zone, weight)
            for u, (zone, weight) in SELLERS.items()
            if u in accounts
        ]
        self.kdb_org = accounts["kdb"].organisation
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
        types = {t.code: t for t in FacilityType.objects.all()}
        self.catalogue = {  # only facility types the zone's reference row allows
            code: [
                (n, types[t], b, f, w)
                for n, t, b, f, w in rows
                if types[t] in self.zones[code].facility_types.all()
            ]
            for code, rows in PROPERTIES.items()
            if code in self.zones
        }

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

    def unique(self, pool, formats):
        """A value in one of the comma-separated ``formats`` (# = digit), not yet in ``pool``."""
        while True:
            value = "".join(
                self.rng.choice("0123456789") if c == "#" else c
                for c in self.rng.choice(formats.split(","))
            )
            if value not in pool:
                pool.add(value)
                return value

    def given_name(self, nationality, sex, avoid=""):
        names = PEOPLE[nationality].male if sex == "M" else PEOPLE[nationality].female
        return self.rng.choice([name for name in names if name != avoid])

    def identity(self):
        nat = self.rng.choices(NATIONALITIES, weights=NATIONALITY_WEIGHTS)[0]
        sex = self.rng.choice("MF")
        given, surname = self.given_name(nat, sex), self.rng.choice(PEOPLE[nat].surnames)
        born = date(1955, 1, 1) + self.days(0, 41 * 365 - 1)
        email = ""
        if self.rng.random() < 0.4:  # reserved example domains: a demo never mails a real person
            local = f"{given}.{surname}{born:%y}".lower().replace(" ", "").replace("-", "")
            email = f"{local}@example.{self.rng.choice(['com', 'net', 'org'])}"
        passport = self.unique(self.passports, PEOPLE[nat].passports)
        return Identity(nat, sex, surname, given, born, passport, email)

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
        """A spouse and unmarried children young enough to be dependants at the contract.
        Children carry the father's surname; a wife keeps hers or takes his, by nationality."""
        nat, people = who.nationality, PEOPLE[who.nationality]
        keep = people.wife == "keep"
        spouse_surname = self.rng.choice(people.surnames) if keep else who.surname
        father = who.surname if who.sex == "M" else spouse_surname
        members = []
        if self.rng.random() < 0.85:
            born = min(who.date_of_birth + self.days(-6 * 365, 4 * 365), date(1998, 1, 1))
            members.append((Relation.SPOUSE, "F" if who.sex == "M" else "M", spouse_surname, born))
        for _ in range(self.rng.choice([0, 1, 1, 2, 2, 3])):
            born = add_years(who.date_of_birth, self.rng.randint(24, 42)) + self.days(0, 364)
            if add_years(contract_day, -22) <= born <= self.today:
                members.append((Relation.CHILD, self.rng.choice("MF"), father, born))
        for relation, sex, surname, born in members:
            given = self.given_name(nat, sex, avoid=who.given)
            passport = (
                self.unique(self.passports, people.passports) if self.rng.random() < 0.85 else ""
            )
            self.add(
                RelatedPerson(
                    investor=investor,
                    relation=relation,
                    nationality=nat,
                    date_of_birth=born,
                    full_name=display_name(nat, sex, surname, given),
                    passport_number=passport,
                )
            )

    def unit(self, org, zone):
        """A free unit of one of the zone's properties, numbered building-floor-unit."""
        catalogue = self.catalogue[zone.code]
        weights = [row[4] for row in catalogue]
        for _ in range(500):
            name, ftype, buildings, floors, _ = self.rng.choices(catalogue, weights=weights)[0]
            number = (
                f"{self.rng.choice(buildings)}-{self.rng.randint(2, floors + 1)}"
                f"{self.rng.randint(1, 16):02d}"
            )
            if (org.pk, name, number) not in self.units:
                self.units.add((org.pk, name, number))
                return self.add(
                    Property(
                        institution=org,
                        zone=zone,
                        name=name,
                        unit_number=number,
                        facility_type=ftype,
                    )
                )
        raise ValueError(f"The demo property catalogue of {zone.code} has no free unit left.")

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
                digit = (5 if who.date_of_birth.year < 2000 else 7) + (who.sex == "F")
                self.arns[investor.person.identity_hash] = self.unique(
                    self.arn_pool, f"{who.date_of_birth:%y%m%d}{digit}######"
                )
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

    def events(self, plan):
        """~5 % recover funds (wholly or partly) after their last payment; ~3 % of the fully
        paid have a lapse, some still open."""
        roll, inv, rng = self.rng.random(), plan.investment, self.rng
        since = inv.registered_on or max(p.paid_on for p in plan.payments)
        if roll < RECOVERY_SHARE and (day := self.later(since, 20, 1500)):
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
        kdb_count = round(investors * KDB_SHARE)
        jeju_buyers, weights = [], [weight for *_, weight in self.sellers]
        for _ in range(investors - kdb_count):
            org, zone, _ = self.rng.choices(self.sellers, weights=weights)[0]
            who = self.identity()
            self.tourism(org, zone, who)
            if zone == "jeju":
                jeju_buyers.append(who)
        both = min(round(investors * BOTH_SHARE), kdb_count, len(jeju_buyers))
        for who in self.rng.sample(jeju_buyers, both):
            self.kdb(who, linked=True)
        for _ in range(kdb_count - both):
            self.kdb(self.identity(), linked=False)

    def save(self):
        """Insert everything, parents first, in batches; a person the registry already knows
        (same nationality and passport, recorded by another institution) is reused."""
        known, hashes = {}, list(self.people)
        for i in range(0, len(hashes), BATCH):
            known.update(Person.objects.in_bulk(hashes[i : i + BATCH], field_name="identity_hash"))
        for row in self.rows[Investor] + self.rows[StatusGrant]:
            row.person = known.get(row.person.identity_hash, row.person)
        self.rows[Person] = [p for h, p in self.people.items() if h not in known]
        counts = {}
        for model in (
            Person,
            Investor,
            RelatedPerson,
            Property,
            Investment,
            Payment,
            Recovery,
            Lapse,
            StatusGrant,
        ):
            model.objects.bulk_create(self.rows[model], batch_size=BATCH)
            counts[model._meta.model_name] = len(self.rows[model])
        return counts


def delete_ledger(institutions):
    """Delete the institutions' whole ledger, children first (the ledger's foreign keys
    PROTECT). A row referenced from elsewhere, such as a personal-data access log that must be
    kept two years, stops the deletion with ``ProtectedError``."""
    count = Investor.objects.filter(institution__in=institutions).count()
    for model, path in [
        (StatusGrant, "investor__"),
        (Recovery, "investment__"),
        (Payment, "investment__"),
        (Lapse, "investment__"),
        (Investment, ""),
        (Property, ""),
        (RelatedPerson, "investor__"),
        (Investor, ""),
    ]:
        model.objects.filter(**{f"{path}institution__in": institutions}).delete()
    Person.objects.filter(investor_records__isnull=True).delete()
    return count


@transaction.atomic
def make_demo(*, investors, password, seed=2026, reset=False, today=None):
    """Reference data (if missing), the demo accounts, and ``investors`` synthetic investors.
    An existing demo ledger is kept (nothing generated) unless ``reset`` replaces it."""
    if not reference_loaded():
        load_all()
    accounts = create_accounts(password)
    institutions = demo_institutions(accounts)
    existing = Investor.objects.filter(institution__in=institutions).count()
    if existing and not reset:
        return DemoResult(accounts, {}, existing=existing)
    deleted = delete_ledger(institutions) if existing else 0
    ledger = DemoLedger(accounts, seed=seed, today=today)
    ledger.generate(investors)
    return DemoResult(accounts, ledger.save(), deleted=deleted)

"""Plain, immutable facts the rules work on, built from the ledger by the caller."""

from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext_noop

from portal.money import format_krw

# A lapse as it reads in a reason ("facility under lease", "lapse (departure)"): message ids.
LAPSE_WORDS = {
    "lease": gettext_noop("lease"),
    "mortgage": gettext_noop("mortgage"),
    "seizure": gettext_noop("seizure"),
    "profit_use": gettext_noop("profit_use"),
    "departure": gettext_noop("departure"),
}


@dataclass(frozen=True)
class Reason:
    """Why a rule decided what it did: rule id (R1…R5), a sentence, and its source
    (a seed section such as "seed §6.A" or a setting such as "[decision] f5_years").

    ``message`` (when set) is the sentence as a translatable message id with ``%(name)s``
    placeholders and ``params`` its values, so the edge renders it in the reader's language
    with the portal's KRW formatting; the rules stay free of translation. ``text`` is the
    English rendering, for logs, the command line and the pure tests."""

    rule: str
    text: str
    source: str
    message: str = ""
    params: tuple[tuple[str, object], ...] = ()


def explained(rule: str, source: str, message: str, **params: object) -> Reason:
    """A Reason from a message id (marked with ``gettext_noop`` where it is written) and its
    parameters. A parameter whose name ends in ``_krw`` is an amount in KRW; one whose name
    ends in ``_text`` is itself a message id (marked with ``gettext_noop``); a ``Reason``
    (see ``phrase``) is a part of the sentence rendered the same way, and a tuple of them is
    a list (joined with ", ", or "; " when the name ends in ``_all``)."""
    english = {key: plain(key, value) for key, value in params.items()}
    return Reason(rule, message % english, source, message, tuple(params.items()))


def to_data(reason: Reason) -> dict:
    """A reason as JSON-ready data (message id and parameters), so a stored reason is
    rendered in the reader's language when read, not in the language it was computed in.
    Dates become ISO text (how they are shown anyway); a part that is itself a reason stays a
    reason; a list is marked so that it reads back as one."""
    return {"m": reason.message, "p": [[k, _to_data(v)] for k, v in reason.params]}


def _to_data(value: object) -> object:
    if isinstance(value, Reason):
        return to_data(value) if value.message else value.text
    if isinstance(value, tuple):
        return {"list": [_to_data(item) for item in value]}
    if isinstance(value, bool | int | str) or value is None:
        return value
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def from_data(data: dict, *, rule: str = "", source: str = "") -> Reason:
    """The reason ``to_data`` stored (its English ``text`` rebuilt, as ``explained`` would)."""
    params = {k: _from_data(v) for k, v in data["p"]}
    return explained(rule, source, data["m"], **params)


def _from_data(value: object) -> object:
    if isinstance(value, dict) and "list" in value:
        return tuple(_from_data(item) for item in value["list"])
    if isinstance(value, dict):
        return from_data(value)
    return value


def phrase(message: str, **params: object) -> Reason:
    """A part of a sentence (a parameter of ``explained``): a message id and its parameters."""
    return explained("", "", message, **params)


def separator(key: str) -> str:
    """How a list parameter is joined (see ``explained``)."""
    return "; " if key.endswith("_all") else ", "


def plain(key: str, value: object) -> str:
    """A parameter in plain English: amounts as "KRW 1,000,000", the rest as written."""
    if key.endswith("_krw") and isinstance(value, int):
        return format_krw(value, "en")
    if isinstance(value, Reason):
        return value.text
    if isinstance(value, tuple):
        return separator(key).join(plain("", item) for item in value)
    return str(value)


@dataclass(frozen=True)
class Threshold:
    """A dated minimum (R1). ``effective_to`` None = still in force; bounds are inclusive."""

    minimum_krw: int
    effective_from: date
    effective_to: date | None
    source: str


@dataclass(frozen=True)
class Period:
    """An implementation period of a zone (inclusive bounds)."""

    start: date
    end: date
    source: str


@dataclass(frozen=True)
class Money:
    """A payment (kind down/intermediate/final/deposit) or a recovery (kind = reason)."""

    on: date
    amount_krw: int
    kind: str
    currency: str = "KRW"
    original_amount: float | None = None  # in ``currency``; informative only (USD F-1 test)


@dataclass(frozen=True)
class Interval:
    """A lapse (lease, mortgage, seizure, profit_use, departure) or a grant; ``end`` None =
    open. Bounds are inclusive."""

    kind: str
    start: date
    end: date | None = None


@dataclass(frozen=True)
class InvestmentFacts:
    """One investment as the rules see it. ``minimum_krw`` and ``in_period`` are R1's answer
    for this investment's zone or program, track and contract date."""

    id: int
    program: str  # "tourism" | "public_interest"
    investor_class: str  # registered_owner | membership_holder | linked | depositor
    track: str  # general | high_value | retirement
    contract_date: date
    contract_amount_krw: int
    registered_on: date | None
    minimum_krw: int | None
    in_period: bool
    payments: tuple[Money, ...] = ()
    recoveries: tuple[Money, ...] = ()
    lapses: tuple[Interval, ...] = ()
    institution: str = ""  # display only
    label: str = ""  # display only, e.g. "Jeju — Shinhwa Residence A-1203"
    # The general public-interest minimum in force on this investment's contract date (R1):
    # what F-2-12 and a linked investor are judged against, so that a later rise never takes
    # status away from an investment that met the rule of its day (SPEC §2.2, seed §7.C).
    # None = ``Parameters.public_interest_minimum_krw`` (short tests only).
    public_interest_minimum_krw: int | None = None
    prescreened_on: date | None = None  # seed §6.C: the funds are due within the months after
    zone_id: int | None = None  # tourism: the zone, for units that add up (tourism_units_add_up)


@dataclass(frozen=True)
class Grant:
    """A residence-status grant: ``code`` such as F-2-8, F-1, F-5-21."""

    code: str
    granted_on: date
    expires_on: date | None = None


@dataclass(frozen=True)
class Disqualification:
    """A dated record that may bar a status (seed §6.E, §7.S(4)).

    ``kind`` is a key of ``Parameters.disqualification_years`` (e.g. "prison", "fine",
    "deportation", "entry_ban", "foreign_serious_crime"); ``on`` is the day the period runs
    from (completion of the sentence, payment of the fine, departure…); ``amount_krw`` for
    fines; ``ends_on`` for an entry ban with a known end."""

    kind: str
    on: date
    amount_krw: int | None = None
    ends_on: date | None = None
    note: str = ""


@dataclass(frozen=True)
class Parameters:
    """Every legal number and [decision] the rules need, read from the settings table and
    the reference rows by the caller. Defaults exist only to keep tests short; the portal
    always passes the administrator's current values."""

    f1_minimum_krw: int = 100_000_000  # seed §6.D
    f1_minimum_usd: int = 100_000  # seed §6.D
    public_interest_minimum_krw: int = 1_500_000_000  # seed §7.C, on the date considered
    high_value_minimum_krw: int = 3_000_000_000  # seed §7.C
    linked_deposit_percent: int = 40  # seed §6.D ③
    f5_years: int = 5  # seed §6.A, §7.A
    combined_public_interest_min_days: int = 730  # [public; decision] 2 years
    f1_counts_toward_f5: bool = False  # [decision]
    disqualification_years: dict = field(
        default_factory=lambda: {
            "prison": 5,
            "suspended_sentence": 5,
            "fine": 3,
            "deportation": 7,
            "departure_order": 5,
            "immigration_fine": 3,
            "false_documents": 3,
            "foreign_prison": 5,
        }
    )  # seed §6.E, §7.S(4); "entry_ban" lasts until ends_on; "foreign_serious_crime" never ends
    fine_disqualifying_krw: int = 3_000_000  # seed §6.E
    education_lookback_years: int = 10  # seed §7.S(5) status change: 10 years from closure
    education_exempt_fine_krw: int = 1_000_000  # seed §7.S(5) exclusion
    prescreening_months: int = 6  # seed §6.C, §7.S(2)
    education_lookback_years_extension: int = 5  # seed §7.S(5) C: extension, 5 years
    fine_bar_exceeding_only: bool = False  # [decision] §6.E "or more" (0) / §7.S(4) (1)
    tourism_units_add_up: bool = False  # [decision] seed §6.D "the designated facility", §6.F
    f5_withdrawal_restarts: bool = True  # seed §6.A, §6.B "maintain … for 5 years" [decision]
    f5_grant_gap_restarts: bool = True  # seed §7.A "F-2 residence is maintained" [decision]
    # R2's tests (by status-rule key) in the order they are tried, each with the code it grants
    # [decision]; R4's two F-5 codes; the investor F-2 codes whose days count (status codes of
    # role "investor"). Rows of StatusRule and StatusCode in the portal.
    status_precedence: tuple[tuple[str, str], ...] = (
        ("high_value", "F-5-25"),
        ("tourism_residence", "F-2-8"),
        ("public_interest", "F-2-12"),
        ("retirement", "F-2-14"),
        ("visit", "F-1"),
    )
    f5_tourism_code: str = "F-5-17"  # [public] seed §6.A
    f5_public_interest_code: str = "F-5-21"  # seed §7.S(3); [public]
    f2_investor_codes: tuple[str, ...] = ("F-2-8", "F-2-12", "F-2-14")

    def code(self, key: str) -> str:
        """The status code R2's test ``key`` grants."""
        return dict(self.status_precedence)[key]

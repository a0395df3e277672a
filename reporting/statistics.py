"""National statistics (issue 13.7): investments, amounts, recoveries and F-5 grants by month,
program, zone or project, and nationality — for HQ as charts and tables, and as an anonymised
open-data export (CSV, .xlsx, API) that HQ publishes.

The open data is a list of cells ``(period, program, dimension, category, measure)`` with a
value and the number of distinct investors behind it. Disclosure control
(``docs/api.md`` § National statistics):

* **Primary suppression.** A cell counting fewer investors than the rule setting
  ``open_data_min_investors`` (5, HQ may change it in the admin, with history) is published
  without its value or its count.
* **Complementary suppression.** The tables partition the same national totals — the zone
  table and the nationality table of one month, program and measure add up to the same figure,
  and HQ publishes national totals elsewhere — so a lone suppressed cell could be recovered by
  subtraction. In every group ``(period, program, dimension, measure)`` the suppressed cells
  are therefore either none, or at least two whose investors add up to at least the threshold:
  the next smallest cells are suppressed until that holds. Subtraction then reveals at most
  the sum of several cells, never one person's figure.
* No totals are published in the export and no personal field ever enters it.

Only live rows count (voided entries do not, see ``investments.models.ledger``).
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, F, Sum
from django.db.models.functions import Coalesce, TruncMonth

from investments.choices import ProgramCode, StatusRole
from investments.models import Investment, Payment, Recovery, StatusGrant
from portal.months import month_range

from .sweep import rule_setting

#: Used when the rule-setting row ``open_data_min_investors`` is missing.
DEFAULT_MIN_INVESTORS = 5
MEASURES = (
    "new_investments",
    "amount_paid_krw",
    "recoveries",
    "amount_recovered_krw",
    "f5_grants",
)
ZONE, NATIONALITY = "zone_or_project", "nationality"


@dataclass
class Cell:
    period: date
    program: str
    dimension: str
    category: str
    measure: str
    value: int
    investors: int
    suppressed: bool = False

    def published(self):
        """The row of the open data: value and count left empty when suppressed."""
        return {
            "period": self.period.strftime("%Y-%m"),
            "program": self.program,
            "dimension": self.dimension,
            "category": self.category,
            "measure": self.measure,
            "value": None if self.suppressed else self.value,
            "investors": None if self.suppressed else self.investors,
            "suppressed": self.suppressed,
        }


def min_investors():
    return int(rule_setting("open_data_min_investors", DEFAULT_MIN_INVESTORS))


AREA = Coalesce(F("zone__code"), F("project__code"))


def _grouped(queryset, *, day, program, area, nationality, person, value):
    """``(month, program, dimension, category, value, investors)`` rows of one measure, once
    by zone/project and once by nationality."""
    for dimension, category in ((ZONE, area), (NATIONALITY, nationality)):
        rows = (
            queryset.annotate(month=TruncMonth(day), prog=F(program), category=category)
            .values("month", "prog", "category")
            .annotate(value=value, investors=Count(person, distinct=True))
            .order_by()
        )
        for row in rows:
            month = row["month"]
            month = month.date() if hasattr(month, "date") else month
            yield (
                month,
                row["prog"],
                dimension,
                row["category"] or "—",
                row["value"] or 0,
                row["investors"],
            )


def cells(first, last):
    """Every cell of the months from ``first`` to ``last`` (unsuppressed figures)."""
    end = month_range(first, last)[-1]
    end = date(end.year + end.month // 12, end.month % 12 + 1, 1)
    window = {"gte": first.replace(day=1), "lt": end}

    def between(field):
        return {f"{field}__{op}": day for op, day in window.items()}

    def entries(model, day, value):
        """Payments or recoveries of the window, grouped like investments."""
        return _grouped(
            model.objects.filter(**between(day)),
            day=day,
            program="investment__program",
            area=Coalesce(F("investment__zone__code"), F("investment__project__code")),
            nationality=F("investment__investor__nationality"),
            person="investment__investor__person",
            value=value,
        )

    sources = {
        "new_investments": _grouped(
            Investment.objects.filter(**between("contract_date")),
            day="contract_date",
            program="program",
            area=AREA,
            nationality=F("investor__nationality"),
            person="investor__person",
            value=Count("pk"),
        ),
        "amount_paid_krw": entries(Payment, "paid_on", Sum("amount_krw")),
        "recoveries": entries(Recovery, "recovered_on", Count("pk")),
        "amount_recovered_krw": entries(Recovery, "recovered_on", Sum("amount_krw")),
    }
    found = []
    for measure, rows in sources.items():
        for month, program, dimension, category, value, investors in rows:
            found.append(Cell(month, program, dimension, category, measure, value, investors))
    grants = (
        StatusGrant.objects.filter(code__role=StatusRole.PERMANENT, **between("granted_on"))
        .annotate(month=TruncMonth("granted_on"), prog=F("code__program__code"))
        .values("month", "prog", category=F("person__nationality"))
        .annotate(people=Count("person", distinct=True))
        .order_by()
    )
    for row in grants:
        month = row["month"].date() if hasattr(row["month"], "date") else row["month"]
        found.append(
            Cell(
                month,
                row["prog"] or "—",
                NATIONALITY,
                row["category"],
                "f5_grants",
                row["people"],
                row["people"],
            )
        )
    found.sort(key=lambda c: (c.period, c.program, c.dimension, c.measure, c.category))
    return found


def suppress(found, threshold):
    """Primary and complementary suppression, in place (see the module docstring)."""
    groups = {}
    for cell in found:
        groups.setdefault((cell.period, cell.program, cell.dimension, cell.measure), []).append(
            cell
        )
    for group in groups.values():
        for cell in group:
            cell.suppressed = cell.investors < threshold
        hidden = [c for c in group if c.suppressed]
        shown = sorted((c for c in group if not c.suppressed), key=lambda c: c.investors)
        while (
            hidden and shown and (len(hidden) < 2 or sum(c.investors for c in hidden) < threshold)
        ):
            cell = shown.pop(0)
            cell.suppressed = True
            hidden.append(cell)
    return found


def open_data(first, last):
    """The published rows for the months from ``first`` to ``last``."""
    return [cell.published() for cell in suppress(cells(first, last), min_investors())]


OPEN_DATA_COLUMNS = (
    "period",
    "program",
    "dimension",
    "category",
    "measure",
    "value",
    "investors",
    "suppressed",
)


def monthly_series(found, measure, months, *, scale=1):
    """Chart series of one measure by program over ``months`` (zone dimension: every
    investment counted once)."""
    index = {month: i for i, month in enumerate(months)}
    series = {}
    for cell in found:
        if cell.measure == measure and cell.dimension == ZONE and cell.period in index:
            values = series.setdefault(cell.program, [0] * len(months))
            values[index[cell.period]] += cell.value
    names = dict(ProgramCode.choices)
    return [
        (str(names.get(program, program)), [v // scale for v in values])
        for program, values in sorted(series.items())
    ]


def totals_by(found, dimension):
    """``{category: {measure: total}}`` over the whole range, for HQ's tables."""
    table = {}
    for cell in found:
        if cell.dimension == dimension:
            row = table.setdefault(cell.category, dict.fromkeys(MEASURES, 0))
            row[cell.measure] += cell.value
    return dict(sorted(table.items(), key=lambda item: -item[1]["new_investments"]))

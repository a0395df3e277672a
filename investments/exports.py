"""The investment ledger as a spreadsheet: the rows of exactly what the investments page
shows for the same filters (``InvestmentFilter`` over ``selectors.investment_table``, through
the access gate), written by the one writer, ``portal.xlsx``.

Rows are read with ``values_list`` in chunks (no model instance per row) so a national ledger
exports in about the time the writer itself needs. Identification numbers are masked.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.crypto import mask
from portal.xlsx import Book, Money, Sheet

from .choices import InvestorClass, ProgramCode
from .filters import InvestmentFilter
from .selectors import investment_table

#: (header, the value read from the database, column width); read in this order.
COLUMNS = [
    (gettext_lazy("Investment no."), "pk", 10),
    (gettext_lazy("Investor"), "investor__full_name", 24),
    (gettext_lazy("Nationality"), "investor__nationality", 8),
    (gettext_lazy("Date of birth"), "investor__date_of_birth", 12),
    (gettext_lazy("Passport number (masked)"), "investor__passport_number", 14),
    (gettext_lazy("Institution"), "institution__name", 28),
    (gettext_lazy("Program"), "program", 22),
    (gettext_lazy("Zone / project"), "zone__name", 24),
    (gettext_lazy("Property name"), "unit__name", 22),
    (gettext_lazy("Unit"), "unit__unit_number", 10),
    (gettext_lazy("Facility type"), "unit__facility_type__name", 18),
    (gettext_lazy("Investor class"), "investor_class", 20),
    (gettext_lazy("Contract date"), "contract_date", 12),
    (gettext_lazy("Contract amount (KRW)"), "contract_amount_krw", 16),
    (gettext_lazy("Paid (KRW)"), "paid_krw", 16),
    (gettext_lazy("Recovered (KRW)"), "recovered_krw", 16),
    (gettext_lazy("Held (KRW)"), None, 16),
    (gettext_lazy("Registered on"), "registered_on", 12),
    (gettext_lazy("Competent office"), "office__name", 24),
]
FIELDS = [name for _header, name, _width in COLUMNS if name] + ["project__name"]
CHUNK = 2000


def investment_rows(queryset):
    """One row per investment of ``queryset``, in the order of ``COLUMNS``."""
    programs, classes = dict(ProgramCode.choices), dict(InvestorClass.choices)
    for row in queryset.values_list(*FIELDS).iterator(chunk_size=CHUNK):
        (pk, name, nationality, born, passport, institution, program, zone, unit, number,
         facility, investor_class, contracted, amount, paid, recovered, registered, office,
         project) = row  # fmt: skip
        yield [
            pk, name, nationality, born, mask(passport), institution,
            str(programs.get(program, program)), zone or project or "", unit or "",
            number or "", facility or "", str(classes.get(investor_class, investor_class)),
            contracted, Money(amount), Money(paid), Money(recovered), Money(paid - recovered),
            registered, office,
        ]  # fmt: skip


def investment_book(user, query, *, today):
    """The export of the investments ``user`` may see, filtered by ``query`` exactly as the
    page filters them. Refuses broken filters with their messages."""
    filterset = InvestmentFilter(query, queryset=investment_table(user))
    if not filterset.is_valid():
        raise ValidationError(filterset.errors)
    rows = filterset.qs.order_by("-contract_date", "-pk")
    sheet = Sheet(
        title=_("Investments"),
        header=[[str(header) for header, _name, _width in COLUMNS]],
        rows=investment_rows(rows),
        widths=[width for _header, _name, width in COLUMNS],
    )
    return Book(f"investments-{today.isoformat()}.xlsx", [sheet], rows.count())

"""Every deadline a user may see as a spreadsheet: exactly the rows the deadlines page shows
for the same filters and tab (``reporting.filters.filtered_obligations``), read with
``values_list`` in chunks and written by the one writer, ``portal.xlsx``."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from investments.choices import ProgramCode
from portal.xlsx import Book, Money, Sheet

from ..choices import OPEN_STATES, ObligationKind, ObligationState
from ..filters import filtered_obligations
from ..models import current_state

#: (header, the value read from the database, column width); read in this order.
COLUMNS = [
    (gettext_lazy("Obligation no."), "pk", 10),
    (gettext_lazy("Kind"), "kind", 28),
    (gettext_lazy("State"), "state", 16),
    (gettext_lazy("Due on"), "due_on", 12),
    (gettext_lazy("Days left (negative: overdue)"), None, 12),
    (gettext_lazy("Filed on"), "filed_on", 12),
    (gettext_lazy("Institution"), "institution__name", 30),
    (gettext_lazy("Recipient office"), "recipient_office__name", 30),
    (gettext_lazy("Program"), "program", 30),
    (gettext_lazy("Month"), "period", 10),
    (gettext_lazy("Investor"), "recovery__investment__investor__full_name", 26),
    (gettext_lazy("Recovered on"), "recovery__recovered_on", 14),
    (gettext_lazy("Amount recovered (KRW)"), "recovery__amount_krw", 20),
]
FIELDS = [name for _header, name, _width in COLUMNS if name]


def deadline_rows(queryset, today):
    kinds, states = dict(ObligationKind.choices), dict(ObligationState.choices)
    programs = dict(ProgramCode.choices)
    for row in queryset.values_list(*FIELDS).iterator(chunk_size=2000):
        (pk, kind, state, due_on, filed_on, institution, office, program, period, investor,
         recovered_on, amount) = row  # fmt: skip
        yield [
            pk,
            str(kinds[kind]),
            str(states[current_state(state, due_on, today)]),
            due_on,
            (due_on - today).days if state in OPEN_STATES else None,
            filed_on,
            institution,
            office,
            str(programs.get(program, program)),
            period.strftime("%Y-%m") if period else "",
            investor or "",
            recovered_on,
            Money(amount) if amount is not None else None,
        ]


def deadline_book(user, query, *, today):
    """The export of the deadlines ``user`` may see, filtered by ``query`` exactly as the
    page filters them. Refuses broken filters with their messages."""
    filterset, rows = filtered_obligations(user, query, today=today)
    if not filterset.is_valid():
        raise ValidationError(filterset.errors)
    sheet = Sheet(
        title=_("Deadlines"),
        header=[[str(header) for header, _name, _width in COLUMNS]],
        rows=deadline_rows(rows, today),
        widths=[width for _header, _name, width in COLUMNS],
    )
    return Book(f"deadlines-{today.isoformat()}.xlsx", [sheet], rows.count())

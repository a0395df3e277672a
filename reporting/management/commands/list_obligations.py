"""Obligations as a table on the command line, filtered with the same FilterSet as the API's
``GET /api/v1/obligations/`` (so ``--due-before`` includes the day, like ``due_on_before``).
It shows every institution's obligations, as HQ sees them."""

import unicodedata
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from portal.models import Organisation
from reporting.choices import ObligationKind, ObligationState
from reporting.filters import ObligationFilter
from reporting.models import Obligation

COLUMNS = ["id", "kind", "institution", "office", "subject", "due on", "state", "filed on"]


def width(text):
    """Columns a string takes in a terminal (Hangul and other wide characters take two)."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def pad(text, columns):
    return text + " " * (columns - width(text))


def row(obligation):
    if obligation.recovery_id:
        recovery = obligation.recovery
        subject = f"recovery {recovery.recovered_on} ({recovery.investment.investor.full_name})"
    else:
        subject = obligation.period.strftime("%Y-%m")
    return [
        str(obligation.pk),
        obligation.kind,
        obligation.institution.name,
        obligation.recipient_office.code,
        subject,
        obligation.due_on.isoformat(),
        obligation.state,
        obligation.filed_on.isoformat() if obligation.filed_on else "",
    ]


def table(rows):
    widths = [max(width(r[i]) for r in [COLUMNS, *rows]) for i in range(len(COLUMNS))]
    lines = ["  ".join(pad(cell, w) for cell, w in zip(r, widths, strict=True)) for r in rows]
    header = "  ".join(pad(c.upper(), w) for c, w in zip(COLUMNS, widths, strict=True))
    return [header.rstrip(), *(line.rstrip() for line in lines)]


class Command(BaseCommand):
    help = "List obligations (withdrawal reports and monthly notices) with their deadlines."

    def add_arguments(self, parser):
        parser.add_argument("--state", choices=ObligationState.values)
        parser.add_argument("--kind", choices=ObligationKind.values)
        parser.add_argument("--institution", help="Organisation id or exact name.")
        parser.add_argument(
            "--due-before", type=date.fromisoformat, help="Due on or before (YYYY-MM-DD)."
        )

    def handle(self, state, kind, institution, due_before, **options):
        data = {"state": state, "kind": kind}
        if institution:
            data["institution"] = self.institution_id(institution)
        if due_before:
            data["due_on_before"] = due_before.isoformat()
        queryset = Obligation.objects.select_related(
            "institution", "recipient_office", "recovery__investment__investor"
        )
        filterset = ObligationFilter({k: v for k, v in data.items() if v}, queryset=queryset)
        if not filterset.is_valid():
            raise CommandError(filterset.errors.as_text())
        rows = [row(obligation) for obligation in filterset.qs]
        for line in table(rows):
            self.stdout.write(line)
        self.stdout.write(f"{len(rows)} obligation{'s' if len(rows) != 1 else ''}")

    def institution_id(self, value):
        found = Organisation.objects.filter(
            **({"pk": int(value)} if value.isdigit() else {"name": value})
        ).values_list("pk", flat=True)
        if not found:
            raise CommandError(f"No organisation {value!r}.")
        return str(found[0])

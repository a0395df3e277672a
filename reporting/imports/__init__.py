"""Bulk ledger import from one Excel template (SPEC §5.4): all rows or none.

An institution fills the template (``build_template``) from its own system and uploads it;
``import_ledger`` checks the file (size, a real .xlsx zip, how far it unzips, sheets, header
keys, rows per sheet), converts every cell, then replays the rows through the same service
verbs the API uses, in dependency order, inside one transaction. Each row runs in its own
savepoint, so a refused row is undone while later rows are still checked; at the end any error
rolls back the whole file and every error comes back with sheet, Excel row, column and reason.

Layout: row 1 of each data sheet holds the column keys (any order, all required); data starts
on row 2; blank rows are skipped; cells under a blank key or right of the last key are ignored.
``ref`` values are the uploader's own keys linking rows across sheets *of the same file*: they
never name a row already in the database, so another organisation's data cannot be reached
through them (a client already in the ledger is not re-linked: its passport is refused).
Sheets: investors (with the ``residence_office`` code), investments, payments, recoveries,
lapses, relatives (spouses, children, executives, shareholders of an investor of the file).
A file made from an older template without the relatives sheet or the residence-office column
still imports: what a template gained later may be absent (``added_later``).
Dates are date cells or ``YYYY-MM-DD`` text. Money is a whole number of KRW; Excel keeps every
number as a float, so 1000.0 is taken as 1000 while 1.5 is refused.

Untrusted XML: openpyxl streams worksheets through defusedxml (entity declarations refused) and
parses the other parts with defusedxml too, or with lxml without resolving entities where lxml
is installed; the import refuses to run if defusedxml is missing. Zip bombs: the sizes the
archive declares are summed before anything is unpacked, and zipfile never unpacks past them.
"""

from .apply import ImportResult, import_ledger
from .reader import FileTooLarge, ImportRejected, error, limit, too_large
from .template import template_sheets
from .validate import SHEETS

__all__ = [
    "SHEETS",
    "FileTooLarge",
    "ImportRejected",
    "ImportResult",
    "error",
    "import_ledger",
    "limit",
    "template_sheets",
    "too_large",
]

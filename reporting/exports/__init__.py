"""Every spreadsheet export of the portal, by kind: a function ``(user, query, today) → Book``
that reads the rows ``user`` may see (the access gate) filtered by ``query`` exactly as the
page of the same name filters them (the same FilterSet), without reading them yet.

Pages stream a small export at once and hand a large one to a background job
(``reporting.exports.jobs``), which calls the same function as the requesting user; the one
writer, ``portal.xlsx``, writes both.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from investments.exports import investment_book

from ..choices import ExportKind
from ..models import MonthlyNotice
from .deadlines import deadline_book
from .notice import notice_book


def visible_notice_book(user, query, *, today):
    """The workbook of a notice the user may see; any other id is "not found"."""
    notice = (
        MonthlyNotice.objects.visible_to(user)
        .select_related("institution", "recipient_office", "obligation")
        .filter(pk=query.get("notice") if str(query.get("notice", "")).isdigit() else None)
        .first()
    )
    if notice is None:
        raise ValidationError({"notice": _("No such notice.")})
    return notice_book(notice)


BOOKS = {
    ExportKind.INVESTMENTS: investment_book,
    ExportKind.DEADLINES: deadline_book,
    ExportKind.NOTICE: visible_notice_book,
}


def prepare(kind, user, query, *, today):
    """The ``Book`` of an export; ``ValidationError`` for an unknown kind or bad filters."""
    if kind not in BOOKS:
        raise ValidationError({"kind": _("Unknown export.")})
    return BOOKS[kind](user, query, today=today)

"""Each user's in-portal notification list (issue 11.2): what is put in it, how it reads, and
marking it read.

A message is stored as a message id and its parameters (``InboxItem``) and rendered in the
reader's language when the list is shown, from :data:`MESSAGES`. A parameter that is itself a
name in two languages (an office) is stored as ``{"en": …, "ko": …}`` and read in the reader's
language, so rendering needs no query. Messages go to the active users of the organisation an
event concerns, created in the transaction of the verb that caused it: a review
(``filings.review_report``, ``notices.review_notice``), the opening of an obligation
(``services.open_withdrawal_obligation``, the monthly notice's) and a reminder sent by the
daily sweep. Each is recorded once per user and event (``key``), so a re-run adds nothing.
"""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from portal.models import User

from .choices import ObligationKind, ReviewState
from .models import InboxItem

#: What a message says, by message id.
MESSAGES = {
    "report_returned": _(
        "The office returned withdrawal report WR-%(obligation)s (version %(version)s) for "
        "correction: %(note)s"
    ),
    "report_acknowledged": _(
        "The office acknowledged withdrawal report WR-%(obligation)s (version %(version)s)."
    ),
    "notice_returned": _(
        "%(office)s returned the monthly notice for %(month)s (version %(version)s) for "
        "correction: %(note)s"
    ),
    "notice_acknowledged": _(
        "%(office)s acknowledged the monthly notice for %(month)s (version %(version)s)."
    ),
    "report_due": _(
        "A withdrawal report is due by %(due_on)s for the recovery of %(investor)s's "
        "investment (WR-%(obligation)s)."
    ),
    "notice_due": _("The monthly notice for %(month)s to %(office)s is due by %(due_on)s."),
    "reminder": _(
        "Reminder: the %(duty)s due by %(due_on)s (no. %(obligation)s) is not filed yet."
    ),
}
DUTIES = {
    ObligationKind.WITHDRAWAL_REPORT: _("withdrawal report"),
    ObligationKind.MONTHLY_NOTICE: _("monthly notice"),
}


def names(row):
    """A name in both languages, for a parameter."""
    return {"en": row.name, "ko": getattr(row, "name_ko", "") or row.name}


def text(item, language=None):
    """What ``item`` says in ``language`` (the active language by default)."""
    language = (language or get_language() or "en").split("-")[0]
    with translation.override(language):
        params = {}
        for name, value in item.params.items():
            if isinstance(value, dict):
                value = value.get(language) or value.get("en", "")
            elif name == "duty":
                value = str(DUTIES.get(value, value))
            params[name] = value
        template = MESSAGES.get(item.message)
        if template is None:
            return item.message
        try:
            return str(template) % params
        except (KeyError, TypeError, ValueError):
            return str(template)


def put(organisation_id, *, message, key, link="", **params):
    """Add the message to the list of every active user of the organisation, once per
    ``key``."""
    users = User.objects.filter(organisation_id=organisation_id, is_active=True)
    InboxItem.objects.bulk_create(
        [
            InboxItem(user_id=pk, message=message, params=params, link=link, key=key)
            for pk in users.values_list("pk", flat=True)
        ],
        ignore_conflicts=True,
    )


# --- the events -------------------------------------------------------------------------------


def reviewed(review):
    """An office acknowledged or returned a report or notice: tell its institution."""
    outcome = "returned" if review.state == ReviewState.RETURNED else "acknowledged"
    if review.report_id:
        document, page = review.report, "report-detail"
        institution_id = document.obligation.institution_id
        what = {"message": f"report_{outcome}", "obligation": document.obligation_id}
    else:
        document, page = review.notice, "notice-detail"
        institution_id = document.institution_id
        what = {
            "message": f"notice_{outcome}",
            "office": names(document.recipient_office),
            "month": document.period.strftime("%Y-%m"),
        }
    put(
        institution_id,
        key=f"review:{review.pk}",
        link=reverse(page, args=[document.pk]),
        version=document.version,
        note=review.note,
        **what,
    )


def opened(obligation):
    """A new obligation is open for the institution."""
    if obligation.kind == ObligationKind.WITHDRAWAL_REPORT:
        put(
            obligation.institution_id,
            message="report_due",
            key=f"opened:{obligation.pk}",
            link=reverse("report-file", args=[obligation.pk]),
            obligation=obligation.pk,
            due_on=obligation.due_on.isoformat(),
            investor=obligation.recovery.investment.investor.full_name,
        )
        return
    put(
        obligation.institution_id,
        message="notice_due",
        key=f"opened:{obligation.pk}",
        link=reverse("notice-list"),
        office=names(obligation.recipient_office),
        month=obligation.period.strftime("%Y-%m"),
        due_on=obligation.due_on.isoformat(),
    )


def reminded(obligation, kind):
    """The daily sweep sent the institution a reminder of ``kind`` about ``obligation``."""
    link = (
        reverse("report-file", args=[obligation.pk])
        if obligation.kind == ObligationKind.WITHDRAWAL_REPORT
        else reverse("notice-list")
    )
    put(
        obligation.institution_id,
        message="reminder",
        key=f"{kind}:{obligation.pk}",
        link=link,
        duty=obligation.kind,
        obligation=obligation.pk,
        due_on=obligation.due_on.isoformat(),
    )


# --- reading ----------------------------------------------------------------------------------
# Marking read is the reader's own bookkeeping, not an act on a filing: no history, no event.


def unread_count(user):
    return InboxItem.objects.visible_to(user).unread().count()


@transaction.atomic
def mark_read(*, by, item):
    """Mark one of ``by``'s own messages read (another user's is simply not found)."""
    return (
        InboxItem.objects.visible_to(by)
        .filter(pk=item.pk, read_at__isnull=True)
        .update(read_at=timezone.now())
    )


@transaction.atomic
def mark_all_read(*, by):
    return InboxItem.objects.visible_to(by).unread().update(read_at=timezone.now())


def unread(request):
    """Context processor: the header's unread badge, counted only when a page draws it."""
    user = getattr(request, "user", None)
    return {"inbox_unread": SimpleLazyObject(lambda: unread_count(user))}

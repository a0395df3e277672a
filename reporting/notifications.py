"""Reminder and alert e-mails about obligations: who receives them, in which language, and
what they say.

Mail goes out through Django's e-mail backend: the console by default, SMTP when
``EMAIL_HOST`` is set (see ``portal.settings``). The texts live in two template sets,
``templates/emails/ko/`` and ``templates/emails/en/``, rather than in a translation catalogue:
a mail is read as a whole, and a translator keeps a whole Korean letter right more easily than
scattered message ids.

Language. Users have no language preference yet, so an institution's mail is written in
``settings.LANGUAGE_CODE`` (Korean unless changed) and an office's in Korean (officers work in
Korean). Every sending function takes ``language=`` to override that; a language without a
template set falls back to English. When users gain a language field, pick it up in
:func:`institution_language` / :data:`OFFICE_LANGUAGE`.

This module only builds and sends; deciding *when* to send, and recording that it was sent,
is ``reporting.sweep``'s job.
"""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode

from portal.choices import OrganisationKind
from portal.models import User

from .choices import NoticeState, ObligationKind
from .models import Notification

#: Where links in mails point when ``settings.PORTAL_BASE_URL`` is not set.
DEFAULT_PORTAL_BASE_URL = "http://127.0.0.1:8000"
#: Languages that have a template set under ``templates/emails/``; others fall back to English.
TEMPLATE_LANGUAGES = ("ko", "en")
FALLBACK_LANGUAGE = "en"
#: Officers read their alerts in Korean.
OFFICE_LANGUAGE = "ko"

#: Which template pair renders which kind of notification.
TEMPLATES = {
    Notification.Kind.REMINDER_FIRST: "reminder",
    Notification.Kind.REMINDER_SECOND: "reminder",
    Notification.Kind.DUE_TODAY: "reminder",
    Notification.Kind.OVERDUE_ALERT: "overdue_alert",
    Notification.Kind.OPENED: "opened",
    Notification.Kind.RETURNED: "returned",
}


def institution_language():
    """The language an institution's users read: the site's default for now."""
    return settings.LANGUAGE_CODE


def template_language(language):
    base = (language or "").split("-")[0].lower()
    return base if base in TEMPLATE_LANGUAGES else FALLBACK_LANGUAGE


def _addresses(users_query, organisation_emails):
    """Active users' e-mail addresses, then the organisations' contact addresses; blank ones
    skipped, each address once, in a stable order."""
    emails = users_query.filter(is_active=True).exclude(email="").order_by("pk")
    seen, result = set(), []
    for email in [*emails.values_list("email", flat=True), *organisation_emails]:
        key = email.strip().lower()
        if key and key not in seen:
            seen.add(key)
            result.append(email.strip())
    return result


def institution_recipients(institution):
    """The institution's active users and its contact address."""
    return _addresses(User.objects.filter(organisation=institution), [institution.email])


def office_recipients(office):
    """The users of the immigration-office organisations that are this office."""
    organisations = office.organisations.filter(kind=OrganisationKind.IMMIGRATION_OFFICE)
    return _addresses(
        User.objects.filter(organisation__in=organisations),
        organisations.values_list("email", flat=True),
    )


def obligation_link(obligation, *, for_office):
    """The portal page to act on: for the institution, the filing form of a withdrawal report
    or its draft monthly notice; for the office, its list of the institution's overdue
    obligations."""
    if for_office:
        query = urlencode({"institution": obligation.institution_id, "state": obligation.state})
        path = f"{reverse('obligation-list')}?{query}"
    elif obligation.kind == ObligationKind.WITHDRAWAL_REPORT:
        path = reverse("report-file", args=[obligation.pk])
    else:
        draft = obligation.notices.filter(state=NoticeState.DRAFT).first()
        path = reverse("notice-detail", args=[draft.pk]) if draft else reverse("notice-list")
    return getattr(settings, "PORTAL_BASE_URL", DEFAULT_PORTAL_BASE_URL).rstrip("/") + path


def mail_context(obligation, *, today, language, for_office=False):
    """What the templates need to name the duty, its deadline and where it goes."""
    office = obligation.recipient_office
    context = {
        "obligation": obligation,
        "institution": obligation.institution.name,
        "is_withdrawal_report": obligation.kind == ObligationKind.WITHDRAWAL_REPORT,
        "period": obligation.period,
        "due_on": obligation.due_on,
        "days_left": (obligation.due_on - today).days,
        "days_overdue": (today - obligation.due_on).days,
        "office": (office.name_ko or office.name) if language == "ko" else office.name,
        "link": obligation_link(obligation, for_office=for_office),
    }
    if obligation.recovery_id:
        recovery = obligation.recovery
        context.update(
            investor=recovery.investment.investor.full_name,
            recovered_on=recovery.recovered_on,
            amount_krw=recovery.amount_krw,
        )
    return context


def review_link(review):
    """The page of the returned report or notice, where the institution amends it."""
    path = (
        reverse("report-detail", args=[review.report_id])
        if review.report_id
        else reverse("notice-detail", args=[review.notice_id])
    )
    return getattr(settings, "PORTAL_BASE_URL", DEFAULT_PORTAL_BASE_URL).rstrip("/") + path


def render(kind, obligation, *, today, language, review=None):
    """``(subject, body)`` of a notification, rendered in ``language``; ``review`` is the
    office's return a ``RETURNED`` mail is about."""
    language = template_language(language)
    name = TEMPLATES[kind]
    for_office = kind == Notification.Kind.OVERDUE_ALERT
    context = {
        **mail_context(obligation, today=today, language=language, for_office=for_office),
        "kind": kind,
    }
    if review is not None:
        context.update(
            note=review.note,
            version=(review.report or review.notice).version,
            link=review_link(review),
        )
    with translation.override(language):
        subject = render_to_string(f"emails/{language}/{name}_subject.txt", context)
        body = render_to_string(f"emails/{language}/{name}_body.txt", context)
    return " ".join(subject.split()), body.strip() + "\n"


def send(kind, obligation, *, recipients, today, language, review=None):
    """Send one notification mail; failures raise so the caller can roll back its record."""
    subject, body = render(kind, obligation, today=today, language=language, review=review)
    EmailMessage(subject, body, to=recipients).send(fail_silently=False)

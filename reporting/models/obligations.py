"""Reporting duties (seed §6.H, §7.F): the obligations with their due dates and states, and
the reminders and alerts sent about them."""

from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portal.access import scope

from ..choices import OPEN_STATES, ObligationKind, ObligationState


class ObligationQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(scope(user, institution="institution_id", office="recipient_office_id"))

    def open(self):
        return self.filter(state__in=OPEN_STATES)

    def in_state(self, state, today):
        """The obligations whose state is ``state`` today (see ``current_state``)."""
        return self.filter(state_today_q(state, today))

    def with_state_today(self, today):
        """Each row with ``state_today``, its ``current_state`` for ``today`` read in the
        database, so a list can be served as plain rows (docs/performance.md)."""
        return self.annotate(state_today=state_today(today))


def current_state(state, due_on, today):
    """The state true for ``today``: an open obligation past its due day is overdue from the
    day after it, even before the daily sweep has recorded it (issue 8.9). The sweep only
    records the change and sends reminders and alerts."""
    if state in OPEN_STATES:
        return ObligationState.OVERDUE if due_on < today else ObligationState.DUE
    return state


def state_today_q(state, today):
    """A filter for ``current_state(...) == state`` in the database."""
    if state == ObligationState.OVERDUE:
        return Q(state__in=OPEN_STATES, due_on__lt=today)
    if state == ObligationState.DUE:
        return Q(state__in=OPEN_STATES, due_on__gte=today)
    return Q(state=state)


def state_today(today):
    """``current_state(state, due_on, today)`` as a column: the state whose
    ``state_today_q`` the row meets, so the database and Python share the one rule."""
    return Case(
        *(When(state_today_q(state, today), then=Value(state)) for state in ObligationState),
        default=F("state"),
        output_field=models.CharField(),
    )


class Obligation(models.Model):
    """A duty to report by a date: a withdrawal report for a recovery (seed §6.H, §7.F) or an
    institution's monthly status notice for a program and month.

    ``due_on`` is computed by rule R5 when the obligation is created and recomputed while it
    is open whenever the holiday calendar changes; sweeps and dashboards query it."""

    kind = models.CharField(_("kind"), max_length=32, choices=ObligationKind.choices)
    institution = models.ForeignKey(
        "portal.Organisation",
        models.PROTECT,
        related_name="obligations",
        verbose_name=_("institution"),
    )
    recipient_office = models.ForeignKey(
        "portal.Office",
        models.PROTECT,
        related_name="obligations",
        verbose_name=_("recipient office"),
    )
    program = models.CharField(_("program"), max_length=32)
    investment = models.ForeignKey(
        "investments.Investment",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="obligations",
        verbose_name=_("investment"),
    )
    recovery = models.OneToOneField(
        "investments.Recovery",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="obligation",
        verbose_name=_("recovery"),
    )
    period = models.DateField(_("month"), null=True, blank=True, help_text=_("First day."))
    due_on = models.DateField(_("due on"), db_index=True)
    state = models.CharField(
        _("state"),
        max_length=16,
        choices=ObligationState.choices,
        default=ObligationState.DUE,
        db_index=True,
    )
    filed_on = models.DateField(_("filed on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ObligationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("obligation")
        verbose_name_plural = _("obligations")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        kind=ObligationKind.WITHDRAWAL_REPORT,
                        recovery__isnull=False,
                        period__isnull=True,
                    )
                    | Q(
                        kind=ObligationKind.MONTHLY_NOTICE,
                        recovery__isnull=True,
                        period__isnull=False,
                    )
                ),
                name="obligation_subject_matches_kind",
                violation_error_message=_(
                    "A withdrawal report concerns a recovery; a monthly notice a month."
                ),
            ),
            models.UniqueConstraint(
                # seed §6.H: one notice per office with jurisdiction over the facilities
                fields=["institution", "program", "period", "recipient_office"],
                condition=Q(kind=ObligationKind.MONTHLY_NOTICE),
                name="one_notice_obligation_per_month_and_office",
            ),
            models.CheckConstraint(
                condition=Q(filed_on__isnull=True) | ~Q(state__in=OPEN_STATES),
                name="obligation_filed_means_closed",
                violation_error_message=_("A filed obligation is no longer open."),
            ),
        ]
        indexes = [models.Index(fields=["state", "due_on"])]

    def __str__(self):
        subject = (
            self.period.strftime("%Y-%m")
            if self.period
            else _("recovery #%(id)s") % {"id": self.recovery_id}
        )
        return _("%(kind)s — %(subject)s — due %(day)s") % {
            "kind": self.get_kind_display(),
            "subject": subject,
            "day": self.due_on,
        }

    @property
    def current_state(self):
        """The state as it is today (``current_state``); what the API and pages show."""
        return current_state(self.state, self.due_on, timezone.localdate())

    def get_current_state_display(self):
        return ObligationState(self.current_state).label

    def feed_scope(self):
        return self.institution_id, self.recipient_office_id


class Notification(models.Model):
    """A mail about an obligation, recorded before it is sent (an outbox): a reminder, an
    overdue alert, the news that it opened, or the office's return of what answered it; one
    per obligation and kind, or per return. The row is committed first and marked sent after
    the mail went out, so neither a re-run of the sweep nor a crash between recording and
    sending sends it twice (``reporting.sweep.notify_once``)."""

    class Kind(models.TextChoices):
        REMINDER_FIRST = "reminder_first", _("First reminder")
        REMINDER_SECOND = "reminder_second", _("Second reminder")
        DUE_TODAY = "due_today", _("Due today")
        OVERDUE_ALERT = "overdue_alert", _("Overdue alert to the office")
        OPENED = "opened", _("New obligation")
        RETURNED = "returned", _("Returned by the office for correction")

    obligation = models.ForeignKey(Obligation, models.CASCADE, related_name="notifications")
    review = models.ForeignKey(
        "ReportReview",
        models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
        help_text=_("The office's return this mail is about (a report can be returned twice)."),
    )
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    recipients = models.TextField(_("recipients"), blank=True)
    day = models.DateField(_("sweep day"), null=True, help_text=_("The Korean day it is for."))
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=1)

    class Meta:
        ordering = ["-recorded_at"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            # Stronger than one per day: a kind is sent once in an obligation's life.
            models.UniqueConstraint(
                fields=["obligation", "kind"],
                condition=Q(review__isnull=True),
                name="notify_once_per_kind",
            ),
            # A return is mailed once per return: a report or notice returned, amended and
            # returned again gets a mail each time.
            models.UniqueConstraint(
                fields=["review"], condition=Q(review__isnull=False), name="notify_once_per_review"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} — {self.obligation}"

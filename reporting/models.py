"""Reporting duties and the calendar their deadlines are computed on."""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portal.access import scope

from .choices import (
    OPEN_STATES,
    ExportKind,
    ExportState,
    HolidayChange,
    NoticeState,
    ObligationKind,
    ObligationState,
    ProxyApplicationKind,
    ReviewState,
    SanctionKind,
)


class HolidayAdjustment(models.Model):
    """A correction of the public-holiday calendar the package provides (R5): a temporary
    holiday or election day it does not know yet, or a day it lists wrongly."""

    day = models.DateField(_("day"), unique=True)
    change = models.CharField(_("change"), max_length=16, choices=HolidayChange.choices)
    name = models.CharField(_("name"), max_length=200)
    source = models.CharField(_("source"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["day"]
        verbose_name = _("holiday adjustment")
        verbose_name_plural = _("holiday adjustments")

    def __str__(self):
        return f"{self.day} {self.get_change_display()}: {self.name}"


class ObligationQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(scope(user, institution="institution_id", office="recipient_office_id"))

    def open(self):
        return self.filter(state__in=OPEN_STATES)

    def in_state(self, state, today):
        """The obligations whose state is ``state`` today (see ``current_state``)."""
        return self.filter(state_today_q(state, today))


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


class Obligation(models.Model):
    """A duty to report by a date: a withdrawal report for a recovery (seed §6.H, §7.F) or an
    institution's monthly status notice for a program and month.

    ``due_on`` is computed by rule R5 when the obligation is created and recomputed while it
    is open whenever the holiday calendar changes; sweeps and dashboards query it."""

    kind = models.CharField(_("kind"), max_length=32, choices=ObligationKind.choices)
    institution = models.ForeignKey(
        "portal.Organisation", models.PROTECT, related_name="obligations"
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
    )
    recovery = models.OneToOneField(
        "investments.Recovery",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="obligation",
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
        subject = self.period.strftime("%Y-%m") if self.period else f"recovery #{self.recovery_id}"
        return f"{self.get_kind_display()} — {subject} — due {self.due_on}"

    @property
    def current_state(self):
        """The state as it is today (``current_state``); what the API and pages show."""
        return current_state(self.state, self.due_on, timezone.localdate())

    def get_current_state_display(self):
        return ObligationState(self.current_state).label

    def feed_scope(self):
        return self.institution_id, self.recipient_office_id


class ImmutableModel(models.Model):
    """Rows that are filed once and never changed: corrections are new versions."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError(f"A filed {self._meta.verbose_name} cannot be changed; amend it.")
        super().save(*args, **kwargs)


class WithdrawalReportQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(
            scope(
                user,
                institution="obligation__institution_id",
                office="obligation__recipient_office_id",
            )
        )


class WithdrawalReport(ImmutableModel):
    """One filed version of a withdrawal report (seed §6.H, §7.F): the letter's contents as
    filed, under the representative's name. Version 1 is the report; later versions are
    amendments, and every version is kept."""

    obligation = models.ForeignKey(Obligation, models.PROTECT, related_name="reports")
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    filed_on = models.DateField(_("filed on"))
    filed_at = models.DateTimeField(_("filed at"), auto_now_add=True)
    filed_by = models.ForeignKey(
        "portal.User", models.PROTECT, related_name="+", verbose_name=_("filed by")
    )
    content = models.JSONField(_("letter contents"))
    remarks = models.TextField(_("remarks"), blank=True)
    digest = models.CharField(_("SHA-256 of the contents"), max_length=64)

    objects = WithdrawalReportQuerySet.as_manager()

    class Meta:
        ordering = ["obligation", "version"]
        verbose_name = _("withdrawal report")
        verbose_name_plural = _("withdrawal reports")
        constraints = [
            models.UniqueConstraint(fields=["obligation", "version"], name="report_version_unique")
        ]

    def __str__(self):
        return f"{_('Withdrawal report')} #{self.obligation_id} v{self.version}"

    def feed_scope(self):
        return self.obligation.feed_scope()


class ReportReview(models.Model):
    """An officer's acknowledgement or return of a filed report or notice version."""

    report = models.ForeignKey(
        WithdrawalReport, models.CASCADE, null=True, blank=True, related_name="reviews"
    )
    notice = models.ForeignKey(
        "MonthlyNotice", models.CASCADE, null=True, blank=True, related_name="reviews"
    )
    state = models.CharField(_("decision"), max_length=16, choices=ReviewState.choices)
    note = models.TextField(_("note"), blank=True)
    reviewed_by = models.ForeignKey("portal.User", models.PROTECT, related_name="+")
    reviewed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-reviewed_at"]
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        constraints = [
            models.CheckConstraint(
                condition=Q(report__isnull=False, notice__isnull=True)
                | Q(report__isnull=True, notice__isnull=False),
                name="review_of_one_thing",
            )
        ]

    def __str__(self):
        return f"{self.get_state_display()} by {self.reviewed_by} ({self.reviewed_at:%Y-%m-%d})"

    def feed_scope(self):
        return (self.report or self.notice).feed_scope()


class MonthlyNoticeQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(scope(user, institution="institution_id", office="recipient_office_id"))


class MonthlyNotice(models.Model):
    """An institution's monthly status notice for one program, month and recipient office
    (seed §6.H, §7.F, §7.S), computed from the ledger as of the month's last day: a sales
    company with units under two offices sends each office a notice of that office's
    investments. A draft is recomputed freely; a submitted version is frozen with a receipt; a
    change after submission is a new version (amendment) that supersedes it when submitted."""

    institution = models.ForeignKey("portal.Organisation", models.PROTECT, related_name="notices")
    program = models.CharField(_("program"), max_length=32)
    period = models.DateField(_("month"), help_text=_("First day of the month."))
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    obligation = models.ForeignKey(Obligation, models.PROTECT, related_name="notices")
    recipient_office = models.ForeignKey(
        "portal.Office", models.PROTECT, related_name="+", verbose_name=_("recipient office")
    )
    state = models.CharField(
        _("state"), max_length=16, choices=NoticeState.choices, default=NoticeState.DRAFT
    )
    figures = models.JSONField(_("figures"), default=dict)
    checks = models.JSONField(_("reconciliation checks"), default=list)
    remarks = models.TextField(_("remarks"), blank=True)
    computed_at = models.DateTimeField(_("computed at"))
    warnings_confirmed = models.BooleanField(_("warnings confirmed"), default=False)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        "portal.User", models.PROTECT, null=True, blank=True, related_name="+"
    )
    receipt_number = models.CharField(_("receipt number"), max_length=32, blank=True)
    digest = models.CharField(_("SHA-256 of the contents"), max_length=64, blank=True)
    amendment_needed = models.BooleanField(
        _("amendment needed"),
        default=False,
        help_text=_(
            "Set on a submitted notice when the ledger, as it stands now, gives other figures "
            "for its month (a correction or a late entry)."
        ),
    )

    objects = MonthlyNoticeQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-period", "program", "-version"]
        verbose_name = _("monthly status notice")
        verbose_name_plural = _("monthly status notices")
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "program", "period", "recipient_office", "version"],
                name="notice_version_unique_per_office",
            ),
            models.UniqueConstraint(
                fields=["institution", "program", "period", "recipient_office"],
                condition=Q(state=NoticeState.DRAFT),
                name="one_draft_per_notice_and_office",
            ),
            models.CheckConstraint(
                condition=Q(state=NoticeState.DRAFT) | Q(submitted_at__isnull=False),
                name="submitted_notice_has_receipt_time",
            ),
        ]

    def __str__(self):
        return (
            f"{self.institution} {self.program} {self.period:%Y-%m} → {self.recipient_office} "
            f"v{self.version}"
        )

    def feed_scope(self):
        return self.institution_id, self.recipient_office_id


class SanctionQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(scope(user, institution="institution_id", office="office_id"))

    def in_force(self, on):
        return self.filter(Q(ended_on__isnull=True) | Q(ended_on__gte=on), started_on__lte=on)


class Sanction(models.Model):
    """A measure an office takes against an institution that failed its reporting duties
    (seed §6.H: restriction of proxy and facilitation privileges; §7.F: request to the
    Minister to cancel a designation)."""

    institution = models.ForeignKey("portal.Organisation", models.PROTECT, related_name="sanctions")
    office = models.ForeignKey("portal.Office", models.PROTECT, related_name="sanctions")
    kind = models.CharField(_("kind"), max_length=32, choices=SanctionKind.choices)
    started_on = models.DateField(_("from"))
    ended_on = models.DateField(_("until"), null=True, blank=True)
    reason = models.TextField(_("reason"))
    recorded_by = models.ForeignKey("portal.User", models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = SanctionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-started_on"]
        verbose_name = _("sanction")
        verbose_name_plural = _("sanctions")
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="sanction_dates_in_order",
                violation_error_message=_("A sanction cannot end before it starts."),
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} — {self.institution} from {self.started_on}"

    def feed_scope(self):
        return self.institution_id, self.office_id


class ProxyApplicationQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(scope(user, institution="institution_id", office="office_id"))


class ProxyApplication(models.Model):
    """An application a sales company files on an investor's behalf (seed §6.I, §7.E);
    refused while the company's proxy privileges are restricted."""

    institution = models.ForeignKey(
        "portal.Organisation", models.PROTECT, related_name="proxy_applications"
    )
    investor = models.ForeignKey(
        "investments.Investor", models.PROTECT, related_name="proxy_applications"
    )
    office = models.ForeignKey("portal.Office", models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=32, choices=ProxyApplicationKind.choices)
    filed_on = models.DateField(_("filed on"))
    agent_name = models.CharField(_("agent (representative or manager)"), max_length=120)
    filed_by = models.ForeignKey("portal.User", models.PROTECT, related_name="+")

    objects = ProxyApplicationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-filed_on"]
        verbose_name = _("proxy application")
        verbose_name_plural = _("proxy applications")

    def __str__(self):
        return f"{self.get_kind_display()} — {self.investor} ({self.filed_on})"

    def feed_scope(self):
        return self.institution_id, self.office_id


class Notification(models.Model):
    """A reminder or alert about an obligation, recorded before it is sent (an outbox): one per
    obligation and kind. The row is committed first and marked sent after the mail went out,
    so neither a re-run of the sweep nor a crash between recording and sending sends it twice
    (``reporting.sweep.notify_once``)."""

    class Kind(models.TextChoices):
        REMINDER_FIRST = "reminder_first", _("First reminder")
        REMINDER_SECOND = "reminder_second", _("Second reminder")
        DUE_TODAY = "due_today", _("Due today")
        OVERDUE_ALERT = "overdue_alert", _("Overdue alert to the office")

    obligation = models.ForeignKey(Obligation, models.CASCADE, related_name="notifications")
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
            models.UniqueConstraint(fields=["obligation", "kind"], name="notify_once_per_kind")
        ]

    def __str__(self):
        return f"{self.get_kind_display()} — {self.obligation}"


class ExportJobQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Only the person who asked for an export sees it: its rows are what that person
        may see, read through the access gate when the job ran."""
        if not (user.is_authenticated and user.is_active):
            return self.none()
        return self.filter(requested_by=user)


class ExportJob(models.Model):
    """A large spreadsheet export prepared in the background (SPEC §6: large exports run as
    tasks). The job keeps what to export (the kind and the page's filters, re-read through
    the access gate as the requesting user when it runs), its progress, and the finished
    file under ``MEDIA_ROOT``, which only that user downloads and which is deleted
    ``EXPORT_KEEP_DAYS`` after it was written."""

    kind = models.CharField(_("export"), max_length=16, choices=ExportKind.choices)
    query = models.TextField(_("filters"), blank=True)
    language = models.CharField(max_length=16)
    requested_by = models.ForeignKey("portal.User", models.CASCADE, related_name="+")
    state = models.CharField(
        _("state"), max_length=16, choices=ExportState.choices, default=ExportState.QUEUED
    )
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    rows_done = models.PositiveIntegerField(_("rows written"), default=0)
    filename = models.CharField(_("file name"), max_length=200)
    file = models.FileField(upload_to="exports/%Y/%m/", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = ExportJobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        constraints = [
            models.CheckConstraint(
                condition=~Q(state=ExportState.DONE) | ~Q(file=""),
                name="export_done_has_file",
                violation_error_message=_("A finished export has its file."),
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} #{self.pk} ({self.get_state_display()})"

    @property
    def percent(self):
        if self.state == ExportState.DONE:
            return 100
        return min(99, self.rows_done * 100 // self.rows_total) if self.rows_total else 0


class EligibilityFactQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The facts of the people with an investment the user may see, through their stored
        routes (an indexed filter of a small table, not a join of the whole ledger)."""
        allowed = scope(user, institution="institution_id", office="office_id")
        if not allowed:  # HQ: every person (a fact exists only for people with an investment)
            return self.all()
        return self.filter(person_id__in=EligibilityRoute.objects.filter(allowed).values("fact_id"))


class EligibilityFact(models.Model):
    """One person's eligibility as the rules answer it (SPEC §4 R1–R4, §8), stored so that the
    dashboards and the F-5 pipeline read it with an indexed query instead of running the rules
    over the whole ledger on every load. Officers and HQ see a person whole, so the fact is the
    person's across every institution; the investor page and the what-if still compute live.

    Kept current by ``reporting.eligibility_store``: marked ``stale`` in the transaction of any
    ledger change touching the person and recomputed after it commits (readers recompute stale
    rows first), refreshed nightly for what the passing days change, and recomputed in full when
    rules, settings or holidays change."""

    person = models.OneToOneField(
        "investments.Person", models.CASCADE, primary_key=True, related_name="eligibility"
    )
    investor = models.ForeignKey(
        "investments.Investor", models.CASCADE, null=True, related_name="+"
    )  # the client record of the person's first investment
    office = models.ForeignKey(
        "portal.Office", models.SET_NULL, null=True, related_name="+"
    )  # competent office: that of the person's largest investment, as for status grants
    as_of = models.DateField(null=True)
    computed_at = models.DateTimeField(null=True)
    stale = models.BooleanField(default=True)
    qualifies_for = models.CharField(max_length=32, blank=True)
    held_krw = models.BigIntegerField(default=0)
    on_track = models.BooleanField(default=False)
    eligible_on = models.DateField(null=True)
    code = models.CharField(max_length=16, blank=True)
    counted_days = models.IntegerField(default=0)
    required_days = models.IntegerField(default=0)
    f2_since = models.DateField(null=True)
    permanent = models.BooleanField(default=False)  # already holds an F-5 grant
    at_risk = models.BooleanField(default=False)
    # Why at risk, kept as data so the page says it in the reader's language.
    risk_kind = models.CharField(max_length=16, blank=True)  # stalled / recovery / lapse
    risk_on = models.DateField(null=True)
    risk_amount_krw = models.BigIntegerField(null=True)
    risk_detail = models.CharField(max_length=500, blank=True)
    institutions = models.JSONField(default=list)

    objects = EligibilityFactQuerySet.as_manager()

    class Meta:
        verbose_name = _("eligibility fact")
        verbose_name_plural = _("eligibility facts")
        indexes = [
            models.Index(fields=["office", "eligible_on"]),
            models.Index(fields=["eligible_on"]),
            models.Index(fields=["stale"], condition=Q(stale=True), name="eligibility_stale"),
        ]

    def __str__(self):
        return f"{self.person_id}: {self.eligible_on}"


class EligibilityRoute(models.Model):
    """Where a stored fact is seen: one row per (competent office, recording institution) of
    the person's investments, written with the fact, so that an officer's or an institution's
    scope is an indexed filter of this table (``EligibilityFact.objects.visible_to``)."""

    fact = models.ForeignKey(EligibilityFact, models.CASCADE, related_name="routes")
    office = models.ForeignKey("portal.Office", models.CASCADE, related_name="+")
    institution = models.ForeignKey("portal.Organisation", models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("eligibility route")
        verbose_name_plural = _("eligibility routes")
        constraints = [
            models.UniqueConstraint(
                fields=["fact", "office", "institution"], name="eligibility_route_unique"
            )
        ]
        indexes = [
            models.Index(fields=["office", "fact"]),
            models.Index(fields=["institution", "fact"]),
        ]

    def __str__(self):
        return f"{self.fact_id}: {self.office_id}/{self.institution_id}"

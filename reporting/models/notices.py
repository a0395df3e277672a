"""Monthly status notices (seed §6.H, §7.F, §7.S), one per institution, program, month and
recipient office."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portal.access import scope

from ..choices import NoticeState
from .obligations import Obligation


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

"""Withdrawal reports as filed (seed §6.H, §7.F), immutable, and officers' reviews of reports
and notices."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.access import scope

from ..choices import ReviewState
from .obligations import Obligation


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

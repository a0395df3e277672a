"""Measures against institutions that failed their reporting duties, and the proxy
applications such a measure restricts (seed §6.H, §6.I, §7.E, §7.F)."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portal.access import scope

from ..choices import ProxyApplicationKind, SanctionKind


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

"""The log of every access to a person's identification data (SPEC §7): kept apart from the
ledger because it follows its own law (append-only, a retention period) rather than the
ledger's verbs."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.choices import PersonalDataAction

from .people import Investor


class PersonalDataAccessQuerySet(models.QuerySet):
    """The log is append-only: rows are added, never changed or deleted, except by the
    retention job (:meth:`purge`), which removes only what is older than the kept period."""

    def update(self, **kwargs):
        raise ValueError("The personal-data access log cannot be changed.")

    def delete(self):
        raise ValueError("The personal-data access log cannot be deleted from.")

    def purge(self, *, before):
        """Delete the records made before ``before``; returns how many. Safe to re-run."""
        deleted, _detail = models.QuerySet.delete(self.filter(at__lt=before))
        return deleted


class PersonalDataAccess(models.Model):
    """One access to a person's identification data (PIPA art. 24, SPEC §7): a reveal of a
    clear number with its stated purpose, or an officer's or HQ's read of the investor's
    record. Who, when, from where, whose record, what and why. Append-only; kept
    ``PERSONAL_DATA_ACCESS_RETENTION_DAYS`` (at least two years) and then deleted by the
    retention job (``investments.privacy.purge_access_log``)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now, editable=False, db_index=True)
    address = models.GenericIPAddressField(null=True, blank=True)
    investor = models.ForeignKey(Investor, models.PROTECT, related_name="+")
    action = models.CharField(max_length=32, choices=PersonalDataAction.choices)
    purpose = models.CharField(_("purpose"), max_length=300, blank=True)

    objects = PersonalDataAccessQuerySet.as_manager()

    class Meta:
        ordering = ["-at"]
        verbose_name = _("personal data access")
        verbose_name_plural = _("personal data accesses")

    def __str__(self):
        return f"{self.user} {self.get_action_display()} #{self.investor_id} ({self.at:%Y-%m-%d})"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError("A personal-data access record cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("A personal-data access record cannot be deleted.")

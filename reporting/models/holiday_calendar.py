"""The holiday calendar deadlines are computed on (R5): corrections of the package's."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..choices import HolidayChange


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

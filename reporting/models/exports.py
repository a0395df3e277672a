"""Long operations run in the background with a page that shows their progress (SPEC §6;
issue 11.6): large spreadsheet exports, large ledger imports and the full recomputation of
eligibility facts."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..choices import ExportKind, ExportState


class ExportJobQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Only the person who asked for an export sees it: its rows are what that person
        may see, read through the access gate when the job ran."""
        if not (user.is_authenticated and user.is_active):
            return self.none()
        return self.filter(requested_by=user)


class ExportJob(models.Model):
    """A long operation run in the background, with its progress (SPEC §6: large exports run
    as tasks; issue 11.6: progress for operations over a second). An export keeps what to
    export (the kind and the page's filters, re-read through the access gate as the
    requesting user when it runs) and the finished file under ``MEDIA_ROOT``, which only that
    user downloads; an import keeps the uploaded workbook there and, in ``result``, what it
    added or every error; a recomputation counts people. Files are deleted
    ``EXPORT_KEEP_DAYS`` after they were written."""

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
    result = models.JSONField(
        _("result"), default=dict, blank=True, help_text=_("What an import added, or its errors.")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = ExportJobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        constraints = [
            models.CheckConstraint(
                condition=~Q(state=ExportState.DONE) | ~Q(file="") | Q(kind=ExportKind.RECOMPUTE),
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

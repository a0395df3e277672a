"""Offices, organisations and their users: who may see and do what.

Every user belongs to one organisation; what a user may see follows from that organisation's
kind (see ``portal.access``).
"""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .choices import INSTITUTION_KINDS, DesignationStatus, OrganisationKind


class Office(models.Model):
    """An immigration office or branch office, as listed by the visit-reservation service.

    "X Immigration Office Y Branch Office" is a branch of X (``parent``). Offices receive the
    reports routed to them: zone jurisdiction, KDB → Sejongno Branch, registered operators.
    """

    code = models.SlugField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=128, unique=True)
    name_ko = models.CharField(_("Korean name"), max_length=128, blank=True)
    parent = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="branches",
        verbose_name=_("parent office"),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("immigration office")
        verbose_name_plural = _("immigration offices")

    def __str__(self):
        return self.name

    @property
    def local_name(self):
        """The name in the page's language: Korean where known, else the English one."""
        if self.name_ko and (get_language() or "").startswith("ko"):
            return self.name_ko
        return self.name

    def jurisdiction(self):
        """This office and its branch offices: what an officer of this office reviews."""
        return [self.pk, *self.branches.values_list("pk", flat=True)]


class ReservationService(models.Model):
    """A visit-reservation service of an office (seed 000), e.g. "Visit Reservation for
    Permission to Stay". ``after_0936`` marks the variant opened at 09:36."""

    office = models.ForeignKey(Office, models.CASCADE, related_name="services")
    service_id = models.PositiveIntegerField(_("reservation service id"), unique=True)
    name = models.CharField(_("name"), max_length=400)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    after_0936 = models.BooleanField(_("opens at 09:36"), default=False)

    class Meta:
        ordering = ["office__name", "service_id"]
        verbose_name = _("reservation service")
        verbose_name_plural = _("reservation services")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True)
                | models.Q(valid_from__isnull=True)
                | models.Q(valid_to__gte=models.F("valid_from")),
                name="reservation_service_dates_in_order",
                violation_error_message=_("A service cannot end before it starts."),
            )
        ]

    def __str__(self):
        return f"[{self.service_id}] {self.name}"

    def is_valid_on(self, day):
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )


class Organisation(models.Model):
    """An organisation whose users sign in: HQ, an immigration office, a sales company, a
    development project operator or KDB.

    For an immigration office, ``office`` is the office itself; for an institution it is the
    office it is registered with (seed §7.F); tourism reports are routed by zone instead.
    """

    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=32, choices=OrganisationKind.choices)
    office = models.ForeignKey(
        Office,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
        verbose_name=_("office"),
    )
    representative = models.CharField(_("representative"), max_length=120, blank=True)
    business_number = models.CharField(_("business registration number"), max_length=20, blank=True)
    email = models.EmailField(_("contact e-mail"), blank=True)
    designation_status = models.CharField(
        _("designation status"),
        max_length=32,
        choices=DesignationStatus.choices,
        default=DesignationStatus.DESIGNATED,
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind=OrganisationKind.IMMIGRATION_OFFICE)
                | models.Q(office__isnull=False),
                name="immigration_office_has_office",
                violation_error_message=_("An immigration office organisation needs its office."),
            )
        ]

    def __str__(self):
        return self.name

    @property
    def is_institution(self):
        return self.kind in INSTITUTION_KINDS


class DesignationEvent(models.Model):
    """One step of an institution's designation/registration history (seed §7.D, §7.F):
    application, designation, restriction of proxy privileges, cancellation."""

    organisation = models.ForeignKey(
        Organisation, models.CASCADE, related_name="designation_events"
    )
    status = models.CharField(_("status"), max_length=32, choices=DesignationStatus.choices)
    effective_on = models.DateField(_("effective on"))
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation", "effective_on", "pk"]
        verbose_name = _("designation event")
        verbose_name_plural = _("designation events")

    def __str__(self):
        return f"{self.organisation} — {self.get_status_display()} ({self.effective_on})"


class User(AbstractUser):
    """A person who signs in, always on behalf of one organisation."""

    organisation = models.ForeignKey(
        Organisation,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("organisation"),
    )

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"

    @property
    def kind(self):
        if self.is_superuser and self.organisation_id is None:
            return OrganisationKind.HQ
        return self.organisation.kind if self.organisation_id else None

    @property
    def is_hq(self):
        return self.kind == OrganisationKind.HQ

    @property
    def is_officer(self):
        return self.kind == OrganisationKind.IMMIGRATION_OFFICE

    @property
    def is_institution(self):
        return self.organisation_id is not None and self.organisation.is_institution

"""Reference data of the two programs, maintained by HQ as ministry notices change.

Every legal number lives in a row here (dated where the law dates it), loaded from ``seeds/``
and edited in the admin with history; the rules read these rows, never constants.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portal.money import format_krw
from portal.names import LocalNamed

from ..choices import ProgramCode, ProjectKind, StatusRole, Track


class Program(models.Model):
    """One of the two investment-immigration programs and its per-program settings."""

    code = models.CharField(_("code"), max_length=32, choices=ProgramCode.choices, unique=True)
    name = models.CharField(_("name"), max_length=200)
    withdrawal_report_days = models.PositiveSmallIntegerField(
        _("days to report a withdrawal"), help_text=_("Seed §6.H / §7.F: 14 days.")
    )
    notice_due_day = models.PositiveSmallIntegerField(
        _("monthly notice due day"),
        help_text=_(
            "Day of the following month the monthly status notice is due (seed §6.H: 5th)."
        ),
    )
    guideline_enforced_on = models.DateField(
        _("guideline enforcement date"),
        help_text=_("Recoveries before this date are due 14 days after it (seed §6.H)."),
    )
    f1_minimum_krw = models.BigIntegerField(
        _("F-1 minimum (KRW)"),
        null=True,
        blank=True,
        help_text=_("Down + intermediate payments giving F-1 (seed §6.D: KRW 100 million)."),
    )
    f1_minimum_usd = models.BigIntegerField(
        _("F-1 minimum (USD)"), null=True, blank=True, help_text=_("Seed §6.D: USD 100,000.")
    )
    source = models.CharField(_("source"), max_length=500, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]
        verbose_name = _("program")
        verbose_name_plural = _("programs")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(notice_due_day__gte=1, notice_due_day__lte=28),
                name="program_notice_due_day_1_28",
                violation_error_message=_("The notice due day must be between 1 and 28."),
            )
        ]

    def __str__(self):
        return self.name


class FacilityType(LocalNamed, models.Model):
    """An eligible facility type of seed §6.J (resort condominium, lodging, pension…)."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_ko = models.CharField(_("Korean name"), max_length=200, blank=True)
    source = models.CharField(_("source"), max_length=500, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("facility type")
        verbose_name_plural = _("facility types")

    def __str__(self):
        return self.name


class Zone(LocalNamed, models.Model):
    """A designated tourism zone (seed §6.J) and the office with jurisdiction over it."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_ko = models.CharField(_("Korean name"), max_length=200, blank=True)
    office = models.ForeignKey(
        "portal.Office", models.PROTECT, related_name="zones", verbose_name=_("competent office")
    )
    office_verified = models.BooleanField(
        _("office confirmed"),
        default=True,
        help_text=_("Unchecked where the zone → office routing is our assumption."),
    )
    facility_types = models.ManyToManyField(
        FacilityType, related_name="zones", blank=True, verbose_name=_("facility types")
    )
    source = models.CharField(_("source"), max_length=500, blank=True)

    history = HistoricalRecords(m2m_fields=[facility_types])

    class Meta:
        ordering = ["code"]
        verbose_name = _("zone")
        verbose_name_plural = _("zones")

    def __str__(self):
        return self.name


class ImplementationPeriod(models.Model):
    """A window in which investments in a zone qualify; an extension is a further row.

    An investment made inside a period stays valid after the period closes."""

    zone = models.ForeignKey(Zone, models.CASCADE, related_name="periods", verbose_name=_("zone"))
    start = models.DateField(_("start"))
    end = models.DateField(_("end (inclusive)"))
    is_extension = models.BooleanField(_("extension"), default=False)
    source = models.CharField(_("source"), max_length=500, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["zone", "start"]
        verbose_name = _("implementation period")
        verbose_name_plural = _("implementation periods")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")),
                name="period_dates_in_order",
                violation_error_message=_("A period cannot end before it starts."),
            ),
            models.UniqueConstraint(fields=["zone", "start"], name="period_unique_start"),
        ]

    def __str__(self):
        return f"{self.zone.code}: {self.start} – {self.end}"


class Project(LocalNamed, models.Model):
    """A public-interest investment target (seed §7.B): the KDB fund or a designated regional
    development project, with the office its reports go to (seed §7.F)."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_ko = models.CharField(_("Korean name"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=32, choices=ProjectKind.choices)
    office = models.ForeignKey(
        "portal.Office", models.PROTECT, related_name="projects", verbose_name=_("reports to")
    )
    operator = models.ForeignKey(
        "portal.Organisation",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="projects",
        verbose_name=_("operator"),
        help_text=_("Registered operator; empty for the KDB fund (any KDB account)."),
    )
    resident_offices = models.ManyToManyField(
        "portal.Office",
        blank=True,
        related_name="+",
        verbose_name=_("offices for their residents"),
        help_text=_(
            "Offices where investors residing in their jurisdiction apply instead of the "
            "office above (seed §7.A: Jeju Office for residents in Jeju)."
        ),
    )
    source = models.CharField(_("source"), max_length=500, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]
        verbose_name = _("public-interest project")
        verbose_name_plural = _("public-interest projects")

    def __str__(self):
        return self.name


class MinimumAmount(models.Model):
    """A dated minimum investment (R1): per zone for tourism, per program and track for
    public interest. ``effective_to`` empty means still in force."""

    program = models.ForeignKey(
        Program, models.PROTECT, related_name="minimums", verbose_name=_("program")
    )
    zone = models.ForeignKey(
        Zone,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="thresholds",
        verbose_name=_("zone"),
    )
    track = models.CharField(
        _("track"), max_length=32, choices=Track.choices, default=Track.GENERAL
    )
    minimum_krw = models.BigIntegerField(_("minimum (KRW)"))
    effective_from = models.DateField(_("effective from"))
    effective_to = models.DateField(_("effective to (inclusive)"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=500, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["program", "zone", "track", "effective_from"]
        verbose_name = _("minimum investment")
        verbose_name_plural = _("minimum investments")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(minimum_krw__gt=0),
                name="minimum_positive",
                violation_error_message=_("A minimum must be a positive amount of KRW."),
            ),
            models.CheckConstraint(
                condition=models.Q(effective_to__isnull=True)
                | models.Q(effective_to__gte=models.F("effective_from")),
                name="minimum_dates_in_order",
                violation_error_message=_("A minimum cannot end before it takes effect."),
            ),
            models.UniqueConstraint(
                fields=["zone", "track", "effective_from"],
                condition=models.Q(zone__isnull=False),
                name="minimum_unique_start_per_zone",
            ),
            models.UniqueConstraint(
                fields=["program", "track", "effective_from"],
                condition=models.Q(zone__isnull=True),
                name="minimum_unique_start_per_program",
            ),
        ]

    def __str__(self):
        where = self.zone.code if self.zone_id else self.program.code
        return _("%(where)s/%(track)s: %(amount)s from %(day)s") % {
            "where": where,
            "track": self.track,
            "amount": format_krw(self.minimum_krw),
            "day": self.effective_from,
        }


class StatusCode(models.Model):
    """A residence-status code of the two programs (F-2-8, F-5-25, C-3…)."""

    code = models.CharField(_("code"), max_length=16, unique=True)
    name = models.CharField(_("name"), max_length=200)
    program = models.ForeignKey(
        Program,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("program"),
    )
    role = models.CharField(_("role"), max_length=16, choices=StatusRole.choices)
    legacy = models.BooleanField(_("legacy"), default=False)
    source = models.CharField(_("source"), max_length=500, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("residence status code")
        verbose_name_plural = _("residence status codes")

    def __str__(self):
        return self.code

    @property
    def group(self):
        """The notice column this code counts in: 'F-2-8' → 'F-2', 'C-3' → 'C-3'."""
        return "-".join(self.code.split("-")[:2])

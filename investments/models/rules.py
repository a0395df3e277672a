"""Rule parameters HQ can change: every legal number and [decision] the rules read.

Each row names its source (seed section, [public] or [decision]) and why; the admin keeps its
history. The rules never hold these numbers themselves (see ``investments.rules``).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..choices import RecoveryReason, StatusRuleKey


class RuleSetting(models.Model):
    """A named number the rules use (an integer; booleans are 0/1)."""

    key = models.SlugField(_("key"), max_length=64, unique=True)
    value = models.BigIntegerField(_("value"))
    description = models.CharField(_("what it means"), max_length=300)
    source = models.CharField(_("source and reason"), max_length=400)

    history = HistoricalRecords()

    class Meta:
        ordering = ["key"]
        verbose_name = _("rule setting")
        verbose_name_plural = _("rule settings")

    def __str__(self):
        return f"{self.key} = {self.value}"


class StatusRule(models.Model):
    """Which residence-status code a rule grants (R2's tests, R4's F-5 paths) and the order
    in which R2 tries its tests: the first that passes decides. A code is a choice the
    regulation names per rule; the order is our [decision], listed in docs/rules.md with the
    seed's words."""

    key = models.CharField(_("rule"), max_length=32, choices=StatusRuleKey.choices, unique=True)
    code = models.ForeignKey(
        "investments.StatusCode",
        models.PROTECT,
        to_field="code",
        related_name="+",
        verbose_name=_("status code granted"),
    )
    precedence = models.PositiveSmallIntegerField(
        _("precedence"),
        null=True,
        blank=True,
        unique=True,
        help_text=_("R2 tries the lower number first; empty for the F-5 paths of R4."),
    )
    source = models.CharField(_("source and reason"), max_length=400)

    history = HistoricalRecords()

    class Meta:
        ordering = ["precedence", "key"]
        verbose_name = _("status rule")
        verbose_name_plural = _("status rules")

    def __str__(self):
        return f"{self.get_key_display()} → {self.code_id}"


class RecoveryReasonRule(models.Model):
    """A reason a recovery may give in a program (sale, early repayment…): the verbs refuse
    the others. Seed §6.H names the tourism ones; the rest is our [decision], listed in
    docs/rules.md."""

    program = models.ForeignKey(
        "investments.Program",
        models.PROTECT,
        to_field="code",
        related_name="+",
        verbose_name=_("program"),
    )
    reason = models.CharField(_("reason"), max_length=32, choices=RecoveryReason.choices)
    source = models.CharField(_("source and reason"), max_length=400)

    history = HistoricalRecords()

    class Meta:
        ordering = ["program", "reason"]
        verbose_name = _("recovery reason of a program")
        verbose_name_plural = _("recovery reasons of the programs")
        constraints = [
            models.UniqueConstraint(
                fields=["program", "reason"], name="recovery_reason_once_per_program"
            )
        ]

    def __str__(self):
        return f"{self.program_id}: {self.get_reason_display()}"


class DisqualificationKind(models.Model):
    """How long a kind of record bars a residence status (seed §6.E, §7.S(4)).

    ``years`` empty = bars until the record's own end date (entry ban) or for good (serious
    crime abroad)."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=200)
    years = models.PositiveSmallIntegerField(_("years barred"), null=True, blank=True)
    runs_from = models.CharField(_("counted from"), max_length=200, blank=True)
    domestic = models.BooleanField(_("violation of Korean law"), default=True)
    source = models.CharField(_("source"), max_length=500, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]
        verbose_name = _("disqualification kind")
        verbose_name_plural = _("disqualification kinds")

    def __str__(self):
        return self.name


class Disqualification(models.Model):
    """A dated record about a person that may bar a status (recorded by an officer)."""

    person = models.ForeignKey(
        "investments.Person", models.PROTECT, related_name="disqualifications"
    )
    kind = models.ForeignKey(DisqualificationKind, models.PROTECT, to_field="code")
    on = models.DateField(_("counted from"), help_text=_("Completion, payment or departure date."))
    amount_krw = models.BigIntegerField(_("fine (KRW)"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["person", "on"]
        verbose_name = _("disqualification record")
        verbose_name_plural = _("disqualification records")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount_krw__isnull=True) | models.Q(amount_krw__gt=0),
                name="disqualification_amount_positive",
                violation_error_message=_("A fine must be a positive amount of KRW."),
            )
        ]

    def __str__(self):
        return f"{self.kind_id} {self.on}"

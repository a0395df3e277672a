"""The ledger an institution keeps of its clients (``people.py``): their units, investments,
payments, recoveries and lapses; and the residence-status grants officers record.

Rows change only through ``investments.services`` (one function per business verb), which
validates, saves atomically and leaves an audit record (``history``) and an event
(``portal.audit``).

A wrong payment, recovery, lapse or grant is *voided* with a reason, never deleted: it stays in
the database, in its history and readable by id, but ``objects`` (the default manager, which
related sets like ``investment.payments`` use too) leaves it out, so it no longer counts in the
rules, notices, balances, exports or lists. ``all_objects`` includes it. An investor merged
into another record is left out the same way.

It is one module of some 440 lines on purpose: the ledger rows share the voiding managers and
constraints described above.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portal.access import NOTHING, scope
from portal.money import format_krw

from ..choices import (
    InvestorClass,
    LapseKind,
    PaymentKind,
    ProgramCode,
    RecoveryReason,
)
from .people import Investor, Person

POSITIVE = _("The amount must be a positive whole number of KRW.")


def positive(field, name):
    return models.CheckConstraint(
        condition=Q(**{f"{field}__gt": 0}), name=name, violation_error_message=POSITIVE
    )


def void_has_reason(name):
    return models.CheckConstraint(
        condition=Q(voided_at__isnull=True) | ~Q(void_reason=""),
        name=name,
        violation_error_message=_("Say why the entry is voided."),
    )


class CountedManager(models.Manager):
    """The rows that count: voided ledger entries are left out."""

    def get_queryset(self):
        return super().get_queryset().filter(voided_at__isnull=True)


class Voidable(models.Model):
    """A ledger entry that can be voided with a reason (issue 11.3): it stays on record but no
    longer counts anywhere."""

    voided_at = models.DateTimeField(_("voided at"), null=True, blank=True)
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("voided by"),
    )
    void_reason = models.TextField(_("reason for voiding"), blank=True)

    class Meta:
        abstract = True

    @property
    def is_voided(self):
        return self.voided_at is not None


def in_order(first, last, name, message):
    return models.CheckConstraint(
        condition=Q(**{f"{last}__isnull": True}) | Q(**{f"{last}__gte": models.F(first)}),
        name=name,
        violation_error_message=message,
    )


class Property(models.Model):
    """A unit in a zone that an institution sells (seed §6.J facility types)."""

    institution = models.ForeignKey(
        "portal.Organisation", models.PROTECT, related_name="properties"
    )
    zone = models.ForeignKey("investments.Zone", models.PROTECT, related_name="properties")
    name = models.CharField(_("property name"), max_length=200)
    unit_number = models.CharField(_("unit"), max_length=50)
    facility_type = models.ForeignKey(
        "investments.FacilityType", models.PROTECT, related_name="properties"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["name", "unit_number"]
        verbose_name = _("property unit")
        verbose_name_plural = _("property units")
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "name", "unit_number"], name="property_unique_unit"
            )
        ]

    def __str__(self):
        return f"{self.name} {self.unit_number}"


class InvestmentQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(scope(user, institution="institution_id", office="office_id"))


class Investment(models.Model):
    """One investment contract: a unit bought in a tourism zone, or a deposit/investment in a
    public-interest project. ``office`` is the competent office, fixed when recorded."""

    investor = models.ForeignKey(
        Investor, models.PROTECT, related_name="investments", verbose_name=_("investor")
    )
    institution = models.ForeignKey(
        "portal.Organisation",
        models.PROTECT,
        related_name="investments",
        verbose_name=_("institution"),
    )
    program = models.CharField(_("program"), max_length=32, choices=ProgramCode.choices)
    zone = models.ForeignKey(
        "investments.Zone",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="investments",
        verbose_name=_("zone"),
    )
    project = models.ForeignKey(
        "investments.Project",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="investments",
        verbose_name=_("project"),
    )
    unit = models.ForeignKey(
        Property,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="investments",
        verbose_name=_("unit"),
    )
    investor_class = models.CharField(
        _("investor class"), max_length=32, choices=InvestorClass.choices
    )
    contract_date = models.DateField(_("contract date"), db_index=True)
    contract_amount_krw = models.BigIntegerField(_("contract amount (KRW)"))
    prescreened_on = models.DateField(_("pre-screening date"), null=True, blank=True)
    registered_on = models.DateField(_("ownership/membership registered on"), null=True, blank=True)
    office = models.ForeignKey(
        "portal.Office",
        models.PROTECT,
        related_name="investments",
        verbose_name=_("competent office"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = InvestmentQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-contract_date", "-pk"]
        verbose_name = _("investment")
        verbose_name_plural = _("investments")
        indexes = [models.Index(fields=["institution", "program", "contract_date"])]
        constraints = [
            positive("contract_amount_krw", "investment_amount_positive"),
            models.CheckConstraint(
                condition=(
                    Q(program=ProgramCode.TOURISM, zone__isnull=False, project__isnull=True)
                    | Q(
                        program=ProgramCode.PUBLIC_INTEREST,
                        zone__isnull=True,
                        project__isnull=False,
                    )
                ),
                name="investment_zone_or_project",
                violation_error_message=_(
                    "A tourism investment names a zone; a public-interest one names a project."
                ),
            ),
            in_order(
                "contract_date",
                "registered_on",
                "investment_registered_after_contract",
                _("Registration cannot precede the contract."),
            ),
        ]

    def __str__(self):
        return f"#{self.pk} {self.investor.full_name} — {self.place}"

    @property
    def place(self) -> str:
        """Where the money is, in the reader's language: the unit, else the project, else
        the zone."""
        if self.unit_id:
            return str(self.unit)
        return (self.project or self.zone).local_name

    def feed_scope(self):
        return self.institution_id, self.office_id

    def ledger_changes(self):
        return [(self.institution_id, self.program, self.contract_date)]

    def ledger_people(self):
        return [self.investor.person_id]


class InvestmentEntry:
    """What a payment, recovery and lapse share: they belong to an investment, are seen where
    it is seen, and change what is counted from their date on."""

    entry_date = None  # the name of the date field

    def feed_scope(self):
        return self.investment.institution_id, self.investment.office_id

    def ledger_changes(self):
        day = getattr(self, self.entry_date)
        return [(self.investment.institution_id, self.investment.program, day)]

    def ledger_people(self):
        return [self.investment.investor.person_id]


class ByInvestmentQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(
            scope(user, institution="investment__institution_id", office="investment__office_id")
        )


class Payment(InvestmentEntry, Voidable):
    """Money received for an investment (down, intermediate, final, KDB deposit)."""

    investment = models.ForeignKey(
        Investment, models.PROTECT, related_name="payments", verbose_name=_("investment")
    )
    paid_on = models.DateField(_("paid on"), db_index=True)
    amount_krw = models.BigIntegerField(_("amount (KRW)"))
    kind = models.CharField(_("kind"), max_length=16, choices=PaymentKind.choices)
    currency = models.CharField(_("original currency"), max_length=3, default="KRW")
    original_amount = models.DecimalField(
        _("original amount"), max_digits=18, decimal_places=2, null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    entry_date = "paid_on"

    objects = CountedManager.from_queryset(ByInvestmentQuerySet)()
    all_objects = models.Manager.from_queryset(ByInvestmentQuerySet)()
    history = HistoricalRecords()

    class Meta:
        ordering = ["paid_on", "pk"]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        constraints = [
            positive("amount_krw", "payment_amount_positive"),
            void_has_reason("payment_void_has_reason"),
            models.CheckConstraint(
                condition=Q(original_amount__isnull=True) | Q(original_amount__gt=0),
                name="payment_original_amount_positive",
                violation_error_message=_("The original amount must be positive."),
            ),
        ]

    def __str__(self):
        return _("%(kind)s %(amount)s on %(day)s") % {
            "kind": self.get_kind_display(),
            "amount": format_krw(self.amount_krw),
            "day": self.paid_on,
        }


class Recovery(InvestmentEntry, Voidable):
    """A withdrawal of invested funds (seed §6.H): sale, cancellation, membership transfer or
    early repayment. It can never exceed what was paid before it (checked by the service
    under a row lock, as it spans rows)."""

    investment = models.ForeignKey(
        Investment, models.PROTECT, related_name="recoveries", verbose_name=_("investment")
    )
    recovered_on = models.DateField(_("recovered on"), db_index=True)
    amount_krw = models.BigIntegerField(_("amount (KRW)"))
    reason = models.CharField(_("reason"), max_length=32, choices=RecoveryReason.choices)
    is_full = models.BooleanField(_("full recovery"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    entry_date = "recovered_on"

    objects = CountedManager.from_queryset(ByInvestmentQuerySet)()
    all_objects = models.Manager.from_queryset(ByInvestmentQuerySet)()
    history = HistoricalRecords()

    class Meta:
        ordering = ["recovered_on", "pk"]
        verbose_name = _("recovery")
        verbose_name_plural = _("recoveries")
        constraints = [
            positive("amount_krw", "recovery_amount_positive"),
            void_has_reason("recovery_void_has_reason"),
        ]

    def __str__(self):
        return _("%(kind)s %(amount)s on %(day)s") % {
            "kind": self.get_reason_display(),
            "amount": format_krw(self.amount_krw),
            "day": self.recovered_on,
        }


class Lapse(InvestmentEntry, Voidable):
    """A period during which the investment is not maintained (lease, mortgage, seizure,
    profit use, complete departure): it pauses the F-5 clock (seed §6.E)."""

    investment = models.ForeignKey(
        Investment, models.PROTECT, related_name="lapses", verbose_name=_("investment")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=LapseKind.choices)
    started_on = models.DateField(_("from"))
    ended_on = models.DateField(_("to"), null=True, blank=True)

    entry_date = "started_on"

    objects = CountedManager.from_queryset(ByInvestmentQuerySet)()
    all_objects = models.Manager.from_queryset(ByInvestmentQuerySet)()
    history = HistoricalRecords()

    class Meta:
        ordering = ["started_on", "pk"]
        verbose_name = _("lapse")
        verbose_name_plural = _("lapses")
        constraints = [
            void_has_reason("lapse_void_has_reason"),
            in_order(
                "started_on",
                "ended_on",
                "lapse_dates_in_order",
                _("A lapse cannot end before it starts."),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.started_on} – {self.ended_on or '…'}"


class StatusGrantQuerySet(models.QuerySet):
    def visible_to(self, user):
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.filter(NOTHING)
        if user.is_hq:
            return self
        if user.is_institution:
            return self.filter(investor__institution_id=user.organisation_id)
        people = Investor.objects.visible_to(user).values("person_id")
        return self.filter(person__in=people)


class StatusGrant(Voidable):
    """A residence status granted to a person (recorded by an officer)."""

    person = models.ForeignKey(Person, models.PROTECT, related_name="status_grants")
    investor = models.ForeignKey(
        Investor,
        models.PROTECT,
        related_name="status_grants",
        verbose_name=_("investor"),
        help_text=_("The client record the grant was recorded against."),
    )
    code = models.ForeignKey(
        "investments.StatusCode",
        models.PROTECT,
        to_field="code",
        db_column="code",
        related_name="grants",
        verbose_name=_("status code"),
    )
    granted_on = models.DateField(_("granted on"), db_index=True)
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CountedManager.from_queryset(StatusGrantQuerySet)()
    all_objects = models.Manager.from_queryset(StatusGrantQuerySet)()
    history = HistoricalRecords()

    class Meta:
        ordering = ["granted_on", "pk"]
        verbose_name = _("residence status grant")
        verbose_name_plural = _("residence status grants")
        constraints = [
            void_has_reason("grant_void_has_reason"),
            in_order(
                "granted_on",
                "expires_on",
                "grant_dates_in_order",
                _("A grant cannot expire before it is granted."),
            ),
        ]

    def __str__(self):
        return _("%(code)s from %(day)s") % {"code": self.code_id, "day": self.granted_on}

    def feed_scope(self):
        """Seen by the client's institution, and by officers where the person invested."""
        office = (
            Investment.objects.filter(investor__person_id=self.person_id)
            .order_by("-contract_amount_krw", "pk")
            .values_list("office_id", flat=True)
            .first()
        )
        return self.investor.institution_id, office

    def ledger_people(self):
        return [self.person_id]

    def ledger_changes(self):
        """Residence columns count people through their contracts with each institution."""
        rows = Investment.objects.filter(investor__person_id=self.person_id).values_list(
            "institution_id", "program"
        )
        return [(institution, program, self.granted_on) for institution, program in set(rows)]

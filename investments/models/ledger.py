"""The ledger an institution keeps: its investor clients, their units, investments,
payments, recoveries and lapses; and the residence-status grants officers record.

Rows change only through ``investments.services`` (one function per business verb), which
validates, saves atomically and leaves an audit record (``history``) and an event
(``portal.audit``).

A wrong payment, recovery, lapse or grant is *voided* with a reason, never deleted: it stays in
the database, in its history and readable by id, but ``objects`` (the default manager, which
related sets like ``investment.payments`` use too) leaves it out, so it no longer counts in the
rules, notices, balances, exports or lists. ``all_objects`` includes it. An investor merged
into another record is left out the same way.
"""

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portal.access import NOTHING, office_jurisdiction, scope
from portal.choices import PersonalDataAction
from portal.crypto import EncryptedCharField, mask

from ..choices import (
    InvestorClass,
    InvestorKind,
    LapseKind,
    PaymentKind,
    ProgramCode,
    RecoveryReason,
    Relation,
)

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


class Person(models.Model):
    """One human or corporation as the registry recognises it across institutions: by
    nationality and passport number (keyed hash, SPEC §3). Officers and HQ see a person
    whole; an institution sees only its own client record (``Investor``)."""

    identity_hash = models.CharField(max_length=64, unique=True)
    nationality = models.CharField(_("nationality"), max_length=2)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("persons")

    def __str__(self):
        return f"{self.nationality}-{self.identity_hash[:8]}"


class CurrentInvestorManager(models.Manager):
    """Client records in use: a duplicate merged into another record is left out."""

    def get_queryset(self):
        return super().get_queryset().filter(merged_into__isnull=True)


class InvestorQuerySet(models.QuerySet):
    def visible_to(self, user):
        if getattr(user, "is_officer", False) and user.is_active:
            routed = Investment.objects.filter(
                investor=OuterRef("pk"), office__in=office_jurisdiction(user)
            )
            return self.filter(Exists(routed))
        return self.filter(scope(user, institution="institution_id"))


class Investor(models.Model):
    """An institution's client record of a foreign investor (person or corporation)."""

    institution = models.ForeignKey(
        "portal.Organisation",
        models.PROTECT,
        related_name="investors",
        verbose_name=_("institution"),
    )
    person = models.ForeignKey(Person, models.PROTECT, related_name="investor_records")
    kind = models.CharField(
        _("kind"), max_length=16, choices=InvestorKind.choices, default=InvestorKind.PERSON
    )
    full_name = models.CharField(_("full name"), max_length=200)
    nationality = models.CharField(_("nationality"), max_length=2, help_text="ISO 3166-1 alpha-2")
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    passport_number = EncryptedCharField(_("passport number"))
    passport_hash = models.CharField(max_length=64, db_index=True, editable=False)
    alien_registration_number = EncryptedCharField(
        _("alien registration number"), blank=True, default=""
    )
    alien_registration_hash = models.CharField(
        max_length=64, blank=True, db_index=True, editable=False
    )
    email = models.EmailField(_("e-mail"), blank=True)
    # Seed §6.F: a registered foreign resident (and an investor's family) applies at the office
    # with jurisdiction over the place of residence; seed §7.A: Jeju residents at Jeju.
    residence_office = models.ForeignKey(
        "portal.Office",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("residence office"),
        help_text=_("The immigration office with jurisdiction over the place of residence."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    merged_into = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_records",
        verbose_name=_("merged into"),
    )

    objects = CurrentInvestorManager.from_queryset(InvestorQuerySet)()
    all_objects = models.Manager.from_queryset(InvestorQuerySet)()
    history = HistoricalRecords(excluded_fields=["passport_number", "alien_registration_number"])

    class Meta:
        ordering = ["full_name", "pk"]
        verbose_name = _("investor")
        verbose_name_plural = _("investors")
        # The lists' order: a page of names is read from the index instead of sorting every
        # client record the user may see.
        indexes = [models.Index(fields=["full_name", "id"], name="investor_name_order")]
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "person"],
                condition=Q(merged_into__isnull=True),
                name="investor_unique_person_per_institution",
                violation_error_message=_(
                    "This institution already has a client with this passport."
                ),
            ),
            models.CheckConstraint(
                condition=Q(kind=InvestorKind.CORPORATION) | Q(date_of_birth__isnull=False),
                name="investor_person_has_birth_date",
                violation_error_message=_("A natural person needs a date of birth."),
            ),
        ]

    def __str__(self):
        return f"{self.full_name} ({self.nationality})"

    @property
    def passport_number_masked(self) -> str:
        return mask(self.passport_number)

    def feed_scope(self):
        return self.institution_id, None

    def ledger_people(self):
        return [self.person_id]

    def ledger_changes(self):
        """Notice figures count investments by nationality: every program and month of
        this client's investments."""
        rows = Investment.objects.filter(investor=self).values_list("program", "contract_date")
        return [(self.institution_id, program, day) for program, day in rows]

    @property
    def alien_registration_number_masked(self) -> str:
        return mask(self.alien_registration_number)


class RelatedPersonQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A relative is seen by whoever sees the investor it is recorded against."""
        return self.filter(investor__in=Investor.all_objects.visible_to(user).values("pk"))


class RelatedPerson(models.Model):
    """A family member of the principal investor (F-2-81, F-2-13) or an executive or
    shareholder of a corporate investor (seed §6.D, §7.S(3))."""

    investor = models.ForeignKey(Investor, models.CASCADE, related_name="related_persons")
    relation = models.CharField(_("relation"), max_length=16, choices=Relation.choices)
    full_name = models.CharField(_("full name"), max_length=200)
    nationality = models.CharField(_("nationality"), max_length=2)
    date_of_birth = models.DateField(_("date of birth"))
    passport_number = EncryptedCharField(_("passport number"), blank=True, default="")

    history = HistoricalRecords(excluded_fields=["passport_number"])

    objects = RelatedPersonQuerySet.as_manager()

    class Meta:
        ordering = ["investor", "relation", "date_of_birth"]
        verbose_name = _("family member / executive")
        verbose_name_plural = _("family members / executives")

    def __str__(self):
        return f"{self.full_name} ({self.get_relation_display()})"

    @property
    def passport_number_masked(self) -> str:
        return mask(self.passport_number)


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

    investor = models.ForeignKey(Investor, models.PROTECT, related_name="investments")
    institution = models.ForeignKey(
        "portal.Organisation", models.PROTECT, related_name="investments"
    )
    program = models.CharField(_("program"), max_length=32, choices=ProgramCode.choices)
    zone = models.ForeignKey(
        "investments.Zone", models.PROTECT, null=True, blank=True, related_name="investments"
    )
    project = models.ForeignKey(
        "investments.Project", models.PROTECT, null=True, blank=True, related_name="investments"
    )
    unit = models.ForeignKey(
        Property, models.PROTECT, null=True, blank=True, related_name="investments"
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

    investment = models.ForeignKey(Investment, models.PROTECT, related_name="payments")
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
        return f"{self.get_kind_display()} {self.amount_krw:,} KRW on {self.paid_on}"


class Recovery(InvestmentEntry, Voidable):
    """A withdrawal of invested funds (seed §6.H): sale, cancellation, membership transfer or
    early repayment. It can never exceed what was paid before it (checked by the service
    under a row lock, as it spans rows)."""

    investment = models.ForeignKey(Investment, models.PROTECT, related_name="recoveries")
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
        return f"{self.get_reason_display()} {self.amount_krw:,} KRW on {self.recovered_on}"


class Lapse(InvestmentEntry, Voidable):
    """A period during which the investment is not maintained (lease, mortgage, seizure,
    profit use, complete departure): it pauses the F-5 clock (seed §6.E)."""

    investment = models.ForeignKey(Investment, models.PROTECT, related_name="lapses")
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
        help_text=_("The client record the grant was recorded against."),
    )
    code = models.ForeignKey(
        "investments.StatusCode",
        models.PROTECT,
        to_field="code",
        db_column="code",
        related_name="grants",
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
        return f"{self.code_id} from {self.granted_on}"

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

"""Who invests: a person as the registry recognises them across institutions, each
institution's client record of that person (``Investor``) and the investor's family members
and executives. Identification numbers are encrypted at rest and masked when shown
(``portal.crypto``); the ledger of their investments is ``ledger.py``."""

from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portal.access import office_jurisdiction, scope
from portal.crypto import EncryptedCharField, mask

from ..choices import InvestorKind, Relation


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
            from .ledger import Investment  # the ledger's models are built on this one

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
    nationality = models.CharField(
        _("nationality"),
        max_length=2,
        help_text=_("Two-letter country code (ISO 3166-1), e.g. CN."),
    )
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
        from .ledger import Investment

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

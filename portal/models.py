"""Offices, organisations and their users: who may see and do what.

Every user belongs to one organisation; what a user may see follows from that organisation's
kind (see ``portal.access``).

It is one module of some 440 lines on purpose: offices, organisations and users are the one
access model that ``portal.access`` reads.
"""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .access import may_be_staff, scope
from .choices import INSTITUTION_KINDS, DeliveryState, DesignationStatus, OrganisationKind
from .crypto import EncryptedCharField
from .names import LocalNamed


class Office(LocalNamed, models.Model):
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


class Organisation(LocalNamed, models.Model):
    """An organisation whose users sign in: HQ, an immigration office, a sales company, a
    development project operator or KDB.

    For an immigration office, ``office`` is the office itself; for an institution it is the
    office it is registered with (seed §7.F); tourism reports are routed by zone instead.
    """

    name = models.CharField(_("name"), max_length=200, unique=True)
    name_ko = models.CharField(_("Korean name"), max_length=200, blank=True)
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


class ProxyAgent(models.Model):
    """An employee at the manager level or above whom an institution names to file
    applications on investors' behalf (seed §6.I "The representative of a sales company or
    employees at the manager level or above"; §7.E "CEO or manager-level employee"). The
    representative (``Organisation.representative``) may file without a row here."""

    organisation = models.ForeignKey(
        Organisation, models.CASCADE, related_name="proxy_agents", verbose_name=_("organisation")
    )
    name = models.CharField(_("name"), max_length=120)
    position = models.CharField(
        _("position"), max_length=120, help_text=_("Manager level or above (seed §6.I, §7.E).")
    )
    active = models.BooleanField(_("may file"), default=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["organisation", "name"]
        verbose_name = _("proxy agent")
        verbose_name_plural = _("proxy agents")

    def __str__(self):
        return f"{self.name} ({self.position})"


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
    is_institution_admin = models.BooleanField(
        _("institution administrator"),
        default=False,
        help_text=_(
            "May issue and revoke the organisation's API keys and register its webhooks. Set by HQ."
        ),
    )
    is_integration = models.BooleanField(
        _("integration account"),
        default=False,
        editable=False,
        help_text=_("The account an API key acts as: it never signs in with a password."),
    )

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"

    def clean(self):
        super().clean()
        if self.is_staff and not may_be_staff(self):
            raise ValidationError({"is_staff": _("Only HQ administrators may use the admin site.")})

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


# --- what a client may follow: the event feed and its webhooks -------------------------------


class EventQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(scope(user, institution="institution_id", office="office_id"))

    def numbered(self):
        return self.filter(position__isnull=False)


class Event(models.Model):
    """One change a client may see (issue 13.3): a ledger row, an obligation, a report, a
    notice or a review created or changed by a business verb.

    ``position`` is the feed's cursor. It is not the row id: it is given after the writing
    transaction has committed, under a lock, so positions become visible strictly in the
    order they are given and a reader never misses one (see ``portal.events``). The
    institution and office the change concerns are stored so the feed passes through the
    same gate as the rows (``portal.access.scope``)."""

    position = models.BigIntegerField(_("position"), null=True, blank=True, unique=True)
    occurred_at = models.DateTimeField(_("occurred at"), default=timezone.now)
    type = models.CharField(_("type"), max_length=64)
    object_type = models.CharField(_("object type"), max_length=32)
    object_id = models.BigIntegerField(_("object id"))
    verb = models.CharField(_("verb"), max_length=64)
    reason = models.TextField(_("reason"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    institution = models.ForeignKey(
        Organisation, models.PROTECT, null=True, blank=True, related_name="+"
    )
    office = models.ForeignKey(Office, models.PROTECT, null=True, blank=True, related_name="+")

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["position"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        indexes = [
            models.Index(
                fields=["id"],
                condition=models.Q(position__isnull=True),
                name="event_not_yet_numbered",
            )
        ]

    def __str__(self):
        return f"{self.position or '…'} {self.type} #{self.object_id}"


class WebhookEndpoint(models.Model):
    """An HTTPS address that receives the events its owner may see, signed with HMAC-SHA256
    (issue 13.3). Registered by an integration or an institution administrator; what it
    receives is exactly what its owner would read from the feed."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="webhooks", verbose_name=_("owner")
    )
    url = models.URLField(_("address"), max_length=500)
    secret = EncryptedCharField(_("signing secret"))
    event_types = models.JSONField(
        _("event types"), default=list, blank=True, help_text=_("Empty: every event.")
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = HistoricalRecords(excluded_fields=["secret"])

    class Meta:
        ordering = ["pk"]
        verbose_name = _("webhook")
        verbose_name_plural = _("webhooks")

    def __str__(self):
        return self.url

    def wants(self, event_type):
        return not self.event_types or event_type in self.event_types


class WebhookDelivery(models.Model):
    """One event sent to one webhook, with every attempt: the delivery log."""

    endpoint = models.ForeignKey(WebhookEndpoint, models.CASCADE, related_name="deliveries")
    event = models.ForeignKey(Event, models.CASCADE, related_name="+")
    state = models.CharField(
        _("state"), max_length=16, choices=DeliveryState.choices, default=DeliveryState.PENDING
    )
    attempts = models.JSONField(_("attempts"), default=list, blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-pk"]
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        constraints = [
            models.UniqueConstraint(fields=["endpoint", "event"], name="deliver_event_once")
        ]
        # the minute job's question: which retries are due (few rows among every delivery)
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=models.Q(state="retrying"),
                name="webhook_retry_due",
            )
        ]

    def __str__(self):
        return f"{self.event} → {self.endpoint} ({self.state})"


# --- integrations: API keys and idempotent writes ---------------------------------------------


class ApiKeyQuerySet(models.QuerySet):
    def usable(self, now=None):
        now = now or timezone.now()
        return self.filter(revoked_at__isnull=True, expires_at__gt=now)


class ApiKey(models.Model):
    """A key one of an institution's systems signs its API requests with (issue 13.2).

    Each key acts as its own integration account (``user``), so the history of every row says
    which system wrote it. Only a hash of the secret is kept; the secret is shown once, when
    the key is issued. ``scopes`` limit what the key may do (``portal.choices.ApiScope``)."""

    organisation = models.ForeignKey(
        Organisation, models.PROTECT, related_name="api_keys", verbose_name=_("organisation")
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="api_key", editable=False
    )
    label = models.CharField(_("label"), max_length=100)
    prefix = models.CharField(_("key prefix"), max_length=16, unique=True, editable=False)
    secret_hash = models.CharField(max_length=64, editable=False)
    scopes = models.JSONField(_("scopes"), default=list)
    expires_at = models.DateTimeField(_("expires at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("issued by")
    )
    created_at = models.DateTimeField(_("issued at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revoked by"),
    )

    objects = ApiKeyQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["secret_hash", "last_used_at"])

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(revoked_at__isnull=True) | models.Q(revoked_by__isnull=False),
                name="api_key_revoked_by_someone",
            )
        ]

    def __str__(self):
        return f"{self.label} ({self.prefix}…)"

    def is_usable(self, now=None):
        now = now or timezone.now()
        return self.revoked_at is None and self.expires_at > now


class IdempotencyRecord(models.Model):
    """The first answer to a write sent with an ``Idempotency-Key`` (issue 13.1): a repeat
    with the same key and body gets it again and writes nothing. Kept
    ``IDEMPOTENCY_RETENTION_HOURS``; older rows are deleted by a periodic job."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField(null=True)
    content = models.BinaryField(default=b"")
    headers = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("idempotency key")
        verbose_name_plural = _("idempotency keys")
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="idempotency_key_per_user")
        ]

    def __str__(self):
        return f"{self.user_id}:{self.key}"

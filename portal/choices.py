from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    HQ = "hq", _("Ministry of Justice (HQ)")
    IMMIGRATION_OFFICE = "immigration_office", _("Immigration office")
    SALES_COMPANY = "sales_company", _("Sales company (tourism)")
    PROJECT_OPERATOR = "project_operator", _("Development project operator")
    KDB = "kdb", _("Korea Development Bank (public-interest fund)")


#: Organisations that keep a ledger here and carry the reporting duties.
INSTITUTION_KINDS = frozenset(
    {OrganisationKind.SALES_COMPANY, OrganisationKind.PROJECT_OPERATOR, OrganisationKind.KDB}
)


class DesignationStatus(models.TextChoices):
    APPLIED = "applied", _("Applied")
    DESIGNATED = "designated", _("Designated / registered")
    RESTRICTED = "restricted", _("Proxy privileges restricted")
    CANCELLATION_REQUESTED = "cancellation_requested", _("Cancellation requested")
    CANCELLED = "cancelled", _("Designation cancelled")


class PersonalDataAction(models.TextChoices):
    REVEAL_PASSPORT = "reveal_passport", _("Revealed passport number")
    REVEAL_ALIEN_REGISTRATION = "reveal_arn", _("Revealed alien registration number")
    READ_PAGE = "read_page", _("Read the investor page")
    READ_API = "read_api", _("Read the investor through the API")


class ApiScope(models.TextChoices):
    """What an integration's API key may do besides signing in (issue 13.2)."""

    LEDGER_READ = "ledger.read", _("Read the ledger, deadlines, reports and notices")
    LEDGER_WRITE = "ledger.write", _("Write the ledger")
    REPORTS_FILE = "reports.file", _("File withdrawal reports")
    NOTICES_SUBMIT = "notices.submit", _("Compute and submit monthly notices")


class DeliveryState(models.TextChoices):
    PENDING = "pending", _("Pending")
    DELIVERED = "delivered", _("Delivered")
    RETRYING = "retrying", _("Retrying")
    FAILED = "failed", _("Failed")

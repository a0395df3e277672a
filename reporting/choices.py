from django.db import models
from django.utils.translation import gettext_lazy as _


class ObligationKind(models.TextChoices):
    WITHDRAWAL_REPORT = "withdrawal_report", _("Withdrawal report (14 days)")
    MONTHLY_NOTICE = "monthly_notice", _("Monthly status notice")


class ObligationState(models.TextChoices):
    DUE = "due", _("Due")
    FILED_ON_TIME = "filed_on_time", _("Filed on time")
    FILED_LATE = "filed_late", _("Filed late")
    OVERDUE = "overdue", _("Overdue")
    CANCELLED = "cancelled", _("Cancelled (recovery voided)")


OPEN_STATES = (ObligationState.DUE, ObligationState.OVERDUE)


class HolidayChange(models.TextChoices):
    ADDED = "added", _("Added holiday (temporary holiday, election day)")
    REMOVED = "removed", _("Removed (not a holiday after all)")


class ReviewState(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged by the office")
    RETURNED = "returned", _("Returned for correction")


class NoticeState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    SUPERSEDED = "superseded", _("Superseded by an amendment")


class SanctionKind(models.TextChoices):
    PROXY_RESTRICTION = "proxy_restriction", _("Restriction of proxy and facilitation privileges")
    CANCELLATION_REQUEST = "cancellation_request", _("Request to cancel the designation")


class ProxyApplicationKind(models.TextChoices):
    STATUS_CHANGE = "status_change", _("Change of residence status")
    EXTENSION = "extension", _("Extension of stay")
    VISA_CERTIFICATE = "visa_certificate", _("Certificate of visa issuance")
    PRESCREENING = "prescreening", _("Pre-screening")


class ExportKind(models.TextChoices):
    INVESTMENTS = "investments", _("Investments")
    DEADLINES = "deadlines", _("Deadlines")
    NOTICE = "notice", _("Monthly status notice")
    # Long operations that are not downloads run as the same kind of job, with the same page.
    IMPORT = "import", _("Ledger import")
    RECOMPUTE = "recompute", _("Recomputation of eligibility facts")


#: The jobs that write a file to download.
DOWNLOADS = (ExportKind.INVESTMENTS, ExportKind.DEADLINES, ExportKind.NOTICE)


class ExportState(models.TextChoices):
    QUEUED = "queued", _("Waiting to start")
    RUNNING = "running", _("Being written")
    DONE = "done", _("Ready to download")
    FAILED = "failed", _("Failed")

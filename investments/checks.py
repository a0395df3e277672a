"""System checks of the ledger app, run when the portal starts (``manage.py check``,
``runserver``, ``migrate``)."""

from django.conf import settings
from django.core import checks

#: The shortest retention of the personal-data access log the portal accepts: issue 9.2 and
#: SPEC §7 ask that it be kept at least two years (docs/security.md).
MINIMUM_RETENTION_DAYS = 730


@checks.register(checks.Tags.security)
def check_personal_data_retention(app_configs, **kwargs):
    days = settings.PERSONAL_DATA_ACCESS_RETENTION_DAYS
    if days < MINIMUM_RETENTION_DAYS:
        return [
            checks.Error(
                f"PERSONAL_DATA_ACCESS_RETENTION_DAYS is {days}; the personal-data access log "
                f"must be kept at least {MINIMUM_RETENTION_DAYS} days (two years).",
                hint="Set PERSONAL_DATA_ACCESS_RETENTION_DAYS to 730 or more.",
                id="investments.E001",
            )
        ]
    return []

"""Residence statuses an office granted (recorded by officers and HQ)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..models import (
    Investor,
    StatusCode,
    StatusGrant,
)
from .checks import (
    check_not_future,
    require_officer,
    save,
)

if TYPE_CHECKING:
    pass

    from portal.models import User

# --- residence status -------------------------------------------------------------------------


@transaction.atomic
def grant_status(
    *,
    by: User,
    investor: Investor,
    code: str,
    granted_on: date,
    expires_on: date | None = None,
) -> StatusGrant:
    """Record a residence status an office granted to the person behind ``investor``."""
    require_officer(by)
    if not StatusCode.objects.filter(code=code).exists():
        raise ValidationError({"code": _("Unknown residence status code.")})
    if expires_on is not None and expires_on < granted_on:
        raise ValidationError({"expires_on": _("A grant cannot expire before it is granted.")})
    check_not_future(granted_on, "granted_on")
    return save(
        StatusGrant(
            person_id=investor.person_id,
            investor=investor,
            code_id=code,
            granted_on=granted_on,
            expires_on=expires_on,
            recorded_by=by,
        ),
        by=by,
        verb="grant_status",
    )

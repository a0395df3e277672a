"""The what-if: a hypothetical recovery checked against what the caller may see and what the
investment holds on that day, before the answer is worked out with it (``explanations``)."""

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from investments.models import Investment
from investments.services import held_on
from portal.money import format_krw

if TYPE_CHECKING:
    from investments.models import Investor
    from portal.models import User


@dataclass(frozen=True)
class WhatIf:
    investment_id: int
    amount_krw: int
    on: date


def what_if_for(
    investor: "Investor",
    *,
    user: "User",
    recover_krw: int | None = None,
    recover_on: date | None = None,
    recover_investment: int | None = None,
    **_ignored: Any,
) -> WhatIf | None:
    """Validate a what-if recovery: on one of the caller's visible investments of this investor
    (default: the one holding the most), never more than it holds on that day."""
    if recover_krw is None:
        return None
    if recover_on is None:  # every caller asks for both; the API says so in these words
        raise ValidationError({"recover_on": _("A what-if needs both recover_krw and recover_on.")})
    candidates = Investment.objects.visible_to(user).filter(investor__person_id=investor.person_id)
    if recover_investment is not None:
        investment = candidates.filter(pk=recover_investment).first()
        if investment is None:
            raise ValidationError({"recover_investment": _("No such investment of this investor.")})
    else:
        investment = max(candidates, key=lambda i: held_on(i, recover_on), default=None)
        if investment is None:
            raise ValidationError({"recover_krw": _("This investor has no investment to recover.")})
    if recover_krw > held_on(investment, recover_on):
        raise ValidationError(
            {
                "recover_krw": _("Investment #%(id)s holds only %(held)s on %(day)s.")
                % {
                    "id": investment.pk,
                    "held": format_krw(held_on(investment, recover_on)),
                    "day": recover_on,
                }
            }
        )
    return WhatIf(investment.pk, recover_krw, recover_on)

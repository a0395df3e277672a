"""The rules applied to one person's facts and the answer explained: ``judge`` is the one place
the rules are called; ``evaluate`` reads the ledger, applies them (with a what-if recovery and
the report it would require) and returns the answer of SPEC §8.2 with every reason rendered in
the reader's language and cited.
"""

from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_noop

from investments.models import Disqualification, StatusGrant
from investments.rules import facts
from investments.rules.f5_clock import F5Clock, f5_clock
from investments.rules.office import Office as OfficeFacts
from investments.rules.office import application_office
from investments.rules.prescreening import prescreening
from investments.rules.screening import Screening, screen
from investments.rules.status import Qualification, qualification
from portal.access import reviews

from .. import explain
from ..services import permanent_residence_on, withdrawal_deadline
from .ledger_facts import Reference, applicant, investment_facts, person_investments
from .what_if import WhatIf

if TYPE_CHECKING:
    from investments.models import Investor
    from portal.models import User


def judge(
    facts_list: Sequence[facts.InvestmentFacts],
    grants: Sequence[facts.Grant],
    records: Sequence[facts.Disqualification],
    *,
    as_of: date,
    params: facts.Parameters,
    status_on: date | None = None,
) -> tuple[Qualification, Screening, F5Clock]:
    """``(status, screening, clock)``: the rules applied to one person's facts. The one place
    the rules are called, so the live answer and the stored facts
    (``reporting.eligibility_store``) cannot disagree."""
    status_on = status_on or as_of
    status = qualification(facts_list, on=status_on, params=params)
    # Holding an investor F-2 on the day, an application is an extension of stay (seed §7.S(5)).
    extension = any(
        g.code in params.f2_investor_codes
        and g.granted_on <= status_on
        and (g.expires_on is None or status_on <= g.expires_on)
        for g in grants
    )
    screening = screen(records, facts_list, on=status_on, params=params, extension=extension)
    clock = f5_clock(grants=grants, investments=facts_list, as_of=as_of, params=params)
    return status, screening, clock


def evaluate(
    investor: "Investor", *, user: "User", as_of: date, what_if: WhatIf | None = None
) -> dict[str, Any]:
    """The eligibility answer of SPEC §8.2 as a plain dict, ready for JSON."""
    reference = Reference()
    params = reference.parameters(as_of)
    investments = person_investments(investor, user)
    ledger = {}
    for investment in investments:
        ledger[investment.pk] = investment_facts(investment, reference)[0]
    report: dict[str, Any] | None = None
    if what_if is not None:
        target = ledger[what_if.investment_id]
        hypothetical = facts.Money(what_if.on, what_if.amount_krw, "what_if")
        ledger[target.id] = replace(target, recoveries=(*target.recoveries, hypothetical))
        program = reference.programs[target.program]
        resident = permanent_residence_on(investor.person_id, what_if.on)
        if resident is not None:
            report = {
                "kind": None,
                "investment": target.id,
                "recipient_office": None,
                "due_on": None,
                "reasons": [
                    reason_dict(
                        facts.explained(
                            "R5",
                            "seed §6.H, §7.F",
                            gettext_noop(
                                "no withdrawal report: the investor holds permanent residence "
                                "(%(code)s, granted %(granted)s) on %(on)s"
                            ),
                            code=resident.code_id,
                            granted=resident.granted_on,
                            on=what_if.on,
                        )
                    )
                ],
            }
        else:
            deadline = withdrawal_deadline(what_if.on, program)
            investment = next(i for i in investments if i.pk == target.id)
            report = {
                "kind": "withdrawal_report",
                "investment": target.id,
                "recipient_office": investment.office.code,
                "due_on": deadline.due_on,
                "reasons": [reason_dict(step) for step in deadline.steps],
            }
    facts_list = list(ledger.values())
    grants = [
        facts.Grant(g.code_id, g.granted_on, g.expires_on)
        for g in StatusGrant.objects.filter(person_id=investor.person_id).order_by("granted_on")
    ]
    records = (
        [
            facts.Disqualification(d.kind_id, d.on, d.amount_krw, d.ends_on, d.note)
            for d in Disqualification.objects.filter(person_id=investor.person_id)
        ]
        if reviews(user)
        else []
    )
    # A what-if is judged from the day of the hypothetical recovery on.
    status_on = max(as_of, what_if.on) if what_if else as_of
    status, screening, clock = judge(
        facts_list, grants, records, as_of=as_of, status_on=status_on, params=params
    )
    qualifies_for = status.qualifies_for if screening.passes else None
    screened = [p for f in facts_list if (p := prescreening(f, as_of, params)) is not None]
    competence = application_office(applicant(investor, investments))
    reasons = [
        *status.reasons,
        *screening.reasons,
        *(p.reason for p in screened),
        *clock.reasons,
        competence.reason,
    ]
    answer = {
        "investor": investor.pk,
        "as_of": as_of,
        "status_on": status_on,
        "qualifies_for": qualifies_for,
        "minimum_krw": status.minimum_krw,
        "held_krw": status.held_krw,
        "screening": {
            "passes": screening.passes,
            "barred_until": screening.barred_until,
            "education_required": screening.education_required,
        },
        "application_office": office_dict(competence.office),
        "prescreening": [
            {
                "investment": p.investment,
                "prescreened_on": p.prescreened_on,
                "funds_due_by": p.funds_due_by,
                "lapsed": p.lapsed,
            }
            for p in screened
        ],
        "f5": {
            "on_track": clock.on_track,
            "eligible_on": clock.eligible_on,
            "code": clock.code,
            "days_remaining": clock.days_remaining,
            "counted_days": clock.counted_days,
            "required_days": clock.required_days,
            "intervals": [{"start": start, "end": end} for start, end in clock.intervals],
        },
        "investments": [
            {
                "id": f.id,
                "program": f.program,
                "institution": f.institution,
                "label": f.label,
                "minimum_krw": f.minimum_krw,
                "in_period": f.in_period,
            }
            for f in facts_list
        ],
        "reasons": [reason_dict(r) for r in reasons],
    }
    if what_if is not None:
        answer["what_if"] = {
            "investment": what_if.investment_id,
            "recover_krw": what_if.amount_krw,
            "recover_on": what_if.on,
            "report_required": report is not None and report["kind"] is not None,
            "report": report,
        }
    return answer


def office_dict(office: OfficeFacts | None) -> dict[str, str] | None:
    return None if office is None else {"code": office.code, "name": office.local_name}


def reason_dict(reason: facts.Reason) -> dict[str, str]:
    """A reason as shown: its sentence in the reader's language, its source as a citation."""
    return {
        "rule": reason.rule,
        "text": explain.render(reason),
        "source": explain.cite(reason.source),
    }

"""Sanctions for failed reporting duties and the compliance record they rest on.

Seed §6.H: the competent office may restrict a sales company's ability to facilitate residence
permits or act as an agent for investors' applications when it fails its reporting and
notification duties. Seed §7.F: the office may request the Minister to cancel the designation
of an investment attraction institution. The compliance record counts late and missing
filings so an officer decides on facts.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from investments.choices import LapseKind
from investments.models import Lapse
from portal import audit
from portal.choices import DesignationStatus, OrganisationKind
from portal.models import DesignationEvent

from .choices import ObligationKind, ObligationState, ProxyApplicationKind, SanctionKind
from .models import Obligation, ProxyApplication, Sanction, state_today_q


@dataclass(frozen=True)
class ComplianceRecord:
    """An institution's reporting record: filings on time, late, and overdue now."""

    institution_id: int
    withdrawal_on_time: int
    withdrawal_late: int
    withdrawal_overdue: int
    notice_on_time: int
    notice_late: int
    notice_overdue: int

    @property
    def failures(self):
        return (
            self.withdrawal_late + self.withdrawal_overdue + self.notice_late + self.notice_overdue
        )


def compliance_table(obligations):
    """The compliance record as a query: one row (a dict) per institution of ``obligations``
    (a query set already limited by the access gate) with the six counts of
    ``ComplianceRecord`` and their ``failures``, grouped in the database so a page can sort
    it by any of them."""

    today = timezone.localdate()

    def count(kind, state):
        # overdue as it is today, not as the last sweep recorded it (issue 8.9)
        return Count("pk", filter=Q(kind=kind) & state_today_q(state, today))

    return (
        obligations.values("institution_id")
        .annotate(
            withdrawal_on_time=count(
                ObligationKind.WITHDRAWAL_REPORT, ObligationState.FILED_ON_TIME
            ),
            withdrawal_late=count(ObligationKind.WITHDRAWAL_REPORT, ObligationState.FILED_LATE),
            withdrawal_overdue=count(ObligationKind.WITHDRAWAL_REPORT, ObligationState.OVERDUE),
            notice_on_time=count(ObligationKind.MONTHLY_NOTICE, ObligationState.FILED_ON_TIME),
            notice_late=count(ObligationKind.MONTHLY_NOTICE, ObligationState.FILED_LATE),
            notice_overdue=count(ObligationKind.MONTHLY_NOTICE, ObligationState.OVERDUE),
        )
        .annotate(
            failures=F("withdrawal_late")
            + F("withdrawal_overdue")
            + F("notice_late")
            + F("notice_overdue")
        )
        .order_by()
    )


def compliance_record(row):
    """The ``ComplianceRecord`` of a row of ``compliance_table``."""
    return ComplianceRecord(**{k: v for k, v in row.items() if k != "failures"})


def compliance_records(obligations):
    """One ``ComplianceRecord`` per institution of ``obligations`` (a query set already
    limited by the access gate), in one grouped query."""
    return {row["institution_id"]: compliance_record(row) for row in compliance_table(obligations)}


def officer_office(user, institution):
    """The office on whose behalf ``user`` sanctions ``institution``: an officer's own office
    when some of the institution's obligations are routed to it; HQ acts for the
    institution's registered office."""
    if user.is_hq:
        return institution.office
    if not user.is_officer:
        raise PermissionDenied(_("Only an immigration officer or HQ records a sanction."))
    routed = Obligation.objects.visible_to(user).filter(institution=institution)
    if not routed.exists():
        raise ValidationError({"institution": _("No such institution reports to your office.")})
    return user.organisation.office


@transaction.atomic
def record_sanction(*, by, institution, kind, started_on, reason, ended_on=None):
    """Restrict proxy privileges or request cancellation of the designation."""
    office = officer_office(by, institution)
    if not institution.is_institution:
        raise ValidationError({"institution": _("Only an institution can be sanctioned.")})
    is_sales_company = institution.kind == OrganisationKind.SALES_COMPANY
    if kind == SanctionKind.PROXY_RESTRICTION and not is_sales_company:
        # seed §6.H speaks of sales companies; operators and KDB face cancellation (§7.F)
        raise ValidationError({"kind": _("Proxy restriction applies to sales companies.")})
    if ended_on is not None and ended_on < started_on:
        raise ValidationError({"ended_on": _("A sanction cannot end before it starts.")})
    if not reason.strip():
        raise ValidationError({"reason": _("State the reason.")})
    sanction = Sanction(
        institution=institution,
        office=office,
        kind=kind,
        started_on=started_on,
        ended_on=ended_on,
        reason=reason,
        recorded_by=by,
    )
    sanction.full_clean()
    audit.record(sanction, by=by, verb="record_sanction")
    status = (
        DesignationStatus.RESTRICTED
        if kind == SanctionKind.PROXY_RESTRICTION
        else DesignationStatus.CANCELLATION_REQUESTED
    )
    audit.record(
        DesignationEvent(
            organisation=institution,
            status=status,
            effective_on=started_on,
            note=reason,
            recorded_by=by,
        ),
        by=by,
        verb="record_sanction",
    )
    institution.designation_status = status
    audit.record(institution, by=by, verb="record_sanction", update_fields=["designation_status"])
    return sanction


@transaction.atomic
def lift_sanction(*, by, sanction, ended_on):
    officer_office(by, sanction.institution)
    if ended_on < sanction.started_on:
        raise ValidationError({"ended_on": _("A sanction cannot end before it starts.")})
    sanction.ended_on = ended_on
    audit.record(sanction, by=by, verb="lift_sanction", update_fields=["ended_on"])
    institution = sanction.institution
    if (
        not Sanction.objects.in_force(ended_on + timedelta(days=1))
        .filter(institution=institution)
        .exists()
    ):
        audit.record(
            DesignationEvent(
                organisation=institution,
                status=DesignationStatus.DESIGNATED,
                effective_on=ended_on,
                note=_("Sanction lifted."),
                recorded_by=by,
            ),
            by=by,
            verb="lift_sanction",
        )
        institution.designation_status = DesignationStatus.DESIGNATED
        audit.record(institution, by=by, verb="lift_sanction", update_fields=["designation_status"])
    return sanction


def proxy_restricted(institution, on):
    return (
        Sanction.objects.in_force(on)
        .filter(institution=institution, kind=SanctionKind.PROXY_RESTRICTION)
        .exists()
    )


#: Designation states in which an institution may act as a proxy (seed §6.I, §7.E: a sales
#: company or a registered operator); a restriction is refused with its own message below.
MAY_ACT_AS_PROXY = (DesignationStatus.DESIGNATED, DesignationStatus.CANCELLATION_REQUESTED)


def may_file_as_agent(institution, agent_name):
    """Seed §6.I "The representative of a sales company or employees at the manager level or
    above"; §7.E "CEO or manager-level employee": the institution's representative, or a proxy
    agent it registered and has not withdrawn (names compared case-insensitively)."""
    name = " ".join(agent_name.split()).casefold()
    if name and name == " ".join(institution.representative.split()).casefold():
        return True
    return any(
        " ".join(agent.split()).casefold() == name
        for agent in institution.proxy_agents.filter(active=True).values_list("name", flat=True)
    )


def departure_open(investor, on):
    """The person's open lapse of kind *complete departure* on ``on``, if any: the investor
    is staying abroad (seed §6.I, §7.E)."""
    return (
        Lapse.objects.filter(
            investment__investor__person_id=investor.person_id,
            kind=LapseKind.DEPARTURE,
            started_on__lte=on,
        )
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=on))
        .order_by("started_on")
        .first()
    )


@transaction.atomic
def file_proxy_application(*, by, investor, kind, agent_name, filed_on=None):
    """A designated institution files an application on an investor's behalf (seed §6.I,
    §7.E). Refused while its proxy privileges are restricted (seed §6.H); when the agent is
    neither its representative nor a manager it registered; and while the investor is abroad
    (an open *complete departure* lapse), except, for a public-interest institution, an
    application for a certificate of visa issuance (§7.E "Except for visa issuance
    certificates"; §6.I for sales companies has no exception)."""
    if not by.is_institution:
        raise PermissionDenied(_("Only an institution files proxy applications."))
    institution = by.organisation
    if investor.institution_id != institution.pk:
        raise ValidationError({"investor": _("No such record in your ledger.")})
    filed_on = filed_on or timezone.localdate()
    if proxy_restricted(institution, filed_on):
        raise ValidationError(
            {"institution": _("Your proxy privileges are restricted: the application is refused.")}
        )
    if institution.designation_status not in MAY_ACT_AS_PROXY:
        raise ValidationError(
            {
                "institution": _(
                    "Only a designated institution files proxy applications: yours is %(status)s."
                )
                % {"status": institution.get_designation_status_display()}
            }
        )
    if not agent_name.strip():
        raise ValidationError({"agent_name": _("Name the representative or manager filing.")})
    if not may_file_as_agent(institution, agent_name):
        raise ValidationError(
            {
                "agent_name": _(
                    "Only the institution's representative or a manager it registered as a proxy "
                    "agent may file."
                )
            }
        )
    abroad = departure_open(investor, filed_on)
    exempt = (
        kind == ProxyApplicationKind.VISA_CERTIFICATE
        and institution.kind != OrganisationKind.SALES_COMPANY
    )
    if abroad is not None and not exempt:
        raise ValidationError(
            {
                "investor": _(
                    "The investor is abroad (departure recorded on %(day)s): a proxy "
                    "application cannot be filed until the return is recorded."
                )
                % {"day": abroad.started_on.isoformat()}
            }
        )
    office = (
        investor.investments.order_by("-contract_amount_krw")
        .values_list("office", flat=True)
        .first()
    )
    if office is None:
        raise ValidationError({"investor": _("This investor has no investment yet.")})
    application = ProxyApplication(
        institution=institution,
        investor=investor,
        office_id=office,
        kind=kind,
        filed_on=filed_on,
        agent_name=agent_name,
        filed_by=by,
    )
    return audit.record(application, by=by, verb="file_proxy_application")

"""Where an investor applies for a residence status: the competent office (seed §6.F, §7.A).

Seed §6.F (tourism): "The competent Immigration Office … that has jurisdiction over the location
of the investment facility (if there are multiple facilities, jurisdiction is determined by the
facility where the larger investment was made). ※ If the applicant is a registered foreign
resident, the application must be submitted to the Immigration Office with jurisdiction over
their place of residence." Family members of an F-2-8 investor also apply at the office of
their residence.

Seed §7.A (public interest): "(Profit-loss type) Immigration office where development project
is registered; (Principal-guaranteed / Interest-free type) Sejongro Branch, Jeju Office (for
residents in Jeju only)". Which offices take the applications of their own residents instead of
the project's office is data: ``Project.resident_offices`` (the KDB fund: Jeju).

The caller reads the ledger: the investment holding the most decides the program (as for the
routing of grants, docs/rules.md), a recorded alien registration number makes the investor a
registered foreign resident, and the residence office is the one recorded on the investor.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_noop

from portal.names import LocalNamed

from .facts import Reason, explained

RULE = "R6"
TOURISM, PUBLIC_INTEREST = "tourism", "public_interest"
PRINCIPAL_GUARANTEED = "principal_guaranteed"


@dataclass(frozen=True)
class Office(LocalNamed):
    """An office as a reason names it: in the reader's language (``LocalNamed``)."""

    code: str
    name: str
    name_ko: str = ""
    parent: str = ""  # the code of the office it is a branch of, if any

    def __str__(self) -> str:
        return self.name

    def within(self, codes: tuple[str, ...]) -> bool:
        """This office or the office it is a branch of is one of ``codes``."""
        return self.code in codes or (bool(self.parent) and self.parent in codes)


@dataclass(frozen=True)
class Applicant:
    """What decides the competent office. ``program`` and ``facility_office`` are those of the
    investment holding the most (its zone's or project's office); ``project_kind`` and
    ``resident_offices`` are its project's (public interest)."""

    program: str | None
    facility_office: Office | None
    registered_resident: bool
    residence_office: Office | None
    project_kind: str | None = None
    resident_offices: tuple[Office, ...] = ()


@dataclass(frozen=True)
class Competence:
    office: Office | None
    reason: Reason


def application_office(applicant: Applicant) -> Competence:
    """The office where ``applicant`` applies, with the seed's reason."""
    residence, facility = applicant.residence_office, applicant.facility_office
    if applicant.program is None or facility is None:
        message = gettext_noop("No investment yet: no competent office")
        return Competence(None, explained(RULE, "seed §6.F, §7.A", message))
    if applicant.program == TOURISM:
        if applicant.registered_resident and residence is not None:
            message = gettext_noop(
                "Applies at %(office)s, the office of the investor's place of residence: a "
                "registered foreign resident applies where they reside"
            )
            return Competence(residence, explained(RULE, "seed §6.F", message, office=residence))
        if applicant.registered_resident:
            message = gettext_noop(
                "Applies at %(office)s, the office of the facility holding the largest "
                "investment; the investor is a registered foreign resident whose residence "
                "office is not recorded: record it, for the application goes there"
            )
        else:
            message = gettext_noop(
                "Applies at %(office)s, the office with jurisdiction over the facility holding "
                "the largest investment"
            )
        return Competence(facility, explained(RULE, "seed §6.F", message, office=facility))
    if applicant.project_kind == PRINCIPAL_GUARANTEED and residence is not None:
        local = next((o for o in applicant.resident_offices if residence.within((o.code,))), None)
        if local is not None:
            message = gettext_noop(
                "Applies at %(office)s: a principal-guaranteed deposit is applied for there by "
                "residents of its jurisdiction"
            )
            return Competence(local, explained(RULE, "seed §7.A", message, office=local))
    if applicant.project_kind == PRINCIPAL_GUARANTEED:
        message = gettext_noop(
            "Applies at %(office)s, the dedicated office for principal-guaranteed deposits"
        )
    else:
        message = gettext_noop(
            "Applies at %(office)s, the office where the development project is registered"
        )
    return Competence(facility, explained(RULE, "seed §7.A", message, office=facility))

from .access_log import PersonalDataAccess
from .ledger import Investment, Lapse, Payment, Property, Recovery, StatusGrant
from .people import Investor, Person, RelatedPerson
from .reference import (
    FacilityType,
    ImplementationPeriod,
    MinimumAmount,
    Program,
    Project,
    StatusCode,
    Zone,
)
from .rules import (
    Disqualification,
    DisqualificationKind,
    RecoveryReasonRule,
    RuleSetting,
    StatusRule,
)

__all__ = [
    "Disqualification",
    "DisqualificationKind",
    "RecoveryReasonRule",
    "RuleSetting",
    "StatusRule",
    "FacilityType",
    "ImplementationPeriod",
    "Investment",
    "Investor",
    "Lapse",
    "MinimumAmount",
    "Payment",
    "Person",
    "PersonalDataAccess",
    "Program",
    "Project",
    "Property",
    "Recovery",
    "RelatedPerson",
    "StatusCode",
    "StatusGrant",
    "Zone",
]

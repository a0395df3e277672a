from django.db import models
from django.utils.translation import gettext_lazy as _


class ProgramCode(models.TextChoices):
    TOURISM = "tourism", _("Tourism/leisure facility investment")
    PUBLIC_INTEREST = "public_interest", _("Public-interest business investment")


class Track(models.TextChoices):
    """Which minimum applies inside a program (seed §7.C)."""

    GENERAL = "general", _("General")
    HIGH_VALUE = "high_value", _("High-value (principal-guaranteed only)")
    RETIREMENT = "retirement", _("Retirement, 55+ (abolished)")


class ProjectKind(models.TextChoices):
    PRINCIPAL_GUARANTEED = (
        "principal_guaranteed",
        _("Principal-guaranteed / interest-free (KDB fund)"),
    )
    PROFIT_LOSS = "profit_loss", _("Profit-loss (regional development project)")


class InvestorKind(models.TextChoices):
    PERSON = "person", _("Natural person")
    CORPORATION = "corporation", _("Corporation")


class Relation(models.TextChoices):
    SPOUSE = "spouse", _("Spouse")
    CHILD = "child", _("Unmarried child")
    EXECUTIVE = "executive", _("Executive")
    SHAREHOLDER = "shareholder", _("Shareholder")


class InvestorClass(models.TextChoices):
    """Seed §6.D for tourism; ``depositor`` for public-interest deposits and investments."""

    REGISTERED_OWNER = "registered_owner", _("Registered owner")
    MEMBERSHIP_HOLDER = "membership_holder", _("Condominium/membership holder")
    LINKED = "linked", _("Linked investor")
    DEPOSITOR = "depositor", _("Public-interest depositor/investor")


class PaymentKind(models.TextChoices):
    DOWN = "down", _("Down payment")
    INTERMEDIATE = "intermediate", _("Intermediate payment")
    FINAL = "final", _("Final payment")
    DEPOSIT = "deposit", _("KDB deposit")


class RecoveryReason(models.TextChoices):
    SALE = "sale", _("Sale")
    CONTRACT_CANCELLATION = "contract_cancellation", _("Contract cancellation")
    MEMBERSHIP_TRANSFER = "membership_transfer", _("Membership transfer")
    EARLY_REPAYMENT = "early_repayment", _("Early repayment")


class StatusRuleKey(models.TextChoices):
    """The rules that grant a residence status: R2's tests (strongest first by their
    precedence row) and R4's two F-5 paths. Which code each grants is a data row
    (``StatusRule``), not this list."""

    HIGH_VALUE = "high_value", _("R2: high-value public-interest deposit")
    TOURISM_RESIDENCE = "tourism_residence", _("R2: tourism investment (F-2)")
    PUBLIC_INTEREST = "public_interest", _("R2: public-interest investment (F-2)")
    RETIREMENT = "retirement", _("R2: retirement-track deposit (F-2, abolished)")
    VISIT = "visit", _("R2: partial tourism payments (visit)")
    F5_TOURISM = "f5_tourism", _("R4: five years on a tourism investment alone")
    F5_PUBLIC_INTEREST = "f5_public_interest", _("R4: five years with public-interest money")


class LapseKind(models.TextChoices):
    """Facts that suspend a maintained investment (seed §6.E)."""

    LEASE = "lease", _("Lease")
    MORTGAGE = "mortgage", _("Mortgage")
    SEIZURE = "seizure", _("Seizure")
    PROFIT_USE = "profit_use", _("Profit-making use")
    DEPARTURE = "departure", _("Complete departure")


class StatusRole(models.TextChoices):
    INVESTOR = "investor", _("Investor")
    FAMILY = "family", _("Family")
    VISITOR = "visitor", _("Visitor (F-1 / C-3)")
    PERMANENT = "permanent", _("Permanent resident (F-5)")
    FAMILY_OF_PERMANENT = "family_f5", _("Family of a permanent resident")

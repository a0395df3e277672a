"""Reporting duties and the calendar their deadlines are computed on, one module per concept:
``holiday_calendar`` (holiday corrections), ``obligations`` (duties, their states, notifications),
``reports`` (withdrawal reports and reviews), ``notices`` (monthly status notices),
``sanctions`` (sanctions and proxy applications), ``exports`` (background exports),
``eligibility`` (stored eligibility facts) and ``inbox`` (each user's in-portal
notifications). Everything is imported from ``reporting.models``.
"""

from .eligibility import EligibilityFact, EligibilityFactQuerySet, EligibilityRoute
from .exports import ExportJob, ExportJobQuerySet
from .holiday_calendar import HolidayAdjustment
from .inbox import InboxItem, InboxItemQuerySet
from .notices import MonthlyNotice, MonthlyNoticeQuerySet
from .obligations import (
    Notification,
    Obligation,
    ObligationQuerySet,
    current_state,
    state_today_q,
)
from .reports import ImmutableModel, ReportReview, WithdrawalReport, WithdrawalReportQuerySet
from .sanctions import ProxyApplication, ProxyApplicationQuerySet, Sanction, SanctionQuerySet

__all__ = [
    "EligibilityFact",
    "EligibilityFactQuerySet",
    "EligibilityRoute",
    "ExportJob",
    "ExportJobQuerySet",
    "HolidayAdjustment",
    "ImmutableModel",
    "InboxItem",
    "InboxItemQuerySet",
    "MonthlyNotice",
    "MonthlyNoticeQuerySet",
    "Notification",
    "Obligation",
    "ObligationQuerySet",
    "ProxyApplication",
    "ProxyApplicationQuerySet",
    "ReportReview",
    "Sanction",
    "SanctionQuerySet",
    "WithdrawalReport",
    "WithdrawalReportQuerySet",
    "current_state",
    "state_today_q",
]

"""Demo organisations and accounts (SPEC §8.1), shared by ``make_demo`` and the test personas."""

from dataclasses import dataclass

from django.db import transaction

from portal.access import may_be_staff
from portal.choices import OrganisationKind
from portal.models import Office, Organisation, User


@dataclass(frozen=True)
class DemoAccount:
    username: str
    organisation: str
    kind: str
    office: str | None
    representative: str = ""
    organisation_ko: str = ""


ACCOUNTS = [
    DemoAccount(
        "hq", "Ministry of Justice (HQ)", OrganisationKind.HQ, None, organisation_ko="법무부 (본부)"
    ),
    DemoAccount(
        "officer.jeju",
        "Jeju Immigration Office",
        OrganisationKind.IMMIGRATION_OFFICE,
        "jeju",
        organisation_ko="제주출입국·외국인청",
    ),
    DemoAccount(
        "officer.incheon",
        "Incheon Immigration Office",
        OrganisationKind.IMMIGRATION_OFFICE,
        "incheon",
        organisation_ko="인천출입국·외국인청",
    ),
    DemoAccount(
        "officer.yeosu",
        "Yeosu Immigration Office",
        OrganisationKind.IMMIGRATION_OFFICE,
        "yeosu",
        organisation_ko="여수출입국·외국인사무소",
    ),
    DemoAccount(
        "officer.sejongno",
        "Sejongno Branch Office",
        OrganisationKind.IMMIGRATION_OFFICE,
        "sejongno",
        organisation_ko="서울출입국·외국인청 세종로출장소",
    ),
    DemoAccount(
        "company.jeju",
        "Halla Resort Development Co., Ltd.",
        OrganisationKind.SALES_COMPANY,
        "jeju",
        "Kim Minjun",
        "한라리조트개발 주식회사",
    ),
    DemoAccount(
        "company.incheon",
        "Songdo Bay Hospitality Co., Ltd.",
        OrganisationKind.SALES_COMPANY,
        "incheon",
        "Lee Seoyeon",
        "송도베이호스피탈리티 주식회사",
    ),
    DemoAccount(
        "kdb",
        "Korea Development Bank",
        OrganisationKind.KDB,
        "sejongno",
        "Park Jihoon",
        "한국산업은행",
    ),
]


@transaction.atomic
def create_accounts(password):
    """Create (or reset the password of) every demo account; returns ``{username: user}``."""
    users = {}
    for account in ACCOUNTS:
        organisation, _ = Organisation.objects.get_or_create(
            name=account.organisation,
            defaults={
                "kind": account.kind,
                "office": Office.objects.get(code=account.office) if account.office else None,
                "representative": account.representative,
                "name_ko": account.organisation_ko,
            },
        )
        if not organisation.name_ko and account.organisation_ko:
            organisation.name_ko = account.organisation_ko
            organisation.save(update_fields=["name_ko"])
        user, _ = User.objects.get_or_create(
            username=account.username,
            defaults={
                "organisation": organisation,
                # Demo institutions' accounts may issue their API keys (docs/api.md).
                "is_institution_admin": organisation.is_institution,
            },
        )
        user.set_password(password)
        # Only HQ reaches the admin (portal.access.may_use_admin); an older demo database
        # whose every account was staff is corrected here too.
        user.is_staff = may_be_staff(user)
        user.save()
        users[account.username] = user
    return users

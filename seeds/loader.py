"""Loads the reference data files of this folder into the database.

Idempotent: rows are found by their natural key and created when missing. A row that already
exists is left as it is, so an HQ administrator's later edit (a new threshold, a corrected
office) is never overwritten by a re-run.
"""

import json
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.db import transaction
from django.utils.text import slugify

SEEDS = Path(__file__).resolve().parent
ENGLISH_MONTHS = {
    m: i
    for i, m in enumerate(
        [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ],
        start=1,
    )
}
LINE = re.compile(r"^\[(?P<id>\d+)\]\s+(?P<office>.+?)\s+-\s+(?P<service>.+)$")
NUMERIC_RANGE = re.compile(
    r"(?P<y1>\d{4})\.\s*(?P<m1>\d{1,2})\.\s*(?P<d1>\d{1,2})\.?\s*~\s*"
    r"(?:(?P<y2>\d{4})\.\s*(?P<m2>\d{1,2})\.\s*(?P<d2>\d{1,2})\.?)?"
)
ENGLISH_START = re.compile(r"(?P<month>[A-Z][a-z]+)\s+(?P<day>\d{1,2}),\s*(?P<year>\d{4})")


@dataclass
class ServiceLine:
    service_id: int
    office: str
    name: str
    valid_from: date | None = None
    valid_to: date | None = None
    after_0936: bool = False


@dataclass
class OfficeName:
    name: str
    code: str
    parent_name: str | None = None
    services: list = field(default_factory=list)


def office_code(name):
    """'Daejeon Immigration Office Cheonan Branch Office' → 'daejeon-cheonan'."""
    short = re.sub(r"\s+(immigration|branch)\s+office", " ", f" {name.lower()} ")
    return slugify(short.strip())


def split_branch(name):
    """'X Immigration Office Y Branch Office' is a branch of 'X Immigration Office'."""
    match = re.match(r"^(?P<parent>.+? Immigration [Oo]ffice) (?P<branch>.+ Branch Office)$", name)
    return match["parent"] if match else None


def parse_validity(text):
    """Validity dates written in a service name, in the forms the source uses."""
    if match := NUMERIC_RANGE.search(text):
        start = date(int(match["y1"]), int(match["m1"]), int(match["d1"]))
        end = date(int(match["y2"]), int(match["m2"]), int(match["d2"])) if match["y2"] else None
        return start, end
    if (match := ENGLISH_START.search(text)) and match["month"] in ENGLISH_MONTHS:
        return date(int(match["year"]), ENGLISH_MONTHS[match["month"]], int(match["day"])), None
    return None, None


def parse_offices(text):
    """The offices file → ``{office name: OfficeName}`` with their services."""
    offices = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = " ".join(raw.split())
        if not line or line.startswith("#"):
            continue
        match = LINE.match(line)
        if not match:
            raise ValueError(f"offices.txt line {number}: not '[id] Office - service': {raw!r}")
        name = match["office"]
        office = offices.setdefault(
            name, OfficeName(name=name, code=office_code(name), parent_name=split_branch(name))
        )
        valid_from, valid_to = parse_validity(match["service"])
        office.services.append(
            ServiceLine(
                service_id=int(match["id"]),
                office=name,
                name=match["service"],
                valid_from=valid_from,
                valid_to=valid_to,
                after_0936="AFTER 09:36" in match["service"].upper(),
            )
        )
    return offices


def read_json(name):
    return json.loads((SEEDS / name).read_text(encoding="utf-8"))


def pick(row, *columns):
    """The seed ``columns`` of ``row``, as a model's field values."""
    return {column: row[column] for column in columns}


def load_minimum(row, *, program, zone, track):
    """A minimum amount of a program (and zone), kept as it is once loaded."""
    from investments.models import MinimumAmount

    MinimumAmount.objects.get_or_create(
        program=program,
        zone=zone,
        track=track,
        effective_from=row["effective_from"],
        defaults=pick(row, "minimum_krw", "effective_to", "source"),
    )


def load_offices():
    from portal.models import Office, ReservationService

    offices = parse_offices((SEEDS / "offices.txt").read_text(encoding="utf-8"))
    extra = read_json("offices.json")["rows"]
    by_code = {}
    for parsed in offices.values():
        details = extra.get(parsed.code, {})
        by_code[parsed.code], _ = Office.objects.get_or_create(
            code=parsed.code, defaults={"name": parsed.name, "name_ko": details.get("name_ko", "")}
        )
    for parsed in offices.values():
        office = by_code[parsed.code]
        parent_code = extra.get(parsed.code, {}).get("parent") or (
            office_code(parsed.parent_name) if parsed.parent_name else None
        )
        if parent_code and office.parent_id is None:
            office.parent = by_code[parent_code]
            office.save(update_fields=["parent"])
        for service in parsed.services:
            ReservationService.objects.get_or_create(
                service_id=service.service_id,
                defaults={
                    "office": office,
                    **pick(vars(service), "name", "valid_from", "valid_to", "after_0936"),
                },
            )
    return by_code


def fill_korean_name(obj, name_ko):
    """A database loaded before Korean names existed gets them; a name HQ edited is kept."""
    if not obj.name_ko and name_ko:
        obj.name_ko = name_ko
        obj.save(update_fields=["name_ko"])


def load_programs(offices):
    from investments.models import Program, Project

    data = read_json("programs.json")
    programs = {}
    for row in data["programs"]:
        row = dict(row)
        code = row.pop("code")
        programs[code], _ = Program.objects.get_or_create(code=code, defaults=row)
    for row in data["minimums"]:
        load_minimum(row, program=programs[row["program"]], zone=None, track=row["track"])
    for row in data["projects"]:
        project, created = Project.objects.get_or_create(
            code=row["code"],
            defaults={
                **pick(row, "name", "name_ko", "kind", "source"),
                "office": offices[row["office"]],
            },
        )
        fill_korean_name(project, row["name_ko"])
        if created:
            project.resident_offices.set(offices[c] for c in row.get("resident_offices", ()))
    return programs


def load_zones(offices, programs):
    from investments.models import FacilityType, ImplementationPeriod, Zone

    data = read_json("zones.json")
    types = {}
    for row in data["facility_types"]:
        types[row["code"]], _ = FacilityType.objects.get_or_create(
            code=row["code"],
            defaults=pick(row, "name", "name_ko", "source"),
        )
        fill_korean_name(types[row["code"]], row["name_ko"])
    for row in data["zones"]:
        zone, created = Zone.objects.get_or_create(
            code=row["code"],
            defaults={
                **pick(row, "name", "name_ko", "office_verified"),
                "office": offices[row["office"]],
                "source": data["source"],
            },
        )
        if created:
            zone.facility_types.set([types[code] for code in row["facility_types"]])
        for threshold in row["thresholds"]:
            load_minimum(threshold, program=programs["tourism"], zone=zone, track="general")
        for period in row["periods"]:
            ImplementationPeriod.objects.get_or_create(
                zone=zone,
                start=period["start"],
                defaults=pick(period, "end", "is_extension", "source"),
            )


def load_status_codes(programs):
    from investments.models import StatusCode

    for row in read_json("status_codes.json")["rows"]:
        row = dict(row)
        program = row.pop("program")
        StatusCode.objects.get_or_create(
            code=row.pop("code"), defaults={**row, "program": programs.get(program)}
        )


def load_rules():
    from investments.models import (
        DisqualificationKind,
        RecoveryReasonRule,
        RuleSetting,
        StatusRule,
    )

    data = read_json("rules.json")
    for row in data["settings"]:
        row = dict(row)
        RuleSetting.objects.get_or_create(key=row.pop("key"), defaults=row)
    for row in data["disqualification_kinds"]:
        row = dict(row)
        DisqualificationKind.objects.get_or_create(code=row.pop("code"), defaults=row)
    for row in data["status_rules"]:
        StatusRule.objects.get_or_create(
            key=row["key"],
            defaults={"code_id": row["code"], **pick(row, "precedence", "source")},
        )
    for row in data["recovery_reasons"]:
        RecoveryReasonRule.objects.get_or_create(
            program_id=row["program"], reason=row["reason"], defaults={"source": row["source"]}
        )


@transaction.atomic
def load_all():
    offices = load_offices()
    programs = load_programs(offices)
    load_zones(offices, programs)
    load_status_codes(programs)
    load_rules()

"""The official letter of a withdrawal report (seed §6.H "Report via an official letter issued
under the name of the sales company's representative"), as printable HTML and as PDF.

Both come from the one template ``reporting/withdrawal_letter.html`` and from the *filed*
contents (``WithdrawalReport.content``), never from the ledger as it is now: the letter shows
exactly what was filed, with its digest.

The letter is bilingual by design — Korean for the office, English for the institution — so its
labels are fixed pairs below rather than gettext strings: translating them with the user's
language would turn "성명 / Full name" into "성명 / 성명".

The PDF is made by xhtml2pdf (pure Python, on ReportLab). Hangul needs a TrueType font that has
it: ``settings.LETTER_PDF_FONT`` (default NanumGothic as Debian's ``fonts-nanum`` installs it)
and its bold face. Without the file the PDF is still produced in ReportLab's default font, where
Hangul shows as blanks or boxes. The renderer fetches nothing over the network.
"""

import logging
from functools import partial
from io import BytesIO
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string

from portal.money import format_krw
from portal.names import country_name

log = logging.getLogger(__name__)

TEMPLATE = "reporting/withdrawal_letter.html"

#: Where the Hangul font for PDF letters is looked for when settings name none.
DEFAULT_LETTER_PDF_FONT = "/usr/share/fonts/truetype/nanum/NanumGothic.ttf"
DEFAULT_LETTER_PDF_FONT_BOLD = "/usr/share/fonts/truetype/nanum/NanumGothicBold.ttf"

PROGRAMS = {
    "tourism": (
        "관광·휴양시설 투자이민제도",
        "Tourism and Leisure Facility Investment Immigration Program",
    ),
    "public_interest": (
        "공익사업 투자이민제도",
        "Public-Interest Business Investment Immigration Program",
    ),
}
REASONS = {
    "sale": ("매각", "Sale"),
    "contract_cancellation": ("계약 해지", "Contract cancellation"),
    "membership_transfer": ("회원권 양도", "Membership transfer"),
    "early_repayment": ("조기 상환", "Early repayment"),
}
FULL = ("전부 회수", "Full recovery")
PARTIAL = ("일부 회수", "Partial recovery")


def country(code):
    """("중국", "China") for "CN"; the code itself where pycountry does not know it."""
    return country_name(code, "ko"), country_name(code, "en")


def krw(amount):
    # The letter is bilingual: its figures are written the international way.
    return format_krw(amount, "en") if amount is not None else ""


def pair(ko, en):
    return f"{ko} / {en}" if ko != en else en


def rows(content):
    """The letter's table: (Korean label, English label, value) in the seed's order."""
    investor, investment = content["investor"], content["investment"]
    recovery = content["recovery"]
    if investment["property_name"]:
        subject = f"{investment['property_name']} {investment['unit_number']}".strip()
        subject_label = ("투자 대상 (시설명·호수)", "Property and unit")
    else:
        subject = investment["project_name"]
        subject_label = ("투자 대상 (사업명)", "Project")
    reason = REASONS.get(recovery["reason"], (recovery["reason"], recovery["reason"]))
    nationality = investor["nationality"]
    full = FULL if recovery["is_full"] else PARTIAL
    return [
        ("국적", "Nationality", f"{pair(*country(nationality))} ({nationality})"),
        ("성명", "Full name", investor["full_name"]),
        ("생년월일", "Date of birth", investor["date_of_birth"] or "—"),
        (*subject_label, subject),
        ("계약일", "Contract date", investment["contract_date"]),
        ("계약 금액", "Contract amount", krw(investment["contract_amount_krw"])),
        (
            "투자 금액 (회수일까지 납입)",
            "Invested (paid by that date)",
            krw(investment["paid_krw"]),
        ),
        ("회수 금액", "Recovered amount", krw(recovery["amount_krw"])),
        ("회수일", "Date of recovery", recovery["recovered_on"]),
        ("회수 사유", "Reason", pair(*reason)),
        ("회수 구분", "Full or partial", pair(*full)),
        ("신고 기한", "Due date", content["obligation"]["due_on"]),
    ]


def letter_context(report):
    content = report.content
    office, institution = content["recipient_office"], content["institution"]
    return {
        "report": report,
        "content": content,
        "program": PROGRAMS.get(content["program"], (content["program"], content["program"])),
        "office": office,
        "institution": institution,
        "rows": rows(content),
        "amendment": report.version - 1 if report.version > 1 else None,
    }


def render_letter_html(report, *, pdf_fonts=None, preview=False):
    """The printable letter (A4). ``pdf_fonts`` is for :func:`render_letter_pdf` only;
    ``preview`` leaves out the print button (the preview frame runs no script)."""
    context = letter_context(report)
    context["preview"] = preview
    context["pdf"] = pdf_fonts is not None
    context["fonts"] = pdf_fonts or {}
    return render_to_string(TEMPLATE, context)


def pdf_fonts():
    """{"regular": path, "bold": path} of the Hangul font files that exist (possibly none)."""
    candidates = {
        "regular": getattr(settings, "LETTER_PDF_FONT", DEFAULT_LETTER_PDF_FONT),
        "bold": getattr(settings, "LETTER_PDF_FONT_BOLD", DEFAULT_LETTER_PDF_FONT_BOLD),
    }
    found = {face: path for face, path in candidates.items() if path and Path(path).is_file()}
    if "regular" not in found:
        log.warning(
            "No Hangul font at %s: PDF letters fall back to the default font and their Korean "
            "text will not show (install fonts-nanum or set LETTER_PDF_FONT).",
            candidates["regular"],
        )
        return {}
    found.setdefault("bold", found["regular"])
    return found


def render_letter_pdf(report):
    """The letter as PDF bytes."""
    html = partial(render_letter_html, report)
    return html_to_pdf(lambda fonts: html(pdf_fonts=fonts), f"the letter of report #{report.pk}")


def html_to_pdf(render, what):
    """PDF bytes of the HTML ``render(fonts)`` gives for the Hangul ``fonts`` found: the one
    renderer of the portal's printable documents (letters, notice receipts)."""
    # Imported here: heavy, and only the PDF needs it.
    from xhtml2pdf import pisa
    from xhtml2pdf.config.resources import ResourceAccessPolicy

    fonts = pdf_fonts()
    # The document may read the font files' directories and nothing else: no network, no
    # other file (the template escapes every value, this holds even if that ever slipped).
    policy = ResourceAccessPolicy(
        allow_remote=False,
        base_dir=None,
        extra_roots=tuple({Path(path).parent for path in fonts.values()}),
    )
    out = BytesIO()
    result = pisa.CreatePDF(render(fonts), dest=out, encoding="utf-8", resource_policy=policy)
    if result.err:
        raise RuntimeError(f"{what} could not be rendered as PDF.")
    return out.getvalue()


# --- the receipt of a monthly notice ----------------------------------------------------------

RECEIPT_TEMPLATE = "reporting/notice_receipt.html"
#: The figures the receipt summarises, in the seed's column order (§6.H, §7.F): label pair,
#: key in ``MonthlyNotice.figures``, money?
RECEIPT_TOTALS = [
    ("투자 건수", "Number of investments", ("investments",), False),
    ("투자 금액", "Investment amount", ("amount_krw",), True),
    ("회수 건수", "Repayments (count)", ("repayments", "count"), False),
    ("회수 금액", "Repayments (amount)", ("repayments", "amount_krw"), True),
]


def receipt_rows(figures):
    """``(korean, english, new, cumulative)`` of the totals and of each residence group."""
    rows = []
    for ko, en, path, money in RECEIPT_TOTALS:
        pair = figures
        for key in path:
            pair = pair.get(key, {})
        if not pair:
            continue
        show = krw if money else (lambda n: f"{n:,}")
        rows.append((ko, en, show(pair["new"]), show(pair["cumulative"])))
    for group, pair in figures.get("residence", {}).items():
        rows.append((f"체류자격 {group}", f"Residence {group}", f"{pair['new']:,}",
                     f"{pair['cumulative']:,}"))  # fmt: skip
    return rows


def render_receipt_html(notice, *, pdf_fonts=None):
    """The printable receipt of a submitted monthly notice (A4), bilingual like the letter."""
    office, institution = notice.recipient_office, notice.institution
    context = {
        "notice": notice,
        "program": PROGRAMS.get(notice.program, (notice.program, notice.program)),
        "office": office,
        "institution": institution,
        "rows": receipt_rows(notice.figures),
        "submitted_by": notice.submitted_by.get_full_name() or notice.submitted_by.username
        if notice.submitted_by
        else "—",
        "pdf": pdf_fonts is not None,
        "fonts": pdf_fonts or {},
    }
    return render_to_string(RECEIPT_TEMPLATE, context)


def render_receipt_pdf(notice):
    """The receipt of a submitted notice as PDF bytes."""
    html = partial(render_receipt_html, notice)
    return html_to_pdf(lambda fonts: html(pdf_fonts=fonts), f"the receipt of notice #{notice.pk}")

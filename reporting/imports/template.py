"""The ledger workbook template uploaders fill: a README of rules and codes, then one sheet per
kind of row with a hint and, where the codes are few, a drop-down list per column."""

from django.utils.translation import gettext as _

from portal import xlsx

from .validate import SHEETS, code, code_table, date, decimal, krw, text, upper

# --- the template -----------------------------------------------------------------------------
# The template is one bilingual document for every uploader, so its hints are English and Korean
# side by side rather than translated per request; code meanings follow the request language.

HINTS = {
    text: ("Text", "텍스트"),
    upper: ("ISO code, e.g. CN / USD", "ISO 코드 (예: CN / USD)"),
    code: ("A code listed on the README sheet", "README 시트의 코드"),
    date: ("Date cell or YYYY-MM-DD", "날짜 셀 또는 YYYY-MM-DD"),
    krw: ("Whole number of KRW", "원 단위 정수"),
    decimal: ("Amount in the original currency", "원래 통화 금액"),
}
RULES = [
    (
        "Row 1 holds the column keys; enter data from row 2.",
        "1행은 열 키입니다. 2행부터 입력하세요.",
    ),
    (
        "ref: your own key for a row; other sheets of this file refer to it (not database ids).",
        "ref: 행의 자체 관리번호이며 이 파일의 다른 시트에서만 참조합니다 (DB 번호 아님).",
    ),
    ("Dates: date cells or YYYY-MM-DD.", "날짜: 날짜 셀 또는 YYYY-MM-DD."),
    ("Money: whole KRW, no decimals.", "금액: 원 단위 정수 (소수 불가)."),
    (
        "One error refuses the whole file; nothing is saved. Fix and upload again.",
        "오류가 하나라도 있으면 파일 전체가 거부되며 아무것도 저장되지 않습니다.",
    ),
]


def template_sheets():
    """The .xlsx template: a README of rules and codes, then one sheet per kind of row whose
    header cells carry a hint and, where the codes are few, a drop-down list."""
    codes = [
        [f"{sheet.name}.{column.key}", value, str(label)]
        for sheet in SHEETS
        for column in sheet.columns
        if column.codes is not None
        for value, (_obj, label) in code_table(column.codes).items()
    ]
    readme = xlsx.Sheet(
        title="README",
        header=[["Ledger import template", "원장 일괄 등록 양식"]],
        rows=[*RULES, [], [_("list"), _("code"), _("meaning")], *codes],
        widths=[32, 28],
    )
    return [readme] + [
        xlsx.Sheet(
            title=sheet.name,
            header=[sheet.keys],
            rows=[],
            widths=[max(14, len(column.key) + 4) for column in sheet.columns],
            notes={index: hint(sheet, column) for index, column in enumerate(sheet.columns)},
            choices={
                index: list(code_table(column.codes))
                for index, column in enumerate(sheet.columns)
                if column.codes is not None
            },
        )
        for sheet in SHEETS
    ]


def hint(sheet, column):
    if column.key == "ref":
        english, korean = "Your own key for this row", "이 행의 자체 관리번호"
    elif column.key in sheet.refs:
        target = sheet.refs[column.key][0]
        english, korean = f"The ref of a row of sheet {target}", f"{target} 시트의 ref"
    else:
        english, korean = HINTS[column.parse]
    if column.required:
        return f"{english} (required)\n{korean} (필수)"
    return f"{english} (optional)\n{korean} (선택)"

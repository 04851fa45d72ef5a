"""The pack as an Excel workbook: one sheet per table, Vietnamese headers, real numbers and dates.

Why XlsxWriter: the pack is written once and never edited, which is what XlsxWriter does (fast, no
read-back model), with full control of number formats, frozen panes, column widths and autofilters.
openpyxl is kept for the tests, which read the file back.

Number formats. In an .xlsx file a format code is stored in one invariant syntax ("," groups thousands, "."
marks decimals) and the application draws the separators of a locale at display time: Excel takes them from
the computer's regional settings, so `#,##0` shows 1.234.567 on a Vietnamese-locale computer and 1,234,567
on an English one; the `[$-42A]` tag (Vietnamese) leaves Excel's separators alone but makes LibreOffice use
Vietnamese ones on any computer. Forcing dots with literal text (`#"."###`) would work for whole numbers
only: percentages cannot be forced the same way, and a sheet that mixed forced "1.234.567" with locale
"45.6%" would be ambiguous. So cells stay true numbers with `[$-42A]#,##0` and `[$-42A]0.0%` (sums, sorting
and charts keep working), and the first sheet says that separators follow the regional settings. Dates are
real dates shown dd/mm/yyyy with escaped slashes, which no locale rewrites.
"""

from __future__ import annotations

import io

import xlsxwriter

from dashboard.report.cells import as_datetime, as_text, empty
from dashboard.report.model import Fact, Report, Table
from dashboard.report.texts import rt

FORMATS = {
    "vi": {"int": "[$-42A]#,##0", "dec": "[$-42A]#,##0.0", "pct": "[$-42A]0.0%", "date": r"dd\/mm\/yyyy",
           "datetime": r"dd\/mm\/yyyy hh:mm"},
    "en": {"int": "#,##0", "dec": "#,##0.0", "pct": "0.0%", "date": "d mmm yyyy", "datetime": "d mmm yyyy hh:mm"},
}
MIN_WIDTH, MAX_WIDTH, HEADER_WRAP = 6, 60, 28


def write_xlsx(report: Report) -> bytes:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_numbers": False, "strings_to_formulas": False,
                                     "strings_to_urls": False})
    book.set_properties({"title": f"{rt('title', report.lang)} — {report.area_name}", "company": "",
                         "comments": f"data version {report.data_version}"})
    style = _Styles(book, report.lang)
    for i, table in enumerate(report.tables):
        if table.key == "targets":
            _summary_sheet(book, style, report, table)
        else:
            sheet = book.add_worksheet(_sheet_name(table.title, i))
            sheet.write_string(0, 0, table.heading, style.title)
            _write_table(sheet, style, table, 1, report.lang)
    book.close()
    return out.getvalue()


class _Styles:
    def __init__(self, book: xlsxwriter.Workbook, lang: str) -> None:
        codes = FORMATS["en" if lang == "en" else "vi"]
        base = {"font_name": "Arial", "font_size": 10}
        self.title = book.add_format({**base, "bold": True, "font_size": 12})
        self.header = book.add_format({**base, "bold": True, "bg_color": "#DCE6F1", "border": 1, "text_wrap": True,
                                       "valign": "top"})
        self.label = book.add_format({**base, "bold": True})
        self.note = book.add_format({**base, "italic": True, "font_color": "#555555"})
        self.kind = {"text": book.add_format(base)}
        for kind, code in codes.items():
            self.kind[kind] = book.add_format({**base, "num_format": code})
        self.kind_left = {k: book.add_format({**base, "num_format": codes.get(k, "General"), "align": "left"})
                          for k in ("int", "dec", "pct", "date", "datetime")}


def _sheet_name(title: str, index: int) -> str:
    """Excel refuses []:*?/\\ and names over 31 characters."""
    name = "".join(ch for ch in title if ch not in "[]:*?/\\")[:31]
    return name or f"Sheet{index + 1}"


def _write_cell(sheet, row: int, col: int, value, kind: str, fmt) -> None:
    if empty(value):
        sheet.write_blank(row, col, None, fmt)
    elif kind in ("int", "dec", "pct"):
        sheet.write_number(row, col, float(value), fmt)
    elif kind in ("date", "datetime"):
        sheet.write_datetime(row, col, as_datetime(value), fmt)
    else:
        sheet.write_string(row, col, str(value), fmt)


def _write_table(sheet, style: _Styles, table: Table, top: int, lang: str) -> tuple[int, list[int]]:
    """Header at row `top` (frozen, with an autofilter), data below; returns the next free row and the
    columns' widths."""
    values = table.values()
    widths = []
    for col, column in enumerate(table.columns):
        sheet.write_string(top, col, column.label, style.header)
        texts = [as_text(v, column.kind, lang) for v in values[column.key]]
        longest = max([len(s) for s in texts] + [0])
        widths.append(max(MIN_WIDTH, min(MAX_WIDTH, max(longest, min(len(column.label), HEADER_WRAP)) + 2)))
        for r, value in enumerate(values[column.key], start=top + 1):
            _write_cell(sheet, r, col, value, column.kind, style.kind[column.kind])
    for col, width in enumerate(widths):
        sheet.set_column(col, col, width)
    # Headers longer than their column wrap: give the row the height of the longest wrap.
    lines = max([-(-len(c.label) // max(w - 2, 1)) for c, w in zip(table.columns, widths)] + [1])
    sheet.set_row(top, 14 * lines)
    sheet.freeze_panes(top + 1, 0)
    if len(values):
        sheet.autofilter(top, 0, top + len(values), len(table.columns) - 1)
    return top + 1 + len(values), widths


def _summary_sheet(book, style: _Styles, report: Report, targets: Table) -> None:
    """First sheet: the title, the targets table (frozen header), then the report's facts: period, data
    version, time of export (Vietnam time) and the period's key figures, each a typed cell."""
    sheet = book.add_worksheet(_sheet_name(targets.title, 0))
    lang = report.lang
    sheet.write_string(0, 0, f"{rt('title', lang)} — {report.area_name}", style.title)
    sheet.write_string(1, 0, targets.heading, style.label)
    row, widths = _write_table(sheet, style, targets, 2, lang)
    row += 1
    facts: list[Fact] = [f for f in report.facts if f.label != rt("report", lang)] + report.figures
    for fact in facts:
        sheet.write_string(row, 0, fact.label, style.label)
        kind = fact.kind if fact.kind in style.kind_left else "text"
        _write_cell(sheet, row, 1, fact.value, fact.kind, style.kind_left.get(kind, style.kind["text"]))
        row += 1
    sheet.write_string(row + 1, 0, rt("numbers_note", lang), style.note)
    # The facts' labels sit in column A: make it wide enough for them as well as for the targets' labels.
    widest = max([len(f.label) for f in facts] + [len(str(v)) for v in targets.frame["target"]] + [10])
    sheet.set_column(0, 0, min(MAX_WIDTH, widest + 2))
    sheet.set_column(1, 1, max(widths[1] if len(widths) > 1 else 0, 18))
    sheet.activate()

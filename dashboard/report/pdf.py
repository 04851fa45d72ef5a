"""The pack as a printable A4 PDF for a committee meeting (about 4 pages): the key figures and targets,
coverage by area, the areas' table, weekly recording lag, verification and feedback, vaccine stock, and testing.

reportlab draws text with an embedded TrueType font: DejaVu Sans has every Vietnamese letter with its
diacritics (Ắ, ừ, ợ ...), which the PDF base-14 fonts lack. The font comes from Debian's fonts-dejavu-core
(installed by .ci/run); without it the export fails with a clear message rather than printing boxes.
"""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from dashboard.i18n import fmt_date
from dashboard.measures import testing as TST
from dashboard.report import pdf_charts
from dashboard.report.cells import as_text
from dashboard.report.model import Report
from dashboard.report.model import Table as ReportTable
from dashboard.report.texts import rt

FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu"))
FONT, BOLD = "DejaVuSans", "DejaVuSans-Bold"
MARGIN = 1.4 * cm
WIDTH = A4[0] - 2 * MARGIN
STATUS_COLORS = {"reached": "#1e8449", "on_track": "#1e8449", "at_risk": "#b9770e", "off_track": "#c0392b",
                 "missed": "#c0392b"}


class FontMissing(RuntimeError):
    """No TrueType font with Vietnamese letters: the PDF would print boxes instead of diacritics."""


@cache
def register_fonts() -> None:
    for folder in FONT_DIRS:
        regular, bold = folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf"
        if regular.exists() and bold.exists():
            pdfmetrics.registerFont(TTFont(FONT, str(regular)))
            pdfmetrics.registerFont(TTFont(BOLD, str(bold)))
            pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=BOLD, italic=FONT, boldItalic=BOLD)
            return
    raise FontMissing("DejaVu Sans not found (apt-get install fonts-dejavu-core): it is needed for Vietnamese "
                      "letters in the PDF")


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("base", fontName=FONT, fontSize=8, leading=10)
    return {"base": base,
            "title": ParagraphStyle("title", parent=base, fontName=BOLD, fontSize=15, leading=19),
            "subtitle": ParagraphStyle("subtitle", parent=base, fontName=BOLD, fontSize=11, leading=14),
            "h2": ParagraphStyle("h2", parent=base, fontName=BOLD, fontSize=10, leading=13, spaceBefore=8,
                                 spaceAfter=4),
            "small": ParagraphStyle("small", parent=base, fontSize=7, leading=9, textColor=colors.HexColor("#444")),
            "cell": ParagraphStyle("cell", parent=base, fontSize=6.8, leading=8.2),
            "num": ParagraphStyle("num", parent=base, fontSize=6.8, leading=8.2, alignment=TA_RIGHT),
            "head": ParagraphStyle("head", parent=base, fontName=BOLD, fontSize=6.6, leading=8)}


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _grid(table: ReportTable, lang: str, st: dict, keys: list[str] | None = None,
          widths: list[float] | None = None, bold_last: bool = False, colours: dict[int, str] | None = None) -> Table:
    """A report table as a reportlab table: wrapped headers, numbers right-aligned in the report's style."""
    cols = [c for c in table.columns if keys is None or c.key in keys]
    values = table.values()
    data = [[Paragraph(_esc(c.label), st["head"]) for c in cols]]
    for i in range(len(values)):
        row = []
        for c in cols:
            text = _esc(as_text(values[c.key].iloc[i], c.kind, lang))
            if colours and i in colours and c.key == "status":
                text = f'<font color="{colours[i]}"><b>{text}</b></font>'
            row.append(Paragraph(text, st["cell"] if c.kind == "text" else st["num"]))
        data.append(row)
    grid = Table(data, colWidths=widths, repeatRows=1)
    style = [("GRID", (0, 0), (-1, -1), 0.3, colors.HexColor("#b0b0b0")),
             ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#dce6f1")),
             ("VALIGN", (0, 0), (-1, -1), "TOP"), ("TOPPADDING", (0, 0), (-1, -1), 1.5),
             ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5), ("LEFTPADDING", (0, 0), (-1, -1), 2.5),
             ("RIGHTPADDING", (0, 0), (-1, -1), 2.5)]
    if bold_last and len(values):
        style.append(("BACKGROUND", (0, len(values)), (-1, len(values)), colors.HexColor("#f2f2f2")))
    grid.setStyle(TableStyle(style))
    return grid


def _facts_grid(report: Report, st: dict) -> Table:
    """The period's key figures, two per line."""
    facts = report.figures
    cells = [[Paragraph(_esc(f.label), st["cell"]), Paragraph(f"<b>{_esc(as_text(f.value, f.kind, report.lang))}</b>",
                                                              st["num"])] for f in facts]
    rows = [cells[i] + (cells[i + 1] if i + 1 < len(cells) else ["", ""]) for i in range(0, len(cells), 2)]
    grid = Table(rows, colWidths=[WIDTH * 0.34, WIDTH * 0.16] * 2)
    grid.setStyle(TableStyle([("LINEBELOW", (0, 0), (-1, -1), 0.3, colors.HexColor("#cccccc")),
                              ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
    return grid


def write_pdf(report: Report) -> bytes:
    register_fonts()
    st = _styles()
    lang = report.lang
    out = io.BytesIO()
    title = f"{rt('title', lang)} — {report.area_name}"
    doc = SimpleDocTemplate(out, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
                            bottomMargin=MARGIN, title=title, author="", subject=rt("title", lang))
    exported = as_text(report.exported_at, "datetime", lang)

    def footer(canvas, document):
        canvas.saveState()
        canvas.setFont(FONT, 7)
        canvas.setFillColor(colors.HexColor("#555555"))
        canvas.drawString(MARGIN, 0.8 * cm, f"{title} · {rt('exported_at', lang)}: {exported}")
        canvas.drawRightString(A4[0] - MARGIN, 0.8 * cm, f"{rt('page', lang)} {document.page}")
        canvas.restoreState()

    period = f"{fmt_date(report.date_from, lang)} – {fmt_date(report.date_to, lang)}"
    facts = {f.label: f for f in report.facts}
    meta = " · ".join(f"{label}: {as_text(facts[label].value, facts[label].kind, lang)}" for label in (
        rt("data_until", lang), rt("as_of_note", lang), rt("data_version", lang), rt("published_at", lang),
        rt("exported_at", lang)))
    story = [Paragraph(_esc(rt("title", lang)), st["title"]),
             Paragraph(_esc(f"{report.area_name} · {rt('period', lang)}: {period}"), st["subtitle"]),
             Paragraph(_esc(meta), st["small"]), Spacer(1, 6), _facts_grid(report, st)]

    targets = report.table("targets")
    colours = {i: STATUS_COLORS.get(code, "#000") for i, code in enumerate(targets.frame["status_code"])}
    story += [Paragraph(_esc(targets.heading), st["h2"]),
              _grid(targets, lang, st, ["target", "threshold", "deadline", "coverage", "gap", "rate_needed", "pace",
                                        "expected", "status"],
                    [WIDTH * w for w in (0.27, 0.07, 0.09, 0.08, 0.1, 0.1, 0.1, 0.1, 0.09)], colours=colours)]

    areas = report.table("areas")
    rows = areas.frame.iloc[:-1]  # the chart leaves out the whole-area row
    story += [Spacer(1, 8), pdf_charts.coverage_bars(
        list(rows["name"]), [list(rows["first_18"]), list(rows["full_18"])],
        [rt("c_first_18", lang), rt("c_full_18", lang)], rt("chart_coverage", lang), lang, WIDTH)]
    story += [Paragraph(_esc(areas.heading), st["h2"]),
              _grid(areas, lang, st, None, [WIDTH * w for w in (0.05, 0.15, 0.09, 0.09, 0.075, 0.075, 0.075, 0.09,
                                                                0.075, 0.09, 0.08, 0.075)], bold_last=True)]

    lag = report.table("lag")
    weeks = [fmt_date(w, lang)[:5] if lang != "en" else w.strftime("%d/%m") for w in lag.frame["week"]]
    story += [KeepTogether([Spacer(1, 6), pdf_charts.weekly_lines(
        weeks, [list(lag.frame[k]) for k in ("same_day", "within_1", "within_3", "within_7")],
        [rt(f"c_{k}", lang) for k in ("same_day", "within_1w", "within_3", "within_7")],
        rt("chart_lag", lang), lang, WIDTH)])]
    story += [Paragraph(_esc(lag.heading), st["h2"]), _grid(lag, lang, st)]

    verification, progress = report.table("verification"), report.table("verification_weekly")
    days = [fmt_date(d, lang)[:5] if lang != "en" else d.strftime("%d/%m") for d in progress.frame["day"]]
    top = max([v for v in progress.frame["share_checked"].fillna(0)] + [0.1]) * 100
    chart = pdf_charts.weekly_lines(days, [list(progress.frame["share_checked"])], [rt("c_checked_share", lang)],
                                    rt("chart_verification", lang), lang, WIDTH * 0.48, 150,
                                    min(100, (int(top) // 10 + 1) * 10))
    side = Table([[chart, _grid(verification, lang, st, None, [WIDTH * w for w in (0.09, 0.25, 0.09, 0.07)])]],
                 colWidths=[WIDTH * 0.5, WIDTH * 0.5])
    side.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    story += [KeepTogether([Paragraph(_esc(verification.heading), st["h2"]), side])]

    stock = report.table("stock")
    widths = (0.1, 0.05, 0.13, 0.07, 0.07, 0.07, 0.07, 0.07, 0.06, 0.07, 0.08, 0.06, 0.1)
    story += [KeepTogether([Paragraph(_esc(stock.heading), st["h2"]),
                            _grid(stock, lang, st, None, [WIDTH * w for w in widths])])]
    story += _testing_section(report, lang, st)
    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return out.getvalue()


def _testing_section(report: Report, lang: str, st: dict) -> list:
    """Positivity by week against the WHO threshold beside the sub-areas' table, then the laboratories."""
    weekly, areas, labs = (report.table(k) for k in ("testing_weekly", "testing", "testing_labs"))
    weeks = [fmt_date(w, lang)[:5] if lang != "en" else w.strftime("%d/%m") for w in weekly.frame["week"]]
    who = [TST.WHO_POSITIVITY] * len(weeks)
    top = max([v for v in weekly.frame["positivity"].fillna(0)] + [2 * TST.WHO_POSITIVITY]) * 100
    chart = pdf_charts.weekly_lines(weeks, [list(weekly.frame["positivity"]), who],
                                    [rt("c_positivity", lang), "WHO 5%"], rt("chart_testing", lang), lang, WIDTH,
                                    150, min(100, (int(top) // 10 + 1) * 10))
    area_widths = (0.05, 0.2, 0.08, 0.1, 0.1, 0.09, 0.09, 0.1, 0.1)
    lab_widths = (0.26, 0.08, 0.08, 0.09, 0.09, 0.09, 0.09, 0.1, 0.1)
    return [KeepTogether([Paragraph(_esc(areas.heading), st["h2"]), chart, Spacer(1, 4)]),
            _grid(areas, lang, st, None, [WIDTH * w for w in area_widths], bold_last=True),
            KeepTogether([Paragraph(_esc(labs.heading), st["h2"]),
                          _grid(labs, lang, st, None, [WIDTH * w for w in lab_widths])])]

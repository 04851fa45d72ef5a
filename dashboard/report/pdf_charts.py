"""The PDF's charts, drawn as vector graphics by reportlab (no browser, no image files): coverage by area,
weekly recording-lag shares, verification progress. Values are percentages; labels use the report's
number style (45% / 1.234.567)."""

from __future__ import annotations

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth

from dashboard.i18n import fmt_pct

FONT = "DejaVuSans"
PALETTE = [colors.HexColor(c) for c in ("#2e86c1", "#117a65", "#b9770e", "#884ea0")]


def _pct_axis(axis, lang: str, top: float = 100) -> None:
    axis.valueMin, axis.valueMax = 0, top
    axis.valueStep = 20 if top >= 60 else 10
    axis.labels.fontName, axis.labels.fontSize = FONT, 7
    axis.labelTextFormat = lambda v: fmt_pct(v / 100, lang, 0)
    axis.visibleGrid, axis.gridStrokeColor, axis.gridStrokeWidth = True, colors.HexColor("#dddddd"), 0.4


def _legend(drawing: Drawing, names: list[str], x: float, top: float) -> None:
    """One row of swatches under the title; each column as wide as the longest name."""
    legend = Legend()
    legend.x, legend.y = x, top
    legend.fontName, legend.fontSize = FONT, 7
    legend.alignment = "right"
    legend.columnMaximum = 1
    legend.dx, legend.dy, legend.dxTextSpace = 8, 6, 4
    legend.deltax = max(stringWidth(n, FONT, 7) for n in names) + 24
    legend.colorNamePairs = list(zip(PALETTE, names))
    legend.boxAnchor = "nw"
    drawing.add(legend)


def _title(drawing: Drawing, title: str, width: float, height: float) -> None:
    drawing.add(String(0, height - 10, title, fontName=f"{FONT}-Bold", fontSize=9))


def coverage_bars(names: list[str], series: list[list[float | None]], series_names: list[str], title: str,
                  lang: str, width: float) -> Drawing:
    """Horizontal bars per area (one colour per series), values as fractions."""
    n = max(len(names), 1)
    bar_space = 5.2 if n > 30 else 12  # the 63 provinces still fit under the targets on page 1
    plot_h = n * bar_space
    height = plot_h + 56
    d = Drawing(width, height)
    _title(d, title, width, height)
    chart = HorizontalBarChart()
    chart.x, chart.y, chart.width, chart.height = 110, 18, width - 125, plot_h
    chart.data = [[(v or 0) * 100 for v in s][::-1] for s in series]  # first area at the top
    chart.categoryAxis.categoryNames = names[::-1]
    chart.categoryAxis.labels.fontName = FONT
    chart.categoryAxis.labels.fontSize = 4.8 if n > 30 else 7
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.categoryAxis.labels.dx = -3
    chart.groupSpacing, chart.barSpacing = 1.5, 0
    top = max([(v or 0) * 100 for s in series for v in s] + [10])
    _pct_axis(chart.valueAxis, lang, min(100, (int(top) // 10 + 1) * 10))
    for i in range(len(series)):
        chart.bars[i].fillColor = PALETTE[i]
        chart.bars[i].strokeColor = None
    d.add(chart)
    _legend(d, series_names, 110, height - 16)
    return d


def weekly_lines(labels: list[str], series: list[list[float | None]], series_names: list[str], title: str, lang: str,
                 width: float, height: float = 170, top: float = 100) -> Drawing:
    """Lines over weeks (or days), values as fractions."""
    d = Drawing(width, height)
    _title(d, title, width, height)
    chart = HorizontalLineChart()
    chart.x, chart.y, chart.width, chart.height = 36, 30, width - 46, height - 70
    chart.data = [[(v if v is not None and v == v else 0) * 100 for v in s] for s in series]
    chart.categoryAxis.categoryNames = labels
    chart.categoryAxis.labels.fontName, chart.categoryAxis.labels.fontSize = FONT, 6
    chart.categoryAxis.labels.angle = 45 if len(labels) > 10 else 0
    chart.categoryAxis.labels.boxAnchor = "ne" if len(labels) > 10 else "n"
    _pct_axis(chart.valueAxis, lang, top)
    for i in range(len(series)):
        chart.lines[i].strokeColor = PALETTE[i]
        chart.lines[i].strokeWidth = 1.4
    d.add(chart)
    _legend(d, series_names, 36, height - 16)
    return d

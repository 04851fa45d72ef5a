"""The testing page's charts, from its measures."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard.components.panels import style_chart
from dashboard.i18n import fmt_int, t
from dashboard.measures.testing import AGE_BANDS, COVERAGE_BANDS, METHODS, WHO_POSITIVITY, bucket_upper

METHOD_COLORS = {"rt_pcr": "#7fb3d5", "rapid_antigen": "#a9dfbf"}
AGE_COLORS = ("#f9e79f", "#f5b041", "#e67e22", "#c0392b", "#641e16")
BAND_COLORS = ("#c0392b", "#e67e22", "#5dade2", "#1e8449")
WHO_LINE = {"color": "#c0392b", "dash": "dash", "width": 1.5}
SHOWN = 25  # bars of a ranking (the slowest, the largest, the highest); the table holds them all
# a legend of several rows above a ranking, clear of its first bars whatever the chart's height
LEGEND_ABOVE = {"legend": {"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 0}, "margin": {"t": 70}}
PCT_HOVER = "%{y}: %{x:.1%}<extra></extra>"


def ranking_height(bars: int) -> int:
    """The height of a horizontal ranking of so many bars (at most SHOWN are drawn)."""
    return max(340, 20 * min(bars, SHOWN) + 100)


def band_label(label: str) -> str:
    return label.replace(">=", "≥")


def daily_chart(d: pd.DataFrame, lang: str) -> go.Figure:
    """Samples per day stacked by method, with the 7-day averages of samples and of people tested."""
    fig = go.Figure([go.Bar(x=d["day"], y=d[m], name=t(f"method_{m}", lang), marker_color=METHOD_COLORS[m])
                     for m in METHODS])
    fig.add_scatter(x=d["day"], y=d["samples_avg7"], name=t("testing_samples_avg7", lang),
                    line={"color": "#1b4f72", "width": 2})
    fig.add_scatter(x=d["day"], y=d["people_avg7"], name=t("testing_people_avg7", lang),
                    line={"color": "#7d3c98", "width": 2, "dash": "dot"})
    fig.update_layout(barmode="stack", bargap=0)
    style_chart(fig, lang, t("testing_samples_axis", lang))
    return fig


def _who_line(fig: go.Figure, x: list, lang: str) -> None:
    """The WHO threshold as a trace over the chart's x range (so it is in the legend)."""
    if len(x):
        fig.add_scatter(x=[x[0], x[-1]], y=[WHO_POSITIVITY] * 2, mode="lines", line=WHO_LINE,
                        name=t("testing_who", lang), hoverinfo="skip")


def positivity_chart(d: pd.DataFrame, lang: str) -> go.Figure:
    fig = go.Figure([
        go.Scatter(x=d["day"], y=d["positivity"], mode="markers", name=t("testing_positivity_day", lang),
                   marker={"color": "#aab7b8", "size": 4}),
        go.Scatter(x=d["day"], y=d["positivity_avg7"], name=t("testing_positivity_avg7", lang),
                   line={"color": "#1b4f72", "width": 2}),
        go.Scatter(x=d["day"], y=d["person_positivity_avg7"], name=t("testing_person_avg7", lang),
                   line={"color": "#7d3c98", "width": 2, "dash": "dot"}),
    ])
    _who_line(fig, list(d["day"]), lang)
    style_chart(fig, lang, t("testing_rate", lang), pct=True)
    return fig


def labs_chart(rank: pd.DataFrame, lang: str) -> go.Figure:
    """Shares of results within 24 and 48 hours per laboratory, the slowest first (a bar opens it: its id as text
    in the click data, since Plotly leaves a typed array of numbers out of it)."""
    shown = rank.head(SHOWN)
    fig = go.Figure([
        go.Bar(x=shown[f"within_{h}"], y=shown["name"], orientation="h", customdata=shown["lab_id"].astype(str),
               name=t(f"testing_share_{h}", lang), marker_color=color, hovertemplate=PCT_HOVER)
        for h, color in ((24, "#2874a6"), (48, "#aed6f1"))
    ])
    style_chart(fig, lang, t("testing_share_24", lang), pct=True, horizontal=True)
    fig.update_yaxes(autorange="reversed")
    fig.update_layout(height=ranking_height(len(shown)), barmode="group", bargap=0.25, **LEGEND_ABOVE)
    return fig


def backlog_chart(wide: pd.DataFrame, lang: str) -> go.Figure:
    """Samples waiting at the end of the day per laboratory, stacked by days waiting (a bar opens it)."""
    shown = wide.head(SHOWN)
    fig = go.Figure([
        go.Bar(x=shown[label], y=shown["name"], orientation="h", customdata=shown["lab_id"].astype(str),
               name=t(f"testing_age_{label}", lang), marker_color=color)
        for (label, _, _), color in zip(AGE_BANDS, AGE_COLORS)
    ])
    style_chart(fig, lang, t("testing_samples_axis", lang), horizontal=True)
    fig.update_yaxes(autorange="reversed")
    fig.update_layout(height=ranking_height(len(shown)), barmode="stack",
                      **{**LEGEND_ABOVE, "legend": {**LEGEND_ABOVE["legend"], "traceorder": "normal"}})
    return fig


def age_chart(bands: dict[str, int], lang: str) -> go.Figure:
    """One laboratory's backlog by days waiting."""
    fig = go.Figure(go.Bar(x=[t(f"testing_age_{label}", lang) for label in bands], y=list(bands.values()),
                           marker_color=list(AGE_COLORS), name=t("testing_backlog_total", lang)))
    style_chart(fig, lang, t("testing_samples_axis", lang))
    fig.update_xaxes(tickformat=None, type="category")
    return fig


def bucket_label(bucket: int) -> str:
    """A bucket as its hours: 5, 72-95, ≥ 168."""
    upper = bucket_upper(bucket)
    if upper is None:
        return f"≥ {bucket}"
    return str(bucket) if upper == bucket + 1 else f"{bucket}-{upper - 1}"


DAY_SLOT = 5  # the drawn width of a bucket a day wide (or open): the hours' axis is linear to 72 h only


def _slot(bucket: int) -> tuple[float, float]:
    """Where a bucket's bar is drawn: (centre, width). Hour buckets at their hours; the day-wide and the open
    buckets one after the other in slots of DAY_SLOT, so that a week's queue does not squeeze the first hours."""
    if bucket < 72:
        return bucket + 0.5, 0.9
    return 72 + DAY_SLOT * ((bucket - 72) // 24 + 0.5), DAY_SLOT * 0.9


def histogram_chart(table: pd.DataFrame, lang: str) -> go.Figure:
    """Samples per turnaround bucket (an hour wide to 72 hours, then a day, then a week or more, darker), with
    the cumulative share of results on the right axis."""
    centres = [_slot(b)[0] for b in table["bucket"]]
    labels = [bucket_label(b) for b in table["bucket"]]
    fig = go.Figure([
        go.Bar(x=centres, y=table["samples"], width=[_slot(b)[1] for b in table["bucket"]], customdata=labels,
               marker_color=["#2874a6" if b < 72 else "#1b4f72" for b in table["bucket"]],
               name=t("testing_samples_axis", lang), hovertemplate="%{customdata} h: %{y:,.0f}<extra></extra>"),
        go.Scatter(x=centres, y=table["cumulative"], name=t("testing_cumulative", lang), yaxis="y2", mode="lines",
                   line={"color": "#c0392b", "width": 2}, customdata=labels,
                   hovertemplate="%{customdata} h: %{y:.1%}<extra></extra>"),
    ])
    style_chart(fig, lang, t("testing_samples_axis", lang))
    ticks = [(float(h), str(h)) for h in range(0, 72, 12)] + [(_slot(b)[0], bucket_label(b).split("-")[0])
                                                              for b in (72, 96, 120, 144, 168)]
    fig.update_xaxes(tickformat=None, title=t("testing_hours_axis", lang), tickvals=[v for v, _ in ticks],
                     ticktext=[label for _, label in ticks], range=[0, 72 + 5 * DAY_SLOT], tickangle=0)
    fig.update_layout(yaxis2={"overlaying": "y", "side": "right", "range": [0, 1.05], "tickformat": ".0%",
                              "dtick": 0.25, "showgrid": False})
    return fig


def _area_color(positivity: float | None, few: bool) -> str:
    if few:
        return "#d5dbdb"  # too few results to rank: drawn, but pale
    return "#c0392b" if positivity is not None and positivity >= WHO_POSITIVITY else "#2874a6"


def areas_chart(sub: pd.DataFrame, lang: str) -> go.Figure:
    """7-day positivity per sub-area, the highest first (a bar opens it): red at or above WHO's 5%, pale with too
    few results to rank."""
    shown = sub.head(SHOWN)
    fig = go.Figure(go.Bar(x=shown["positivity"], y=shown["name"], orientation="h", customdata=shown["area"],
                           marker_color=[_area_color(p, f) for p, f in zip(shown["positivity"], shown["few"])],
                           hovertext=[t("testing_valid_hover", lang, n=fmt_int(v, lang)) for v in shown["valid"]],
                           name=t("testing_rate", lang), hovertemplate="%{y}: %{x:.1%} (%{hovertext})<extra></extra>"))
    fig.add_vline(x=WHO_POSITIVITY, line=WHO_LINE)
    style_chart(fig, lang, t("testing_rate", lang), pct=True, horizontal=True)
    fig.update_yaxes(autorange="reversed")
    fig.update_layout(height=ranking_height(len(shown)))
    return fig


def coverage_scatter(points: pd.DataFrame, lang: str, height: int = 340, highlight: str | None = None) -> go.Figure:
    """Districts by coverage (x) and 7-day positivity (y), sized by samples, coloured by band (a point opens it);
    `highlight` (the district in view) ringed and named."""
    traces = []
    for (label, _, _), color in zip(COVERAGE_BANDS, BAND_COLORS):
        p = points[points["band"] == label]
        traces.append(go.Scatter(
            x=p["coverage"], y=p["positivity"], mode="markers", name=band_label(label), customdata=p["district"],
            text=p["name"], marker={"color": color, "size": [6 + min(s, 2000) ** 0.5 / 2 for s in p["samples"]],
                                    "opacity": 0.75, "line": {"width": 0.5, "color": "white"}},
            hovertemplate="%{text}<br>%{x:.1%} · %{y:.1%}<extra></extra>"))
    fig = go.Figure(traces)
    ringed = points[points["district"] == highlight]
    if len(ringed):
        fig.add_scatter(x=ringed["coverage"], y=ringed["positivity"], mode="markers+text", text=ringed["name"],
                        textposition="top center", customdata=ringed["district"], showlegend=False,
                        marker={"size": 22, "color": "rgba(0,0,0,0)", "line": {"width": 2, "color": "#10243e"}},
                        hoverinfo="skip")
    fig.add_hline(y=WHO_POSITIVITY, line=WHO_LINE)
    style_chart(fig, lang, t("testing_rate", lang), pct=True)
    widest = float(points["coverage"].max()) if len(points) else 1.0
    fig.update_xaxes(tickformat=".0%", title=t("testing_coverage", lang), range=[0, min(1.02, widest * 1.1 + 0.02)])
    fig.update_layout(height=height)
    return fig


def bands_chart(weekly: pd.DataFrame, lang: str) -> go.Figure:
    """Weekly positivity of the districts in each coverage band, against WHO's 5%."""
    fig = go.Figure()
    for (label, _, _), color in zip(COVERAGE_BANDS, BAND_COLORS):
        w = weekly[weekly["band"] == label]
        if len(w):
            fig.add_scatter(x=w["week"], y=w["positivity"], name=band_label(label), mode="lines+markers",
                            line={"color": color, "width": 2}, customdata=w["districts"],
                            hovertemplate="%{x|%d/%m/%Y}: %{y:.1%} (%{customdata})<extra></extra>")
    _who_line(fig, sorted(weekly["week"].unique()), lang)
    style_chart(fig, lang, t("testing_rate", lang), pct=True)
    return fig

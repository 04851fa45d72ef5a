"""The recording-lag page's charts, from its measures."""

from __future__ import annotations

from datetime import timedelta

import pandas as pd
import plotly.graph_objects as go

from common.vocabulary import SAME_DAY_RULE
from dashboard.components.panels import style_chart
from dashboard.i18n import t
from dashboard.measures.lag import SHARES

RULE_COLOR = "#c0392b"


def rule_line(fig: go.Figure, lang: str) -> None:
    """The 20/10/2021 rule as a dashed line across the chart."""
    fig.add_vline(x=pd.Timestamp(SAME_DAY_RULE).timestamp() * 1000, line_dash="dash", line_color=RULE_COLOR)
    fig.add_annotation(x=SAME_DAY_RULE, y=1, yref="paper", text=t("rule_day", lang), showarrow=False,
                       font={"size": 10, "color": RULE_COLOR}, xanchor="left")


def shares_chart(weekly: pd.DataFrame, lang: str) -> go.Figure:
    fig = go.Figure([go.Scatter(x=weekly["week"], y=weekly[k], name=t(k, lang), mode="lines") for k in SHARES])
    rule_line(fig, lang)
    style_chart(fig, lang, t("lag_share_title", lang), pct=True)
    return fig


def completeness_chart(weeks: pd.DataFrame, lang: str) -> go.Figure:
    fig = go.Figure(go.Scatter(x=weeks["week"], y=weeks["completeness"], mode="lines+markers",
                               name=t("completeness", lang), line={"color": "#117a65"}))
    fig.add_hline(y=1.0, line_dash="dot", line_color="#999")
    rule_line(fig, lang)
    style_chart(fig, lang, t("completeness_title", lang), pct=True)
    fig.update_yaxes(tickformat=".1%")
    return fig


def violations_chart(weekly: pd.DataFrame, lang: str) -> go.Figure:
    """Late doses per week, the weeks touched by the rule in red."""
    fig = go.Figure(go.Bar(x=weekly["week"], y=weekly["late"], name=t("late_doses", lang),
                           marker_color=[RULE_COLOR if w >= SAME_DAY_RULE - timedelta(days=6) else "#95a5a6"
                                         for w in weekly["week"]]))
    rule_line(fig, lang)
    style_chart(fig, lang, t("late_doses", lang))
    return fig


def nowcast_chart(nc: pd.DataFrame, lang: str) -> go.Figure:
    fig = go.Figure([
        go.Scatter(x=list(nc["day"]) + list(nc["day"])[::-1], y=list(nc["high"]) + list(nc["low"])[::-1],
                   fill="toself", fillcolor="rgba(192,57,43,0.15)", line={"width": 0}, name=t("band", lang),
                   hoverinfo="skip"),
        go.Bar(x=nc["day"], y=nc["raw"], name=t("entered", lang), marker_color="#7fb3d5"),
        go.Scatter(x=nc["day"], y=nc["expected"], name=t("expected_final", lang), mode="lines+markers",
                   line={"color": RULE_COLOR, "dash": "dot"}),
    ])
    style_chart(fig, lang, t("doses", lang))
    return fig


def ranking_chart(rank: pd.DataFrame, lang: str) -> go.Figure:
    """Areas by the share within 1 day; Plotly draws the last bar at the top, so the slowest is there."""
    # Two sites may share a name (a bar axis would merge them): those get their id.
    twice = rank["name"].duplicated(keep=False)
    label = rank["name"].where(~twice, rank["name"] + " (" + rank["area"] + ")")
    fig = go.Figure(go.Bar(y=label, x=rank["within_1"], orientation="h", customdata=rank["area"],
                           marker_color="#2e86c1", hovertemplate="%{y}: %{x:.1%}<extra></extra>"))
    style_chart(fig, lang, t("within_1", lang), pct=True, horizontal=True)
    fig.update_layout(height=max(340, 16 * len(rank) + 60))
    fig.update_yaxes(automargin=True)  # long site names get the room they need instead of being cut
    return fig

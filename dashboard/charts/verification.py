"""The verification page's charts, from its measures."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard.components.panels import style_chart
from dashboard.i18n import t
from dashboard.measures.verification import FEEDBACK_BACKLOG_DEADLINE, OUTCOMES

COLORS = {"verified": "#1e8449", "mismatch": "#b9770e", "not_found": "#c0392b", "missing_id": "#7d3c98"}


def outcomes_chart(shown: pd.DataFrame, lang: str) -> go.Figure:
    """People checked, stacked by their first check's outcome, under the people vaccinated."""
    fig = go.Figure([go.Scatter(x=shown["day"], y=shown[o], name=t(f"outcome_{o}", lang), stackgroup="checked",
                                line={"width": 0.5, "color": COLORS[o]}) for o in OUTCOMES])
    fig.add_scatter(x=shown["day"], y=shown["vaccinated"], name=t("vaccinated", lang),
                    line={"color": "#10243e", "dash": "dot"})
    style_chart(fig, lang, t("people", lang))
    return fig


def burndown_chart(shown: pd.DataFrame, path: tuple[list, list] | None, lang: str) -> go.Figure:
    fig = go.Figure(go.Scatter(x=shown["day"], y=shown["backlog"], name=t("backlog", lang),
                               line={"color": "#c0392b"}, fill="tozeroy"))
    if path is not None:
        fig.add_scatter(x=path[0], y=path[1], name=t("path", lang), line={"color": "#10243e", "dash": "dash"})
    style_chart(fig, lang, t("backlog", lang))
    return fig


def feedback_chart(weeks: pd.DataFrame, lang: str) -> go.Figure:
    fig = go.Figure([go.Bar(x=weeks["week"], y=weeks["received"], name=t("received", lang), marker_color="#5dade2"),
                     go.Bar(x=weeks["week"], y=weeks["closed"], name=t("closed", lang), marker_color="#1e8449"),
                     go.Scatter(x=weeks["week"], y=weeks["open"], name=t("open", lang), line={"color": "#c0392b"})])
    fig.add_vline(x=pd.Timestamp(FEEDBACK_BACKLOG_DEADLINE).timestamp() * 1000, line_dash="dash",
                  line_color="#c0392b")
    style_chart(fig, lang, t("feedback", lang))
    return fig


def fields_chart(fields: pd.DataFrame, lang: str) -> go.Figure:
    fig = go.Figure(go.Bar(y=fields["field_name"], x=fields["checks"], orientation="h", customdata=fields["field"],
                           marker_color=COLORS["mismatch"], hovertemplate="%{y}: %{x:,.0f}<extra></extra>"))
    style_chart(fig, lang, t("mismatch_checks", lang), horizontal=True)
    return fig


def rank_chart(rank: pd.DataFrame, lang: str) -> go.Figure:
    fig = go.Figure(go.Bar(y=rank["name"], x=rank["share"], orientation="h", customdata=rank["area"],
                           marker_color="#1e8449", hovertemplate="%{y}: %{x:.1%}<extra></extra>"))
    style_chart(fig, lang, t("checked", lang), pct=True, horizontal=True)
    fig.update_layout(height=max(340, 16 * len(rank) + 60))
    return fig

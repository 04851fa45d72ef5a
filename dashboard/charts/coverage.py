"""Charts of doses and coverage, for the coverage page and the overview."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard.components.panels import style_chart
from dashboard.i18n import t

DAY_HOVER = "%{x|%d/%m/%Y}: %{y:,.0f}<extra></extra>"


def daily_doses(doses: pd.DataFrame, lang: str, expected: pd.DataFrame | None = None) -> go.Figure:
    """Bars of the daily doses, their 7-day average, and (expected: day, expected) the nowcast's final doses."""
    fig = go.Figure([
        go.Bar(x=doses["day"], y=doses["doses"], name=t("doses", lang), marker_color="#7fb3d5",
               hovertemplate=DAY_HOVER),
        go.Scatter(x=doses["day"], y=doses["avg7"], name=t("avg7", lang), line={"color": "#1b4f72", "width": 2},
                   hovertemplate=DAY_HOVER),
    ])
    if expected is not None:
        fig.add_scatter(x=expected["day"], y=expected["expected"], name=t("expected_final", lang), mode="lines",
                        line={"color": "#c0392b", "dash": "dot"}, hovertemplate=DAY_HOVER)
    style_chart(fig, lang, t("doses", lang))
    return fig


def area_bars(frame: pd.DataFrame, value: str, lang: str, ytitle: str, color: str, pct: bool) -> go.Figure:
    """One bar per area (frame: area, name and `value`), the area's code in the click data."""
    hover = "%{x}: %{y:.1%}<extra></extra>" if pct else "%{x}: %{y:,.0f}<extra></extra>"
    fig = go.Figure(go.Bar(x=frame["name"], y=frame[value], customdata=frame["area"], marker_color=color,
                           hovertemplate=hover))
    style_chart(fig, lang, ytitle, pct=pct)
    return fig


def cumulative_share(share: pd.Series, label: str, lang: str) -> go.Figure:
    fig = go.Figure(go.Scatter(x=list(share.index), y=share.values, name=label, fill="tozeroy",
                               line={"color": "#117a65"}, hovertemplate="%{x|%d/%m/%Y}: %{y:.1%}<extra></extra>"))
    style_chart(fig, lang, label, pct=True)
    return fig

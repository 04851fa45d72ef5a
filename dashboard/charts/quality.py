"""The data-quality page's charts, from its measures: the outlier days, a district's days against the median
of the 8 weeks before, and the ETL's quarantine by rule and week."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import plotly.graph_objects as go

from common.vocabulary import CAMPAIGN_START
from dashboard.components.panels import style_chart
from dashboard.i18n import fmt_date, t
from dashboard.measures.quality import Z_EXTREME, Z_FLAG

SHOWN_OUTLIERS = 20


def outliers_chart(top: pd.DataFrame, lang: str) -> go.Figure:
    """The largest |z| of top_outliers() as bars, the 3.5 and 5 lines dotted; Plotly draws the last bar at the
    top, so the largest is there."""
    shown = top.head(SHOWN_OUTLIERS).iloc[::-1]
    labels = shown["name"] + " · " + shown["day"].map(lambda d: fmt_date(d, lang))
    fig = go.Figure(go.Bar(
        y=labels, x=shown["z"], orientation="h", customdata=shown["district"],
        marker_color=["#922b21" if f == "extreme" else "#e67e22" for f in shown["flag"]],
        hovertemplate="%{y}: z = %{x:.1f}<extra></extra>"))
    for x in (-Z_EXTREME, -Z_FLAG, Z_FLAG, Z_EXTREME):
        fig.add_vline(x=x, line_dash="dot", line_color="#999")
    style_chart(fig, lang, t("dq_z", lang), horizontal=True)
    fig.update_xaxes(tickformat=".1f")
    fig.update_layout(height=max(340, 18 * len(shown) + 80))
    if shown.empty:
        fig.add_annotation(text=t("dq_no_outliers", lang), showarrow=False, x=0, y=0.5, yref="paper",
                           font={"size": 14, "color": "#117a65"})
    return fig


def district_chart(history: pd.Series, judged: pd.DataFrame, lang: str) -> go.Figure:
    """A district's daily doses (daily_history), the median of the 8 weeks before each judged day, and the
    outlier days marked."""
    marks = judged[judged["flag"] != ""]
    fig = go.Figure([
        go.Bar(x=list(history.index), y=history.to_numpy(), name=t("doses", lang), marker_color="#7fb3d5",
               hovertemplate="%{x|%d/%m/%Y}: %{y:,.0f}<extra></extra>"),
        go.Scatter(x=judged["day"], y=judged["median"], name=t("dq_median8w", lang), mode="lines",
                   line={"color": "#1b4f72", "dash": "dot"}),
        go.Scatter(x=marks["day"], y=marks["doses"], name=t("dq_outliers", lang), mode="markers",
                   marker={"color": "#c0392b", "size": 12, "symbol": "x"}),
    ])
    style_chart(fig, lang, t("doses", lang))
    return fig


def quarantine_chart(weekly: pd.DataFrame, last: date, lang: str) -> go.Figure:
    """Rows quarantined per week, stacked by rule, the rule's text on hover."""
    text = "message_en" if lang == "en" else "message_vi"
    fig = go.Figure()
    for rule_id, part in weekly.groupby("rule_id"):
        fig.add_bar(x=part["week"], y=part["rows"], name=rule_id, hovertext=part[text],
                    hovertemplate="%{x|%d/%m/%Y} · " + rule_id + ": %{y:,.0f}<br>%{hovertext}<extra></extra>")
    fig.update_layout(barmode="stack")
    style_chart(fig, lang, t("dq_rows", lang))
    # Rows dated before the campaign or in the future are what D03/D04 catch: counted in the table, off the axis.
    fig.update_xaxes(range=[CAMPAIGN_START - timedelta(days=7), last + timedelta(days=7)])
    return fig

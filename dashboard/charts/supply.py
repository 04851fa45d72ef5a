"""The supply page's charts, from its measures."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard.components.panels import style_chart
from dashboard.i18n import t
from dashboard.measures.supply import LEVELS, stockouts_by_level

LEVEL_COLORS = {"national": "#10243e", "province": "#2874a6", "district": "#5dade2", "site": "#1e8449"}


def on_hand_chart(series: pd.DataFrame, lang: str) -> go.Figure:
    """Doses on hand at the end of each day, stacked by store level."""
    fig = go.Figure(
        [
            go.Scatter(
                x=series["day"],
                y=series[lv],
                name=t(f"level_{lv}", lang),
                stackgroup="stock",
                line={"width": 0.5, "color": LEVEL_COLORS[lv]},
            )
            for lv in LEVELS
            if lv in series.columns
        ]
    )
    style_chart(fig, lang, t("supply_doses", lang))
    return fig


def flows_chart(weeks: pd.DataFrame, lang: str) -> go.Figure:
    fig = go.Figure(
        [
            go.Bar(x=weeks["week"], y=weeks["delivered"], name=t("supply_delivered", lang), marker_color="#5dade2"),
            go.Bar(
                x=weeks["week"], y=weeks["administered"], name=t("supply_administered", lang), marker_color="#1e8449"
            ),
            go.Bar(x=weeks["week"], y=weeks["wasted"], name=t("supply_wasted", lang), marker_color="#c0392b"),
        ]
    )
    style_chart(fig, lang, t("supply_doses", lang))
    return fig


def days_chart(areas: pd.DataFrame, lang: str) -> go.Figure:
    """Days of supply by sub-area (a bar opens it), the fewest first."""
    shown = areas.head(40)
    fig = go.Figure(
        go.Bar(
            x=shown["days_of_supply"],
            y=shown["name"],
            orientation="h",
            customdata=shown["area"],
            marker_color="#2874a6",
            name=t("supply_days", lang),
        )
    )
    style_chart(fig, lang, t("supply_days", lang), horizontal=True)
    fig.update_yaxes(autorange="reversed")
    fig.update_layout(height=max(340, 18 * len(shown) + 60))
    return fig


def allocation_chart(ranked: pd.DataFrame, lang: str) -> go.Figure:
    fig = go.Figure(
        [
            go.Bar(
                x=ranked["name"],
                y=ranked[c],
                name=t(f"supply_{c}", lang),
                marker_color=color,
                customdata=ranked["province"],
            )
            for c, color in (("allocated", "#aab7b8"), ("delivered", "#5dade2"), ("administered", "#1e8449"))
        ]
    )
    style_chart(fig, lang, t("supply_doses", lang))
    fig.update_xaxes(tickformat=None)
    return fig


def wastage_chart(wastage: pd.DataFrame, lang: str) -> go.Figure:
    """Wastage rate by product, with the allowed rate of each marked."""
    fig = go.Figure(
        [
            go.Bar(
                x=wastage["product_code"],
                y=wastage["rate"],
                name=t("supply_wastage_rate", lang),
                marker_color=["#c0392b" if a else "#2874a6" for a in wastage["above"]],
            ),
            go.Scatter(
                x=wastage["product_code"],
                y=wastage["allowed_rate"],
                mode="markers",
                marker={"symbol": "line-ew-open", "size": 30, "color": "#10243e"},
                name=t("supply_allowed_rate", lang),
            ),
        ]
    )
    style_chart(fig, lang, t("supply_wastage_rate", lang), pct=True)
    fig.update_xaxes(tickformat=None)
    return fig


def journey_chart(levels: pd.DataFrame, lang: str) -> go.Figure:
    fig = go.Figure(
        [
            go.Bar(
                x=[t(f"level_{lv}", lang) for lv in levels["level"]],
                y=levels[c],
                name=t(f"supply_{c}", lang),
                marker_color=color,
            )
            for c, color in (
                ("received", "#5dade2"),
                ("issued", "#aab7b8"),
                ("administered", "#1e8449"),
                ("wasted", "#c0392b"),
                ("on_hand", "#10243e"),
            )
        ]
    )
    style_chart(fig, lang, t("supply_doses", lang))
    fig.update_xaxes(tickformat=None)
    return fig


def stockout_chart(out: pd.DataFrame, lang: str) -> go.Figure:
    counts = stockouts_by_level(out)
    fig = go.Figure(
        go.Bar(
            x=[t(f"level_{lv}", lang) for lv in counts],
            y=list(counts.values()),
            marker_color="#c0392b",
            name=t("supply_stockouts", lang),
        )
    )
    style_chart(fig, lang, t("supply_stockouts", lang))
    fig.update_xaxes(tickformat=None)
    return fig

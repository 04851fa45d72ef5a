"""The overview's charts: coverage against each target's path, and the provinces ranked by coverage."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard.components.panels import style_chart
from dashboard.i18n import t

PCT_HOVER = "%{x|%d/%m/%Y}: %{y:.1%}<extra></extra>"
COLORS = ("#117a65", "#1f618d", "#884ea0", "#b9770e")


def coverage_paths(lines: list[dict], lang: str) -> go.Figure:
    """lines: per target, its name, coverage share by day and the path's days and values (drawn dotted)."""
    fig = go.Figure()
    for i, line in enumerate(lines):
        color = COLORS[i % len(COLORS)]
        share = line["share"]
        fig.add_scatter(x=list(share.index), y=share.values, name=line["name"], line={"color": color},
                        hovertemplate=PCT_HOVER)
        fig.add_scatter(x=line["path_days"], y=line["path"], name=f"{t('target_path', lang)}: {line['name']}",
                        line={"color": color, "dash": "dot"}, hovertemplate=PCT_HOVER, showlegend=False)
    style_chart(fig, lang, t("coverage", lang), pct=True)
    fig.update_layout(legend={"orientation": "h", "y": -0.25})
    return fig


def province_rank(cov: pd.DataFrame, label: str, lang: str) -> go.Figure:
    """Provinces from the lowest coverage up, those behind pace in red; the code in the click data."""
    ranked = cov.sort_values("coverage")
    fig = go.Figure(go.Bar(
        y=ranked["name"], x=ranked["coverage"], orientation="h", customdata=ranked["area"],
        marker_color=["#c0392b" if b else "#2e86c1" for b in ranked["behind"]],
        hovertemplate="%{y}: %{x:.1%}<extra></extra>"))
    style_chart(fig, lang, label, pct=True, horizontal=True)
    fig.update_layout(height=max(400, 16 * len(ranked) + 60), yaxis={"tickfont": {"size": 10}})
    return fig

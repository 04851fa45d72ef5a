"""A tile map of the 63 provinces: one equal square per province, placed to keep Vietnam's shape."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard.components.tile_positions import ABBREVIATIONS, TILES
from dashboard.i18n import fmt_int, fmt_pct, plotly_separators, t


def tile_map(frame: pd.DataFrame, names: dict[str, str], value_label: str, lang: str) -> go.Figure:
    """frame: area (province code), coverage, people, population. Click data carries the code."""
    rows = frame.set_index("area")
    codes = [c for c in TILES if c in rows.index]
    cols = [TILES[c][0] for c in codes]
    rws = [TILES[c][1] for c in codes]
    values = [rows.at[c, "coverage"] for c in codes]
    hover = [f"<b>{names.get(c, c)}</b><br>{value_label}: {fmt_pct(rows.at[c, 'coverage'], lang)}<br>"
             f"{t('people', lang)}: {fmt_int(rows.at[c, 'people'], lang)}<br>"
             f"{t('population', lang)}: {fmt_int(rows.at[c, 'population'], lang)}" for c in codes]
    width = max(TILES.values(), key=lambda p: p[0])[0] + 1
    height = max(TILES.values(), key=lambda p: p[1])[1] + 1
    fig = go.Figure(go.Scatter(
        x=cols, y=rws, mode="markers+text", text=[ABBREVIATIONS[c] for c in codes], customdata=codes,
        textfont={"size": 10, "color": ["white" if (v or 0) > 0.55 else "#10243e" for v in values]},
        hovertext=hover, hoverinfo="text",
        marker={"symbol": "square", "size": 36, "color": values, "colorscale": "YlGnBu", "cmin": 0, "cmax": 1,
                "line": {"width": 1, "color": "white"},
                "colorbar": {"title": {"text": value_label, "side": "right"}, "tickformat": ".0%", "len": 0.6,
                             "thickness": 10}},
    ))
    fig.update_layout(
        separators=plotly_separators(lang), height=height * 40 + 30, margin={"l": 5, "r": 5, "t": 10, "b": 5},
        xaxis={"visible": False, "range": [-0.7, width - 0.3], "fixedrange": True},
        yaxis={"visible": False, "range": [height - 0.3, -0.7], "fixedrange": True, "scaleanchor": "x"},
        plot_bgcolor="white", paper_bgcolor="white", clickmode="event",
    )
    return fig

"""Small building blocks: cards, the data grid, the chart panel (chart / data table / how it is computed),
messages, the chart style, and the area a click on a chart points at."""

from __future__ import annotations

import dash_ag_grid as dag
import pandas as pd
from dash import dcc, html

from dashboard.i18n import plotly_separators, t
from dashboard.metrics import Metric

STATUS_CLASS = {"reached": "ok", "on_track": "ok", "at_risk": "warn", "off_track": "bad", "missed": "bad"}


def card(title: str, value: str, lines: list[str], status: str | None = None, lang: str = "vi",
         card_id: str | None = None) -> html.Div:
    badge = [html.Span(t(f"status_{status}", lang), className=f"badge {STATUS_CLASS[status]}")] if status else []
    return html.Div([
        html.Div(title, className="card-title"),
        html.Div(value, className="card-value", **({"id": card_id} if card_id else {})),
        *badge,
        *[html.Div(line, className="card-line") for line in lines],
    ], className="card")


def definition(metric: Metric, lang: str) -> html.Div:
    rows = [("formula", metric.formula), ("denominator", metric.denominator), ("source", metric.source),
            ("date_basis", metric.date_basis)]
    return html.Div([
        html.H4(metric.text("name", lang)),
        html.Dl([item for key, _ in rows for item in (html.Dt(t(key, lang)), html.Dd(metric.text(key, lang)))]),
    ], className="definition")


GRID_COLUMNS = {"sortable": True, "filter": True, "resizable": True}


def data_grid(grid_id: str, table: pd.DataFrame, columns: list[dict], row_id: str | None = None,
              height: str = "340px", column_defaults: dict | None = None, grid_options: dict | None = None,
              class_name: str = "ag-theme-alpine") -> dag.AgGrid:
    """The pages' table: sortable, filterable, CSV-exportable as `<grid_id>.csv`; its id is the pattern
    {"type": "grid", "index": grid_id} that the CSV button and the row-click callbacks use."""
    return dag.AgGrid(
        id={"type": "grid", "index": grid_id},
        rowData=table.to_dict("records"),
        columnDefs=columns,
        defaultColDef={**GRID_COLUMNS, **(column_defaults or {})},
        csvExportParams={"fileName": f"{grid_id}.csv"},
        dashGridOptions=grid_options or {"domLayout": "normal", "animateRows": False},
        **({"getRowId": f"params.data.{row_id}"} if row_id else {}),
        style={"height": height},
        className=class_name,
    )


def clicked_area(click_data) -> str | None:
    """The area code a click on a chart carries (its point's customdata), or None for anything else: no
    click, no point, a forged payload."""
    try:
        return str(click_data["points"][0]["customdata"])
    except (TypeError, KeyError, IndexError):
        return None


def chart_panel(panel_id: str, title: str, figure, metric: Metric, table: pd.DataFrame,
                columns: list[dict], lang: str, graph_id: str | None = None, row_id: str | None = None) -> html.Section:
    """A chart with the table behind it (sortable, filterable, CSV) and its definition, one click away."""
    grid = data_grid(panel_id, table, columns, row_id)
    return html.Section([
        html.H3(title),
        dcc.Tabs([
            dcc.Tab(label=t("tab_chart", lang), children=[
                dcc.Graph(id=graph_id or f"graph-{panel_id}", figure=figure,
                          config={"displaylogo": False, "locale": "vi" if lang != "en" else "en"})]),
            dcc.Tab(label=t("tab_table", lang), children=[
                html.Button(t("download_csv", lang), id={"type": "csv", "index": panel_id}, className="csv-button"),
                grid]),
            dcc.Tab(label=t("tab_about", lang), children=[definition(metric, lang)]),
        ], className="panel-tabs"),
    ], className="panel", id=f"panel-{panel_id}")


def message(text: str, kind: str = "error") -> html.Div:
    return html.Div(text, className=f"message {kind}", role="alert")


def style_chart(fig, lang: str, ytitle: str, pct: bool = False, horizontal: bool = False) -> None:
    """The pages' common chart look: Vietnamese separators and dates, shares as %, a horizontal legend."""
    fig.update_layout(separators=plotly_separators(lang), margin={"l": 10, "r": 10, "t": 20, "b": 10}, height=340,
                      plot_bgcolor="white", legend={"orientation": "h", "y": 1.12})
    axis = {"tickformat": ".0%" if pct else ",.0f", "gridcolor": "#eee"}
    if horizontal:
        fig.update_xaxes(**axis)
    else:
        fig.update_yaxes(**axis, title=None if pct else ytitle)
        fig.update_xaxes(tickformat="%d/%m/%Y" if lang != "en" else "%d %b %Y")

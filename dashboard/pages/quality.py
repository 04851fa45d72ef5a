"""Chất lượng dữ liệu (data quality): how much of what is on the platform can be trusted, area by area.

A scorecard of the week ending on the chosen day: one row per province (or per district of a province, or per
day of a district), one column per check, coloured, sortable; a row opens the area below. Beside it the ETL's
quarantine by rule and the outlier days. Formulas: dashboard/measures/quality.py and the catalogue's dq_* metrics.
"""

from __future__ import annotations

import re

import dash
import dash_ag_grid as dag
import pandas as pd
from dash import Input, Output, State, callback, dcc, html

from dashboard.access import data, scope
from dashboard.charts import quality as charts
from dashboard.components.drilldown import breadcrumb, resolve_area
from dashboard.components.frame import href
from dashboard.components.panels import card, chart_panel, clicked_area, data_grid, definition
from dashboard.i18n import fmt_date, fmt_int, fmt_pct, t
from dashboard.measures import quality as Q
from dashboard.measures.weeks import Week, week_ending
from dashboard.metrics import CATALOGUE
from dashboard.params import BadParameter, day, lang_of
from dashboard.reads import quality as reads
from dashboard.rendering import newest, render_page

dash.register_page(__name__, path="/quality", name="Chất lượng dữ liệu",
                   title="Chất lượng dữ liệu — chiến dịch tiêm chủng")

GRID, OUTLIER_GRAPH, DATE_PICK, STATE = "dq-scorecard", "dq-outliers", "dq-date", "dq-state"
OUTLIER_PANEL, QUARANTINE_PANEL, QUARANTINE_GRAPH = "dq-outliers", "dq-quarantine", "dq-quarantine-graph"
# Cell colours: (good when, warning when); anything else is bad. JavaScript expressions on the cell's value.
RULES = {
    "score": ("x >= 90", "x >= 75"), "fields": ("x >= 0.99", "x >= 0.95"), "timeliness": ("x >= 0.9", "x >= 0.7"),
    "report": ("x >= 1", "x >= 0.7"), "report_ratio": ("Math.abs(x - 1) <= 0.1", "false"),
    "stock": ("x >= 1", "false"), "stock_bad": ("x == 0", "false"), "dropout": ("x >= 1", "false"),
    "dropout_rate": ("x >= 0", "false"), "dropout_bad": ("x == 0", "false"),
    "outliers": ("x >= 0.99", "x >= 0.95"), "outlier_days": ("x == 0", "x <= 2"),
    "quarantine": ("x >= 0.995", "x >= 0.98"), "z": ("Math.abs(x) <= 3.5", "Math.abs(x) <= 5"),
}


def layout(lang: str | None = None, area: str | None = None, date: str | None = None, **_) -> html.Div:
    lang = lang_of(lang)
    query = {"lang": lang, "area": area, "date": date}
    return render_page("quality", "/quality", lang, query, _content)


def _content(lang: str, q: dict) -> tuple[list, str]:
    dx, sc = data(), scope()
    last, fresh = newest(lang)
    as_of = day(q["date"], last, "date")
    if not Q.FIRST_WEEK_END <= as_of <= last:
        raise BadParameter(f"date={as_of.isoformat()}")
    week = week_ending(as_of)
    areas = dx.query("areas", {}, sc)
    names = dict(zip(areas["area"], areas["name"]))
    area, level, province = resolve_area(areas, q["area"], sc)
    inputs = reads.check_inputs(dx, sc, level, area, province, week)
    now, before = Q.week_counts(*inputs, Q.districts_in_view(areas, level, area, province), week)
    flagged = Q.outliers(inputs.daily[["district", "day", "doses"]], week.start, week.end)
    if level == "district":
        grid = _day_grid(Q.district_days(inputs.daily, inputs.report, flagged, week.start, week.end), lang)
        outlier_panel = _district_panel(Q.daily_history(inputs.daily, week.start, week.end), flagged, lang)
    else:
        grid = _area_grid(Q.scorecard(now, before, "province" if level == "nation" else "district", names), lang)
        outlier_panel = _outlier_panel(Q.top_outliers(flagged, names), lang)
    daily, rules = reads.quarantine(dx, sc, level, area, province)
    weekly = Q.quarantine_weekly(daily)
    title = names.get(area, t("nation", lang))
    return [breadcrumb("/quality", q, names, area, level, province, lang, "dq-breadcrumb"),
            html.H2(f"{t('nav_quality', lang)} — {title} "
                    f"({t('dq_week', lang, start=fmt_date(week.start, lang), end=fmt_date(as_of, lang))})",
                    id="dq-title"),
            _controls(lang, area, as_of, last),
            html.Div(_cards(Q.area_total(now, area), Q.area_total(before, area), week.before(), lang),
                     className="cards"), grid,
            html.Div([outlier_panel, _quarantine_panel(weekly, rules, last, lang)], className="grid-2")], fresh


def _cards(total: pd.Series, total_before: pd.Series, before: Week, lang: str) -> list:
    def dec1(x: float) -> str:
        return f"{x:.1f}".replace(".", "," if lang != "en" else ".")

    return [
        card(t("dq_score", lang), dec1(total["score"]),
             [f"{t('dq_week', lang, start=fmt_date(before.start, lang), end=fmt_date(before.end, lang))}: "
              f"{dec1(total_before['score'])}"], lang=lang, card_id="dq-card-score"),
        card(t("dq_fields", lang), fmt_pct(total["fields"], lang, 2),
             [f"{t('dq_id_bad', lang)}: {fmt_int(total['id_bad'], lang)}",
              f"{t('dq_birth_missing', lang)}: {fmt_int(total['birth_missing'], lang)}",
              f"{t('dq_residence_missing', lang)}: {fmt_int(total['residence_missing'], lang)}"], lang=lang,
             card_id="dq-card-fields"),
        card(t("dq_timeliness", lang), fmt_pct(total["timeliness"], lang),
             [f"{t('dq_report_ratio', lang)}: {fmt_pct(total['report_ratio'], lang)}",
              f"{t('dq_report', lang)}: {fmt_pct(total['report'], lang, 0)}"], lang=lang, card_id="dq-card-timeliness"),
        card(t("dq_stock_bad", lang), fmt_int(total["stock_bad"], lang),
             [f"{t('dq_administered', lang)}: {fmt_int(total['administered'], lang)}",
              f"{t('dq_delivered', lang)}: {fmt_int(total['delivered'], lang)}",
              f"{t('dq_short_ledgers', lang)}: {fmt_int(total['short_ledgers'], lang)}"], lang=lang,
             card_id="dq-card-stock"),
        card(t("dq_dropout", lang), fmt_pct(total["dropout_rate"], lang),
             [f"{t('dq_dropout_bad', lang)}: {fmt_int(total['dropout_bad'], lang)}"], lang=lang,
             card_id="dq-card-dropout"),
        card(t("dq_outliers", lang), fmt_int(total["outlier_days"], lang),
             [f"{t('dq_extreme', lang)}: {fmt_int(total['extreme_days'], lang)}",
              f"{t('dq_quarantine', lang)}: {fmt_int(total['quarantined'], lang)}"], lang=lang,
             card_id="dq-card-outliers"),
    ]


def _controls(lang: str, area: str, as_of, last) -> html.Div:
    return html.Div([
        html.Label([t("as_of", lang), dcc.DatePickerSingle(
            id=DATE_PICK, date=as_of.isoformat(), display_format="DD/MM/YYYY", first_day_of_week=1,
            min_date_allowed=Q.FIRST_WEEK_END, max_date_allowed=last)]),
        dcc.Store(id=STATE, data={"lang": lang, "area": area, "date": as_of.isoformat()}),
    ], className="controls")


def _column(field: str, header: str, kind: str, lang: str, **extra) -> dict:
    """A grid column: numbers formatted the Vietnamese way in the browser, coloured by RULES."""
    col = {"field": field, "headerName": header, **extra}
    if kind != "text":
        col["type"] = "rightAligned"
        col["valueFormatter"] = {"function": f"dqFormat(params.value, '{kind}', '{lang}')"}
    if field in RULES:
        good, warn = (re.sub(r"\bx\b", "params.value", rule) for rule in RULES[field])
        col["cellClassRules"] = {
            "dq-good": f"params.value != null && ({good})",
            "dq-warn": f"params.value != null && !({good}) && ({warn})",
            "dq-bad": f"params.value != null && !({good}) && !({warn})",
        }
    return col


def _area_grid(rows: pd.DataFrame, lang: str) -> html.Section:
    c = _column
    columns = [
        c("area", "GSO", "text", lang, width=80, pinned="left"), c("name", t("area", lang), "text", lang,
                                                                    pinned="left", minWidth=170),
        c("score", t("dq_score", lang), "dec1", lang), c("rank", t("dq_rank", lang), "int", lang, width=90),
        c("rank_change", t("dq_rank_change", lang), "signed", lang, width=110),
        c("fields", t("dq_fields", lang), "pct2", lang), c("timeliness", t("dq_timeliness", lang), "pct", lang),
        c("report_ratio", t("dq_report_ratio", lang), "pct", lang), c("report", t("dq_report", lang), "pct0", lang),
        c("stock_bad", t("dq_stock_bad", lang), "int", lang), c("dropout_rate", t("dq_dropout", lang), "pct", lang),
        c("dropout_bad", t("dq_dropout_bad", lang), "int", lang),
        c("outlier_days", t("dq_outliers", lang), "int", lang), c("extreme_days", t("dq_extreme", lang), "int", lang),
        c("quarantine", t("dq_quarantine_share", lang), "pct2", lang),
        c("quarantined", t("dq_quarantine", lang), "int", lang), c("doses", t("doses", lang), "int", lang),
    ]
    # Every check's score rides along in the rows (the composite is their mean); the grid shows the counts.
    return _grid_section(GRID, t("dq_scorecard", lang), rows, columns, lang, "area", t("dq_click", lang))


def _day_grid(d: pd.DataFrame, lang: str) -> html.Section:
    """A district's days: the day-level values of the checks that have one."""
    d = d.assign(day=d["day"].astype(str))
    c = _column
    columns = [c("day", t("day", lang), "text", lang, pinned="left",
                 valueFormatter={"function": f"dqFormat(params.value, 'date', '{lang}')"}),
               c("doses", t("doses", lang), "int", lang), c("median", t("dq_median8w", lang), "dec1", lang),
               c("z", t("dq_z", lang), "dec2", lang), c("fields", t("dq_fields", lang), "pct2", lang),
               c("timeliness", t("dq_timeliness", lang), "pct", lang),
               c("report_ratio", t("dq_report_ratio", lang) + " (" + t("province", lang).lower() + ")", "pct", lang),
               c("quarantine", t("dq_quarantine_share", lang), "pct2", lang),
               c("quarantined", t("dq_quarantine", lang), "int", lang)]
    return _grid_section(GRID, t("dq_scorecard_days", lang), d[[col["field"] for col in columns]], columns, lang,
                         "day", None)


def _grid_section(grid_id: str, title: str, rows: pd.DataFrame, columns: list[dict], lang: str, row_id: str,
                  hint: str | None) -> html.Section:
    records = rows.astype(object).where(rows.notna(), None)  # JSON has no NaN
    grid = data_grid(grid_id, records, columns, row_id, height=f"{min(520, 100 + 42 * len(rows))}px",
                     column_defaults={"minWidth": 90, "wrapHeaderText": True, "autoHeaderHeight": True},
                     grid_options={"animateRows": False}, class_name="ag-theme-alpine dq-grid")
    metrics = ["dq_score", "dq_fields", "dq_timeliness", "dq_report", "dq_stock", "dq_dropout", "dq_outliers",
               "dq_quarantine"]
    return html.Section([
        html.H3(title), html.P(hint, className="hint") if hint else None,
        html.Button(t("download_csv", lang), id={"type": "csv", "index": grid_id}, className="csv-button"), grid,
        html.Details([html.Summary(t("tab_about", lang)), *[definition(CATALOGUE[m], lang) for m in metrics]],
                     className="definitions"),
    ], className="panel", id=f"panel-{grid_id}")


def _outlier_panel(top: pd.DataFrame, lang: str) -> html.Section:
    fields = ["district", "name", "day", "doses", "median", "z", "flag"]
    return chart_panel(OUTLIER_PANEL, t("dq_outliers_title", lang), charts.outliers_chart(top, lang),
                       CATALOGUE["dq_outliers"], _rounded(top)[fields], _cols(lang, fields), lang, OUTLIER_GRAPH)


def _district_panel(history: pd.Series, judged: pd.DataFrame, lang: str) -> html.Section:
    """A district's daily doses over the week and the 8 weeks before, the outlier days of the week marked."""
    fields = ["day", "doses", "median", "z", "flag"]
    return chart_panel(OUTLIER_PANEL, t("dq_daily_title", lang), charts.district_chart(history, judged, lang),
                       CATALOGUE["dq_outliers"], _rounded(judged)[fields], _cols(lang, fields), lang, OUTLIER_GRAPH)


def _rounded(days: pd.DataFrame) -> pd.DataFrame:
    """District-days of the outlier check as the table shows them."""
    return days.assign(day=days["day"].astype(str), z=days["z"].round(2), median=days["median"].round(1))


def _cols(lang: str, fields: list[str]) -> list[dict]:
    header = {"district": "GSO", "name": t("district", lang), "day": t("day", lang), "doses": t("doses", lang),
              "median": t("dq_median8w", lang), "z": t("dq_z", lang), "flag": t("dq_outliers", lang),
              "rule_id": t("dq_rule", lang), "text": t("dq_rule_text", lang), "action": t("dq_action", lang),
              "rows": t("dq_rows", lang)}
    return [{"field": f, "headerName": header[f], **({"flex": 1} if f == "text" else {})} for f in fields]


def _quarantine_panel(weekly: pd.DataFrame, rules: pd.DataFrame, last, lang: str) -> html.Section:
    table = Q.quarantine_by_rule(weekly, rules, "message_en" if lang == "en" else "message_vi")
    fields = ["rule_id", "text", "action", "rows"]
    return chart_panel(QUARANTINE_PANEL, t("dq_quarantine_title", lang), charts.quarantine_chart(weekly, last, lang),
                       CATALOGUE["dq_quarantine"], table[fields], _cols(lang, fields), lang, QUARANTINE_GRAPH)


def validation_stub() -> list:
    return [dcc.Graph(id=OUTLIER_GRAPH), dcc.DatePickerSingle(id=DATE_PICK), dcc.Store(id=STATE),
            dag.AgGrid(id={"type": "grid", "index": GRID})]


@callback(Output("url", "href", allow_duplicate=True),
          Input({"type": "grid", "index": GRID}, "cellClicked"), Input(OUTLIER_GRAPH, "clickData"),
          Input(DATE_PICK, "date"), State(STATE, "data"), prevent_initial_call=True)
def quality_navigate(cell, bar, chosen, state):
    """A scorecard row or an outlier bar opens that area (at the same date); a new date reopens the view."""
    state = state if isinstance(state, dict) else {}
    area, when = state.get("area") or "", state.get("date")
    trigger = dash.ctx.triggered_id
    try:
        if trigger == DATE_PICK:
            if (chosen or "")[:10] == when:
                return dash.no_update
            when = (chosen or "")[:10]
        elif trigger == OUTLIER_GRAPH:
            area = clicked_area(bar)
            if area is None:
                return dash.no_update
        else:
            area = str(cell["rowId"])
    except (TypeError, KeyError, IndexError):
        return dash.no_update
    if not (area == "" or (area.isdigit() and len(area) in (2, 3))):
        return dash.no_update  # a day row of a district: nothing below it
    return href("/quality", area=area, date=when, lang=state.get("lang"))

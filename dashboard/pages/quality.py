"""Chất lượng dữ liệu (data quality): how much of what is on the platform can be trusted, area by area.

A scorecard of the week ending on the chosen day: one row per province (or per district of a province, or per
day of a district), one column per check, coloured, sortable; a row opens the area below. Beside it the ETL's
quarantine by rule and the outlier days. Formulas: dashboard/quality.py and the catalogue's dq_* metrics.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

import dash
import dash_ag_grid as dag
import pandas as pd
import plotly.graph_objects as go
from dash import Input, Output, State, callback, dcc, html

from common.vocabulary import CAMPAIGN_START
from dashboard import quality as Q
from dashboard.components.panels import card, chart_panel, clicked_area, data_grid, definition
from dashboard.context import BadParameter, data, day, lang_of, scope
from dashboard.i18n import fmt_date, fmt_int, fmt_pct, plotly_separators, t
from dashboard.metrics import CATALOGUE
from dashboard.pagekit import breadcrumb, newest, render_page, resolve_area
from dashboard.shell import href

dash.register_page(__name__, path="/quality", name="Chất lượng dữ liệu",
                   title="Chất lượng dữ liệu — chiến dịch tiêm chủng")

GRID, OUTLIER_GRID, DATE_PICK = "dq-scorecard", "dq-outliers", "dq-date"
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
    if not CAMPAIGN_START + timedelta(days=Q.WEEK) <= as_of <= last:
        raise BadParameter(f"date={as_of.isoformat()}")
    start, prev_end, prev_start = as_of - timedelta(days=6), as_of - timedelta(days=7), as_of - timedelta(days=13)
    areas = dx.query("areas", {}, sc)
    names = dict(zip(areas["area"], areas["name"]))
    area, level, province = resolve_area(areas, q["area"], sc)
    where = {"province": province, "district": area if level == "district" else None}

    daily = dx.query("dq_daily", {**where, "date_from": prev_start - timedelta(days=Q.OUTLIER_HISTORY),
                                  "date_to": as_of}, sc)
    report = dx.query("dq_report", {"province": province, "date_from": prev_start, "date_to": as_of}, sc)
    districts = areas.loc[areas["level"] == "district", ["area", "province"]].rename(columns={"area": "code"})
    if province:
        districts = districts[districts["province"] == province]
    if level == "district":
        districts = districts[districts["code"] == area]

    stock = dx.query("dq_stock", {**where, "as_of": as_of, "before": prev_end}, sc)
    drop = dx.query("dq_dropout", {**where, "as_of": as_of, "before": prev_end}, sc)
    now = Q.district_checks(daily, report, stock, drop, districts, start, as_of)
    before = Q.district_checks(daily, report, Q.week_before(stock), Q.week_before(drop), districts, prev_start,
                               prev_end)
    total = Q.scores(now.assign(all=area), "all").iloc[0]
    total_before = Q.scores(before.assign(all=area), "all").iloc[0]

    cards = [
        card(t("dq_score", lang), f"{total['score']:.1f}".replace(".", "," if lang != "en" else "."),
             [f"{t('dq_week', lang, start=fmt_date(prev_start, lang), end=fmt_date(prev_end, lang))}: "
              f"{total_before['score']:.1f}".replace(".", "," if lang != "en" else ".")], lang=lang,
             card_id="dq-card-score"),
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
              f"{t('dq_delivered', lang)}: {fmt_int(total['delivered'], lang)}"], lang=lang, card_id="dq-card-stock"),
        card(t("dq_dropout", lang), fmt_pct(total["dropout_rate"], lang),
             [f"{t('dq_dropout_bad', lang)}: {fmt_int(total['dropout_bad'], lang)}"], lang=lang,
             card_id="dq-card-dropout"),
        card(t("dq_outliers", lang), fmt_int(total["outlier_days"], lang),
             [f"{t('dq_extreme', lang)}: {fmt_int(total['extreme_days'], lang)}",
              f"{t('dq_quarantine', lang)}: {fmt_int(total['quarantined'], lang)}"], lang=lang,
             card_id="dq-card-outliers"),
    ]

    flagged = Q.outliers(daily[["district", "day", "doses"]], start, as_of)
    if level == "district":
        grid = _day_grid(daily, report, flagged, start, as_of, lang)
        outlier_panel = _district_chart(daily, area, start, as_of, lang)
    else:
        by = "province" if level == "nation" else "district"
        rows = Q.with_rank(Q.scores(now, by), Q.scores(before, by))
        rows.insert(1, "name", rows["area"].map(names))
        grid = _area_grid(rows, lang)
        outlier_panel = _outlier_panel(flagged, names, lang)
    weekly = dx.query("quarantine_weekly", where, sc)
    rules = dx.query("rules", {}, sc)
    panels = [outlier_panel, _quarantine_panel(weekly, rules, last, lang)]

    controls = html.Div([
        html.Label([t("as_of", lang), dcc.DatePickerSingle(
            id=DATE_PICK, date=as_of.isoformat(), display_format="DD/MM/YYYY", first_day_of_week=1,
            min_date_allowed=CAMPAIGN_START + timedelta(days=Q.WEEK), max_date_allowed=last)]),
        dcc.Store(id="dq-state", data={"lang": lang, "area": area, "date": as_of.isoformat()}),
    ], className="controls")
    title = names.get(area, t("nation", lang))
    return [breadcrumb("/quality", q, names, area, level, province, lang, "dq-breadcrumb"),
            html.H2(f"{t('nav_quality', lang)} — {title} "
                    f"({t('dq_week', lang, start=fmt_date(start, lang), end=fmt_date(as_of, lang))})", id="dq-title"),
            controls, html.Div(cards, className="cards"), grid,
            html.Div(panels, className="grid-2")], fresh


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


def _day_grid(daily: pd.DataFrame, report: pd.DataFrame, flagged: pd.DataFrame, start: date, end: date,
              lang: str) -> html.Section:
    """A district's days: the day-level values of the checks that have one."""
    days = pd.DataFrame({"day": pd.date_range(start, end).date})
    d = days.merge(daily.groupby("day")[["doses", "within_1", "incomplete", "quarantined"]].sum().reset_index(),
                   on="day", how="left").fillna(0)
    d["fields"] = ((d["doses"] - d["incomplete"]) / d["doses"]).where(d["doses"] > 0)
    d["timeliness"] = (d["within_1"] / d["doses"]).where(d["doses"] > 0)
    rep = report.groupby("day")[["platform_doses", "reported_doses"]].sum()
    d["report_ratio"] = d["day"].map(rep["platform_doses"] / rep["reported_doses"].where(rep["reported_doses"] > 0))
    z = flagged.groupby("day")["z"].first()
    d["z"] = d["day"].map(z)
    d["median"] = d["day"].map(flagged.groupby("day")["median"].first())
    d["quarantine"] = (d["doses"] / (d["doses"] + d["quarantined"])).where(d["doses"] + d["quarantined"] > 0)
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


def _outlier_panel(flagged: pd.DataFrame, names: dict, lang: str) -> html.Section:
    top = flagged[flagged["flag"] != ""].copy()
    top["abs"] = top["z"].abs()
    top = top.sort_values("abs", ascending=False).head(200)
    top["name"] = top["district"].map(names)
    top["label"] = top["name"] + " · " + top["day"].map(lambda d: fmt_date(d, lang))
    shown = top.head(20).iloc[::-1]
    fig = go.Figure(go.Bar(
        y=shown["label"], x=shown["z"], orientation="h", customdata=shown["district"],
        marker_color=["#922b21" if f == "extreme" else "#e67e22" for f in shown["flag"]],
        hovertemplate="%{y}: z = %{x:.1f}<extra></extra>"))
    for x in (-Q.Z_EXTREME, -Q.Z_FLAG, Q.Z_FLAG, Q.Z_EXTREME):
        fig.add_vline(x=x, line_dash="dot", line_color="#999")
    _style(fig, lang, height=max(340, 18 * len(shown) + 80))
    if shown.empty:
        fig.add_annotation(text=t("dq_no_outliers", lang), showarrow=False, x=0, y=0.5, yref="paper",
                           font={"size": 14, "color": "#117a65"})
    table = top.assign(day=top["day"].astype(str), z=top["z"].round(2), median=top["median"].round(1))
    cols = [{"field": "district", "headerName": "GSO"}, {"field": "name", "headerName": t("district", lang)},
            {"field": "day", "headerName": t("day", lang)}, {"field": "doses", "headerName": t("doses", lang)},
            {"field": "median", "headerName": t("dq_median8w", lang)}, {"field": "z", "headerName": t("dq_z", lang)},
            {"field": "flag", "headerName": t("dq_outliers", lang)}]
    return chart_panel("dq-outliers", t("dq_outliers_title", lang), fig, CATALOGUE["dq_outliers"],
                       table[["district", "name", "day", "doses", "median", "z", "flag"]], cols, lang, OUTLIER_GRID)


def _district_chart(daily: pd.DataFrame, district: str, start: date, end: date, lang: str) -> html.Section:
    """A district's daily doses over the week and the 8 weeks before, the outlier days of the week marked."""
    days = pd.date_range(start - timedelta(days=Q.OUTLIER_HISTORY), end).date
    series = daily.groupby("day")["doses"].sum().reindex(days, fill_value=0)
    judged = Q.outliers(daily[["district", "day", "doses"]], start, end)
    marks = judged[judged["flag"] != ""]
    fig = go.Figure([
        go.Bar(x=list(series.index), y=series.to_numpy(), name=t("doses", lang), marker_color="#7fb3d5",
               hovertemplate="%{x|%d/%m/%Y}: %{y:,.0f}<extra></extra>"),
        go.Scatter(x=judged["day"], y=judged["median"], name=t("dq_median8w", lang), mode="lines",
                   line={"color": "#1b4f72", "dash": "dot"}),
        go.Scatter(x=marks["day"], y=marks["doses"], name=t("dq_outliers", lang), mode="markers",
                   marker={"color": "#c0392b", "size": 12, "symbol": "x"}),
    ])
    _style(fig, lang, dates=True)
    table = judged.assign(day=judged["day"].astype(str), z=judged["z"].round(2), median=judged["median"].round(1))
    cols = [{"field": "day", "headerName": t("day", lang)}, {"field": "doses", "headerName": t("doses", lang)},
            {"field": "median", "headerName": t("dq_median8w", lang)}, {"field": "z", "headerName": t("dq_z", lang)},
            {"field": "flag", "headerName": t("dq_outliers", lang)}]
    return chart_panel("dq-outliers", t("dq_daily_title", lang), fig, CATALOGUE["dq_outliers"],
                       table[["day", "doses", "median", "z", "flag"]], cols, lang, OUTLIER_GRID)


def _quarantine_panel(weekly: pd.DataFrame, rules: pd.DataFrame, last: date, lang: str) -> html.Section:
    text = "message_en" if lang == "en" else "message_vi"
    fig = go.Figure()
    for rule_id, part in weekly.groupby("rule_id"):
        fig.add_bar(x=part["week"], y=part["rows"], name=rule_id, hovertext=part[text],
                    hovertemplate="%{x|%d/%m/%Y} · " + rule_id + ": %{y:,.0f}<br>%{hovertext}<extra></extra>")
    fig.update_layout(barmode="stack")
    _style(fig, lang, dates=True)
    # Rows dated before the campaign or in the future are what D03/D04 catch: counted in the table, off the axis.
    fig.update_xaxes(range=[CAMPAIGN_START - timedelta(days=7), last + timedelta(days=7)])
    totals = weekly.groupby("rule_id")["rows"].sum()
    table = rules.assign(rows=rules["rule_id"].map(totals).fillna(0).astype(int),
                         text=rules[text], action=rules["action"])
    cols = [{"field": "rule_id", "headerName": t("dq_rule", lang)},
            {"field": "text", "headerName": t("dq_rule_text", lang), "flex": 1},
            {"field": "action", "headerName": t("dq_action", lang)},
            {"field": "rows", "headerName": t("dq_rows", lang)}]
    return chart_panel("dq-quarantine", t("dq_quarantine_title", lang), fig, CATALOGUE["dq_quarantine"],
                       table[["rule_id", "text", "action", "rows"]], cols, lang, "dq-quarantine-graph")


def _style(fig: go.Figure, lang: str, height: int = 340, dates: bool = False) -> None:
    fig.update_layout(separators=plotly_separators(lang), margin={"l": 10, "r": 10, "t": 20, "b": 10}, height=height,
                      plot_bgcolor="white", legend={"orientation": "h", "y": 1.12})
    fig.update_yaxes(gridcolor="#eee")
    if dates:
        fig.update_xaxes(tickformat="%d/%m/%Y" if lang != "en" else "%d %b %Y")


def validation_stub() -> list:
    return [dcc.Graph(id=OUTLIER_GRID), dcc.DatePickerSingle(id=DATE_PICK), dcc.Store(id="dq-state"),
            dag.AgGrid(id={"type": "grid", "index": GRID})]


@callback(Output("url", "href", allow_duplicate=True),
          Input({"type": "grid", "index": GRID}, "cellClicked"), Input(OUTLIER_GRID, "clickData"),
          Input(DATE_PICK, "date"), State("dq-state", "data"), prevent_initial_call=True)
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
        elif trigger == OUTLIER_GRID:
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

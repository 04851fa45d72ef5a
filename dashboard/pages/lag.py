"""Độ trễ nhập liệu (recording lag): how much is not on the platform yet, and who enters late."""

from __future__ import annotations

from datetime import date

import dash
import pandas as pd
from dash import Input, Output, State, callback, dcc, html

from common.vocabulary import CAMPAIGN_START
from dashboard.access import data, scope
from dashboard.charts import lag as charts
from dashboard.components.drilldown import breadcrumb, resolve_area
from dashboard.components.frame import href
from dashboard.components.panels import card, chart_panel
from dashboard.i18n import fmt_date, fmt_int, fmt_pct, lag_label, t
from dashboard.measures import lag as M
from dashboard.metrics import CATALOGUE
from dashboard.params import BadParameter, day, lang_of
from dashboard.reads import lag as reads
from dashboard.rendering import newest, render_page

dash.register_page(__name__, path="/lag", name="Độ trễ nhập liệu", title="Độ trễ nhập liệu — chiến dịch tiêm chủng")

RANK_GRAPH, FROM_PICK, TO_PICK = "lag-rank", "lag-from", "lag-to"
SITE_RANK_GRAPH = "lag-site-rank-graph"  # no drill-down: sites are the bottom
STATE = "lag-state"
DEFAULT_FROM = date(2021, 7, 1)


def layout(lang: str | None = None, area: str | None = None, date_from: str | None = None,
           date_to: str | None = None, **_) -> html.Div:
    lang = lang_of(lang)
    query = {"lang": lang, "area": area, "date_from": date_from, "date_to": date_to}
    return render_page("lag", "/lag", lang, query, _content)


def _content(lang: str, q: dict) -> tuple[list, str]:
    dx, sc = data(), scope()
    last, fresh = newest(lang)
    date_to = day(q["date_to"], last, "date_to")
    date_from = day(q["date_from"], min(DEFAULT_FROM, date_to), "date_from", latest=last)
    if date_from > date_to:
        raise BadParameter(f"date_from={date_from} > date_to={date_to}")
    areas = dx.query("areas", {}, sc)
    names = dict(zip(areas["area"], areas["name"]))
    area, level, province = resolve_area(areas, q["area"], sc)

    lag_all = reads.lag_daily(dx, sc, level, area, province)
    daily = lag_all[(lag_all["day"] >= date_from) & (lag_all["day"] <= date_to)]
    weekly = M.weekly_lag(daily)
    cards = _cards(M.lag_summary(daily.groupby("bucket")["doses"].sum()), M.rule_violations(daily), lang)
    panels = [_shares_panel(weekly, lang)]
    if level != "district":  # the hand reports are the provinces'
        extra_card, extra_panel = _completeness(
            M.completeness(reads.hand_reports(dx, sc, province), date_from, date_to), lang)
        cards.append(extra_card)
        panels.append(extra_panel)
    panels.append(chart_panel("lag-violations", t("violations_title", lang), charts.violations_chart(weekly, lang),
                              CATALOGUE["rule_violations"],
                              weekly.assign(week=weekly["week"].astype(str))[["week", "doses", "late"]],
                              _cols(lang, ["week", "doses", "late"]), lang, "lag-violations-graph"))
    # Nowcast at the newest data day: what the platform holds now for recent days, and what it will hold.
    nc = M.nowcast(lag_all, last, days=21)
    panels.append(chart_panel("lag-nowcast", t("nowcast_title", lang), charts.nowcast_chart(nc, lang),
                              CATALOGUE["nowcast"], nc.assign(day=nc["day"].astype(str)).round(3),
                              _cols(lang, ["day", "raw", "complete_share", "expected", "low", "high"]), lang,
                              "lag-nowcast-graph"))
    panels.append(_ranking_panel(dx, sc, level, area, province, names, date_from, date_to, lang))
    title = names.get(area, t("nation", lang))
    return [breadcrumb("/lag", q, names, area, level, province, lang, "lag-breadcrumb"),
            html.H2(f"{t('nav_lag', lang)} — {title} ({fmt_date(date_from, lang)} – {fmt_date(date_to, lang)})",
                    id="lag-title"),
            _controls(lang, area, date_from, date_to, last), html.Div(cards, className="cards"),
            *[html.Div(panels[i:i + 2], className="grid-2") for i in range(0, len(panels), 2)]], fresh


def _cards(summary: dict, rule: dict, lang: str) -> list:
    return [
        card(t("same_day", lang), fmt_pct(summary["same_day"], lang),
             [f"{t(k, lang)}: {fmt_pct(summary[k], lang)}" for k in ("within_1", "within_3", "within_7")],
             lang=lang, card_id="lag-card-share"),
        card(t("median_lag", lang), lag_label(summary["median"], lang),
             [f"{t('p90_lag', lang)}: {lag_label(summary['p90'], lang)}",
              f"{t('doses', lang)}: {fmt_int(summary['doses'], lang)}"], lang=lang, card_id="lag-card-median"),
        card(t("violations", lang), fmt_int(rule["violations"], lang), [fmt_pct(rule["share"], lang)], lang=lang,
             card_id="lag-card-violations"),
    ]


def _completeness(measured: tuple[pd.DataFrame, dict], lang: str) -> tuple[html.Div, html.Section]:
    """The completeness card (the period's last 7 days) and the weekly chart, platform vs the hand reports."""
    weeks, last7 = measured
    return (card(t("completeness", lang), fmt_pct(last7["share"], lang),
                 [f"{fmt_int(last7['platform'], lang)} / {fmt_int(last7['reported'], lang)}"], lang=lang,
                 card_id="lag-card-completeness"),
            chart_panel("lag-completeness", t("completeness_title", lang), charts.completeness_chart(weeks, lang),
                        CATALOGUE["completeness"], weeks.assign(week=weeks["week"].astype(str)).round(4),
                        _cols(lang, ["week", "platform_doses", "reported_doses", "completeness"]), lang,
                        "lag-completeness-graph"))


def _shares_panel(weekly: pd.DataFrame, lang: str) -> html.Section:
    return chart_panel("lag-shares", t("lag_share_title", lang), charts.shares_chart(weekly, lang),
                       CATALOGUE["lag_shares"], weekly.assign(week=weekly["week"].astype(str)).round(4),
                       _cols(lang, list(M.WEEK_COLUMNS)), lang, "lag-shares-graph")


def _ranking_panel(dx, sc, level: str, area: str, province: str | None, names: dict, date_from: date,
                   date_to: date, lang: str) -> html.Section:
    """Who enters late: the provinces of the nation, the districts of a province, the sites of a district."""
    if level == "district":
        by_area = reads.lag_by_site(dx, sc, area, date_from, date_to)
        names = dict(zip(by_area["area"], by_area["name"]))
        panel_id, title, header, graph_id = "lag-site-rank", "lag_site_rank_title", "site", SITE_RANK_GRAPH
    else:
        by_area = reads.lag_by_area(dx, sc, province, date_from, date_to)
        panel_id, title, header, graph_id = "lag-rank", "lag_rank_title", "area", RANK_GRAPH
    rank = M.area_ranking(by_area, names)
    fig = charts.ranking_chart(rank, lang)
    rank = rank.assign(median=[lag_label(b, lang) for b in rank["median"]],
                       p90=[lag_label(b, lang) for b in rank["p90"]])
    columns = _cols(lang, ["area", "name", "doses", "within_1", "median", "p90"])
    columns[1]["headerName"] = t(header, lang)
    return chart_panel(panel_id, t(title, lang), fig, CATALOGUE["lag_percentiles"], rank.round(4), columns, lang,
                       graph_id, row_id="area")


def _controls(lang: str, area: str, date_from: date, date_to: date, last: date) -> html.Div:
    return html.Div([
        html.Label([t("period", lang), dcc.DatePickerRange(
            id=FROM_PICK, start_date=date_from.isoformat(), end_date=date_to.isoformat(),
            display_format="DD/MM/YYYY", min_date_allowed=CAMPAIGN_START, max_date_allowed=last,
            first_day_of_week=1)]),
        dcc.Store(id=STATE, data={"lang": lang, "area": area, "date_from": date_from.isoformat(),
                                  "date_to": date_to.isoformat()}),
    ], className="controls")


def _cols(lang: str, fields: list[str]) -> list[dict]:
    header = {"week": t("week", lang), "doses": t("doses", lang), "same_day": t("same_day", lang),
              "within_1": t("within_1", lang), "within_3": t("within_3", lang), "within_7": t("within_7", lang),
              "late": t("late_doses", lang), "platform_doses": t("doses", lang) + " (platform)",
              "reported_doses": t("doses", lang) + " (báo cáo)" if lang != "en" else "Doses (reported)",
              "completeness": t("completeness", lang), "area": "GSO", "name": t("area", lang),
              "median": t("median_lag", lang), "p90": t("p90_lag", lang), "day": t("day", lang),
              "raw": t("entered", lang), "complete_share": "F(a)", "expected": t("expected_final", lang),
              "low": "−95%", "high": "+95%"}
    return [{"field": f, "headerName": header[f]} for f in fields]


def validation_stub() -> list:
    return [dcc.Graph(id=RANK_GRAPH), dcc.DatePickerRange(id=FROM_PICK), dcc.Store(id=STATE)]


@callback(Output("url", "href", allow_duplicate=True),
          Input(RANK_GRAPH, "clickData"), Input(FROM_PICK, "start_date"), Input(FROM_PICK, "end_date"),
          State(STATE, "data"), prevent_initial_call=True)
def lag_navigate(click, start, end, state):
    """A bar opens the area below; a changed period opens it for the same area."""
    state = state if isinstance(state, dict) else {}
    area = state.get("area")
    if dash.ctx.triggered_id == RANK_GRAPH:
        try:
            code = str(click["points"][0]["customdata"])
        except (TypeError, KeyError, IndexError):
            return dash.no_update
        if not (code.isdigit() and len(code) in (2, 3)):
            return dash.no_update
        area = code
    elif (start or "")[:10] == state.get("date_from") and (end or "")[:10] == state.get("date_to"):
        return dash.no_update
    return href("/lag", area=area, date_from=(start or "")[:10], date_to=(end or "")[:10], lang=state.get("lang"))

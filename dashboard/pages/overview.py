"""Tổng quan (overview) for ministry leaders: where the campaign stands against each target, as of a date."""

from __future__ import annotations

import dash
import pandas as pd
from dash import Input, Output, State, callback, dcc, html

from dashboard.access import data, scope
from dashboard.charts import coverage as charts
from dashboard.charts import overview as overview_charts
from dashboard.components.frame import href
from dashboard.components.panels import card, chart_panel, clicked_area
from dashboard.components.targets import target_card
from dashboard.components.tilemap import tile_map
from dashboard.i18n import fmt_date, fmt_int, t
from dashboard.measures import coverage as C
from dashboard.measures.lag import nowcast
from dashboard.metrics import CATALOGUE
from dashboard.params import choice, day, lang_of
from dashboard.reads import overview as R
from dashboard.rendering import newest, render_page

dash.register_page(__name__, path="/", name="Tổng quan", title="Tổng quan — chiến dịch tiêm chủng")

MAP_METRICS = {"adults_first": ("18+", "first", "adults_first"), "adults_full": ("18+", "full", "adults_full"),
               "population_full": ("total", "full", "population_full")}
MAP_TARGETS = {"adults_first": "adults_first_2021", "adults_full": "adults_full_2021",
               "population_full": "population_full_q1_2022"}  # the target a map metric's pace is judged by
MAP_GRAPH, RANK_GRAPH, METRIC_PICK, DATE_PICK = "overview-map", "overview-rank", "overview-metric", "overview-date"
DAILY_GRAPH, COVERAGE_GRAPH, STATE = "overview-daily", "overview-coverage", "overview-lang"


def layout(lang: str | None = None, date: str | None = None, metric: str | None = None, **_) -> html.Div:
    lang = lang_of(lang)
    query = {"lang": lang, "date": date, "metric": metric}
    return render_page("overview", "/", lang, query, _content)


def _content(lang: str, q: dict) -> tuple[list, str]:
    dx, sc = data(), scope()
    last, fresh = newest(lang)
    as_of = day(q["date"], last)
    metric_key = choice(q["metric"], tuple(MAP_METRICS), "adults_first", "metric")
    doses = C.doses_series(R.daily_doses(dx, sc), as_of)
    views = C.target_views(R.targets(dx, sc), R.daily_people(dx, sc), R.population(dx, sc), as_of)
    # recent days are incomplete until late entries arrive: the nowcast says by how much
    nc = nowcast(R.lag_daily(dx, sc), last, days=14) if as_of == last else None
    names = R.province_names(dx, sc)
    cov, metric_label = _provinces(dx, sc, views, metric_key, as_of, names, lang)
    title = t("nav_overview", lang) + " — " + (names.get(sc.province, "") if sc.province else t("nation", lang))
    return [
        html.H2(title), _controls(as_of, last, metric_key, lang),
        html.Div([_doses_card(doses, nc, as_of, lang), *[target_card(v, lang) for v in views.values()]],
                 className="cards"),
        html.Div([_doses_panel(doses, nc, lang), _paths_panel(views, lang)], className="grid-2"),
        html.Div(_province_panels(cov, names, metric_key, metric_label, lang), className="grid-2"),
        html.P(t("click_to_drill", lang), className="hint"),
    ], fresh


def _provinces(dx, sc, views: dict, metric_key: str, as_of, names: dict, lang: str) -> tuple[pd.DataFrame, str]:
    """The provinces' coverage of the chosen metric, each marked behind the pace its target needs."""
    group, milestone, label_key = MAP_METRICS[metric_key]
    cov = C.area_coverage(R.province_people(dx, sc, as_of), R.province_population(dx, sc), milestone, group)
    target = views[MAP_TARGETS[metric_key]].target if MAP_TARGETS[metric_key] in views else None
    cov["behind"] = C.behind_pace(cov, None if target is None else target["threshold"],
                                  None if target is None else target["deadline"], as_of)
    cov["name"] = cov["area"].map(names)
    return cov, t(label_key, lang)


def _doses_card(doses: pd.DataFrame, nc: pd.DataFrame | None, as_of, lang: str) -> html.Div:
    upto = C.doses_upto(doses, as_of)
    day_line = f"{t('doses_day', lang)} {fmt_date(as_of, lang)}: {fmt_int(upto['on_day'], lang)}"
    if nc is not None and nc["complete_share"].iloc[-1] < 0.99:
        day_line += f" ({t('incomplete_note', lang, n=fmt_int(nc['expected'].iloc[-1], lang))})"
    return card(t("doses_total", lang), fmt_int(upto["total"], lang),
                [day_line, f"{t('doses_7d', lang)}: {fmt_int(upto['avg7'], lang)}"], lang=lang,
                card_id="card-doses-total")


def _doses_panel(doses: pd.DataFrame, nc: pd.DataFrame | None, lang: str) -> html.Section:
    cols = _columns(lang)
    return chart_panel("daily-doses", t("daily_doses_title", lang), charts.daily_doses(doses, lang, nc),
                       CATALOGUE["doses_administered"],
                       doses.assign(day=doses["day"].astype(str), avg7=doses["avg7"].round(1)),
                       [cols["day"], cols["doses"], cols["avg7"]], lang, DAILY_GRAPH)


def _paths_panel(views: dict, lang: str) -> html.Section:
    lines = C.target_lines(views)
    for line in lines:
        line["name"] = line["target"]["label_en"] if lang == "en" else line["target"]["label_vi"]
    table = C.target_lines_table(lines)
    columns = [_columns(lang)["day"]] + [{"field": c, "headerName": c} for c in table.columns[1:]]
    return chart_panel("coverage-path", t("coverage_title", lang), overview_charts.coverage_paths(lines, lang),
                       CATALOGUE["target_progress"], table, columns, lang, COVERAGE_GRAPH)


def _province_panels(cov: pd.DataFrame, names: dict, metric_key: str, metric_label: str, lang: str) -> list:
    metric_def = CATALOGUE[{"first": "coverage_first", "full": "coverage_full"}[MAP_METRICS[metric_key][1]]]
    table = cov.assign(coverage=cov["coverage"].round(4))[["area", "name", "people", "population", "coverage",
                                                           "last7", "behind"]]
    cols = _columns(lang)
    return [
        chart_panel("province-map", t("map_title", lang, metric=metric_label), tile_map(cov, names, metric_label, lang),
                    metric_def, table, [cols["area"], cols["name"], cols["people"], cols["population"],
                                        cols["coverage"]], lang, MAP_GRAPH),
        chart_panel("province-rank", t("rank_title", lang, metric=metric_label),
                    overview_charts.province_rank(cov, metric_label, lang), metric_def, table,
                    [cols["name"], cols["coverage"], cols["last7"], cols["behind"]], lang, RANK_GRAPH),
    ]


def _controls(as_of, last, metric_key: str, lang: str) -> html.Div:
    return html.Div([
        html.Label([t("as_of", lang), dcc.DatePickerSingle(
            id=DATE_PICK, date=as_of.isoformat(), display_format="DD/MM/YYYY", first_day_of_week=1,
            min_date_allowed=C.CAMPAIGN_START, max_date_allowed=last)]),
        html.Label([t("coverage", lang), dcc.Dropdown(
            id=METRIC_PICK, value=metric_key, clearable=False, searchable=False,
            options=[{"label": t(v[2], lang), "value": k} for k, v in MAP_METRICS.items()])]),
        dcc.Store(id=STATE, data={"lang": lang, "date": as_of.isoformat(), "metric": metric_key}),
    ], className="controls")


def validation_stub() -> list:
    """The components this page's callbacks use, for Dash's validation layout (no database needed)."""
    return [dcc.Graph(id=MAP_GRAPH), dcc.Graph(id=RANK_GRAPH), dcc.Store(id=STATE),
            dcc.DatePickerSingle(id=DATE_PICK), dcc.Dropdown(id=METRIC_PICK)]


def _columns(lang: str) -> dict[str, dict]:
    num = {"type": "rightAligned"}
    return {
        "day": {"field": "day", "headerName": t("day", lang)},
        "doses": {"field": "doses", "headerName": t("doses", lang), **num},
        "avg7": {"field": "avg7", "headerName": t("avg7", lang), **num},
        "area": {"field": "area", "headerName": "GSO"},
        "name": {"field": "name", "headerName": t("province", lang)},
        "people": {"field": "people", "headerName": t("people", lang), **num},
        "population": {"field": "population", "headerName": t("population", lang), **num},
        "coverage": {"field": "coverage", "headerName": t("coverage", lang), **num},
        "last7": {"field": "last7", "headerName": "7 " + ("ngày qua" if lang != "en" else "days"), **num},
        "behind": {"field": "behind", "headerName": t("behind_pace", lang)},
    }


@callback(Output("url", "href", allow_duplicate=True),
          Input(MAP_GRAPH, "clickData"), Input(RANK_GRAPH, "clickData"),
          State(STATE, "data"), State(DATE_PICK, "date"), State(METRIC_PICK, "value"),
          prevent_initial_call=True)
def drill_to_province(map_click, rank_click, shown, date_value, metric):
    """A province tile or bar opens its districts on the coverage page."""
    code = clicked_area(map_click if dash.ctx.triggered_id == MAP_GRAPH else rank_click)
    if code is None or not (len(code) == 2 and code.isdigit()):
        return dash.no_update
    group, milestone, _ = MAP_METRICS.get(metric, MAP_METRICS["adults_first"])
    lang = shown.get("lang") if isinstance(shown, dict) else None
    return href("/coverage", area=code, group=group, milestone=milestone, date=(date_value or "")[:10], lang=lang)


@callback(Output("url", "href", allow_duplicate=True),
          Input(DATE_PICK, "date"), Input(METRIC_PICK, "value"), State(STATE, "data"),
          prevent_initial_call=True)
def filters_to_url(date_value, metric, shown):
    """A changed filter opens its view; the filters' own first report of what is shown does nothing."""
    shown = shown if isinstance(shown, dict) else {}
    date_value = (date_value or "")[:10]
    if metric not in MAP_METRICS or (date_value == shown.get("date") and metric == shown.get("metric")):
        return dash.no_update
    return href("/", date=date_value, metric=metric, lang=shown.get("lang"))

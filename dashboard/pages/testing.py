"""Xét nghiệm (testing): samples and people tested, positivity against WHO's 5%, turnaround by laboratory, the
laboratories' backlog by age, the areas with the highest positivity, and positivity beside vaccination coverage;
nation -> province -> district, and one laboratory's samples (?lab=). The URL holds the view (area, lab, date)."""

from __future__ import annotations

from datetime import date, timedelta

import dash
import dash_ag_grid as dag
import pandas as pd
from dash import Input, Output, State, callback, dcc, html

from common.vocabulary import CAMPAIGN_START
from dashboard.access import data, scope
from dashboard.charts import testing as charts
from dashboard.components.drilldown import breadcrumb, resolve_area
from dashboard.components.frame import href
from dashboard.components.panels import card, chart_panel, clicked_area
from dashboard.i18n import fmt_date, fmt_dec, fmt_hours, fmt_int, fmt_pct, t
from dashboard.measures import testing as M
from dashboard.metrics import CATALOGUE
from dashboard.params import BadParameter, day, lang_of
from dashboard.reads import testing as reads
from dashboard.rendering import newest, render_page

dash.register_page(__name__, path="/testing", name="Xét nghiệm", title="Xét nghiệm — chiến dịch tiêm chủng")

AREA_GRAPH, COVERAGE_GRAPH, LAB_GRAPH, BACKLOG_GRAPH = ("testing-areas", "testing-coverage", "testing-labs",
                                                        "testing-backlog")
DATE_PICK, LAB_PICK, STATE = "testing-date", "testing-lab", "testing-state"
# the tables behind the clickable charts: a clicked row opens the same as a clicked bar
AREA_GRID, COVERAGE_GRID = {"type": "grid", "index": "testing-areas"}, {"type": "grid", "index": "testing-coverage"}
LAB_GRID, BACKLOG_GRID = {"type": "grid", "index": "testing-labs"}, {"type": "grid", "index": "testing-backlog"}
SHOWN_DAYS = 180  # the charts over time show the half year to the chosen day, as the supply page's
AGE_LABELS = [label for label, _, _ in M.AGE_BANDS]


def layout(lang: str | None = None, area: str | None = None, lab: str | None = None, date: str | None = None,
           **_) -> html.Div:
    lang = lang_of(lang)
    query = {"lang": lang, "area": area, "lab": lab, "date": date}
    return render_page("testing", "/testing", lang, query, _content)


def _lab_param(value: str | None, labs: pd.DataFrame) -> int | None:
    """?lab=: one of the laboratories that tested the area's samples, else refused."""
    if value in (None, ""):
        return None
    if not value.isdigit() or len(value) > 9 or int(value) not in set(labs["lab_id"]):
        raise BadParameter(f"lab={value!r}")
    return int(value)


def _content(lang: str, q: dict) -> tuple[list, str]:
    dx, sc = data(), scope()
    last, fresh = newest(lang)
    as_of = day(q["date"], last)
    areas = dx.query("areas", {}, sc)
    names = dict(zip(areas["area"], areas["name"]))
    area, level, province = resolve_area(areas, q["area"], sc)
    where = reads.Where(province, area if level == "district" else None, None)
    labs = reads.named(reads.labs(dx, sc, where, as_of), lang)
    lab = _lab_param(q["lab"], labs)
    where = where._replace(lab=lab)
    lab_name = None if lab is None else labs.loc[labs["lab_id"] == lab, "name"].iloc[0]
    start = max(CAMPAIGN_START, as_of - timedelta(days=SHOWN_DAYS))

    rows = reads.daily(dx, sc, where, start - timedelta(days=M.WINDOW - 1), as_of)
    tat_rows = reads.named(reads.turnaround(dx, sc, where, as_of), lang)
    backlog_rows = reads.named(reads.backlog(dx, sc, where, as_of), lang)
    population = None if lab is not None else reads.population(dx, sc, level, area)
    figures = {"week": M.window_totals(rows, as_of), "tat": M.turnaround(M.histogram(tat_rows)),
               "backlog": M.backlog_totals(backlog_rows), "population": population}

    panels = _panels(dx, sc, where, level, names, M.daily(rows, start, as_of), as_of, tat_rows, backlog_rows,
                     figures["backlog"], lang)
    title = lab_name or names.get(area, t("nation", lang))
    state = {"lang": lang, "area": area, "lab": "" if lab is None else str(lab), "date": as_of.isoformat()}
    return [
        _breadcrumb(q, names, area, level, province, lab_name, lang),
        html.H2(f"{t('nav_testing', lang)} — {title} ({fmt_date(as_of, lang)})", id="testing-title"),
        *([html.P(t("testing_of_lab", lang, area=names[area]) if area else t("testing_all_of_lab", lang),
                  className="note", id="testing-lab-note")] if lab is not None else []),
        _controls(lang, as_of, last, labs, lab, state),
        html.Div(_cards(figures, lang), className="cards", id="testing-cards"),
        *[html.Div(panels[i : i + 2], className="grid-2") for i in range(0, len(panels), 2)],
        *([html.P(t("testing_click_lab", lang), className="hint")] if lab is None else []),
    ], fresh


def _panels(dx, sc, where: reads.Where, level: str, names: dict, series: pd.DataFrame, as_of: date,
            tat_rows: pd.DataFrame, backlog_rows: pd.DataFrame, backlog: dict, lang: str) -> list:
    """The panels in pairs: the series, then what is tall (the rankings) beside what is tall, short beside
    short. A laboratory's view has its histogram and backlog by age instead of the laboratories' rankings."""
    start = series["day"].iloc[0]
    districts = reads.districts(dx, sc, where, as_of)
    sub = None if level == "district" else M.sub_areas(districts, level, names)
    sub = sub if sub is not None and len(sub) > 1 else None  # a ranking of one (a laboratory's province) says nothing
    weekly = _bands_panel(M.weekly_by_band(reads.weekly(dx, sc, where, start, as_of)), lang,
                          names.get(where.province) if where.district else None)
    panels = [_daily_panel(series, lang), _positivity_panel(series, lang)]
    if where.lab is None:
        panels += [_labs_panel(M.lab_ranking(tat_rows), lang), _backlog_panel(backlog_rows, backlog, None, as_of,
                                                                               lang),
                   _histogram_panel(M.histogram(tat_rows), lang), weekly]
    else:
        panels += [_histogram_panel(M.histogram(tat_rows), lang),
                   _backlog_panel(backlog_rows, backlog, where.lab, as_of, lang)]
    if sub is not None:
        panels.append(_areas_panel(sub, level, lang))
    panels.append(_coverage_panel(M.coverage_points(districts, names), lang,
                                  charts.ranking_height(len(sub)) if sub is not None else 340,
                                  where.district, names.get(where.province)))
    return panels if where.lab is None else [*panels, weekly]


def _breadcrumb(q: dict, names: dict, area: str, level: str, province: str | None, lab_name: str | None,
                lang: str) -> html.Nav:
    nav = breadcrumb("/testing", {**q, "lab": None}, names, area, level, province, lang, "testing-breadcrumb")
    if lab_name:  # the area becomes a link back to it, the laboratory the last crumb
        if level == "district":
            nav.children[-1] = dcc.Link(names[area], href=href("/testing", area=area, date=q["date"], lang=lang))
        nav.children += [html.Span("›"), html.Span(lab_name)]
    return nav


def _controls(lang: str, as_of: date, last: date, labs: pd.DataFrame, lab: int | None, state: dict) -> html.Div:
    return html.Div([
        html.Label([t("as_of", lang), dcc.DatePickerSingle(
            id=DATE_PICK, date=as_of.isoformat(), display_format="DD/MM/YYYY", min_date_allowed=CAMPAIGN_START,
            max_date_allowed=last, first_day_of_week=1)]),
        html.Label([t("testing_lab", lang), dcc.Dropdown(
            id=LAB_PICK, options=[{"label": n, "value": str(i)} for i, n in zip(labs["lab_id"], labs["name"])],
            value=None if lab is None else str(lab), placeholder=t("all", lang), clearable=True,
            style={"minWidth": "300px"})]),
        dcc.Store(id=STATE, data=state),
    ], className="controls")


def _cards(f: dict, lang: str) -> list:
    week, tat, backlog, population = f["week"], f["tat"], f["backlog"], f["population"]

    def per_1000(samples: int, people: int) -> list[str]:
        if population is None:  # a laboratory has no population of its own
            return []
        return [t("testing_per_1000", lang, s=fmt_dec(M.per_thousand(samples, population), lang),
                  p=fmt_dec(M.per_thousand(people, population), lang))]

    median, p90 = tat["median"], tat["p90"]
    return [
        card(t("testing_samples", lang), fmt_int(week["samples"], lang), [
            t("testing_people_line", lang, n=fmt_int(week["people_tested"], lang)),
            *per_1000(week["samples"], week["people_tested"])], lang=lang, card_id="testing-card-samples"),
        card(t("testing_positivity", lang), fmt_pct(week["positivity"], lang), [
            t("testing_positivity_line", lang, p=fmt_int(week["positives"], lang), v=fmt_int(week["valid"], lang)),
            t("testing_person_line", lang, x=fmt_pct(week["person_positivity"], lang)),
            t("testing_who_line", lang, x=fmt_pct(M.WHO_POSITIVITY, lang, 0))],
            lang=lang, card_id="testing-card-positivity"),
        card(t("testing_within_24", lang), fmt_pct(tat["within_24"], lang), [
            t("testing_within_48_line", lang, x=fmt_pct(tat["within_48"], lang)),
            t("testing_results_line", lang, n=fmt_int(tat["resulted"], lang), w=fmt_int(tat["waiting"], lang))],
            lang=lang, card_id="testing-card-within"),
        card(t("testing_median", lang), fmt_hours(median.hours, lang, median.open_ended) if median else "–", [
            t("testing_p90_line", lang, x=fmt_hours(p90.hours, lang, p90.open_ended) if p90 else "–")],
            lang=lang, card_id="testing-card-median"),
        card(t("testing_backlog", lang), fmt_int(backlog["samples"], lang), [
            t("testing_backlog_line", lang, n=fmt_int(backlog["people_tested"], lang),
              o=fmt_int(backlog["older_than_2"], lang))], lang=lang, card_id="testing-card-backlog"),
    ]


def _daily_panel(series: pd.DataFrame, lang: str) -> html.Section:
    columns = ["day", *M.METHODS, "samples", "people_tested", "samples_avg7", "people_avg7"]
    return chart_panel("testing-daily", t("testing_daily_title", lang), charts.daily_chart(series, lang),
                       CATALOGUE["testing_samples"],
                       series.assign(day=series["day"].astype(str))[columns].round(1), _cols(lang, columns), lang,
                       "testing-daily-graph")


def _positivity_panel(series: pd.DataFrame, lang: str) -> html.Section:
    columns = ["day", "positives", "valid", "positivity", "positivity_avg7", "person_positivity_avg7"]
    return chart_panel("testing-positivity", t("testing_positivity_title", lang),
                       charts.positivity_chart(series, lang), CATALOGUE["testing_positivity"],
                       series.assign(day=series["day"].astype(str))[columns].round(4), _cols(lang, columns), lang,
                       "testing-positivity-graph")


def _labs_panel(rank: pd.DataFrame, lang: str) -> html.Section:
    columns = ["lab_id", "name", "samples", "resulted", "waiting", "within_24", "within_48", "median", "median_open",
               "p90", "p90_open"]
    return chart_panel("testing-labs", t("testing_labs_title", lang), charts.labs_chart(rank, lang),
                       CATALOGUE["testing_turnaround"], rank[columns].round(4), _cols(lang, columns), lang,
                       LAB_GRAPH, row_id="lab_id")


def _histogram_panel(hist: pd.Series, lang: str) -> html.Section:
    table = M.histogram_table(hist)
    columns = ["bucket", "upper", "samples", "cumulative"]
    return chart_panel("testing-histogram", t("testing_histogram_title", lang), charts.histogram_chart(table, lang),
                       CATALOGUE["testing_turnaround"], table.round(4), _cols(lang, columns), lang,
                       "testing-histogram-graph")


def _backlog_panel(rows: pd.DataFrame, totals: dict, lab: int | None, as_of: date, lang: str) -> html.Section:
    if lab is not None:  # one laboratory: its backlog by age
        table = pd.DataFrame({"age": [t(f"testing_age_{a}", lang) for a in totals["bands"]],
                              "samples": list(totals["bands"].values())})
        return chart_panel("testing-lab-backlog", t("testing_lab_backlog_title", lang, day=fmt_date(as_of, lang)),
                           charts.age_chart(totals["bands"], lang), CATALOGUE["testing_backlog"], table,
                           _cols(lang, ["age", "samples"]), lang, "testing-lab-backlog-graph")
    wide = M.backlog_by_lab(rows)
    columns = ["lab_id", "name", *AGE_LABELS, "samples", "people_tested"]
    return chart_panel("testing-backlog", t("testing_backlog_title", lang, day=fmt_date(as_of, lang)),
                       charts.backlog_chart(wide, lang), CATALOGUE["testing_backlog"], wide[columns],
                       _cols(lang, columns), lang, BACKLOG_GRAPH, row_id="lab_id")


def _areas_panel(sub: pd.DataFrame, level: str, lang: str) -> html.Section:
    columns = ["area", "name", "samples", "people_tested", "per_1000", "positives", "valid", "positivity",
               "person_positivity", "few"]
    panel = chart_panel("testing-areas", t("testing_areas_title", lang), charts.areas_chart(sub, lang),
                        CATALOGUE["testing_areas"], sub[columns].round(4),
                        _cols(lang, columns, t("province" if level == "nation" else "district", lang)), lang,
                        AREA_GRAPH, row_id="area")
    if sub["few"].any():
        panel.children.insert(1, html.P(t("testing_few_note", lang, n=M.MIN_RESULTS), className="note"))
    return panel


def _coverage_panel(points: pd.DataFrame, lang: str, height: int, district: str | None,
                    province_name: str | None) -> html.Section:
    columns = ["district", "name", "coverage", "band", "positivity", "positives", "valid", "samples"]
    panel = chart_panel("testing-coverage", t("testing_coverage_title", lang),
                        charts.coverage_scatter(points, lang, height, district), CATALOGUE["testing_coverage"],
                        points[columns].round(4), _cols(lang, columns, t("district", lang)), lang, COVERAGE_GRAPH,
                        row_id="district")
    if district is not None:  # a district is shown among its province's
        panel.children.insert(1, html.P(t("testing_among", lang, province=province_name), className="note"))
    return panel


def _bands_panel(weekly: pd.DataFrame, lang: str, province_name: str | None = None) -> html.Section:
    columns = ["week", "band", "districts", "positives", "valid", "positivity"]
    table = weekly.assign(week=weekly["week"].astype(str), band=[charts.band_label(b) for b in weekly["band"]])
    panel = chart_panel("testing-bands", t("testing_bands_title", lang), charts.bands_chart(weekly, lang),
                        CATALOGUE["testing_coverage"], table[columns].round(4), _cols(lang, columns), lang,
                        "testing-bands-graph")
    if province_name is not None:  # a district's view: its province's districts
        panel.children.insert(1, html.P(t("testing_among_bands", lang, province=province_name), className="note"))
    return panel


HEADERS = {"day": "day", "week": "week", "name": "testing_lab", "samples": "testing_sample_count",
           "people_tested": "testing_people_tested", "samples_avg7": "testing_samples_avg7",
           "people_avg7": "testing_people_avg7", "positives": "testing_positives", "valid": "testing_valid",
           "resulted": "testing_resulted", "waiting": "testing_waiting", "positivity": "testing_rate",
           "positivity_avg7": "testing_positivity_avg7", "person_positivity_avg7": "testing_person_avg7",
           "person_positivity": "testing_person_rate", "per_1000": "testing_per_1000_col", "few": "testing_few",
           "within_24": "testing_share_24", "within_48": "testing_share_48", "median": "testing_median_h",
           "p90": "testing_p90_h", "p90_open": "testing_p90_open", "median_open": "testing_median_open",
           "bucket": "testing_bucket",
           "upper": "testing_upper", "cumulative": "testing_cumulative", "coverage": "testing_coverage",
           "band": "testing_band", "districts": "testing_districts", "age": "testing_backlog_total",
           **{m: f"method_{m}" for m in M.METHODS}, **{a: f"testing_age_{a}" for a in AGE_LABELS}}


def _cols(lang: str, fields: list[str], area_label: str | None = None) -> list[dict]:
    def header(f: str) -> str:
        if f in ("lab_id", "area", "district"):
            return "ID" if f == "lab_id" else "GSO"
        if f == "name" and area_label:
            return area_label
        return t(HEADERS[f], lang)

    return [{"field": f, "headerName": header(f)} for f in fields]


def validation_stub() -> list:
    return [dcc.Graph(id=g) for g in (AREA_GRAPH, COVERAGE_GRAPH, LAB_GRAPH, BACKLOG_GRAPH)] + [
        dcc.DatePickerSingle(id=DATE_PICK), dcc.Dropdown(id=LAB_PICK), dcc.Store(id=STATE),
        *[dag.AgGrid(id=grid) for grid in (AREA_GRID, COVERAGE_GRID, LAB_GRID, BACKLOG_GRID)]]


# ---------------------------------------------------------------- callbacks: they only build URLs
# Each callback's inputs are on the page together (a callback whose inputs are partly missing never fires):
# the sub-areas' chart and table, the coverage chart and table, the laboratories' charts and tables.


def _view(state) -> dict:
    state = state if isinstance(state, dict) else {}
    return {k: state.get(k) if isinstance(state.get(k), str) else None for k in ("lang", "area", "lab", "date")}


def _href(view: dict, **change) -> str:
    view = {**view, **change}
    return href("/testing", area=view["area"], lab=view["lab"], date=view["date"], lang=view["lang"])


def _row(cell) -> str | None:
    return str(cell["rowId"]) if isinstance(cell, dict) and "rowId" in cell else None


@callback(Output("url", "href", allow_duplicate=True), Input(AREA_GRAPH, "clickData"),
          Input(AREA_GRID, "cellClicked"), State(STATE, "data"), prevent_initial_call=True)
def testing_drill(click, cell, state):
    """A sub-area's bar or row opens it: the provinces of the nation, the districts of a province."""
    view = _view(state)
    code = clicked_area(click) if dash.ctx.triggered_id == AREA_GRAPH else _row(cell)
    if code is None or not code.isdigit() or len(code) != (3 if view["area"] else 2):
        return dash.no_update
    return _href(view, area=code)


@callback(Output("url", "href", allow_duplicate=True), Input(COVERAGE_GRAPH, "clickData"),
          Input(COVERAGE_GRID, "cellClicked"), State(STATE, "data"), prevent_initial_call=True)
def testing_open_district(click, cell, state):
    """A district's point or row opens that district."""
    view = _view(state)
    code = clicked_area(click) if dash.ctx.triggered_id == COVERAGE_GRAPH else _row(cell)
    if code is None or not code.isdigit() or len(code) != 3 or code == view["area"]:
        return dash.no_update
    return _href(view, area=code)


@callback(Output("url", "href", allow_duplicate=True), Input(LAB_GRAPH, "clickData"),
          Input(BACKLOG_GRAPH, "clickData"), Input(LAB_GRID, "cellClicked"), Input(BACKLOG_GRID, "cellClicked"),
          State(STATE, "data"), prevent_initial_call=True)
def testing_open_lab(lab_click, backlog_click, lab_cell, backlog_cell, state):
    """A laboratory's bar or row opens its view (its samples from the area in view)."""
    trigger = dash.ctx.triggered_id  # a grid's id is a dict: compared, never looked up
    if trigger == LAB_GRAPH:
        code = clicked_area(lab_click)
    elif trigger == BACKLOG_GRAPH:
        code = clicked_area(backlog_click)
    else:
        code = _row(lab_cell if trigger == LAB_GRID else backlog_cell)
    if code is None or not code.isdigit() or len(code) > 9:
        return dash.no_update
    return _href(_view(state), lab=code)


@callback(Output("url", "href", allow_duplicate=True), Input(DATE_PICK, "date"), State(STATE, "data"),
          prevent_initial_call=True)
def testing_pick_date(date_value, state):
    view = _view(state)
    chosen = (date_value or "")[:10] if isinstance(date_value, str) else ""
    if not chosen or chosen == view["date"]:
        return dash.no_update
    return _href(view, date=chosen)


@callback(Output("url", "href", allow_duplicate=True), Input(LAB_PICK, "value"), State(STATE, "data"),
          prevent_initial_call=True)
def testing_pick_lab(lab, state):
    view = _view(state)
    if lab == (view["lab"] or None) or not (lab is None or (isinstance(lab, str) and lab.isdigit())):
        return dash.no_update
    return _href(view, lab=lab)

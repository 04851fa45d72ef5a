"""Độ bao phủ (coverage) with drill-down: nation -> province -> district -> sites. The URL holds the view."""

from __future__ import annotations

import dash
import pandas as pd
from dash import Input, Output, State, callback, dcc, html

from common.vocabulary import GROUPS, MILESTONE_CODES, MILESTONES, POPULATION_GROUPS
from dashboard.access import data, scope
from dashboard.charts import coverage as charts
from dashboard.components.drilldown import breadcrumb, resolve_area
from dashboard.components.frame import href
from dashboard.components.panels import chart_panel, clicked_area, message
from dashboard.components.targets import target_card
from dashboard.i18n import fmt_pct, t
from dashboard.measures import coverage as C
from dashboard.metrics import CATALOGUE, metric_for_milestone
from dashboard.params import choice, day, lang_of
from dashboard.reads import coverage as R
from dashboard.rendering import newest, render_page

dash.register_page(__name__, path="/coverage", name="Độ bao phủ", title="Độ bao phủ — chiến dịch tiêm chủng")

AREA_GRAPH, DOSE_AREA_GRAPH = "coverage-areas", "coverage-dose-areas"
DAILY_GRAPH, CUMULATIVE_GRAPH, STATE = "coverage-daily", "coverage-cumulative", "cov-state"
AREA_GRID = {"type": "grid", "index": "cov-areas"}  # the sub-areas' table: a clicked row opens that area
FILTERS = {"date": "cov-date", "group": "cov-group", "milestone": "cov-milestone", "product": "cov-product",
           "dose": "cov-dose"}
GROUP_LABEL = {g.code: g.label_key for g in POPULATION_GROUPS}
DOSE_NUMBERS = ("1", "2", "3", "4", "5", "6")


def layout(lang: str | None = None, area: str | None = None, group: str | None = None,
           milestone: str | None = None, product: str | None = None, dose: str | None = None,
           date: str | None = None, **_) -> html.Div:
    lang = lang_of(lang)
    query = {"lang": lang, "area": area, "group": group, "milestone": milestone, "product": product, "dose": dose,
             "date": date}
    return render_page("coverage", "/coverage", lang, query, _content)


def _content(lang: str, q: dict) -> tuple[list, str]:
    dx, sc = data(), scope()
    last, fresh = newest(lang)
    as_of = day(q["date"], last)
    group = choice(q["group"], GROUPS, "18+", "group")
    milestone = choice(q["milestone"], MILESTONE_CODES, "first", "milestone")
    products = R.products(dx, sc)
    product = choice(q["product"], tuple(products["code"]), "", "product") or None
    dose = choice(q["dose"], DOSE_NUMBERS, "", "dose") or None
    areas = R.areas(dx, sc)
    names = dict(zip(areas["area"], areas["name"]))
    area, level, province = resolve_area(areas, q["area"], sc)
    filters = {"product": product, "dose_number": int(dose) if dose else None}
    own = R.area_series(dx, sc, level, area, province, filters)
    cum = C.cumulative_people(own.people, milestone, group, as_of)
    population = int(C.population_of(own.population, group).sum())
    share = C.coverage_share(cum, population)
    metric = metric_for_milestone(milestone)
    label = f"{metric.text('name', lang)} ({t(GROUP_LABEL[group], lang)})"
    subs = R.sub_areas(dx, sc, level, area, province, areas, as_of, filters)
    panels = [*_sub_area_panels(subs, names, level, milestone, group, metric, label, lang),
              *_area_panels(C.doses_series(own.doses, as_of), cum, share, population, metric, label, lang)]
    state = {"lang": lang, "area": area, "date": as_of.isoformat(), "group": group, "milestone": milestone,
             "product": product or "", "dose": dose or ""}
    headline = f"{label}: {fmt_pct(share.iloc[-1] if len(share) else None, lang)}"
    return [breadcrumb("/coverage", q, names, area, level, province, lang, "breadcrumb"),
            html.H2(f"{names.get(area, t('nation', lang))} — {headline}", id="coverage-title"),
            _controls(state, last, products, lang),
            *_target_cards(dx, sc, level, province, own, as_of, lang),
            *([message(t("sites_note", lang), "info")] if level == "district" else []),
            html.Div(panels[:2], className="grid-2"), html.Div(panels[2:], className="grid-2"),
            html.P(t("click_to_drill", lang), className="hint")], fresh


def _target_cards(dx, sc, level: str, province: str | None, own: R.AreaSeries, as_of, lang: str) -> list:
    """The targets measured on this area: the national ones and its province's own (the overview has the
    nation's)."""
    if level == "nation":
        return []
    views = C.target_views(R.targets(dx, sc, province), own.people, own.population, as_of)
    cards = [target_card(view, lang, "cov-target-") for view in views.values()]
    return [html.Div(cards, className="cards", id="coverage-targets")] if cards else []


def _sub_area_panels(subs: R.SubAreas, names: dict, level: str, milestone: str, group: str, metric, label: str,
                     lang: str) -> list:
    sub_label = t({"nation": "province", "province": "district", "district": "site"}[level], lang)
    panels = []
    if subs.people is not None:
        cov = C.area_coverage(subs.people, subs.population, milestone, group)
        cov["name"] = cov["area"].map(names)
        cov = cov.sort_values("coverage", ascending=False)
        fields = ["area", "name", "people", "population", "coverage"]
        panels.append(chart_panel(
            "cov-areas", t("coverage_by_area", lang, metric=label),
            charts.area_bars(cov, "coverage", lang, metric.text("name", lang), "#2e86c1", pct=True), metric,
            cov.assign(coverage=cov["coverage"].round(4))[fields], _cols(lang, sub_label, fields), lang,
            AREA_GRAPH, row_id="area"))
    doses = subs.doses.copy()
    if level == "district":
        doses["area"] = doses["area"].astype(str)  # a site's id, shown as its name says
    else:
        doses["name"] = doses["area"].map(names)
    doses = doses.sort_values("doses", ascending=False)
    fields = ["area", "name", "doses"]
    panels.append(chart_panel(
        "dose-areas", t("doses_by_area", lang), charts.area_bars(doses, "doses", lang, t("doses", lang), "#5dade2",
                                                                 pct=False),
        CATALOGUE["site_doses"] if level == "district" else CATALOGUE["doses_administered"],
        doses[fields], _cols(lang, sub_label, fields), lang, DOSE_AREA_GRAPH))
    return panels


def _area_panels(doses: pd.DataFrame, cum: pd.Series, share: pd.Series, population: int, metric, label: str,
                 lang: str) -> list:
    cum_table = pd.DataFrame({"day": [str(d) for d in cum.index], "people": cum.values,
                              "coverage": (share.values.round(4) if population else None)})
    return [
        chart_panel("area-daily", t("daily_doses_title", lang), charts.daily_doses(doses, lang),
                    CATALOGUE["doses_administered"],
                    doses.assign(day=doses["day"].astype(str), avg7=doses["avg7"].round(1)),
                    _cols(lang, "", ["day", "doses", "avg7"]), lang, DAILY_GRAPH),
        chart_panel("area-cumulative", label, charts.cumulative_share(share, metric.text("name", lang), lang),
                    metric, cum_table, _cols(lang, "", ["day", "people", "coverage"]), lang, CUMULATIVE_GRAPH),
    ]


def _controls(state: dict, last, products: pd.DataFrame, lang: str) -> html.Div:
    def pick(key: str, label: str, options: list[dict]) -> html.Label:
        return html.Label([t(label, lang), dcc.Dropdown(id=FILTERS[key], value=state[key], clearable=False,
                                                        options=options)])

    every = [{"label": t("all", lang), "value": ""}]
    return html.Div([
        html.Label([t("as_of", lang), dcc.DatePickerSingle(id=FILTERS["date"], date=state["date"],
                                                           display_format="DD/MM/YYYY",
                                                           min_date_allowed=C.CAMPAIGN_START, max_date_allowed=last,
                                                           first_day_of_week=1)]),
        pick("group", "age_group", [{"label": t(GROUP_LABEL[g], lang), "value": g} for g in GROUPS]),
        pick("milestone", "milestone", [{"label": t(m.label_key, lang), "value": m.code} for m in MILESTONES]),
        pick("product", "product", every + [{"label": r["name"], "value": r["code"]} for _, r in products.iterrows()]),
        pick("dose", "dose_number", every + [{"label": d, "value": d} for d in DOSE_NUMBERS]),
        dcc.Store(id=STATE, data=state),
    ], className="controls")


def validation_stub() -> list:
    """The components this page's callbacks use, for Dash's validation layout (no database needed)."""
    return [dcc.Graph(id=AREA_GRAPH), dcc.Graph(id=DOSE_AREA_GRAPH), dcc.Store(id=STATE),
            dcc.DatePickerSingle(id=FILTERS["date"]), *[dcc.Dropdown(id=FILTERS[k]) for k in FILTERS if k != "date"],
            html.Div(id=AREA_GRID)]


def _cols(lang: str, sub_label: str, fields: list[str]) -> list[dict]:
    header = {"area": "GSO", "name": sub_label, "people": t("people", lang), "population": t("population", lang),
              "coverage": t("coverage", lang), "doses": t("doses", lang), "day": t("day", lang),
              "avg7": t("avg7", lang)}
    return [{"field": f, "headerName": header[f], **({} if f in ("area", "name", "day") else
                                                      {"type": "rightAligned"})} for f in fields]


@callback(Output("url", "href", allow_duplicate=True),
          Input(AREA_GRAPH, "clickData"), Input(DOSE_AREA_GRAPH, "clickData"),
          Input(AREA_GRID, "cellClicked"),
          State(STATE, "data"), *[State(v, "date" if k == "date" else "value") for k, v in FILTERS.items()],
          prevent_initial_call=True)
def drill_down(area_click, dose_click, cell, state, date_v, group, milestone, product, dose):
    """A bar or a table row opens the area below (provinces and districts; sites are the bottom)."""
    trigger = dash.ctx.triggered_id
    state = state if isinstance(state, dict) else {}
    if len(state.get("area") or "") == 3:
        return dash.no_update  # a district shows its sites, the bottom (a site id may look like a district code)
    if trigger == AREA_GRAPH:
        code = clicked_area(area_click)
    elif trigger == DOSE_AREA_GRAPH:
        code = clicked_area(dose_click)
    else:
        code = str(cell["rowId"]) if isinstance(cell, dict) and "rowId" in cell else None
    if code is None or not (code.isdigit() and len(code) in (2, 3)):
        return dash.no_update  # a site: nothing below it
    return href("/coverage", area=code, group=group, milestone=milestone, product=product, dose=dose,
                date=(date_v or "")[:10], lang=state.get("lang"))


@callback(Output("url", "href", allow_duplicate=True),
          *[Input(v, "date" if k == "date" else "value") for k, v in FILTERS.items()], State(STATE, "data"),
          prevent_initial_call=True)
def filters_to_url(date_v, group, milestone, product, dose, state):
    """A changed filter opens its view; the filters' own first report of what is shown does nothing."""
    state = state if isinstance(state, dict) else {}
    chosen = {"date": (date_v or "")[:10], "group": group, "milestone": milestone, "product": product or "",
              "dose": dose or ""}
    if all(state.get(k) == v for k, v in chosen.items()):
        return dash.no_update
    return href("/coverage", area=state.get("area"), group=group, milestone=milestone, product=product, dose=dose,
                date=chosen["date"], lang=state.get("lang"))

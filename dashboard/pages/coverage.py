"""Độ bao phủ (coverage) with drill-down: nation -> province -> district -> sites. The URL holds the view."""

from __future__ import annotations

import dash
import pandas as pd
import plotly.graph_objects as go
from dash import Input, Output, State, callback, dcc, html

from dashboard import figures as F
from dashboard.components.panels import chart_panel, message
from dashboard.components.targets import target_card, target_views
from dashboard.context import (
    GROUPS,
    MILESTONE_NAMES,
    choice,
    data,
    day,
    lang_of,
    scope,
)
from dashboard.i18n import fmt_pct, plotly_separators, t
from dashboard.metrics import CATALOGUE, metric_for_milestone
from dashboard.pagekit import breadcrumb, newest, render_page, resolve_area
from dashboard.shell import href

dash.register_page(__name__, path="/coverage", name="Độ bao phủ", title="Độ bao phủ — chiến dịch tiêm chủng")

AREA_GRAPH, DOSE_AREA_GRAPH = "coverage-areas", "coverage-dose-areas"
FILTERS = {"date": "cov-date", "group": "cov-group", "milestone": "cov-milestone", "product": "cov-product",
           "dose": "cov-dose"}
GROUP_LABEL = {"total": "group_total", "18+": "group_18", "12-17": "group_12_17"}
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
    milestone = choice(q["milestone"], MILESTONE_NAMES, "first", "milestone")
    products = dx.query("products", {}, sc)
    product = choice(q["product"], tuple(products["code"]), "", "product") or None
    dose = choice(q["dose"], DOSE_NUMBERS, "", "dose") or None
    areas = dx.query("areas", {}, sc)
    names = dict(zip(areas["area"], areas["name"]))
    area, level, province = resolve_area(areas, q["area"], sc)
    filt = {"product": product, "dose_number": int(dose) if dose else None}

    # ---- the area's own series
    if level == "district":
        daily = dx.query("daily_doses_district", {"district": area, **filt}, sc)
        people = dx.query("daily_people_district", {"district": area}, sc)
        pop = dx.query("population", {"level": "district"}, sc)
        pop = pop[pop["area"] == area]
    else:
        daily = dx.query("daily_doses", {"province": province, **filt}, sc)
        people = dx.query("daily_people", {"province": province}, sc)
        pop = dx.query("population", {"level": "province" if province else "nation"}, sc)
        pop = pop[pop["area"] == province] if province else pop
    doses = F.doses_series(daily, as_of)
    cum = F.cumulative_people(people, milestone, group, as_of)
    # The targets measured on this area: the national ones and its province's own (the overview has the nation's).
    target_cards = [] if level == "nation" else [
        target_card(view, lang, "cov-target-") for view in
        target_views(dx.query("targets", {"province": province}, sc), people, pop, as_of).values()]
    population = int(F.population_of(pop, group).sum())
    share = (cum / population) if population else cum * 0.0

    # ---- the sub-areas
    metric = metric_for_milestone(milestone)
    metric_label = metric.text("name", lang)
    if level == "nation":
        sub_people = dx.query("people_by_province", {"as_of": as_of}, sc)
        sub_pop = dx.query("population", {"level": "province"}, sc)
        sub_doses = dx.query("doses_by_province", {"as_of": as_of, **filt}, sc)
    elif level == "province":
        sub_people = dx.query("people_by_district", {"as_of": as_of, "province": province}, sc)
        sub_pop = dx.query("population", {"level": "district"}, sc)
        sub_pop = sub_pop[sub_pop["area"].isin(areas.loc[areas["province"] == province, "area"])]
        sub_doses = dx.query("doses_by_district", {"as_of": as_of, "province": province, **filt}, sc)
    else:
        sub_people, sub_pop = None, None
        sub_doses = dx.query("doses_by_site", {"as_of": as_of, "district": area, **filt}, sc)

    panels = []
    sub_label = t({"nation": "province", "province": "district", "district": "site"}[level], lang)
    if sub_people is not None:
        cov = F.area_coverage(sub_people, sub_pop, milestone, group)
        cov["name"] = cov["area"].map(names)
        cov = cov.sort_values("coverage", ascending=False)
        fig = go.Figure(go.Bar(x=cov["name"], y=cov["coverage"], customdata=cov["area"], marker_color="#2e86c1",
                               hovertemplate="%{x}: %{y:.1%}<extra></extra>"))
        _style(fig, lang, metric_label, pct=True)
        table = cov.assign(coverage=cov["coverage"].round(4))[["area", "name", "people", "population", "coverage"]]
        panels.append(chart_panel(
            "cov-areas", t("coverage_by_area", lang, metric=f"{metric_label} ({t(GROUP_LABEL[group], lang)})"),
            fig, metric, table, _cols(lang, sub_label, ["area", "name", "people", "population", "coverage"]), lang,
            AREA_GRAPH, row_id="area"))
    sub_doses = sub_doses.copy()
    if level == "district":
        sub_doses["name"] = sub_doses["name"]
        sub_doses["area"] = sub_doses["area"].astype(str)
    else:
        sub_doses["name"] = sub_doses["area"].map(names)
    sub_doses = sub_doses.sort_values("doses", ascending=False)
    fig_d = go.Figure(go.Bar(x=sub_doses["name"], y=sub_doses["doses"], customdata=sub_doses["area"],
                             marker_color="#5dade2", hovertemplate="%{x}: %{y:,.0f}<extra></extra>"))
    _style(fig_d, lang, t("doses", lang))
    panels.append(chart_panel(
        "dose-areas", t("doses_by_area", lang), fig_d,
        CATALOGUE["site_doses"] if level == "district" else CATALOGUE["doses_administered"],
        sub_doses[["area", "name", "doses"]], _cols(lang, sub_label, ["area", "name", "doses"]), lang,
        DOSE_AREA_GRAPH))

    fig_daily = go.Figure([
        go.Bar(x=doses["day"], y=doses["doses"], name=t("doses", lang), marker_color="#7fb3d5"),
        go.Scatter(x=doses["day"], y=doses["avg7"], name=t("avg7", lang), line={"color": "#1b4f72"})])
    _style(fig_daily, lang, t("doses", lang), dates=True)
    fig_cum = go.Figure(go.Scatter(x=list(share.index), y=share.values, name=metric_label, fill="tozeroy",
                                   line={"color": "#117a65"}, hovertemplate="%{x|%d/%m/%Y}: %{y:.1%}<extra></extra>"))
    _style(fig_cum, lang, metric_label, pct=True, dates=True)
    cum_table = pd.DataFrame({"day": [str(d) for d in cum.index], "people": cum.values,
                              "coverage": (share.values.round(4) if population else None)})
    panels += [
        chart_panel("area-daily", t("daily_doses_title", lang), fig_daily, CATALOGUE["doses_administered"],
                    doses.assign(day=doses["day"].astype(str), avg7=doses["avg7"].round(1)),
                    _cols(lang, "", ["day", "doses", "avg7"]), lang, "coverage-daily"),
        chart_panel("area-cumulative", f"{metric_label} ({t(GROUP_LABEL[group], lang)})", fig_cum, metric,
                    cum_table, _cols(lang, "", ["day", "people", "coverage"]), lang, "coverage-cumulative"),
    ]
    note = [message(t("sites_note", lang), "info")] if level == "district" else []

    title = names.get(area, t("nation", lang))
    now = fmt_pct(share.iloc[-1] if len(share) else None, lang)
    headline = f"{metric_label} ({t(GROUP_LABEL[group], lang)}): {now}"
    controls = html.Div([
        html.Label([t("as_of", lang), dcc.DatePickerSingle(id=FILTERS["date"], date=as_of.isoformat(),
                                                           display_format="DD/MM/YYYY",
                                                           min_date_allowed=F.CAMPAIGN_START, max_date_allowed=last,
                                                           first_day_of_week=1)]),
        html.Label([t("age_group", lang), dcc.Dropdown(id=FILTERS["group"], value=group, clearable=False,
                                                       options=[{"label": t(GROUP_LABEL[g], lang), "value": g}
                                                                for g in GROUPS])]),
        html.Label([t("milestone", lang), dcc.Dropdown(id=FILTERS["milestone"], value=milestone, clearable=False,
                                                       options=[{"label": t(f"milestone_{m}", lang), "value": m}
                                                                for m in MILESTONE_NAMES])]),
        html.Label([t("product", lang), dcc.Dropdown(id=FILTERS["product"], value=product or "", clearable=False,
                                                     options=[{"label": t("all", lang), "value": ""}]
                                                     + [{"label": r["name"], "value": r["code"]}
                                                        for _, r in products.iterrows()])]),
        html.Label([t("dose_number", lang), dcc.Dropdown(id=FILTERS["dose"], value=dose or "", clearable=False,
                                                         options=[{"label": t("all", lang), "value": ""}]
                                                         + [{"label": d, "value": d} for d in DOSE_NUMBERS])]),
        dcc.Store(id="cov-state", data={"lang": lang, "area": area, "date": as_of.isoformat(), "group": group,
                                        "milestone": milestone, "product": product or "", "dose": dose or ""}),
    ], className="controls")
    return [breadcrumb("/coverage", q, names, area, level, province, lang, "breadcrumb"),
            html.H2(f"{title} — {headline}", id="coverage-title"), controls,
            *([html.Div(target_cards, className="cards", id="coverage-targets")] if target_cards else []), *note,
            html.Div(panels[:2], className="grid-2"), html.Div(panels[2:], className="grid-2"),
            html.P(t("click_to_drill", lang), className="hint")], fresh


def validation_stub() -> list:
    """The components this page's callbacks use, for Dash's validation layout (no database needed)."""
    return [dcc.Graph(id=AREA_GRAPH), dcc.Graph(id=DOSE_AREA_GRAPH), dcc.Store(id="cov-state"),
            dcc.DatePickerSingle(id=FILTERS["date"]), *[dcc.Dropdown(id=FILTERS[k]) for k in FILTERS if k != "date"],
            html.Div(id={"type": "grid", "index": "cov-areas"})]


def _cols(lang: str, sub_label: str, fields: list[str]) -> list[dict]:
    header = {"area": "GSO", "name": sub_label, "people": t("people", lang), "population": t("population", lang),
              "coverage": t("coverage", lang), "doses": t("doses", lang), "day": t("day", lang),
              "avg7": t("avg7", lang)}
    return [{"field": f, "headerName": header[f], **({} if f in ("area", "name", "day") else
                                                      {"type": "rightAligned"})} for f in fields]


def _style(fig: go.Figure, lang: str, ytitle: str, pct: bool = False, dates: bool = False) -> None:
    fig.update_layout(separators=plotly_separators(lang), margin={"l": 10, "r": 10, "t": 10, "b": 10}, height=340,
                      plot_bgcolor="white", showlegend=dates, legend={"orientation": "h", "y": 1.1})
    fig.update_yaxes(tickformat=".0%" if pct else ",.0f", title=ytitle, gridcolor="#eee")
    if dates:
        fig.update_xaxes(tickformat="%d/%m/%Y" if lang != "en" else "%d %b %Y")


@callback(Output("url", "href", allow_duplicate=True),
          Input(AREA_GRAPH, "clickData"), Input(DOSE_AREA_GRAPH, "clickData"),
          Input({"type": "grid", "index": "cov-areas"}, "cellClicked"),
          State("cov-state", "data"), *[State(v, "date" if k == "date" else "value") for k, v in FILTERS.items()],
          prevent_initial_call=True)
def drill_down(area_click, dose_click, cell, state, date_v, group, milestone, product, dose):
    """A bar or a table row opens the area below (provinces and districts; sites are the bottom)."""
    trigger = dash.ctx.triggered_id
    state = state if isinstance(state, dict) else {}
    if len(state.get("area") or "") == 3:
        return dash.no_update  # a district shows its sites, the bottom (a site id may look like a district code)
    try:
        if trigger == AREA_GRAPH:
            code = str(area_click["points"][0]["customdata"])
        elif trigger == DOSE_AREA_GRAPH:
            code = str(dose_click["points"][0]["customdata"])
        else:
            code = str(cell["rowId"])
    except (TypeError, KeyError, IndexError):
        return dash.no_update
    if not (code.isdigit() and len(code) in (2, 3)):
        return dash.no_update  # a site: nothing below it
    return href("/coverage", area=code, group=group, milestone=milestone, product=product, dose=dose,
                date=(date_v or "")[:10], lang=state.get("lang"))


@callback(Output("url", "href", allow_duplicate=True),
          *[Input(v, "date" if k == "date" else "value") for k, v in FILTERS.items()], State("cov-state", "data"),
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

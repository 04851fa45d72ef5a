"""Tổng quan (overview) for ministry leaders: where the campaign stands against each target, as of a date."""

from __future__ import annotations

import dash
import pandas as pd
import plotly.graph_objects as go
from dash import Input, Output, State, callback, dcc, html

from dashboard import figures as F
from dashboard.components.panels import card, chart_panel
from dashboard.components.targets import target_card, target_views
from dashboard.components.tilemap import tile_map
from dashboard.context import choice, data, day, lang_of, scope
from dashboard.i18n import fmt_date, fmt_int, plotly_separators, t
from dashboard.metrics import CATALOGUE
from dashboard.pagekit import newest, render_page
from dashboard.shell import href

dash.register_page(__name__, path="/", name="Tổng quan", title="Tổng quan — chiến dịch tiêm chủng")

MAP_METRICS = {"adults_first": ("18+", "first", "adults_first"), "adults_full": ("18+", "full", "adults_full"),
               "population_full": ("total", "full", "population_full")}
MAP_GRAPH, RANK_GRAPH, METRIC_PICK, DATE_PICK = "overview-map", "overview-rank", "overview-metric", "overview-date"


def layout(lang: str | None = None, date: str | None = None, metric: str | None = None, **_) -> html.Div:
    lang = lang_of(lang)
    query = {"lang": lang, "date": date, "metric": metric}
    return render_page("overview", "/", lang, query, _content)


def _content(lang: str, q: dict) -> tuple[list, str]:
    dx, sc = data(), scope()
    last, fresh = newest(lang)
    as_of = day(q["date"], last)
    metric_key = choice(q["metric"], tuple(MAP_METRICS), "adults_first", "metric")
    group, milestone, label_key = MAP_METRICS[metric_key]
    params = {"province": sc.province, "product": None, "dose_number": None}
    doses = F.doses_series(dx.query("daily_doses", params, sc), as_of)
    people = dx.query("daily_people", {"province": sc.province}, sc)
    level = "province" if sc.province else "nation"
    pop = dx.query("population", {"level": level}, sc)
    targets = dx.query("targets", {"province": sc.province}, sc)  # a province's own targets only on its view

    # ---- recent days are incomplete until late entries arrive: the nowcast says by how much
    nc = F.nowcast(dx.query("lag_daily", {"province": sc.province, "district": None}, sc), last, days=14) \
        if as_of == last else None

    # ---- cards
    upto = doses[doses["day"] <= as_of]
    on_day = int(upto["doses"].iloc[-1]) if len(upto) else 0
    avg7 = float(upto["avg7"].iloc[-1]) if len(upto) else 0.0
    day_line = f"{t('doses_day', lang)} {fmt_date(as_of, lang)}: {fmt_int(on_day, lang)}"
    if nc is not None and nc["complete_share"].iloc[-1] < 0.99:
        day_line += f" ({t('incomplete_note', lang, n=fmt_int(nc['expected'].iloc[-1], lang))})"
    cards = [card(t("doses_total", lang), fmt_int(upto["doses"].sum(), lang),
                  [day_line, f"{t('doses_7d', lang)}: {fmt_int(avg7, lang)}"], lang=lang, card_id="card-doses-total")]
    statuses = target_views(targets, people, pop, as_of)
    cards += [target_card(view, lang) for view in statuses.values()]

    # ---- daily doses
    fig_doses = go.Figure([
        go.Bar(x=doses["day"], y=doses["doses"], name=t("doses", lang), marker_color="#7fb3d5",
               hovertemplate="%{x|%d/%m/%Y}: %{y:,.0f}<extra></extra>"),
        go.Scatter(x=doses["day"], y=doses["avg7"], name=t("avg7", lang), line={"color": "#1b4f72", "width": 2},
                   hovertemplate="%{x|%d/%m/%Y}: %{y:,.0f}<extra></extra>"),
    ])
    if nc is not None:
        fig_doses.add_scatter(x=nc["day"], y=nc["expected"], name=t("expected_final", lang), mode="lines",
                              line={"color": "#c0392b", "dash": "dot"},
                              hovertemplate="%{x|%d/%m/%Y}: %{y:,.0f}<extra></extra>")
    _style(fig_doses, lang, t("doses", lang))
    doses_table = doses.assign(day=doses["day"].astype(str), avg7=doses["avg7"].round(1))

    # ---- cumulative coverage against the target paths
    fig_cov = go.Figure()
    cov_table = None
    for i, (tid, (target, _status, cum, population)) in enumerate(statuses.items()):
        if not len(cum) or not population:
            continue
        share = cum / population
        name = target["label_en"] if lang == "en" else target["label_vi"]
        color = ("#117a65", "#1f618d", "#884ea0", "#b9770e")[i % 4]
        fig_cov.add_scatter(x=list(share.index), y=share.values, name=name, line={"color": color},
                            hovertemplate="%{x|%d/%m/%Y}: %{y:.1%}<extra></extra>")
        path_days = list(pd.date_range(F.CAMPAIGN_START, target["deadline"], freq="7D").date) + [target["deadline"]]
        fig_cov.add_scatter(x=path_days, y=F.target_path(target["threshold"], target["deadline"], path_days),
                            name=f"{t('target_path', lang)}: {name}", line={"color": color, "dash": "dot"},
                            hovertemplate="%{x|%d/%m/%Y}: %{y:.1%}<extra></extra>", showlegend=False)
        frame = pd.DataFrame({"day": [str(d) for d in share.index], tid: share.round(4).values})
        cov_table = frame if cov_table is None else cov_table.merge(frame, on="day", how="outer")
    _style(fig_cov, lang, t("coverage", lang), pct=True)
    fig_cov.update_layout(legend={"orientation": "h", "y": -0.25})

    # ---- provinces: map and ranking
    prov_people = dx.query("people_by_province", {"as_of": as_of}, sc)
    prov_pop = dx.query("population", {"level": "province"}, sc)
    areas = dx.query("areas", {}, sc)
    names = dict(zip(areas.loc[areas["level"] == "province", "area"], areas.loc[areas["level"] == "province", "name"]))
    cov = F.area_coverage(prov_people, prov_pop, milestone, group)
    target_for = {"adults_first": "adults_first_2021", "adults_full": "adults_full_2021",
                  "population_full": "population_full_q1_2022"}[metric_key]
    tgt = statuses.get(target_for, (None,))[0]
    cov["behind"] = False
    if tgt is not None:
        days_left = max((tgt["deadline"] - as_of).days, 1)
        need = (tgt["threshold"] * cov["population"] - cov["people"]).clip(lower=0) / days_left
        cov["behind"] = (cov["people"] < tgt["threshold"] * cov["population"]) & (cov["last7"] / 7.0 < need)
    cov["name"] = cov["area"].map(names)
    metric_label = t(label_key, lang)
    fig_map = tile_map(cov, names, metric_label, lang)
    ranked = cov.sort_values("coverage")
    fig_rank = go.Figure(go.Bar(
        y=ranked["name"], x=ranked["coverage"], orientation="h", customdata=ranked["area"],
        marker_color=["#c0392b" if b else "#2e86c1" for b in ranked["behind"]],
        hovertemplate="%{y}: %{x:.1%}<extra></extra>"))
    _style(fig_rank, lang, metric_label, pct=True, horizontal=True)
    fig_rank.update_layout(height=max(400, 16 * len(ranked) + 60), yaxis={"tickfont": {"size": 10}})

    metric_def = CATALOGUE[{"first": "coverage_first", "full": "coverage_full"}[milestone]]
    prov_table = cov.assign(coverage=cov["coverage"].round(4))[["area", "name", "people", "population", "coverage",
                                                                 "last7", "behind"]]
    controls = html.Div([
        html.Label([t("as_of", lang), dcc.DatePickerSingle(
            id=DATE_PICK, date=as_of.isoformat(), display_format="DD/MM/YYYY", first_day_of_week=1,
            min_date_allowed=F.CAMPAIGN_START, max_date_allowed=last)]),
        html.Label([t("coverage", lang), dcc.Dropdown(
            id=METRIC_PICK, value=metric_key, clearable=False, searchable=False,
            options=[{"label": t(v[2], lang), "value": k} for k, v in MAP_METRICS.items()])]),
        dcc.Store(id="overview-lang", data={"lang": lang, "date": as_of.isoformat(), "metric": metric_key}),
    ], className="controls")
    cols = _columns(lang)
    return [
        html.H2(t("nav_overview", lang) + " — " + (names.get(sc.province, "") if sc.province else t("nation", lang))),
        controls,
        html.Div(cards, className="cards"),
        html.Div([
            chart_panel("daily-doses", t("daily_doses_title", lang), fig_doses, CATALOGUE["doses_administered"],
                        doses_table, [cols["day"], cols["doses"], cols["avg7"]], lang, "overview-daily"),
            chart_panel("coverage-path", t("coverage_title", lang), fig_cov, CATALOGUE["target_progress"],
                        cov_table if cov_table is not None else pd.DataFrame(),
                        [cols["day"]] + [{"field": c, "headerName": c} for c in (cov_table.columns[1:]
                                                                                   if cov_table is not None else [])],
                        lang, "overview-coverage"),
        ], className="grid-2"),
        html.Div([
            chart_panel("province-map", t("map_title", lang, metric=metric_label), fig_map, metric_def, prov_table,
                        [cols["area"], cols["name"], cols["people"], cols["population"], cols["coverage"]], lang,
                        MAP_GRAPH),
            chart_panel("province-rank", t("rank_title", lang, metric=metric_label), fig_rank, metric_def,
                        prov_table, [cols["name"], cols["coverage"], cols["last7"], cols["behind"]], lang,
                        RANK_GRAPH),
        ], className="grid-2"),
        html.P(t("click_to_drill", lang), className="hint"),
    ], fresh


def validation_stub() -> list:
    """The components this page's callbacks use, for Dash's validation layout (no database needed)."""
    return [dcc.Graph(id=MAP_GRAPH), dcc.Graph(id=RANK_GRAPH), dcc.Store(id="overview-lang"),
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


def _style(fig: go.Figure, lang: str, ytitle: str, pct: bool = False, horizontal: bool = False) -> None:
    axis = {"tickformat": ".0%" if pct else ",.0f", "title": ytitle}
    fig.update_layout(separators=plotly_separators(lang), margin={"l": 10, "r": 10, "t": 10, "b": 10}, height=340,
                      plot_bgcolor="white", hovermode="closest", legend={"orientation": "h", "y": 1.1})
    if horizontal:
        fig.update_xaxes(**axis, gridcolor="#eee")
    else:
        fig.update_yaxes(**axis, gridcolor="#eee")
        fig.update_xaxes(tickformat="%d/%m/%Y" if lang != "en" else "%d %b %Y")


@callback(Output("url", "href", allow_duplicate=True),
          Input(MAP_GRAPH, "clickData"), Input(RANK_GRAPH, "clickData"),
          State("overview-lang", "data"), State(DATE_PICK, "date"), State(METRIC_PICK, "value"),
          prevent_initial_call=True)
def drill_to_province(map_click, rank_click, shown, date_value, metric):
    """A province tile or bar opens its districts on the coverage page."""
    click = map_click if dash.ctx.triggered_id == MAP_GRAPH else rank_click
    try:
        code = str(click["points"][0]["customdata"])
    except (TypeError, KeyError, IndexError):
        return dash.no_update
    if not (len(code) == 2 and code.isdigit()):
        return dash.no_update
    group, milestone, _ = MAP_METRICS.get(metric, MAP_METRICS["adults_first"])
    lang = shown.get("lang") if isinstance(shown, dict) else None
    return href("/coverage", area=code, group=group, milestone=milestone, date=(date_value or "")[:10], lang=lang)


@callback(Output("url", "href", allow_duplicate=True),
          Input(DATE_PICK, "date"), Input(METRIC_PICK, "value"), State("overview-lang", "data"),
          prevent_initial_call=True)
def filters_to_url(date_value, metric, shown):
    """A changed filter opens its view; the filters' own first report of what is shown does nothing."""
    shown = shown if isinstance(shown, dict) else {}
    date_value = (date_value or "")[:10]
    if metric not in MAP_METRICS or (date_value == shown.get("date") and metric == shown.get("metric")):
        return dash.no_update
    return href("/", date=date_value, metric=metric, lang=shown.get("lang"))

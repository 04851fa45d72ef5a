"""Độ trễ nhập liệu (recording lag): how much is not on the platform yet, and who enters late."""

from __future__ import annotations

from datetime import date, timedelta

import dash
import pandas as pd
import plotly.graph_objects as go
from dash import Input, Output, State, callback, dcc, html

from dashboard import figures as F
from dashboard.components.panels import card, chart_panel, style_chart
from dashboard.context import BadParameter, data, day, lang_of, scope
from dashboard.i18n import fmt_date, fmt_int, fmt_pct, t
from dashboard.metrics import CATALOGUE
from dashboard.pagekit import breadcrumb, newest, render_page, resolve_area
from dashboard.shell import href

dash.register_page(__name__, path="/lag", name="Độ trễ nhập liệu", title="Độ trễ nhập liệu — chiến dịch tiêm chủng")

RANK_GRAPH, FROM_PICK, TO_PICK = "lag-rank", "lag-from", "lag-to"
SITE_RANK_GRAPH = "lag-site-rank-graph"  # no drill-down: sites are the bottom
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

    daily = dx.query("lag_daily", {"province": province if level == "province" else None,
                                   "district": area if level == "district" else None}, sc)
    daily = daily[(daily["day"] >= date_from) & (daily["day"] <= date_to)]
    summary = F.lag_summary(daily.groupby("bucket")["doses"].sum())
    weekly = F.weekly_lag(daily)
    after = daily[daily["day"] >= F.RULE_DAY]
    violations = int(after.loc[after["bucket"] > 0, "doses"].sum())
    report = dx.query("completeness_daily", {"province": province}, sc) if level != "district" else None

    cards = [
        card(t("same_day", lang), fmt_pct(summary["same_day"], lang),
             [f"{t('within_1', lang)}: {fmt_pct(summary['within_1'], lang)}",
              f"{t('within_3', lang)}: {fmt_pct(summary['within_3'], lang)}",
              f"{t('within_7', lang)}: {fmt_pct(summary['within_7'], lang)}"], lang=lang, card_id="lag-card-share"),
        card(t("median_lag", lang), F.lag_label(summary["median"], lang),
             [f"{t('p90_lag', lang)}: {F.lag_label(summary['p90'], lang)}",
              f"{t('doses', lang)}: {fmt_int(summary['doses'], lang)}"], lang=lang, card_id="lag-card-median"),
        card(t("violations", lang), fmt_int(violations, lang),
             [fmt_pct(violations / after["doses"].sum(), lang) if after["doses"].sum() else "–"], lang=lang,
             card_id="lag-card-violations"),
    ]
    panels = []
    fig = go.Figure([go.Scatter(x=weekly["week"], y=weekly[k], name=t(k, lang), mode="lines")
                     for k in ("same_day", "within_1", "within_3", "within_7")])
    _rule_line(fig, lang)
    style_chart(fig, lang, t("lag_share_title", lang), pct=True)
    panels.append(chart_panel("lag-shares", t("lag_share_title", lang), fig, CATALOGUE["lag_shares"],
                              weekly.assign(week=weekly["week"].astype(str)).round(4),
                              _cols(lang, ["week", "doses", "same_day", "within_1", "within_3", "within_7", "late"]),
                              lang, "lag-shares-graph"))
    if report is not None:
        rep = report[(report["day"] >= date_from) & (report["day"] <= date_to)].copy()
        rep["week"] = pd.to_datetime(rep["day"]).dt.to_period("W-SUN").dt.start_time.dt.date
        wk = rep.groupby("week")[["platform_doses", "reported_doses"]].sum().reset_index()
        wk["completeness"] = (wk["platform_doses"] / wk["reported_doses"]).where(wk["reported_doses"] > 0)
        last7 = rep[rep["day"] > date_to - timedelta(days=7)]
        reported7 = last7["reported_doses"].sum()
        share7 = last7["platform_doses"].sum() / reported7 if reported7 else None
        cards.append(card(t("completeness", lang), fmt_pct(share7, lang),
                          [f"{fmt_int(last7['platform_doses'].sum(), lang)} / "
                           f"{fmt_int(last7['reported_doses'].sum(), lang)}"], lang=lang,
                          card_id="lag-card-completeness"))
        fig_c = go.Figure(go.Scatter(x=wk["week"], y=wk["completeness"], mode="lines+markers",
                                     name=t("completeness", lang), line={"color": "#117a65"}))
        fig_c.add_hline(y=1.0, line_dash="dot", line_color="#999")
        _rule_line(fig_c, lang)
        style_chart(fig_c, lang, t("completeness_title", lang), pct=True)
        fig_c.update_yaxes(tickformat=".1%")
        panels.append(chart_panel("lag-completeness", t("completeness_title", lang), fig_c,
                                  CATALOGUE["completeness"], wk.assign(week=wk["week"].astype(str)).round(4),
                                  _cols(lang, ["week", "platform_doses", "reported_doses", "completeness"]), lang,
                                  "lag-completeness-graph"))
    fig_v = go.Figure(go.Bar(x=weekly["week"], y=weekly["late"], name=t("late_doses", lang),
                             marker_color=["#c0392b" if w >= F.RULE_DAY - timedelta(days=6) else "#95a5a6"
                                           for w in weekly["week"]]))
    _rule_line(fig_v, lang)
    style_chart(fig_v, lang, t("late_doses", lang))
    panels.append(chart_panel("lag-violations", t("violations_title", lang), fig_v, CATALOGUE["rule_violations"],
                              weekly.assign(week=weekly["week"].astype(str))[["week", "doses", "late"]],
                              _cols(lang, ["week", "doses", "late"]), lang, "lag-violations-graph"))
    # Nowcast at the newest data day: what the platform holds now for recent days, and what it will hold.
    lag_all = dx.query("lag_daily", {"province": province if level == "province" else None,
                                     "district": area if level == "district" else None}, sc)
    nc = F.nowcast(lag_all, last, days=21)
    fig_n = go.Figure([
        go.Scatter(x=list(nc["day"]) + list(nc["day"])[::-1], y=list(nc["high"]) + list(nc["low"])[::-1],
                   fill="toself", fillcolor="rgba(192,57,43,0.15)", line={"width": 0}, name=t("band", lang),
                   hoverinfo="skip"),
        go.Bar(x=nc["day"], y=nc["raw"], name=t("entered", lang), marker_color="#7fb3d5"),
        go.Scatter(x=nc["day"], y=nc["expected"], name=t("expected_final", lang), mode="lines+markers",
                   line={"color": "#c0392b", "dash": "dot"}),
    ])
    style_chart(fig_n, lang, t("doses", lang))
    panels.append(chart_panel("lag-nowcast", t("nowcast_title", lang), fig_n, CATALOGUE["nowcast"],
                              nc.assign(day=nc["day"].astype(str)).round(3),
                              _cols(lang, ["day", "raw", "complete_share", "expected", "low", "high"]), lang,
                              "lag-nowcast-graph"))
    # Who enters late: the provinces of the nation, the districts of a province, the sites of a district.
    period = {"date_from": date_from, "date_to": date_to}
    if level == "district":
        by_area = dx.query("lag_by_site", {"district": area, **period}, sc)
        panels.append(_ranking(by_area, dict(zip(by_area["area"], by_area["name"])), "lag-site-rank",
                               t("lag_site_rank_title", lang), t("site", lang), lang, SITE_RANK_GRAPH))
    else:
        by_area = dx.query("lag_by_area", {"province": province if level == "province" else None, **period}, sc)
        panels.append(_ranking(by_area, names, "lag-rank", t("lag_rank_title", lang), t("area", lang), lang,
                               RANK_GRAPH))

    controls = html.Div([
        html.Label([t("period", lang), dcc.DatePickerRange(
            id=FROM_PICK, start_date=date_from.isoformat(), end_date=date_to.isoformat(),
            display_format="DD/MM/YYYY", min_date_allowed=F.CAMPAIGN_START, max_date_allowed=last,
            first_day_of_week=1)]),
        dcc.Store(id="lag-state", data={"lang": lang, "area": area, "date_from": date_from.isoformat(),
                                        "date_to": date_to.isoformat()}),
    ], className="controls")
    title = names.get(area, t("nation", lang))
    return [breadcrumb("/lag", q, names, area, level, province, lang, "lag-breadcrumb"),
            html.H2(f"{t('nav_lag', lang)} — {title} ({fmt_date(date_from, lang)} – {fmt_date(date_to, lang)})",
                    id="lag-title"),
            controls, html.Div(cards, className="cards"),
            *[html.Div(panels[i:i + 2], className="grid-2") for i in range(0, len(panels), 2)]], fresh


def _ranking(by_area: pd.DataFrame, names: dict, panel_id: str, title: str, name_header: str, lang: str,
             graph_id: str) -> html.Section:
    """Areas (or sites) ranked by the share entered within 1 day, with median and p90 from their histograms;
    the slowest at the top."""
    rank = []
    for code, part in by_area.groupby("area"):
        s = F.lag_summary(part.set_index("bucket")["doses"])
        rank.append({"area": code, "name": names.get(code, code), "doses": s["doses"], "within_1": s["within_1"],
                     "median": F.lag_label(s["median"], lang), "p90": F.lag_label(s["p90"], lang)})
    rank = pd.DataFrame(rank, columns=["area", "name", "doses", "within_1", "median", "p90"])
    rank = rank.sort_values(["within_1", "area"], ascending=[False, True])
    # Two sites may share a name (a bar axis would merge them): those get their id.
    twice = rank["name"].duplicated(keep=False)
    label = rank["name"].where(~twice, rank["name"] + " (" + rank["area"] + ")")
    fig = go.Figure(go.Bar(y=label, x=rank["within_1"], orientation="h", customdata=rank["area"],
                           marker_color="#2e86c1", hovertemplate="%{y}: %{x:.1%}<extra></extra>"))
    style_chart(fig, lang, t("within_1", lang), pct=True, horizontal=True)
    fig.update_layout(height=max(340, 16 * len(rank) + 60))
    fig.update_yaxes(automargin=True)  # long site names get the room they need instead of being cut
    columns = _cols(lang, ["area", "name", "doses", "within_1", "median", "p90"])
    columns[1]["headerName"] = name_header
    return chart_panel(panel_id, title, fig, CATALOGUE["lag_percentiles"], rank.round(4), columns, lang, graph_id,
                       row_id="area")


def _rule_line(fig: go.Figure, lang: str) -> None:
    fig.add_vline(x=pd.Timestamp(F.RULE_DAY).timestamp() * 1000, line_dash="dash", line_color="#c0392b")
    fig.add_annotation(x=F.RULE_DAY, y=1, yref="paper", text=t("rule_day", lang), showarrow=False,
                       font={"size": 10, "color": "#c0392b"}, xanchor="left")


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
    return [dcc.Graph(id=RANK_GRAPH), dcc.DatePickerRange(id=FROM_PICK), dcc.Store(id="lag-state")]


@callback(Output("url", "href", allow_duplicate=True),
          Input(RANK_GRAPH, "clickData"), Input(FROM_PICK, "start_date"), Input(FROM_PICK, "end_date"),
          State("lag-state", "data"), prevent_initial_call=True)
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

"""Xác thực dữ liệu (verification): how much of what is on the platform has been checked, and feedback."""

from __future__ import annotations

from datetime import timedelta

import dash
import pandas as pd
import plotly.graph_objects as go
from dash import Input, Output, State, callback, dcc, html

from dashboard import figures as F
from dashboard.components.panels import card, chart_panel, style_chart
from dashboard.context import data, day, lang_of, scope
from dashboard.i18n import TEXTS, fmt_date, fmt_int, fmt_pct, t
from dashboard.metrics import CATALOGUE
from dashboard.pagekit import breadcrumb, newest, render_page, resolve_area
from dashboard.shell import href

dash.register_page(__name__, path="/verification", name="Xác thực dữ liệu",
                   title="Xác thực dữ liệu — chiến dịch tiêm chủng")

RANK_GRAPH, DATE_PICK = "verify-rank", "verify-date"
COLORS = {"verified": "#1e8449", "mismatch": "#b9770e", "not_found": "#c0392b", "missing_id": "#7d3c98"}
PATH_START = pd.Timestamp("2021-10-15").date()


def layout(lang: str | None = None, area: str | None = None, date: str | None = None, **_) -> html.Div:
    lang = lang_of(lang)
    query = {"lang": lang, "area": area, "date": date}
    return render_page("verification", "/verification", lang, query, _content)


def _content(lang: str, q: dict) -> tuple[list, str]:
    dx, sc = data(), scope()
    last, fresh = newest(lang)
    as_of = day(q["date"], last)
    areas = dx.query("areas", {}, sc)
    names = dict(zip(areas["area"], areas["name"]))
    area, level, province = resolve_area(areas, q["area"], sc)
    district = area if level == "district" else None

    checks = dx.query("verification_daily", {"province": province, "district": district}, sc)
    if level == "district":
        people = dx.query("daily_people_district", {"district": area}, sc)
    else:
        people = dx.query("daily_people", {"province": province}, sc)
    vaccinated = F.cumulative_people(people, "first", "total", as_of)
    progress = F.verification_progress(checks, vaccinated, as_of)
    now = progress.iloc[-1]
    fb = dx.query("feedback_daily", {"province": province, "district": district}, sc)
    fstat = F.feedback_status(fb, as_of)

    cards = [card(t("checked", lang), fmt_pct(now["share_checked"], lang),
                  [t("of_vaccinated", lang, n=fmt_int(now["vaccinated"], lang)),
                   t("people_checked", lang, n=fmt_int(now["checked"], lang))], lang=lang,
                  card_id="verify-card-checked")]
    for outcome in F.OUTCOMES:
        share = now[outcome] / now["checked"] if now["checked"] else None
        cards.append(card(t(f"outcome_{outcome}", lang), fmt_int(now[outcome], lang), [fmt_pct(share, lang)],
                          lang=lang, card_id=f"verify-card-{outcome}"))
    lines = []
    if as_of < F.VERIFY_DEADLINE:
        pace = now["backlog"] / max((F.VERIFY_DEADLINE - as_of).days, 1)
        lines.append(f"{t('needed_pace', lang)}: {fmt_int(pace, lang)} {t('per_day', lang)}")
    cards.append(card(t("backlog", lang), fmt_int(now["backlog"], lang), lines, lang=lang,
                      card_id="verify-card-backlog"))
    cards.append(card(t("feedback", lang), fmt_int(fstat["open"], lang),
                      [t("feedback_line", lang, r=fmt_int(fstat["received"], lang), c=fmt_int(fstat["closed"], lang),
                         o=fmt_int(fstat["open"], lang), d=fmt_int(fstat["overdue"], lang))], lang=lang,
                      card_id="verify-card-feedback"))

    shown = progress[progress["day"] >= pd.Timestamp("2021-09-01").date()]
    fig = go.Figure([go.Scatter(x=shown["day"], y=shown[o], name=t(f"outcome_{o}", lang), stackgroup="checked",
                                line={"width": 0.5, "color": COLORS[o]}) for o in F.OUTCOMES])
    fig.add_scatter(x=shown["day"], y=shown["vaccinated"], name=t("vaccinated", lang),
                    line={"color": "#10243e", "dash": "dot"})
    style_chart(fig, lang, t("people", lang))
    table = shown.assign(day=shown["day"].astype(str), share_checked=shown["share_checked"].round(4))
    panels = [chart_panel("verify-outcomes", t("verify_title", lang), fig, CATALOGUE["verification_progress"],
                          table[["day", "vaccinated", "checked", *F.OUTCOMES, "share_checked"]],
                          _cols(lang, ["day", "vaccinated", "checked", *F.OUTCOMES, "share_checked"]), lang,
                          "verify-outcomes-graph")]

    start = progress[progress["day"] == PATH_START]
    fig_b = go.Figure(go.Scatter(x=shown["day"], y=shown["backlog"], name=t("backlog", lang),
                                 line={"color": "#c0392b"}, fill="tozeroy"))
    if len(start):
        fig_b.add_scatter(x=[PATH_START, F.VERIFY_DEADLINE], y=[int(start["backlog"].iloc[0]), 0],
                          name=t("path", lang), line={"color": "#10243e", "dash": "dash"})
    style_chart(fig_b, lang, t("backlog", lang))
    panels.append(chart_panel("verify-burndown", t("burndown_title", lang), fig_b,
                              CATALOGUE["verification_progress"], table[["day", "vaccinated", "checked", "backlog"]],
                              _cols(lang, ["day", "vaccinated", "checked", "backlog"]), lang, "verify-burndown-graph"))

    weeks = _feedback_weeks(fb, as_of)
    fig_f = go.Figure([go.Bar(x=weeks["week"], y=weeks["received"], name=t("received", lang), marker_color="#5dade2"),
                       go.Bar(x=weeks["week"], y=weeks["closed"], name=t("closed", lang), marker_color="#1e8449"),
                       go.Scatter(x=weeks["week"], y=weeks["open"], name=t("open", lang), line={"color": "#c0392b"})])
    fig_f.add_vline(x=pd.Timestamp(F.FEEDBACK_BACKLOG_DEADLINE).timestamp() * 1000, line_dash="dash",
                    line_color="#c0392b")
    style_chart(fig_f, lang, t("feedback", lang))
    panels.append(chart_panel("verify-feedback", t("feedback_title", lang), fig_f, CATALOGUE["feedback"],
                              weeks.assign(week=weeks["week"].astype(str)),
                              _cols(lang, ["week", "received", "closed", "open"]), lang, "verify-feedback-graph"))

    # Which fields differ from the population database: what the commune staff must correct.
    fields = dx.query("verification_fields", {"province": province, "district": district, "as_of": as_of}, sc)
    mismatch_checks = int(checks.loc[(checks["outcome"] == "mismatch") & (checks["day"] <= as_of), "checks"].sum())
    fields = fields.assign(field_name=[t(f"field_{f}", lang) if f"field_{f}" in TEXTS else f
                                       for f in fields["field"]],
                           of_mismatches=(fields["checks"] / mismatch_checks).round(4) if mismatch_checks else None)
    fields = fields.sort_values(["checks", "field"], ascending=[True, True])  # the most frequent at the top
    fig_m = go.Figure(go.Bar(y=fields["field_name"], x=fields["checks"], orientation="h", customdata=fields["field"],
                             marker_color=COLORS["mismatch"], hovertemplate="%{y}: %{x:,.0f}<extra></extra>"))
    style_chart(fig_m, lang, t("mismatch_checks", lang), horizontal=True)
    columns = ["field", "field_name", "checks", "of_mismatches"]
    panels.append(chart_panel("verify-fields", t("fields_title", lang), fig_m, CATALOGUE["verification_fields"],
                              fields[::-1][columns], _cols(lang, columns), lang, "verify-fields-graph"))

    if level != "district":
        by_area = dx.query("verification_by_area", {"province": province, "as_of": as_of}, sc)
        checked = by_area.groupby("area")["people"].sum()
        sub_people = dx.query("people_by_province" if level == "nation" else "people_by_district",
                              {"as_of": as_of, **({"province": province} if province else {})}, sc)
        vacc = sub_people[sub_people["milestone"] == 1].groupby("area")["people"].sum()
        rank = pd.DataFrame({"vaccinated": vacc}).join(checked.rename("checked"), how="left").fillna(0)
        rank["share"] = (rank["checked"] / rank["vaccinated"]).where(rank["vaccinated"] > 0)
        rank = rank.reset_index().rename(columns={"index": "area"})
        rank["name"] = rank["area"].map(names)
        rank = rank.sort_values("share", ascending=False)
        fig_r = go.Figure(go.Bar(y=rank["name"], x=rank["share"], orientation="h", customdata=rank["area"],
                                 marker_color="#1e8449", hovertemplate="%{y}: %{x:.1%}<extra></extra>"))
        style_chart(fig_r, lang, t("checked", lang), pct=True, horizontal=True)
        fig_r.update_layout(height=max(340, 16 * len(rank) + 60))
        panels.append(chart_panel("verify-rank", t("verify_rank_title", lang), fig_r,
                                  CATALOGUE["verification_progress"],
                                  rank[["area", "name", "vaccinated", "checked", "share"]].round(4),
                                  _cols(lang, ["area", "name", "vaccinated", "checked", "share"]), lang, RANK_GRAPH,
                                  row_id="area"))

    controls = html.Div([
        html.Label([t("as_of", lang), dcc.DatePickerSingle(
            id=DATE_PICK, date=as_of.isoformat(), display_format="DD/MM/YYYY", min_date_allowed=F.CAMPAIGN_START,
            max_date_allowed=last, first_day_of_week=1)]),
        dcc.Store(id="verify-state", data={"lang": lang, "area": area, "date": as_of.isoformat()}),
    ], className="controls")
    title = names.get(area, t("nation", lang))
    return [breadcrumb("/verification", q, names, area, level, province, lang, "verify-breadcrumb"),
            html.H2(f"{t('nav_verification', lang)} — {title} ({fmt_date(as_of, lang)})", id="verify-title"),
            controls, html.Div(cards, className="cards"),
            *[html.Div(panels[i:i + 2], className="grid-2") for i in range(0, len(panels), 2)]], fresh


def _feedback_weeks(fb: pd.DataFrame, as_of) -> pd.DataFrame:
    if fb.empty:
        return pd.DataFrame(columns=["week", "received", "closed", "open"])
    start = fb["received_day"].min()
    weeks = pd.date_range(start - timedelta(days=start.weekday()), as_of, freq="7D").date
    rows = []
    for w in weeks:
        end = min(w + timedelta(days=6), as_of)
        received = fb.loc[(fb["received_day"] >= w) & (fb["received_day"] <= end), "items"].sum()
        closed = fb.loc[fb["closed_day"].notna() & (fb["closed_day"] >= w) & (fb["closed_day"] <= end), "items"].sum()
        rows.append({"week": w, "received": int(received), "closed": int(closed),
                     "open": F.feedback_status(fb, end)["open"]})
    return pd.DataFrame(rows)


def _cols(lang: str, fields: list[str]) -> list[dict]:
    header = {"day": t("day", lang), "week": t("week", lang), "vaccinated": t("vaccinated", lang),
              "checked": t("checked", lang), "backlog": t("backlog", lang), "share_checked": t("coverage", lang),
              "share": t("coverage", lang), "received": t("received", lang), "closed": t("closed", lang),
              "open": t("open", lang), "area": "GSO", "name": t("area", lang), "field": "ID",
              "field_name": t("field_name", lang), "checks": t("mismatch_checks", lang),
              "of_mismatches": t("of_mismatches", lang),
              **{o: t(f"outcome_{o}", lang) for o in F.OUTCOMES}}
    return [{"field": f, "headerName": header[f]} for f in fields]


def validation_stub() -> list:
    return [dcc.Graph(id=RANK_GRAPH), dcc.DatePickerSingle(id=DATE_PICK), dcc.Store(id="verify-state")]


@callback(Output("url", "href", allow_duplicate=True),
          Input(RANK_GRAPH, "clickData"), Input(DATE_PICK, "date"), State("verify-state", "data"),
          prevent_initial_call=True)
def verify_navigate(click, date_value, state):
    """A bar opens the area below; a changed date opens the same area on that date."""
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
    elif (date_value or "")[:10] == state.get("date"):
        return dash.no_update
    return href("/verification", area=area, date=(date_value or "")[:10], lang=state.get("lang"))

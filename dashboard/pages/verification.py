"""Xác thực dữ liệu (verification): how much of what is on the platform has been checked, and feedback."""

from __future__ import annotations

from datetime import date

import dash
import pandas as pd
from dash import Input, Output, State, callback, dcc, html

from common.vocabulary import CAMPAIGN_START
from dashboard.access import data, scope
from dashboard.charts import verification as charts
from dashboard.components.drilldown import breadcrumb, resolve_area
from dashboard.components.frame import href
from dashboard.components.panels import card, chart_panel
from dashboard.i18n import TEXTS, fmt_date, fmt_int, fmt_pct, t
from dashboard.measures import verification as M
from dashboard.measures.coverage import cumulative_people
from dashboard.metrics import CATALOGUE
from dashboard.params import day, lang_of
from dashboard.reads import verification as reads
from dashboard.rendering import newest, render_page

dash.register_page(__name__, path="/verification", name="Xác thực dữ liệu",
                   title="Xác thực dữ liệu — chiến dịch tiêm chủng")

RANK_GRAPH, DATE_PICK = "verify-rank", "verify-date"
STATE = "verify-state"
PATH_START = date(2021, 10, 15)    # the burndown's path starts from the backlog on this day
SHOWN_FROM = date(2021, 9, 1)


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

    checks = reads.checks(dx, sc, province, district)
    vaccinated = cumulative_people(reads.daily_people(dx, sc, province, district), "first", "total", as_of)
    progress = M.verification_progress(checks, vaccinated, as_of)
    fb = reads.feedback(dx, sc, province, district)
    cards = _cards(progress.iloc[-1], M.feedback_status(fb, as_of), as_of, lang)
    panels = _progress_panels(progress, lang)
    weeks = M.feedback_weeks(fb, as_of)
    panels.append(chart_panel("verify-feedback", t("feedback_title", lang), charts.feedback_chart(weeks, lang),
                              CATALOGUE["feedback"], weeks.assign(week=weeks["week"].astype(str)),
                              _cols(lang, ["week", "received", "closed", "open"]), lang, "verify-feedback-graph"))
    panels.append(_fields_panel(reads.fields(dx, sc, province, district, as_of), checks, as_of, lang))
    if level != "district":
        rank = M.area_checked(reads.checked_by_area(dx, sc, province, as_of),
                              reads.people_by_area(dx, sc, province, as_of), names)
        columns = ["area", "name", "vaccinated", "checked", "share"]
        panels.append(chart_panel("verify-rank", t("verify_rank_title", lang), charts.rank_chart(rank, lang),
                                  CATALOGUE["verification_progress"], rank[columns].round(4), _cols(lang, columns),
                                  lang, RANK_GRAPH, row_id="area"))

    controls = html.Div([
        html.Label([t("as_of", lang), dcc.DatePickerSingle(
            id=DATE_PICK, date=as_of.isoformat(), display_format="DD/MM/YYYY", min_date_allowed=CAMPAIGN_START,
            max_date_allowed=last, first_day_of_week=1)]),
        dcc.Store(id=STATE, data={"lang": lang, "area": area, "date": as_of.isoformat()}),
    ], className="controls")
    title = names.get(area, t("nation", lang))
    return [breadcrumb("/verification", q, names, area, level, province, lang, "verify-breadcrumb"),
            html.H2(f"{t('nav_verification', lang)} — {title} ({fmt_date(as_of, lang)})", id="verify-title"),
            controls, html.Div(cards, className="cards"),
            *[html.Div(panels[i:i + 2], className="grid-2") for i in range(0, len(panels), 2)]], fresh


def _cards(now: pd.Series, fstat: dict, as_of: date, lang: str) -> list:
    cards = [card(t("checked", lang), fmt_pct(now["share_checked"], lang),
                  [t("of_vaccinated", lang, n=fmt_int(now["vaccinated"], lang)),
                   t("people_checked", lang, n=fmt_int(now["checked"], lang))], lang=lang,
                  card_id="verify-card-checked")]
    for outcome in M.OUTCOMES:
        share = now[outcome] / now["checked"] if now["checked"] else None
        cards.append(card(t(f"outcome_{outcome}", lang), fmt_int(now[outcome], lang), [fmt_pct(share, lang)],
                          lang=lang, card_id=f"verify-card-{outcome}"))
    pace = M.needed_pace(now["backlog"], as_of)
    lines = [] if pace is None else [f"{t('needed_pace', lang)}: {fmt_int(pace, lang)} {t('per_day', lang)}"]
    cards.append(card(t("backlog", lang), fmt_int(now["backlog"], lang), lines, lang=lang,
                      card_id="verify-card-backlog"))
    cards.append(card(t("feedback", lang), fmt_int(fstat["open"], lang),
                      [t("feedback_line", lang, r=fmt_int(fstat["received"], lang), c=fmt_int(fstat["closed"], lang),
                         o=fmt_int(fstat["open"], lang), d=fmt_int(fstat["overdue"], lang))], lang=lang,
                      card_id="verify-card-feedback"))
    return cards


def _progress_panels(progress: pd.DataFrame, lang: str) -> list:
    """People checked by outcome, and the backlog against its path to the deadline (from SHOWN_FROM)."""
    shown = progress[progress["day"] >= SHOWN_FROM]
    table = shown.assign(day=shown["day"].astype(str), share_checked=shown["share_checked"].round(4))
    columns = ["day", "vaccinated", "checked", *M.OUTCOMES, "share_checked"]
    burndown = ["day", "vaccinated", "checked", "backlog"]
    return [chart_panel("verify-outcomes", t("verify_title", lang), charts.outcomes_chart(shown, lang),
                        CATALOGUE["verification_progress"], table[columns], _cols(lang, columns), lang,
                        "verify-outcomes-graph"),
            chart_panel("verify-burndown", t("burndown_title", lang),
                        charts.burndown_chart(shown, M.burndown_path(progress, PATH_START), lang),
                        CATALOGUE["verification_progress"], table[burndown], _cols(lang, burndown), lang,
                        "verify-burndown-graph")]


def _fields_panel(fields: pd.DataFrame, checks: pd.DataFrame, as_of: date, lang: str) -> html.Section:
    """Which fields differ from the population database: what the commune staff must correct."""
    fields = M.field_mismatches(fields, checks, as_of)
    fields = fields.assign(field_name=[t(f"field_{f}", lang) if f"field_{f}" in TEXTS else f
                                       for f in fields["field"]])
    columns = ["field", "field_name", "checks", "of_mismatches"]
    return chart_panel("verify-fields", t("fields_title", lang), charts.fields_chart(fields, lang),
                       CATALOGUE["verification_fields"], fields[::-1][columns], _cols(lang, columns), lang,
                       "verify-fields-graph")


def _cols(lang: str, fields: list[str]) -> list[dict]:
    header = {"day": t("day", lang), "week": t("week", lang), "vaccinated": t("vaccinated", lang),
              "checked": t("checked", lang), "backlog": t("backlog", lang), "share_checked": t("coverage", lang),
              "share": t("coverage", lang), "received": t("received", lang), "closed": t("closed", lang),
              "open": t("open", lang), "area": "GSO", "name": t("area", lang), "field": "ID",
              "field_name": t("field_name", lang), "checks": t("mismatch_checks", lang),
              "of_mismatches": t("of_mismatches", lang),
              **{o: t(f"outcome_{o}", lang) for o in M.OUTCOMES}}
    return [{"field": f, "headerName": header[f]} for f in fields]


def validation_stub() -> list:
    return [dcc.Graph(id=RANK_GRAPH), dcc.DatePickerSingle(id=DATE_PICK), dcc.Store(id=STATE)]


@callback(Output("url", "href", allow_duplicate=True),
          Input(RANK_GRAPH, "clickData"), Input(DATE_PICK, "date"), State(STATE, "data"),
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

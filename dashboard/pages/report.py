"""Báo cáo (report pack): a province's figures for its committee, as XLSX, a zip of CSV files or a PDF.

The pack is built by a job off the request (dashboard/report/jobs.py): the button starts it with the signed-in
account's scope, an interval shows its progress, and a link downloads the file when it is ready.
"""

from __future__ import annotations

from datetime import date

import dash
from dash import Input, Output, State, callback, dcc, html

from common.vocabulary import CAMPAIGN_START
from dashboard.access import data, scope
from dashboard.auth import current_account
from dashboard.components.panels import message
from dashboard.i18n import t
from dashboard.params import lang_of
from dashboard.reads import report as reads
from dashboard.rendering import newest, render_page
from dashboard.report import ReportScopeError
from dashboard.report.jobs import Order, status
from dashboard.report.routes import start_for_current_user

dash.register_page(__name__, path="/report", name="Báo cáo", title="Báo cáo — chiến dịch tiêm chủng")

AREA, PERIOD, FORMAT, START, POLL, JOB, OUT = ("rep-area", "rep-period", "rep-format", "rep-start", "rep-poll",
                                              "rep-job", "rep-out")
DOWNLOAD, PROGRESS = "rep-download", "rep-progress"
DEFAULT_FROM, DEFAULT_TO = date(2021, 7, 1), date(2021, 10, 31)


def layout(lang: str | None = None, **_) -> html.Div:
    lang = lang_of(lang)
    return render_page("report", "/report", lang, {"lang": lang}, _content)


def _content(lang: str, q: dict) -> tuple[list, str]:
    dx, sc = data(), scope()
    last, fresh = newest(lang)
    provinces = reads.provinces(dx, sc)
    options = [{"label": name, "value": code} for code, name in zip(provinces["area"], provinces["name"])]
    if sc.province is None:
        options.insert(0, {"label": t("nation", lang), "value": "VN"})
    chosen = sc.province or "79"
    return [
        html.H2(t("report_title", lang)),
        html.P(t("report_intro", lang), className="hint"),
        html.Div([
            html.Label([t("area", lang), dcc.Dropdown(id=AREA, options=options, value=chosen, clearable=False,
                                                      disabled=sc.province is not None, style={"width": "280px"})]),
            html.Label([t("period", lang), dcc.DatePickerRange(
                id=PERIOD, start_date=max(DEFAULT_FROM, CAMPAIGN_START).isoformat(),
                end_date=min(DEFAULT_TO, last).isoformat(), min_date_allowed=CAMPAIGN_START,
                max_date_allowed=last, display_format="DD/MM/YYYY", first_day_of_week=1)]),
            html.Label([t("report_format", lang), dcc.RadioItems(
                id=FORMAT, value="xlsx", inline=True,
                options=[{"label": " Excel (XLSX)", "value": "xlsx"}, {"label": " CSV (zip)", "value": "csv"},
                         {"label": " PDF", "value": "pdf"}])]),
            html.Button(t("report_make", lang), id=START, className="primary-button"),
        ], className="controls report-form"),
        dcc.Store(id=JOB, data={"lang": lang}),
        dcc.Interval(id=POLL, interval=500, disabled=True),
        html.Div(id=OUT, className="report-out", role="status"),
    ], fresh


def validation_stub() -> list:
    return [dcc.Dropdown(id=AREA), dcc.DatePickerRange(id=PERIOD), dcc.RadioItems(id=FORMAT), html.Button(id=START),
            dcc.Interval(id=POLL), dcc.Store(id=JOB), html.Div(id=OUT)]


@callback(Output(JOB, "data"), Output(POLL, "disabled"), Output(OUT, "children"),
          Input(START, "n_clicks"), State(AREA, "value"), State(PERIOD, "start_date"), State(PERIOD, "end_date"),
          State(FORMAT, "value"), State(JOB, "data"), prevent_initial_call=True)
def start_job(_n, area, start, end, fmt, job):
    """Starts the pack with the signed-in account's scope; a province outside it is refused, whatever was sent."""
    lang = (job or {}).get("lang") if isinstance(job, dict) else "vi"
    try:
        order = Order(province=None if area == "VN" else str(area or ""), date_from=date.fromisoformat(start[:10]),
                      date_to=date.fromisoformat(end[:10]), fmt=str(fmt), lang=lang or "vi")
        job_id = start_for_current_user(order)
    except ReportScopeError:
        return dash.no_update, True, message(t("not_in_scope", lang), "error")
    except (ValueError, TypeError) as exc:
        return dash.no_update, True, message(t("bad_input", lang, detail=str(exc)), "error")
    return {"lang": lang, "id": job_id}, False, _progress(0, 1, lang)


@callback(Output(OUT, "children", allow_duplicate=True), Output(POLL, "disabled", allow_duplicate=True),
          Input(POLL, "n_intervals"), State(JOB, "data"), prevent_initial_call=True)
def follow_job(_n, job):
    job = job if isinstance(job, dict) else {}
    lang, account = job.get("lang", "vi"), current_account()
    state = status(data(), job.get("id", ""), account.username) if account else None
    if state is None:
        return message(t("report_lost", lang), "error"), True
    if state["state"] == "failed":
        return message(t("report_failed", lang, detail=state["error"]), "error"), True
    if state["state"] == "done":
        return html.Div([html.Span(t("report_ready", lang) + " "),
                         html.A(state["file"], href=f"/report/jobs/{job['id']}/file", id=DOWNLOAD,
                                download=state["file"])], className="message info"), True
    return _progress(state["step"], state["total"], lang), False


def _progress(step: int, total: int, lang: str) -> html.Div:
    return html.Div([html.Progress(value=str(step), max=str(total), id=PROGRESS),
                     html.Span(t("report_working", lang, step=step, total=total))], className="report-progress")

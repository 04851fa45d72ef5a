"""The report pack over HTTP: start a job, follow it, download its file. Every route needs a signed-in account;
the scope is the account's, whatever the request says (a province user asking another province gets 403 and no
byte of it). The page (pages/report.py) starts jobs through `start_for_current_user` too. Starting a job is a
POST: it needs this session's CSRF token (X-CSRFToken header or csrf_token field; scripts get it from
GET /csrf-token), checked by CSRFProtect before the view runs (dashboard/auth/web.py)."""

from __future__ import annotations

from datetime import date

import flask

from dashboard.auth import audit, current_account, current_scope, protect
from dashboard.report import MEDIA_TYPES, ReportScopeError
from dashboard.report.jobs import Order, check, result, start, status

bp = flask.Blueprint("report", __name__)


FIELDS = ("province", "from", "to", "format", "lang")
FIELD_MAX = 32  # every field is a code, a date or a word: a longer one is refused, never echoed


def parse_order(values) -> Order:
    """An order from form or query values; ValueError names the bad one."""
    too_long = [name for name in FIELDS if len(values.get(name, "")) > FIELD_MAX]
    if too_long:
        raise ValueError(f"{', '.join(too_long)}: at most {FIELD_MAX} characters")
    try:
        date_from = date.fromisoformat(values.get("from", ""))
        date_to = date.fromisoformat(values.get("to", ""))
    except ValueError:
        raise ValueError("from and to must be dates YYYY-MM-DD") from None
    return Order(province=values.get("province") or None, date_from=date_from, date_to=date_to,
                 fmt=values.get("format", ""), lang="en" if values.get("lang") == "en" else "vi")


def start_for_current_user(order: Order) -> str:
    """Start the signed-in user's job, or raise ReportScopeError/ValueError. Both outcomes are audited."""
    dx, user, scope = flask.current_app.config["DATA"], current_account(), current_scope()
    detail = {"province": order.province or "VN", "from": order.date_from.isoformat(),
              "to": order.date_to.isoformat(), "format": order.fmt, "file": order.filename}
    try:
        check(scope, order)
    except ReportScopeError:
        audit("export", {**detail, "refused": "outside the account's scope"})
        raise
    audit("export", detail)
    return start(dx, user.username, scope, order)


@bp.post("/report/jobs")
@protect()
def create_job():
    try:
        job = start_for_current_user(parse_order(flask.request.values))
    except ReportScopeError:
        return flask.jsonify(error="not in your scope"), 403
    except ValueError as exc:
        return flask.jsonify(error=str(exc)), 400
    return flask.jsonify(job=job), 202


@bp.get("/report/jobs/<job>")
@protect()
def job_status(job: str):
    state = status(flask.current_app.config["DATA"], job, current_account().username)
    if state is None:
        return flask.jsonify(error="no such job"), 404
    return flask.jsonify({k: state[k] for k in ("state", "step", "total", "file", "error")})


@bp.get("/report/jobs/<job>/file")
@protect()
def job_file(job: str):
    done = result(flask.current_app.config["DATA"], job, current_account().username)
    if done is None:
        return flask.jsonify(error="no such file"), 404
    name, data = done
    ext = name.rsplit(".", 1)[-1]
    return flask.Response(data, mimetype=MEDIA_TYPES["csv" if ext == "zip" else ext],
                          headers={"Content-Disposition": f'attachment; filename="{name}"',
                                   "Cache-Control": "no-store"})

"""What every response carries and what every request must be before the app reads it.

Headers (flask-talisman): a Content-Security-Policy Dash works under (its inline scripts allowed by their
hashes, nothing else inline), no framing, nosniff, a same-origin Referrer-Policy, and a Cache-Control that
keeps every response out of shared caches. HTTPS is forced only when FORCE_HTTPS says so (the demo is served
over plain http on 127.0.0.1).

Requests: a repeated URL parameter, a control character in one (a `next=` holding a newline), a forged
callback body of the wrong shape or types, an unknown component-suite path: 400 with a message, never a 500
with a traceback. The pages' own parameters are then checked by dashboard.params.check_query and the pages.
"""

from __future__ import annotations

import logging
from numbers import Number

import dash
import flask
from dash._utils import stringify_id
from dash._validate import validate_output_spec
from dash.dependencies import Output
from dash.exceptions import CallbackException, DependencyException
from flask_talisman import Talisman

from common.settings import Settings

log = logging.getLogger(__name__)

# Plotly draws with inline styles, ag-grid and the date pickers inject <style> elements: styles may be inline,
# scripts may not (Dash's own inline scripts are allowed by hash, added once Dash has set itself up).
POLICY = {
    "default-src": "'self'",
    "script-src": ["'self'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:"],
    "font-src": ["'self'", "data:"],
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
STATIC = ("/_dash-component-suites/", "/assets/", "/_favicon.ico")
MAX_TEXT = 2000  # longer than any URL or value the pages make

# The JSON types each callback property may carry (what the components send); any other is a forged body.
TEXT, NONE = (str,), (type(None),)
PROPERTY_TYPES: dict[str, tuple[type, ...]] = {
    "pathname": TEXT, "search": TEXT + NONE, "href": TEXT + NONE,
    "date": TEXT + NONE, "start_date": TEXT + NONE, "end_date": TEXT + NONE,
    "value": TEXT + (Number,) + NONE,
    "clickData": (dict,) + NONE, "cellClicked": (dict,) + NONE, "data": (dict,) + NONE,
    "n_clicks": (int,) + NONE, "n_intervals": (int,) + NONE,
}


class BadRequest(ValueError):
    """A request refused before the app reads it: answered 400 with its message."""


def init_app(app: dash.Dash, settings: Settings) -> None:
    server = app.server
    talisman = Talisman(
        server, force_https=settings.force_https, strict_transport_security=settings.force_https,
        # Talisman would set these two; the session settings stay those of dashboard.auth
        session_cookie_secure=settings.session_cookie_secure,
        session_cookie_samesite=server.config.get("SESSION_COOKIE_SAMESITE", "Lax"),
        content_security_policy={k: list(v) if isinstance(v, list) else v for k, v in POLICY.items()},
        frame_options="DENY", referrer_policy="same-origin", x_content_type_options=True,
    )

    @server.before_request
    def _check_request():
        try:
            check_args(flask.request)
            if flask.request.path == "/_dash-update-component" and flask.request.method == "POST":
                check_callback(app, flask.request.get_json(silent=True))
        except BadRequest as exc:
            return refuse(str(exc))
        return None

    @server.after_request
    def _headers(response: flask.Response) -> flask.Response:
        # Dash's inline scripts (clientside callbacks, its renderer) are known once it has set itself up on
        # a first request; this runs before Talisman writes the header (after_request runs last-in first).
        hashes = ["'self'", *app.csp_hashes()]
        if talisman.content_security_policy["script-src"] != hashes:
            talisman.content_security_policy["script-src"] = hashes
        if flask.request.path.startswith(STATIC) and response.status_code in (200, 304):
            # code, not data: the browser may keep it (Dash's URLs carry a fingerprint), no shared cache may
            response.headers["Cache-Control"] = "private, " + _max_age(response)
        else:
            response.headers["Cache-Control"] = "no-store"
        response.headers.pop("Server", None)
        return response

    @server.errorhandler(DependencyException)
    def _unknown_bundle(exc):  # Dash raises it for a component-suite path it does not serve
        return refuse("unknown component-suite path")


def _max_age(response: flask.Response) -> str:
    age = response.cache_control.max_age
    return f"max-age={age}" if age else "no-cache"


def refuse(detail: str) -> flask.Response:
    text = f"Tham số không hợp lệ / Invalid parameter: {detail}"
    if flask.request.path.startswith("/_dash"):
        return flask.make_response(flask.jsonify(error=text), 400)
    return flask.Response(text + "\n", 400, mimetype="text/plain")


def check_args(request: flask.Request) -> None:
    """URL parameters once each, short, printable; form fields (but passwords) without line breaks."""
    for key in request.args:
        values = request.args.getlist(key)
        if len(values) > 1:
            raise BadRequest(f"{key[:40]} (repeated)")
        if len(values[0]) > MAX_TEXT or not (key + values[0]).isprintable():
            raise BadRequest(f"{key[:40]} (too long or not printable)")
    for key, value in request.form.items():
        if key != "password" and any(c in value for c in "\r\n\0"):
            raise BadRequest(f"{key[:40]} (not printable)")


def check_callback(app: dash.Dash, body) -> None:
    """A callback request as Dash's renderer sends it: an output Dash knows, and inputs and states that are
    the callback's own, in its order, each with a value of its property's type."""
    if not isinstance(body, dict):
        raise BadRequest("callback body")
    output = body.get("output")
    known = app.callback_map.get(output) if isinstance(output, str) else None
    if known is None:
        raise BadRequest("callback output")
    try:  # Dash's own check of the outputs against the callback, made here so that a mismatch is a 400
        validate_output_spec(known["output"], body.get("outputs"), Output)
    except (CallbackException, KeyError, TypeError, AttributeError):
        raise BadRequest("callback outputs") from None
    changed = body.get("changedPropIds", [])
    if not (isinstance(changed, list) and all(isinstance(c, str) for c in changed)):
        raise BadRequest("changedPropIds")
    for part in ("inputs", "state"):
        given, declared = body.get(part, []), known.get(part, [])
        if not isinstance(given, list) or len(given) != len(declared):
            raise BadRequest(f"callback {part}")
        for item, expected in zip(given, declared):
            _check_item(item, expected)


def _check_item(item, expected: dict) -> None:
    for one in item if isinstance(item, list) else [item]:  # a list: an ALL wildcard's matches
        if not (isinstance(one, dict) and isinstance(one.get("property"), str)
                and isinstance(one.get("id"), str | dict)):
            raise BadRequest("callback input")
        wildcard = "[" in stringify_id(expected["id"])  # MATCH/ALL: any concrete id of the pattern
        if one["property"] != expected["property"] or (not wildcard and stringify_id(one["id"]) !=
                                                        stringify_id(expected["id"])):
            raise BadRequest("callback input")
        value, types = one.get("value"), PROPERTY_TYPES.get(one["property"])
        if types is None or not isinstance(value, types) or isinstance(value, bool) and bool not in types:
            raise BadRequest(f"{stringify_id(one['id'])[:60]}.{one['property']} (type)")
        if one["property"] == "pathname" and not value.startswith("/"):  # a browser's location always does
            raise BadRequest(f"{stringify_id(one['id'])[:60]}.pathname")
        if isinstance(value, str) and len(value) > MAX_TEXT:
            raise BadRequest(f"{stringify_id(one['id'])[:60]}.{one['property']} (too long)")

"""The audit log (auth.audit): sign-ins, failures, sign-outs, exports, account changes.

`audit(action, detail)` records what the signed-in user of the current request did; other code (the
export) calls it. It raises when the record cannot be written, so that nothing is served unrecorded.
"""

from __future__ import annotations

import json

import flask
import pandas as pd
import sqlalchemy as sa
from flask_login import current_user

from dashboard.auth.users import sql

ACTIONS = ("sign_in", "sign_in_failed", "sign_out", "export", "user_admin")


def client_address() -> str | None:
    """The address the request came from: the client's behind TRUSTED_PROXIES proxies (ProxyFix, set up in
    web.init_app), the connection's otherwise."""
    return flask.request.remote_addr if flask.has_request_context() else None


# What one record keeps of each field: a username typed as megabytes must not fill the log (the web tier
# refuses such requests before they get here; this holds for every caller).
TEXT_MAX, DETAIL_MAX = 100, 4000


def _clip(value: str | None, limit: int = TEXT_MAX) -> str | None:
    return value if value is None or len(value) <= limit else value[:limit - 1] + "…"


def record(engine: sa.Engine, action: str, username: str | None, address: str | None, scope: str | None,
           detail: dict | str | None = None) -> None:
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    text = json.dumps(detail, ensure_ascii=False, default=str) if detail is not None else None
    if text is not None and len(text) > DETAIL_MAX:
        text = json.dumps({"truncated": text[:DETAIL_MAX]}, ensure_ascii=False)
    with engine.begin() as conn:
        conn.execute(sql("audit_insert"), {"username": _clip(username), "address": _clip(address),
                                           "action": action, "scope": _clip(scope), "detail": text})


def audit(action: str, detail: dict | str | None = None, username: str | None = None) -> None:
    """Record an action of the current request's user (or of `username`, for a failed sign-in)."""
    user = current_user if current_user and current_user.is_authenticated else None
    name = username if username is not None else (user.username if user else None)
    scope = (user.scope.province or "national") if user else None
    engine = flask.current_app.config["DATA"].engine
    record(engine, action, name, client_address(), scope, detail)


def recent(engine: sa.Engine, limit: int = 1000) -> pd.DataFrame:
    with engine.connect() as conn:
        result = conn.execute(sql("audit_recent"), {"limit": limit})
        return pd.DataFrame(result.fetchall(), columns=list(result.keys()))

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
    """The address the request came from. Behind a reverse proxy, wrap the app in werkzeug's ProxyFix (set
    up for exactly the proxies in front) so that this is the client's, not the proxy's."""
    return flask.request.remote_addr if flask.has_request_context() else None


def record(engine: sa.Engine, action: str, username: str | None, address: str | None, scope: str | None,
           detail: dict | str | None = None) -> None:
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    with engine.begin() as conn:
        conn.execute(sql("audit_insert"), {"username": username, "address": address, "action": action,
                                           "scope": scope, "detail": json.dumps(detail, ensure_ascii=False,
                                                                                default=str)
                                           if detail is not None else None})


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

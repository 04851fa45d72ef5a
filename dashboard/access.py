"""Who is asking and through what: the request's data access and the signed-in user's scope."""

from __future__ import annotations

import flask

from dashboard.auth import current_scope
from dashboard.data import DataAccess, Scope


def data() -> DataAccess:
    return flask.current_app.config["DATA"]


def scope() -> Scope:
    """The signed-in user's scope: a province user's province, the nation for everyone else. Raises
    dashboard.auth.NotSignedIn when nobody is signed in (never widened to the nation)."""
    return current_scope()

"""Access control: sign-in (Flask-Login), roles and the data scope of the signed-in user, the audit log.

What other code uses:
- `current_scope()`, `current_role()`, `current_account()`: who is asking (dashboard.access.scope() is
  current_scope());
- `audit(action, detail)`: record an action of the current user (e.g. "export");
- `protect(*roles)`: decorate a new Flask route (a download, say) so that it needs a signed-in user, and
  one of `roles` when given. Every route is already refused to anonymous requests by the gate in guard.py;
  the decorator states it where the route is written and adds the role check. A new POST route needs nothing
  more against CSRF: CSRFProtect (web.py) refuses every POST without the session's token.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Iterator

import flask
from flask_login import current_user

from dashboard.auth.audit import audit
from dashboard.auth.roles import ROLES, may_open
from dashboard.auth.users import User
from dashboard.data import Scope

__all__ = ["ROLES", "NotSignedIn", "User", "acting_as", "audit", "current_account", "current_role",
           "current_scope", "may_open", "protect", "request_scope"]


class NotSignedIn(PermissionError):
    """Data asked for outside a signed-in request: refused, never widened to the nation."""


def current_account() -> User | None:
    """The signed-in account of this request, or None."""
    if not flask.has_request_context():
        return None
    user = current_user._get_current_object() if current_user else None
    return user if isinstance(user, User) and user.is_authenticated and user.is_active else None


def current_role() -> str | None:
    acting = flask.g.get("acting") if flask.has_app_context() else None
    if acting is not None:
        return acting[1]
    user = current_account()
    return user.role if user else None


def current_scope() -> Scope:
    """The signed-in user's scope (province users: their province). Raises NotSignedIn when nobody is."""
    acting = flask.g.get("acting") if flask.has_app_context() else None
    if acting is not None:
        return acting[0]
    user = current_account()
    if user is None:
        raise NotSignedIn("sign in required")
    return user.scope


def request_scope() -> Scope | None:
    """The scope of the request being served, or None when nobody is signed in (DataAccess's guard)."""
    try:
        return current_scope()
    except NotSignedIn:
        return None


@contextlib.contextmanager
def acting_as(scope: Scope, role: str) -> Iterator[None]:
    """Server-side rendering without a person behind it (warming the page cache after an ETL run). Only
    code can enter it; nothing in a request sets it."""
    previous = flask.g.get("acting")
    flask.g.acting = (scope, role)
    try:
        yield
    finally:
        flask.g.acting = previous


def protect(*roles: str):
    """A Flask view for signed-in users only (401 otherwise), and only for `roles` when given (403)."""
    unknown = set(roles) - set(ROLES)
    if unknown:
        raise ValueError(f"unknown roles {sorted(unknown)}")

    def wrap(view):
        @functools.wraps(view)
        def guarded(*args, **kwargs):
            user = current_account()
            if user is None:
                return flask.jsonify(error="sign in required"), 401
            if roles and user.role not in roles:
                return flask.jsonify(error="not allowed for this account"), 403
            return view(*args, **kwargs)

        return guarded

    return wrap

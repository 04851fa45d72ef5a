"""Wires access control into the Flask server of the Dash app: cookies, Flask-Login, the gate, the views,
and the box in the top bar with the user's name and the sign-out button."""

from __future__ import annotations

from urllib.parse import parse_qs

import dash
import sqlalchemy as sa
from dash import Input, Output, dcc, html
from flask_login import LoginManager
from flask_wtf.csrf import generate_csrf

from dashboard.auth import current_account, guard, throttle, users, views
from dashboard.data import DataUnavailable
from dashboard.i18n import norm_lang, t
from etl.settings import Settings

USER_BOX = "user-box"


def init_app(app: dash.Dash, settings: Settings) -> None:
    server = app.server
    server.config.update(
        SECRET_KEY=settings.session_secret(),
        SESSION_COOKIE_HTTPONLY=True,  # scripts never read the session
        SESSION_COOKIE_SAMESITE="Lax",  # not sent with other sites' POSTs (Dash's callbacks are POSTs)
        SESSION_COOKIE_SECURE=settings.session_cookie_secure,
        PERMANENT_SESSION_LIFETIME=views.SESSION_LIFETIME,
        REMEMBER_COOKIE_HTTPONLY=True, REMEMBER_COOKIE_SAMESITE="Lax",  # no "remember me" is offered anyway
        REMEMBER_COOKIE_SECURE=settings.session_cookie_secure,
        AUTH_LIMITS=throttle.Limits(),
    )
    manager = LoginManager()
    manager.init_app(server)

    @manager.user_loader
    def load(session_id: str):
        try:
            return users.by_session_id(server.config["DATA"].engine, session_id)
        except (sa.exc.OperationalError, sa.exc.InterfaceError, DataUnavailable):
            return None  # the database is down: treated as signed out, the sign-in page says why

    server.register_blueprint(views.bp)
    # Before Dash's own hooks and routes: nothing of the app answers an anonymous request.
    server.before_request_funcs.setdefault(None, []).insert(0, guard.gate)

    @app.callback(Output(USER_BOX, "children"), Input("url", "search"))
    def user_box(search):
        """Who is signed in, and the sign-out form with this session's CSRF token: per user, so outside the
        cached page (the page holds an empty box that this fills)."""
        user = current_account()
        if user is None:
            return []
        lang = norm_lang((parse_qs((search or "").lstrip("?")).get("lang") or [None])[0])
        who = user.username + " · " + t(f"role_{user.role}", lang) + (f" {user.province_code}"
                                                                        if user.province_code else "")
        return [html.Span(who, id="user-name"),
                html.Form([dcc.Input(type="hidden", name="csrf_token", value=generate_csrf()),
                           dcc.Input(type="hidden", name="lang", value=lang),
                           html.Button(t("sign_out", lang), type="submit", id="sign-out")],
                          action="/logout", method="POST")]


def validation_stub() -> list:
    return [html.Div(id=USER_BOX)]

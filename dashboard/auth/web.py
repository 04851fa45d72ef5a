"""Wires access control into the Flask server of the Dash app: cookies, Flask-Login, the gate, CSRF, size
limits, the client address behind trusted proxies, the views, and the box in the top bar with the user's name
and the sign-out button."""

from __future__ import annotations

from urllib.parse import parse_qs

import dash
import flask
import sqlalchemy as sa
from dash import Input, Output, dcc, html
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect, generate_csrf
from werkzeug.middleware.proxy_fix import ProxyFix

from common.settings import Settings
from dashboard.auth import current_account, guard, throttle, users, views
from dashboard.data import DataUnavailable
from dashboard.i18n import norm_lang, t

USER_BOX = "user-box"
# dash-renderer sends the value of this cookie as the X-CSRFToken header of its requests (its defaults,
# csrf_token_name and csrf_header_name of dash.Dash); CSRFProtect reads that header.
CSRF_COOKIE = "_csrf_token"
# The largest request body. The pages' callbacks send about 1 kB (clickData, a clicked grid row, the filters:
# 1,051 bytes the largest of the 82 POSTs of the browser tests), the sign-in form less; 64 kB leaves room
# for bigger grids. Anything larger is refused with 413 before it is read, echoed or logged.
MAX_CONTENT_LENGTH = 64 * 1024


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
        MAX_CONTENT_LENGTH=MAX_CONTENT_LENGTH,
        # A token lives as long as a session: a page left open for hours still sends valid callbacks.
        WTF_CSRF_TIME_LIMIT=int(views.SESSION_LIFETIME.total_seconds()),
        # Flask-WTF's HTTPS check wants a Referer on every POST, which a strict Referrer-Policy withholds;
        # guard.same_origin checks Origin (and Referer when there is one) on every scheme instead.
        WTF_CSRF_SSL_STRICT=False,
    )
    if settings.trusted_proxies > 0:
        # The client's address, scheme and host as the trusted proxies in front tell them; never by default
        # (anyone can send X-Forwarded-For, and the sign-in throttle counts per address).
        n = settings.trusted_proxies
        server.wsgi_app = ProxyFix(server.wsgi_app, x_for=n, x_proto=n, x_host=n)
    CSRFProtect(server)  # every POST (sign-in, sign-out, report jobs, Dash's callbacks) needs the token
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
    server.before_request_funcs[None].insert(0, guard.same_origin)
    secure = settings.session_cookie_secure

    @server.after_request
    def csrf_cookie(response: flask.Response) -> flask.Response:
        """The token for dash-renderer, with every page a signed-in user opens. Readable by the page's script
        (not HttpOnly), useless without the HttpOnly session cookie, never sent to other sites."""
        if (flask.request.method == "GET" and response.mimetype == "text/html" and response.status_code == 200
                and current_account() is not None):
            response.set_cookie(CSRF_COOKIE, generate_csrf(), max_age=views.SESSION_LIFETIME, secure=secure,
                                httponly=False, samesite="Strict")
        return response

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

"""The gate in front of every route: anonymous requests reach only the sign-in page, its stylesheet and the
health check. Pages redirect to /login?next=...; Dash's endpoints and everything else answer 401 with no
data. Signed-in users are refused (403) the pages their role may not open. Before it, a state-changing
request sent by another site's page is refused (403), whatever cookies came with it."""

from __future__ import annotations

from urllib.parse import urlencode, urlsplit

import flask

from dashboard.auth import current_account
from dashboard.auth.roles import PAGE_ROLES, may_open

# What the sign-in page needs; every other asset (and every Dash bundle) is for signed-in users.
# /logout answers a session that has already ended by sending it to the sign-in page.
PUBLIC_PATHS = frozenset({"/login", "/logout", "/healthz", "/assets/style.css", "/_favicon.ico"})


SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def same_origin():
    """OWASP's check of the source origin, beside the CSRF token: browsers send Origin with every POST (and
    fetch), so a request from another site's page names that site, or "null"; it must name this host. A
    request with neither Origin nor Referer is no browser's cross-site request: the CSRF token alone decides.
    Behind a proxy, the proxy must pass the Host header on (or set TRUSTED_PROXIES for X-Forwarded-Host)."""
    request = flask.request
    if request.method in SAFE_METHODS:
        return None
    source = request.headers.get("Origin") or request.headers.get("Referer")
    if source is None:
        return None
    if urlsplit(source).netloc.lower() != request.host.lower():
        return flask.jsonify(error="cross-site request refused"), 403
    return None


def _is_page_request(request: flask.Request) -> bool:
    """A browser opening a page (to be sent to the sign-in form), not Dash or a script asking for data."""
    return (request.method == "GET" and not request.path.startswith(("/_", "/assets/"))
            and "text/html" in (request.headers.get("Accept") or "text/html"))


def gate():
    request = flask.request
    if request.path in PUBLIC_PATHS:
        return None
    user = current_account()
    if user is None:
        if _is_page_request(request):
            target = request.full_path.rstrip("?")
            return flask.redirect("/login?" + urlencode({"next": target}))
        return flask.jsonify(error="sign in required"), 401
    path = request.path.rstrip("/") or "/"
    if path in PAGE_ROLES and not may_open(path, user.role):
        return flask.jsonify(error="not allowed for this account"), 403
    return None

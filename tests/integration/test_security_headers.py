"""Security headers on every response (flask-talisman, dashboard/security.py): a CSP that allows Dash's own
inline scripts by hash and nothing else inline, no framing, nosniff, a Referrer-Policy, no version banner, and
no Cache-Control that lets a shared cache keep a signed-in response. HTTPS is forced only when told."""

from __future__ import annotations

import base64
import hashlib
import re
import urllib.request

import pytest

from common.settings import Settings
from dashboard.app import create_app
from tests.integration.test_access_control import open_page, reporting  # noqa: F401  (a fixture)
from tests.signin import sign_in

HTML = {"Accept": "text/html"}


def settings_for(reporting, tmp_path, **more) -> Settings:  # noqa: F811
    return Settings(database_url=reporting.url.render_as_string(hide_password=False), data_dir=tmp_path,
                    warm_cache=False, **more)


@pytest.fixture(scope="module")
def app(reporting, tmp_path_factory):  # noqa: F811
    return create_app(settings_for(reporting, tmp_path_factory.mktemp("data")))


def responses(app) -> dict[str, object]:
    """Responses of every kind: signed out, then signed in (pages, Dash's endpoints, bundles, errors)."""
    client = app.server.test_client()
    out = {"signed out /login": client.get("/login"), "signed out /healthz": client.get("/healthz"),
           "signed out /": client.get("/", headers=HTML), "signed out /_dash-layout": client.get("/_dash-layout")}
    assert sign_in(client, "bo_yte").status_code == 302
    index = client.get("/coverage?area=79", headers=HTML)
    bundle = re.search(r'<script src="(/_dash-component-suites/[^"]+)"', index.get_data(as_text=True)).group(1)
    out.update({
        "page /coverage": index, "page /": client.get("/", headers=HTML),
        "/_dash-layout": client.get("/_dash-layout"), "/_dash-dependencies": client.get("/_dash-dependencies"),
        "callback /coverage": open_page(client, "/coverage", "?area=79"),
        "bundle": client.get(bundle), "/assets/style.css": client.get("/assets/style.css"),
        "/admin (403)": client.get("/admin", headers=HTML),
        "repeated parameter (400)": client.get("/coverage?area=79&area=01", headers=HTML),
        "unknown bundle (400)": client.get("/_dash-component-suites/nothing/x.js"),
    })
    return out


def test_every_response_carries_the_security_headers(app):
    for name, response in responses(app).items():
        h = response.headers
        assert "frame-ancestors 'none'" in h.get("Content-Security-Policy", ""), name
        assert h.get("X-Frame-Options") == "DENY", name
        assert h.get("X-Content-Type-Options") == "nosniff", name
        assert h.get("Referrer-Policy") == "same-origin", name
        assert "Server" not in h and "Werkzeug" not in str(h) and "gunicorn" not in str(h), name
        assert "Strict-Transport-Security" not in h, name  # HTTPS is not forced by default
        cache = h.get("Cache-Control", "")
        assert "public" not in cache and ("no-store" in cache or "private" in cache), (name, cache)
        if not name.startswith(("bundle", "/assets/")):
            assert cache == "no-store", (name, cache)


def test_the_policy_allows_dashs_inline_scripts_by_hash_and_nothing_else_inline(app):
    client = app.server.test_client()
    assert sign_in(client, "bo_yte").status_code == 302
    client.get("/", headers=HTML)  # Dash sets itself up on a first request (its pages router adds a script)
    page = client.get("/lag", headers=HTML)
    policy = dict(part.strip().split(" ", 1) for part in page.headers["Content-Security-Policy"].split(";"))
    scripts = policy["script-src"].split()
    assert "'unsafe-inline'" not in scripts and "'unsafe-eval'" not in scripts
    assert policy["object-src"] == "'none'" and policy["default-src"] == "'self'"
    inline = re.findall(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>(.*?)</script>",
                        re.sub(r"<!--.*?-->", "", page.get_data(as_text=True), flags=re.S), re.S)
    assert len(inline) >= 2  # the clientside callbacks and the renderer's start
    for script in inline:
        digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in scripts, script[:80]


def test_no_version_banner_in_the_page_html(app):
    client = app.server.test_client()
    assert sign_in(client, "bo_yte").status_code == 302
    body = client.get("/", headers=HTML).get_data(as_text=True)
    assert 'name="generator"' not in body and "Werkzeug" not in body and "gunicorn" not in body


def test_https_is_forced_only_when_the_setting_says_so(reporting, tmp_path):  # noqa: F811
    plain = create_app(settings_for(reporting, tmp_path)).server.test_client()
    assert plain.get("/login").status_code == 200
    response = sign_in(plain, "phan_tich")
    assert response.status_code == 302 and "Secure" not in response.headers["Set-Cookie"]  # Talisman's default
    forced = create_app(settings_for(reporting, tmp_path, force_https=True, session_cookie_secure=True))
    response = forced.server.test_client().get("/login")
    assert response.status_code == 302 and response.headers["Location"].startswith("https://")
    secure = forced.server.test_client().get("/login", base_url="https://localhost")
    assert secure.status_code == 200 and "max-age=" in secure.headers["Strict-Transport-Security"]


def test_gunicorn_sends_no_server_banner(reporting, tmp_path):  # noqa: F811
    from tests.browser.test_pages_in_chromium import serve

    proc, base = serve(reporting.url.render_as_string(hide_password=False), tmp_path)
    try:
        with urllib.request.urlopen(base + "/healthz", timeout=10) as response:
            headers = dict(response.headers)
        assert "gunicorn" not in str(headers).lower() and headers.get("Server") in (None, "web"), headers
        assert headers["X-Frame-Options"] == "DENY" and headers["Cache-Control"] == "no-store"
    finally:
        proc.terminate()
        proc.wait(10)

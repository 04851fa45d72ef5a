"""Nothing leaks across scopes through any route: signed out, as a province user, as a national user, and on
fresh apps (a new worker) whose first request was an administrator's, or a national user's then a province
user's. Dash's pages router used to render every page inside the first request and embed the result, as the
validation layout, in the HTML of every page it served afterwards, to everybody."""

from __future__ import annotations

import html
import json
import re

import pytest

from common.settings import Settings
from dashboard.app import create_app
from tests.conftest import rows
from tests.integration.test_access_control import open_page, reporting  # noqa: F401  (a fixture)
from tests.signin import ACCOUNTS, sign_in

PAGES = ("/", "/coverage", "/lag", "/verification", "/quality", "/supply", "/testing", "/report", "/admin")
SEARCHES = ("", "?area=01", "?area=79", "?area=01&date=2021-08-01")
OTHER_ROUTES = ("/login", "/logout", "/healthz", "/_dash-layout", "/_dash-dependencies", "/no-such-page")
HTML = {"Accept": "text/html"}


@pytest.fixture(scope="module")
def settings(reporting, tmp_path_factory) -> Settings:  # noqa: F811
    # one data folder: the apps built from these settings share the secret key, so a session opened on one
    # worker is valid on another, as with gunicorn's workers
    return Settings(database_url=reporting.url.render_as_string(hide_password=False),
                    data_dir=tmp_path_factory.mktemp("data"), warm_cache=False)


@pytest.fixture(scope="module")
def cookies(settings) -> dict[str, tuple[str, str | None]]:
    """A session cookie and its CSRF token per account, opened on another worker than the one under test."""
    client = create_app(settings).server.test_client()
    out = {}
    for name in ACCOUNTS:
        assert sign_in(client, name).status_code == 302
        out[name] = (client.get_cookie("session").value, client.environ_base.get("HTTP_X_CSRFTOKEN"))
    return out


@pytest.fixture(scope="module")
def forbidden(reporting) -> dict[str | None, list[str]]:  # noqa: F811
    """Per account (None: signed out), the names it must never receive."""
    provinces = [r[0] for r in rows(reporting, "SELECT name FROM ref.province")]
    hanoi = [r[0] for r in rows(reporting, "SELECT name_with_type FROM ref.district WHERE province_code = '01'")]
    hcm = [r[0] for r in rows(reporting, "SELECT name FROM ref.province WHERE code = '79'")]
    admin_only = ["admin-audit", "admin-users", "sign_in_failed"]

    def others(name):
        return [f'"{u}"' for u in ACCOUNTS if u != name] + [f"{u} ·" for u in ACCOUNTS if u != name]

    return {None: provinces + hanoi + others(None) + admin_only,
            "hcm": [p for p in provinces if p not in hcm] + hanoi + others("hcm") + admin_only,
            "bo_yte": others("bo_yte") + admin_only}


def searchable(body: str) -> str:
    """The body and the body with its JSON and HTML escapes decoded (names hide as \\u1ed3 in JSON)."""
    unescaped = re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), body)
    return body + "\n" + html.unescape(unescaped)


def drawn_data(body: str) -> int:
    """Figures and table rows in a page's HTML (its embedded Dash config): charts with data, grid rows."""
    config = re.search(r'<script id="_dash-config" type="application/json">(.*?)</script>', body, re.S)
    if not config:
        return 0
    count = 0

    def walk(node):
        nonlocal count
        if isinstance(node, dict):
            figure = node.get("figure")
            if isinstance(figure, dict) and figure.get("data"):
                count += 1
            if node.get("rowData"):
                count += len(node["rowData"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(json.loads(config.group(1)))
    return count


def survey(client, account: str | None, forbidden_names: list[str]) -> list[tuple]:
    """(account, route, status, bytes, forbidden names found, figures in page HTML) for every route."""
    found = []

    def record(route, response, is_page_html):
        body = response.get_data(as_text=True)
        text = searchable(body)
        names = sorted({n for n in forbidden_names if n in text})
        found.append((account or "signed out", route, response.status_code, len(response.get_data()), names,
                      drawn_data(body) if is_page_html else 0))

    for path in PAGES:
        for search in SEARCHES:
            record(path + search, client.get(path + search, headers=HTML), True)
            if account:  # the page itself, as Dash's renderer asks for it
                record("callback " + path + search, open_page(client, path, search), False)
    for path in OTHER_ROUTES:
        record(path, client.get(path, headers=HTML), path in ("/logout", "/no-such-page"))
    return found


def report(title: str, found: list[tuple]) -> None:
    print(f"\n== {title}")
    for account, route, status, size, names, figures in found:
        print(f"{account:10} {route:40} {status} {size:>9,} B  forbidden={len(names):3} figures={figures}"
              + (f"  e.g. {names[:3]}" if names else ""))


def check(found: list[tuple]) -> None:
    assert not [f for f in found if f[2] >= 500], "server errors"
    leaks = [(f[0], f[1], f[4][:3]) for f in found if f[4]]
    assert not leaks, leaks[:10]
    figures = [(f[0], f[1], f[5]) for f in found if f[5]]
    assert not figures, figures[:10]


def _client(app, session: tuple[str, str | None] | None):
    client = app.server.test_client()
    if session:
        cookie, token = session
        client.set_cookie("session", cookie)
        if token:  # what dash-renderer sends with its callbacks
            client.environ_base["HTTP_X_CSRFTOKEN"] = token
    return client


@pytest.mark.parametrize("first", ["quan_tri", "bo_yte"])
def test_a_worker_whose_first_request_was_another_accounts_leaks_nothing(settings, cookies, forbidden, first):
    app = create_app(settings)  # a fresh worker: Dash has not set itself up yet
    assert _client(app, cookies[first]).get("/", headers=HTML).status_code == 200  # its first request
    if first == "bo_yte":  # then a province user's request
        assert _client(app, cookies["hcm"]).get("/coverage", headers=HTML).status_code == 200
    found = []
    for account in (None, "hcm", "bo_yte"):
        found += survey(_client(app, cookies.get(account)), account, forbidden[account])
    report(f"first request: {first}", found)
    check(found)


def test_every_route_gives_each_account_its_own_scope_only(settings, cookies, forbidden):
    app = create_app(settings)
    found = []
    for account in (None, "hcm", "bo_yte"):
        found += survey(_client(app, cookies.get(account)), account, forbidden[account])
    report("first request: signed out", found)
    check(found)
    # the province user's own pages do show their province (the survey looks at real pages)
    pages = [f for f in found if f[0] == "hcm" and f[1] == "callback /coverage"]
    assert pages and pages[0][3] > 10_000


def test_the_validation_layout_is_the_stubs_whatever_dash_does_at_set_up(settings, cookies):
    app = create_app(settings)
    before = json.dumps(app.validation_layout.to_plotly_json(), default=str)
    _client(app, cookies["quan_tri"]).get("/", headers=HTML)
    after = json.dumps(app.validation_layout.to_plotly_json(), default=str)
    assert after == before and len(after) < 20_000

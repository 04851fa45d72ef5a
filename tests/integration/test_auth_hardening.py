"""Issue 10, points 2, 4, 5 and 6, over HTTP (Flask's test client) against a real PostgreSQL loaded by the ETL:
CSRF on every state-changing request, sessions that end on the server, throttling that an attacker elsewhere
cannot turn against an account's owner, the client address behind trusted proxies only, and size limits."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from common.settings import Settings
from dashboard.app import create_app
from dashboard.auth import users
from dashboard.auth.audit import record
from dashboard.auth.throttle import Limits
from tests.conftest import rows, scalar
from tests.signin import add_accounts, csrf_token, sign_in

EVIL = "https://evil.example"
HERE = "http://localhost"  # the test client's host
NO_TOKEN = {"X-CSRFToken": ""}  # blanks the header sign_in sets, as another site's page would send none
FIVE_MB = 5 * 1024 * 1024


@pytest.fixture(scope="module")
def reporting(loaded_database):
    engine = loaded_database(0.002, 31, "2021-08-31")
    add_accounts(engine)
    return engine


def _app(reporting, data_dir, **settings):
    url = reporting.url.render_as_string(hide_password=False)
    return create_app(Settings(database_url=url, data_dir=data_dir, warm_cache=False, **settings))


@pytest.fixture(scope="module")
def app(reporting, tmp_path_factory):
    return _app(reporting, tmp_path_factory.mktemp("data"))


@pytest.fixture()
def client(app):
    return app.server.test_client()


def exports(reporting, username: str) -> int:
    return scalar(reporting, "SELECT count(*) FROM auth.audit WHERE action = 'export' AND username = :u", u=username)


def signed_in(client) -> bool:
    return client.get("/_dash-layout").status_code == 200


# ---------------------------------------------------------------- point 2: CSRF

def _job(client, headers=None):
    return client.post("/report/jobs", data={"province": "79", "from": "2021-07-01", "to": "2021-07-31",
                                             "format": "csv"}, headers=headers or {})


def test_a_cross_site_post_to_report_jobs_is_refused_and_starts_nothing(client, reporting):
    assert sign_in(client, "hcm", address="10.70.0.1").status_code == 302
    before = exports(reporting, "hcm")
    for headers, status in ((NO_TOKEN, 400), ({**NO_TOKEN, "Origin": EVIL}, 403), ({"Origin": EVIL}, 403),
                            ({"Referer": EVIL + "/page"}, 403), ({"Origin": "null"}, 403)):
        response = _job(client, headers)
        assert response.status_code == status, headers
        assert "job" not in (response.get_json() or {}), headers
    assert exports(reporting, "hcm") == before  # nothing was started, nothing was audited as an export
    # the same site with the session's token (a script: GET /csrf-token, send it as X-CSRFToken)
    token = client.get("/csrf-token").get_json()["csrf_token"]
    started = _job(client, {"X-CSRFToken": token, "Origin": HERE})
    assert started.status_code == 202 and started.get_json()["job"]
    assert exports(reporting, "hcm") == before + 1
    # the token of another session does not do
    other = app_client_token(client.application, "phan_tich")
    assert _job(client, {"X-CSRFToken": other}).status_code == 400


def app_client_token(server, username: str) -> str:
    other = server.test_client()
    assert sign_in(other, username, address="10.70.0.9").status_code == 302
    return other.get("/csrf-token").get_json()["csrf_token"]


def _start_job_request(client) -> dict:
    """The request the Báo cáo page's button sends (the start_job callback), as Dash registered it."""
    output = next(c["output"] for c in client.get("/_dash-dependencies").get_json()
                  if any(i["id"] == "rep-start" for i in c["inputs"]))
    outputs = [{"id": part.split(".")[0], "property": part.split(".")[1]} for part in output.strip(".").split("...")]
    return {"output": output, "outputs": outputs,
            "inputs": [{"id": "rep-start", "property": "n_clicks", "value": 1}],
            "state": [{"id": "rep-area", "property": "value", "value": "79"},
                      {"id": "rep-period", "property": "start_date", "value": "2021-07-01"},
                      {"id": "rep-period", "property": "end_date", "value": "2021-07-31"},
                      {"id": "rep-format", "property": "value", "value": "csv"},
                      {"id": "rep-job", "property": "data", "value": {"lang": "vi"}}],
            "changedPropIds": ["rep-start.n_clicks"]}


def test_a_cross_site_dash_callback_is_refused_and_starts_no_report_job(client, reporting):
    assert sign_in(client, "hcm", address="10.71.0.1").status_code == 302
    body = _start_job_request(client)
    before = exports(reporting, "hcm")
    for headers, status in ((NO_TOKEN, 400), ({"Origin": EVIL}, 403), ({**NO_TOKEN, "Origin": EVIL}, 403)):
        response = client.post("/_dash-update-component", json=body, headers=headers)
        assert response.status_code == status, headers
        assert "rep-job" not in response.get_data(as_text=True)
    assert exports(reporting, "hcm") == before
    # what dash-renderer does: the token of the _csrf_token cookie in X-CSRFToken, from this origin
    client.environ_base.pop("HTTP_X_CSRFTOKEN")
    page = client.get("/report", headers={"Accept": "text/html"})
    cookie = next(c for c in page.headers.getlist("Set-Cookie") if c.startswith("_csrf_token="))
    assert "HttpOnly" not in cookie and "SameSite=Strict" in cookie and "Path=/" in cookie
    token = client.get_cookie("_csrf_token").value
    response = client.post("/_dash-update-component", json=body, headers={"X-CSRFToken": token, "Origin": HERE})
    assert response.status_code == 200 and response.get_json()["response"]["rep-job"]["data"]["id"]
    assert exports(reporting, "hcm") == before + 1


def test_the_csrf_cookie_follows_the_session_cookie_s_secure_setting(reporting, tmp_path):
    secure = _app(reporting, tmp_path, session_cookie_secure=True).server.test_client()
    assert sign_in(secure, "bo_yte", address="10.72.0.1").status_code == 302
    page = secure.get("/", headers={"Accept": "text/html"})
    cookie = next(c for c in page.headers.getlist("Set-Cookie") if c.startswith("_csrf_token="))
    assert "Secure" in cookie


def test_sign_in_and_sign_out_refuse_other_sites(client):
    client.environ_base.pop("HTTP_X_CSRFTOKEN", None)
    form = client.get("/login").get_data(as_text=True)
    data = {"username": "bo_yte", "password": "mat-khau-trung-uong", "next": "/", "csrf_token": csrf_token(form)}
    assert client.post("/login", data=data, headers={"Origin": EVIL}).status_code == 403
    assert not signed_in(client)  # login CSRF: nobody is signed in to the attacker's account
    assert sign_in(client, "bo_yte", address="10.73.0.1").status_code == 302
    token = client.environ_base["HTTP_X_CSRFTOKEN"]
    assert client.post("/logout", data={"csrf_token": token}, headers={"Origin": EVIL}).status_code == 403
    assert client.post("/logout", data={}, headers=NO_TOKEN).status_code == 400
    assert signed_in(client)
    assert client.post("/logout", data={"csrf_token": token}, headers={"Origin": HERE}).status_code == 302
    assert not signed_in(client)


def test_get_logout_serves_no_page_and_a_next_with_a_line_break_goes_home(client):
    """GET /logout was public and fell through to Dash's page HTML; a newline in next= is no path."""
    response = client.get("/logout", headers={"Accept": "text/html"})
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    assert b"_dash-config" not in response.get_data()
    from dashboard.auth.views import safe_next

    assert safe_next("/lag\r\nSet-Cookie: x=1") == "/" and safe_next("/lag?area=79") == "/lag?area=79"
    assert sign_in(client, "hcm", address="10.70.0.9").status_code == 302
    assert client.get("/logout").headers["Location"] == "/"  # signed in: a GET signs nobody out
    assert signed_in(client)


# ---------------------------------------------------------------- point 4: sessions end on the server

def _copy(app, client):
    """Another browser holding a copy of `client`'s session cookie (stolen, or a second tab's)."""
    thief = app.server.test_client()
    thief.set_cookie("session", client.get_cookie("session").value)
    return thief


def _sign_out(client):
    """The sign-out button: the form the user box callback draws, with its CSRF token."""
    box = client.post("/_dash-update-component", json={
        "output": "user-box.children", "outputs": {"id": "user-box", "property": "children"},
        "inputs": [{"id": "url", "property": "search", "value": ""}], "changedPropIds": ["url.search"],
        "state": []}).get_json()
    token = box["response"]["user-box"]["children"][1]["props"]["children"][0]["props"]["value"]
    return client.post("/logout", data={"csrf_token": token})


def test_a_cookie_copied_before_sign_out_stops_working(app, client, reporting):
    assert sign_in(client, "phan_tich", address="10.74.0.1").status_code == 302
    thief = _copy(app, client)
    assert signed_in(thief)
    assert _sign_out(client).status_code == 302
    assert not signed_in(thief)
    assert thief.get("/", headers={"Accept": "text/html"}).status_code == 302  # to the sign-in page
    ended = rows(reporting, "SELECT s.end_reason FROM auth.session s JOIN auth.\"user\" u ON u.id = s.user_id "
                            "WHERE u.username = 'phan_tich' ORDER BY s.created_at DESC LIMIT 1")
    assert ended == [("sign_out",)]


@pytest.mark.parametrize("how", ["command", "sql"])
def test_re_enabling_an_account_does_not_revive_its_old_cookies(app, client, reporting, how):
    name = f"tam_{how}"
    users.add(reporting, name, "mat-khau-tam-thoi", "national")
    assert sign_in(client, name, "mat-khau-tam-thoi", address="10.75.0.1").status_code == 302
    copy = _copy(app, client)
    for disabled in (True, False):
        if how == "command":
            users.set_disabled(reporting, name, disabled)
        else:  # an administrator's UPDATE by hand ends the sessions too (the trigger of 010_sessions.sql)
            with reporting.begin() as conn:
                conn.execute(sa.text('UPDATE auth."user" SET disabled = :disabled WHERE username = :name'),
                             {"disabled": disabled, "name": name})
    assert not signed_in(client) and not signed_in(copy)
    assert sign_in(client, name, "mat-khau-tam-thoi", address="10.75.0.1").status_code == 302  # a new session
    assert signed_in(client) and not signed_in(copy)


def test_the_session_table_keeps_no_usable_token(app, client, reporting):
    import hashlib

    assert sign_in(client, "bo_yte", address="10.76.0.1").status_code == 302
    with client.session_transaction() as session:  # what the cookie carries (signed, not encrypted)
        token = session["_user_id"]
    assert len(token) >= 40
    assert scalar(reporting, "SELECT count(*) FROM auth.session WHERE id = :t", t=token) == 0
    assert scalar(reporting, "SELECT count(*) FROM auth.session WHERE id = :h AND ended_at IS NULL",
                  h=hashlib.sha256(token.encode()).hexdigest()) == 1


# ---------------------------------------------------------------- point 5: throttling

def test_an_attacker_elsewhere_cannot_lock_an_account_out(client):
    codes = [sign_in(client, "bo_yte", "guessed password", address="10.77.0.66").status_code for _ in range(30)]
    assert set(codes) == {401, 429} and codes.count(429) >= 15, codes  # the attacker is slowed down
    assert sign_in(client, "bo_yte", address="10.77.0.1").status_code == 302  # the owner signs in


def test_repeated_failures_from_one_address_wait_longer_each_time(app, client, reporting, monkeypatch):
    monkeypatch.setitem(app.server.config, "AUTH_LIMITS", Limits(free=3, base_delay=60))
    where = {"u": "phan_tich", "a": "10.78.0.1"}

    def older(seconds: int) -> None:  # time passes (the failures' clock, not the test's)
        with reporting.begin() as conn:
            conn.execute(sa.text("UPDATE auth.audit SET at = at - make_interval(secs => :seconds) "
                                 "WHERE username = :u AND address = :a"), {"seconds": seconds, **where})

    for _ in range(3):
        assert sign_in(client, "phan_tich", "wrong password", address="10.78.0.1").status_code == 401
    waits = []
    for _ in range(3):
        refused = sign_in(client, "phan_tich", address="10.78.0.1")  # even the right password waits
        assert refused.status_code == 429 and "Quá nhiều lần đăng nhập sai" in refused.get_data(as_text=True)
        waits.append(int(refused.headers["Retry-After"]))
        older(waits[-1] + 1)
        assert sign_in(client, "phan_tich", "wrong password", address="10.78.0.1").status_code == 401
    assert [round(w / 60) for w in waits] == [1, 2, 4], waits  # doubling with each failure
    assert sign_in(client, "phan_tich", address="10.78.0.2").status_code == 302  # another address: no wait
    older(16 * 60)
    assert sign_in(client, "phan_tich", address="10.78.0.1").status_code == 302  # the window passed
    refused_attempts = scalar(reporting, "SELECT count(*) FROM auth.audit WHERE username = 'phan_tich' AND "
                                         "address = '10.78.0.1' AND detail->>'reason' = 'throttled'")
    assert refused_attempts == 3  # recorded, not counted


def _fail_through_proxy(client, address: str, forwarded: str):
    form = client.get("/login", environ_base={"REMOTE_ADDR": address}).get_data(as_text=True)
    return client.post("/login", data={"username": "quan_tri", "password": "wrong password", "next": "/",
                                       "csrf_token": csrf_token(form)},
                       headers={"X-Forwarded-For": forwarded}, environ_base={"REMOTE_ADDR": address})


def test_x_forwarded_for_is_ignored_by_default_and_honoured_when_trusted(client, reporting, tmp_path):
    assert Settings.from_env({"TRUSTED_PROXIES": "1"}).trusted_proxies == 1
    assert Settings.from_env({}).trusted_proxies == 0
    assert _fail_through_proxy(client, "10.79.0.1", "203.0.113.7").status_code == 401
    proxied = _app(reporting, tmp_path, trusted_proxies=1).server.test_client()
    assert _fail_through_proxy(proxied, "10.79.0.2", "198.51.100.1, 203.0.113.8").status_code == 401
    got = rows(reporting, "SELECT address FROM auth.audit WHERE username = 'quan_tri' AND action = 'sign_in_failed'"
                          " AND address IN ('10.79.0.1', '10.79.0.2', '203.0.113.7', '203.0.113.8') ORDER BY id")
    # by default the connection's address; behind one trusted proxy, the address that proxy saw
    assert got == [("10.79.0.1",), ("203.0.113.8",)]


# ---------------------------------------------------------------- point 6: size limits

MARK = "Q7vZ"  # a string no page holds


def _last_audit_row(reporting) -> int:
    return scalar(reporting, "SELECT coalesce(max(id), 0) FROM auth.audit")


def _nothing_of_it_logged(reporting, since: int) -> None:
    """No audit row written after `since` holds the mark (the audit writer's own test writes one on purpose)."""
    assert scalar(reporting, "SELECT count(*) FROM auth.audit WHERE id > :since "
                             "AND (username LIKE :m OR detail::text LIKE :m)", m=f"%{MARK}%", since=since) == 0


def test_a_megabyte_username_is_refused_unechoed_and_unlogged(client, reporting):
    since = _last_audit_row(reporting)
    client.environ_base.pop("HTTP_X_CSRFTOKEN", None)
    for size in (FIVE_MB, 200_000, 10_000):  # beyond the body limit; beyond the field's (64 characters)
        form = client.get("/login").get_data(as_text=True)
        response = client.post("/login", data={"username": MARK * (size // 4), "password": "x" * 12,
                                               "csrf_token": csrf_token(form)})
        assert response.status_code in (400, 401, 413), size
        assert MARK not in response.get_data(as_text=True), size
        if size > 64 * 1024:
            assert response.status_code == 413, size
    for field in ("password", "next"):
        form = client.get("/login").get_data(as_text=True)
        response = client.post("/login", data={"username": "bo_yte", field: MARK * 2500,
                                               **({"password": "x" * 12} if field == "next" else {}),
                                               "csrf_token": csrf_token(form)})
        assert response.status_code == 401 and MARK not in response.get_data(as_text=True), field
    _nothing_of_it_logged(reporting, since)


def test_megabyte_form_fields_and_callback_bodies_are_refused(client, reporting):
    since = _last_audit_row(reporting)
    assert sign_in(client, "hcm", address="10.80.0.1").status_code == 302
    before = exports(reporting, "hcm")
    huge = MARK * (FIVE_MB // 4)
    for response in (
            client.post("/report/jobs", data={"province": "79", "from": "2021-07-01", "to": "2021-07-31",
                                              "format": huge}),
            client.post("/_dash-update-component", json={**_start_job_request(client), "padding": huge}),
            client.post("/_dash-update-component", data=huge, content_type="application/json")):
        assert response.status_code == 413
        assert MARK not in response.get_data(as_text=True)
    # below the body limit, a field longer than any code or date: a clear 400 that does not echo it
    for field in ("format", "province", "from"):
        response = client.post("/report/jobs", data={"province": "79", "from": "2021-07-01", "to": "2021-07-31",
                                                     "format": "csv", field: MARK * 250})
        assert response.status_code == 400 and "at most" in response.get_json()["error"], field
        assert MARK not in response.get_data(as_text=True)
    assert exports(reporting, "hcm") == before
    _nothing_of_it_logged(reporting, since)


def test_the_audit_writer_clips_what_it_is_given(reporting):
    record(reporting, "sign_in_failed", MARK * (FIVE_MB // 4), "10.81.0.1", None, {"reason": MARK * 100_000})
    username, detail = rows(reporting, "SELECT username, detail::text FROM auth.audit WHERE address = '10.81.0.1'")[0]
    assert len(username) <= 100 and username.startswith(MARK)
    assert len(detail) <= 4100 and re.search("truncated", detail)

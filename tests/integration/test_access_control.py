"""Access control over HTTP (Flask's test client) against a real PostgreSQL loaded by the ETL: sign-in,
CSRF, throttling, the audit log, cookies, and a province user who cannot see another province through
the URL or through forged Dash callbacks."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from common.settings import PROJECT_ROOT, Settings
from dashboard.app import create_app
from tests.conftest import rows, scalar
from tests.signin import ACCOUNTS, add_accounts, sign_in


@pytest.fixture(scope="module")
def reporting(loaded_database):
    engine = loaded_database(0.002, 23, "2021-08-31")
    add_accounts(engine)
    return engine


@pytest.fixture(scope="module")
def app(reporting, tmp_path_factory):
    url = reporting.url.render_as_string(hide_password=False)
    return create_app(Settings(database_url=url, data_dir=tmp_path_factory.mktemp("data"), warm_cache=False))


@pytest.fixture()
def client(app):
    return app.server.test_client()


def page_request(pathname: str, search: str = "") -> dict:
    """The request Dash's renderer sends when the URL changes: Dash pages' own callback renders the page."""
    return {"output": ".._pages_content.children..._pages_store.data..",
            "outputs": [{"id": "_pages_content", "property": "children"}, {"id": "_pages_store", "property": "data"}],
            "inputs": [{"id": "_pages_location", "property": "pathname", "value": pathname},
                       {"id": "_pages_location", "property": "search", "value": search}],
            "changedPropIds": ["_pages_location.pathname"], "state": []}


def open_page(client, pathname: str, search: str = ""):
    return client.post("/_dash-update-component", json=page_request(pathname, search))


def text(response) -> str:
    """A response's body with its JSON's \\u escapes decoded, so that names can be looked for in it."""
    if response.is_json:
        return json.dumps(response.get_json(), ensure_ascii=False)
    return response.get_data(as_text=True)


@pytest.fixture(scope="module")
def other_places(reporting) -> list[str]:
    """Names a Hồ Chí Minh City user must never see: every other province, every district of Hà Nội."""
    names = [r[0] for r in rows(reporting, "SELECT name FROM ref.province WHERE code <> '79'")]
    names += [r[0] for r in rows(reporting, "SELECT name_with_type FROM ref.district WHERE province_code = '01'")]
    return names


def assert_only_hcm(body: str, other_places: list[str]) -> None:
    leaked = [name for name in other_places if name in body]
    assert not leaked, leaked[:5]
    assert '"01"' not in body and "area=01" not in body


# ---------------------------------------------------------------- signed out

def test_signed_out_requests_get_the_sign_in_page_or_401_and_no_data(client):
    for path in ("/", "/coverage?area=79", "/lag", "/verification", "/supply", "/testing", "/admin"):
        response = client.get(path, headers={"Accept": "text/html"})
        assert response.status_code == 302, path
        assert response.headers["Location"].startswith("/login?next=%2F"), path
    for path in ("/_dash-layout", "/_dash-dependencies", "/_dash-component-suites/dash/dcc/dash_core_components.js",
                 "/assets/nothing-else.css"):
        assert client.get(path).status_code == 401, path
    response = open_page(client, "/coverage", "?area=79")
    assert response.status_code == 401 and "Minh" not in text(response)
    assert client.get("/login").status_code == 200
    assert client.get("/healthz").get_json() == {"status": "ok"}
    assert client.get("/assets/style.css").status_code == 200


# ---------------------------------------------------------------- signing in and out

def test_sign_in_sets_a_safe_cookie_goes_to_next_and_is_audited(client, reporting):
    response = sign_in(client, "bo_yte", next_url="/coverage?area=79")
    assert response.status_code == 302 and response.headers["Location"] == "/coverage?area=79"
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
    assert client.get("/coverage?area=79").status_code == 200
    assert open_page(client, "/coverage", "?area=79").status_code == 200
    assert scalar(reporting, "SELECT count(*) FROM auth.audit WHERE action = 'sign_in' AND username = 'bo_yte' "
                             "AND scope = 'national'") >= 1
    # sign out: a POST with this session's CSRF token; afterwards nothing answers
    layout = text(open_page(client, "/", ""))
    assert "Tổng quan" in layout
    box = client.post("/_dash-update-component", json={
        "output": "user-box.children", "outputs": {"id": "user-box", "property": "children"},
        "inputs": [{"id": "url", "property": "search", "value": ""}], "changedPropIds": ["url.search"],
        "state": []}).get_json()
    form = box["response"]["user-box"]["children"][1]["props"]["children"]
    token = form[0]["props"]["value"]
    # no token (the header sign_in set for Dash's callbacks blanked): refused, still signed in
    assert client.post("/logout", data={}, headers={"X-CSRFToken": ""}).status_code == 400
    response = client.post("/logout", data={"csrf_token": token})
    assert response.status_code == 302 and response.headers["Location"].startswith("/login?signed_out=1")
    assert client.get("/_dash-layout").status_code == 401
    assert scalar(reporting, "SELECT count(*) FROM auth.audit WHERE action = 'sign_out' AND username = 'bo_yte'") >= 1


def test_session_cookie_is_secure_when_the_setting_says_so(reporting, tmp_path):
    url = reporting.url.render_as_string(hide_password=False)
    secure = create_app(Settings(database_url=url, data_dir=tmp_path, warm_cache=False, session_cookie_secure=True))
    response = sign_in(secure.server.test_client(), "phan_tich")
    assert response.status_code == 302 and "Secure" in response.headers["Set-Cookie"]
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0  # the generated key is its owner's only


def test_wrong_password_or_unknown_user_fails_and_is_audited(client, reporting):
    response = sign_in(client, "phan_tich", "not the password", address="10.1.0.1")
    assert response.status_code == 401 and "Tên đăng nhập hoặc mật khẩu không đúng" in response.get_data(True)
    assert client.get("/_dash-layout").status_code == 401
    assert sign_in(client, "nobody_here", "whatever-it-is", address="10.1.0.1").status_code == 401
    got = rows(reporting, "SELECT username, address FROM auth.audit WHERE action = 'sign_in_failed' "
                          "AND address = '10.1.0.1' ORDER BY id")
    assert got == [("phan_tich", "10.1.0.1"), ("nobody_here", "10.1.0.1")]


def test_the_sign_in_form_needs_its_csrf_token(client):
    client.get("/login")
    for token in (None, "forged"):
        data = {"username": "bo_yte", "password": ACCOUNTS["bo_yte"][2], "next": "/"}
        if token:
            data["csrf_token"] = token
        response = client.post("/login", data=data)
        assert response.status_code == 400 and "Biểu mẫu đã hết hạn" in response.get_data(True)
    assert client.get("/_dash-layout").status_code == 401


def test_no_redirect_to_another_site_after_sign_in(client):
    for target in ("https://evil.example/", "//evil.example/x", "/\\evil.example"):
        response = sign_in(client, "bo_yte", next_url=target)
        assert response.headers["Location"] == "/"


def test_failures_are_throttled_per_user_and_address(app, client, reporting, monkeypatch):
    # (issue 10: per username and address together; tests/integration/test_auth_hardening.py has the rest)
    from dashboard.auth.throttle import Limits

    monkeypatch.setitem(app.server.config, "AUTH_LIMITS", Limits(base_delay=600))  # no wait ends within the test
    for _ in range(5):
        sign_in(client, "quan_tri", "wrong password", address="10.2.0.1")
    refused = sign_in(client, "quan_tri", address="10.2.0.1")  # the right password, refused all the same
    assert refused.status_code == 429 and "Quá nhiều lần đăng nhập sai" in refused.get_data(True)
    assert client.get("/_dash-layout").status_code == 401
    # another account from the same address is not affected, nor the account from another address
    assert sign_in(client, "phan_tich", address="10.2.0.1").status_code == 302
    assert sign_in(client, "quan_tri", address="10.2.0.99").status_code == 302
    # the window passes (the failures are 15 minutes old): the account signs in again
    with reporting.begin() as conn:
        conn.exec_driver_sql("UPDATE auth.audit SET at = at - interval '16 minutes' WHERE username = 'quan_tri' "
                             "AND action = 'sign_in_failed'")
    assert sign_in(client, "quan_tri", address="10.2.0.1").status_code == 302


def test_failures_are_throttled_per_address(client):
    for i in range(20):  # different usernames, one address
        assert sign_in(client, f"guess_{i}", "wrong password", address="10.3.0.1").status_code == 401
    assert sign_in(client, "hcm", address="10.3.0.1").status_code == 429
    assert sign_in(client, "hcm", address="10.3.0.2").status_code == 302


def test_a_disabled_account_cannot_sign_in_and_its_session_ends(client, reporting):
    from dashboard.auth import users

    users.add(reporting, "tam_thoi", "mat-khau-tam-thoi", "national")
    assert sign_in(client, "tam_thoi", "mat-khau-tam-thoi", address="10.4.0.1").status_code == 302
    assert client.get("/_dash-layout").status_code == 200
    users.set_disabled(reporting, "tam_thoi")
    assert client.get("/_dash-layout").status_code == 401  # the open session is refused at once
    assert sign_in(client, "tam_thoi", "mat-khau-tam-thoi", address="10.4.0.1").status_code == 401


def test_a_new_password_ends_the_sessions_opened_with_the_old_one(client, reporting):
    from dashboard.auth import users

    users.add(reporting, "doi_mat_khau", "mat-khau-cu-12345", "analyst")
    assert sign_in(client, "doi_mat_khau", "mat-khau-cu-12345", address="10.5.0.1").status_code == 302
    users.set_password(reporting, "doi_mat_khau", "mat-khau-moi-12345")
    assert client.get("/_dash-layout").status_code == 401


# ---------------------------------------------------------------- a province user's scope

def test_province_user_sees_their_province(client, other_places):
    assert sign_in(client, "hcm").status_code == 302
    for pathname, search in (("/", ""), ("/coverage", ""), ("/lag", ""), ("/verification", ""), ("/supply", ""),
                             ("/testing", ""), ("/testing", "?date=2021-08-15"), ("/coverage", "?area=79")):
        response = open_page(client, pathname, search)
        body = text(response)
        assert response.status_code == 200 and "Hồ Chí Minh" in body, pathname
        assert_only_hcm(body, other_places)
    overview = text(open_page(client, "/"))
    assert "Tổng quan — Hồ Chí Minh" in overview


def test_province_user_asking_another_province_gets_a_message_and_nothing_else(client, reporting, other_places):
    district_of_hanoi = scalar(reporting, "SELECT min(code) FROM ref.district WHERE province_code = '01'")
    assert sign_in(client, "hcm").status_code == 302
    for pathname in ("/coverage", "/lag", "/verification", "/supply", "/testing"):
        for area in ("01", district_of_hanoi, "99", "' OR 1=1"):
            from urllib.parse import urlencode

            body = text(open_page(client, pathname, "?" + urlencode({"area": area})))
            assert "không thuộc phạm vi" in body, (pathname, area)
            assert_only_hcm(body, other_places)
            assert area not in body
    # the URL of the page itself: the HTML shell carries no data either way (only the URL, in its meta tags)
    shell = client.get("/coverage?area=01")
    assert shell.status_code == 200 and not [n for n in other_places if n in shell.get_data(as_text=True)]


def test_forged_drill_down_callbacks_lead_nowhere_outside_the_scope(client, other_places):
    """The callbacks only build URLs; a URL to another province opens the refusal, not its data."""
    assert sign_in(client, "hcm").status_code == 302
    # the output's name as Dash registered it (allow_duplicate adds a suffix)
    output = next(c["output"] for c in client.get("/_dash-dependencies").get_json()
                  if any(i["id"] == "coverage-areas" for i in c["inputs"]))
    forged = client.post("/_dash-update-component", json={
        "output": output, "outputs": {"id": "url", "property": output.split(".", 1)[1]},
        "inputs": [{"id": "coverage-areas", "property": "clickData", "value": {"points": [{"customdata": "01"}]}},
                   {"id": "coverage-dose-areas", "property": "clickData", "value": None},
                   {"id": {"type": "grid", "index": "cov-areas"}, "property": "cellClicked", "value": None}],
        "state": [{"id": "cov-state", "property": "data", "value": {"lang": "vi", "area": "01"}},
                  {"id": "cov-date", "property": "date", "value": "2021-08-01"},
                  {"id": "cov-group", "property": "value", "value": "18+"},
                  {"id": "cov-milestone", "property": "value", "value": "first"},
                  {"id": "cov-product", "property": "value", "value": ""},
                  {"id": "cov-dose", "property": "value", "value": ""}],
        "changedPropIds": ["coverage-areas.clickData"]})
    assert forged.status_code == 200
    href = forged.get_json()["response"]["url"]["href"]
    assert href.startswith("/coverage?area=01")  # a link, no data; following it:
    path, _, search = href.partition("?")
    body = text(open_page(client, path, "?" + search))
    assert "không thuộc phạm vi" in body
    assert_only_hcm(body, other_places)


def test_data_access_refuses_a_wider_scope_inside_a_province_users_request(app):
    from flask_login import login_user

    from dashboard.auth import users
    from dashboard.data import Scope, ScopeViolation

    data = app.server.config["DATA"]
    with app.server.test_request_context("/"):
        login_user(users.by_name(data.engine, "hcm"))
        assert set(data.query("areas", {})["province"]) == {"79"}  # no scope passed: the user's
        for wider in (Scope.national(), Scope("01")):
            with pytest.raises(ScopeViolation):
                data.query("areas", {}, wider)


# ---------------------------------------------------------------- roles and pages

def test_only_administrators_see_and_open_the_admin_page(client, reporting):
    for name in ("bo_yte", "hcm", "phan_tich"):
        assert sign_in(client, name).status_code == 302
        assert "/admin" not in text(open_page(client, "/")), name
        body = text(open_page(client, "/admin"))
        assert "Tài khoản này không được mở trang này" in body and "sign_in" not in body, name
        assert client.get("/admin", headers={"Accept": "text/html"}).status_code == 403
    assert sign_in(client, "quan_tri", address="10.6.0.1").status_code == 302
    assert '"/admin"' in text(open_page(client, "/"))
    body = text(open_page(client, "/admin"))
    audit = json.loads(body)["response"]["_pages_content"]["children"]
    shown = json.dumps(audit, ensure_ascii=False)
    assert "admin-audit" in shown and "admin-users" in shown and "hcm" in shown
    assert "password_hash" not in shown and "scrypt:" not in shown  # no password hash is shown
    newest = scalar(reporting, "SELECT action FROM auth.audit ORDER BY at DESC, id DESC LIMIT 1")
    grid = _find(audit, "admin-audit")
    assert grid["props"]["rowData"][0]["action"] == newest == "sign_in"


def _find(node, component_id):
    if isinstance(node, list):
        return next((hit for hit in (_find(n, component_id) for n in node) if hit), None)
    if isinstance(node, dict) and "props" in node:
        if node["props"].get("id") == component_id:
            return node
        return _find(node["props"].get("children"), component_id)
    return None


def test_the_page_cache_keeps_roles_apart(client):
    """national and administrator share the scope but not the navigation: neither gets the other's page."""
    assert sign_in(client, "quan_tri", address="10.7.0.1").status_code == 302
    assert '"/admin"' in text(open_page(client, "/lag"))
    assert sign_in(client, "bo_yte", address="10.7.0.1").status_code == 302
    assert '"/admin"' not in text(open_page(client, "/lag"))


def test_audit_is_callable_by_other_code(app, reporting):
    from flask_login import login_user

    from dashboard.auth import audit, users

    # the export tests add their own rows: only what this test writes counts
    baseline = scalar(reporting, "SELECT coalesce(max(id), 0) FROM auth.audit")
    with app.server.test_request_context("/", environ_base={"REMOTE_ADDR": "10.8.0.1"}):
        login_user(users.by_name(reporting, "hcm"))
        audit("export", {"page": "coverage", "format": "xlsx"})
    got = rows(reporting, "SELECT username, address, scope, detail->>'format' FROM auth.audit "
                          "WHERE action = 'export' AND id > :baseline", baseline=baseline)
    assert got == [("hcm", "10.8.0.1", "79", "xlsx")]


# ---------------------------------------------------------------- the command line

def users_cli(reporting, *args, stdin: str | None = None, env: dict | None = None):
    import os

    url = reporting.url.render_as_string(hide_password=False)
    return subprocess.run([sys.executable, "-m", "dashboard", "users", *args], input=stdin, capture_output=True,
                          text=True, cwd=PROJECT_ROOT, timeout=120,
                          env={**os.environ, "DATABASE_URL": url, "PYTHONPATH": str(PROJECT_ROOT), **(env or {})})


def test_users_command_line(reporting, app):
    done = users_cli(reporting, "add", "da_nang", "--role", "province", "--province", "48", "--password-stdin",
                     stdin="mat-khau-da-nang\n")
    assert done.returncode == 0 and "mat-khau" not in done.stdout + done.stderr, done.stderr
    listed = users_cli(reporting, "list").stdout
    assert "da_nang" in listed and "48" in listed and "mat-khau" not in listed
    client = app.server.test_client()
    assert sign_in(client, "da_nang", "mat-khau-da-nang", address="10.9.0.1").status_code == 302
    for args, stdin, error in (
            (("add", "da_nang", "--role", "analyst", "--password-stdin"), "another-password\n", "exists already"),
            (("add", "x1y", "--role", "province", "--province", "00", "--password-stdin"), "long-enough-pw\n",
             "unknown province"),
            (("add", "x2y", "--role", "province", "--password-stdin"), "long-enough-pw\n", "needs --province"),
            (("add", "x3y", "--role", "national", "--password-stdin"), "short\n", "at least 10"),
            (("add", "x4y", "--role", "national"), "", "--password-stdin"),
            (("disable", "nobody_at_all"), None, "no user"),
    ):
        failed = users_cli(reporting, *args, stdin=stdin)
        assert failed.returncode == 2 and error in failed.stderr, (args, failed.stderr)
        assert len(failed.stderr.strip().splitlines()) == 1 and "Traceback" not in failed.stderr
    assert users_cli(reporting, "set-password", "da_nang", "--password-stdin",
                     stdin="mat-khau-moi-da-nang\n").returncode == 0
    assert sign_in(client, "da_nang", "mat-khau-da-nang", address="10.9.0.2").status_code == 401
    assert users_cli(reporting, "disable", "da_nang").returncode == 0
    assert sign_in(client, "da_nang", "mat-khau-moi-da-nang", address="10.9.0.3").status_code == 401
    assert scalar(reporting, "SELECT count(*) FROM auth.audit WHERE action = 'user_admin' "
                             "AND username = 'da_nang' AND address = 'cli'") == 3


def test_demo_accounts_are_created_once(make_database):
    engine = make_database()
    from etl.migrate import migrate

    migrate(engine)
    with engine.begin() as conn:
        conn.exec_driver_sql("INSERT INTO ref.province VALUES ('79', 'Hồ Chí Minh', 'Thành phố Hồ Chí Minh', 'x')")
    first = users_cli(engine, "demo")
    assert first.returncode == 0, first.stderr
    lines = [line.split() for line in first.stdout.splitlines()[1:]]
    assert [line[0] for line in lines] == ["bo_yte", "hcm", "phan_tich", "quan_tri"]
    assert all(len(line[-1]) >= 12 for line in lines)
    second = users_cli(engine, "demo")
    assert second.returncode == 0 and "not created again" in second.stdout and lines[0][-1] not in second.stdout


# ---------------------------------------------------------------- the report pack
def _export(client, **values):
    return client.post("/report/jobs", data={"from": "2021-07-01", "to": "2021-08-31", "format": "csv", **values})


def _wait(client, job: str) -> dict:
    import time

    for _ in range(300):
        state = client.get(f"/report/jobs/{job}").get_json()
        if state["state"] != "running":
            return state
        time.sleep(0.2)
    raise AssertionError("the report job did not finish")


def test_export_endpoint_gives_a_province_user_nothing_of_another_province(client, reporting, other_places):
    assert sign_in(client, "hcm").status_code == 302
    for province in ("01", "", "VN", "7", "79' OR '1'='1"):
        response = _export(client, province=province)
        assert response.status_code in (400, 403), province
        assert "job" not in response.get_json()
        assert_only_hcm(text(response), other_places)
    refused = scalar(reporting, "SELECT count(*) FROM auth.audit WHERE username = 'hcm' AND action = 'export' "
                                "AND detail ? 'refused'")
    assert refused >= 2  # the other province and the country


def test_a_province_user_exports_their_province_through_a_job(client, reporting, other_places):
    import io
    import zipfile

    assert sign_in(client, "hcm").status_code == 302
    started = _export(client, province="79")
    assert started.status_code == 202
    job = started.get_json()["job"]
    state = _wait(client, job)
    assert state["state"] == "done" and state["step"] == state["total"]
    download = client.get(f"/report/jobs/{job}/file")
    assert download.status_code == 200 and "attachment" in download.headers["Content-Disposition"]
    with zipfile.ZipFile(io.BytesIO(download.data)) as pack:
        body = " ".join(pack.read(name).decode("utf-8-sig") for name in pack.namelist())
    assert "Hồ Chí Minh" in body
    assert_only_hcm(body, other_places)
    assert scalar(reporting, "SELECT count(*) FROM auth.audit WHERE username = 'hcm' AND action = 'export' "
                             "AND detail->>'file' = :f AND NOT detail ? 'refused'", f=state["file"]) == 1
    # another account can neither follow the job nor download its file
    assert sign_in(client, "bo_yte").status_code == 302
    assert client.get(f"/report/jobs/{job}").status_code == 404
    assert client.get(f"/report/jobs/{job}/file").status_code == 404


def test_a_forged_report_callback_cannot_export_another_province(client, reporting, other_places):
    assert sign_in(client, "hcm").status_code == 302
    callback = next(c for c in client.get("/_dash-dependencies").get_json()
                    if any(i["id"] == "rep-start" for i in c["inputs"]))
    before = scalar(reporting, "SELECT count(*) FROM auth.audit WHERE action = 'export' AND NOT detail ? 'refused'")
    forged = client.post("/_dash-update-component", json={
        "output": callback["output"], "outputs": [{"id": o.split(".")[0], "property": o.split(".")[1]}
                                                  for o in callback["output"].strip(".").split("...")],
        "inputs": [{"id": "rep-start", "property": "n_clicks", "value": 1}],
        "state": [{"id": "rep-area", "property": "value", "value": "01"},
                  {"id": "rep-period", "property": "start_date", "value": "2021-07-01"},
                  {"id": "rep-period", "property": "end_date", "value": "2021-08-31"},
                  {"id": "rep-format", "property": "value", "value": "xlsx"},
                  {"id": "rep-job", "property": "data", "value": {"lang": "vi"}}],
        "changedPropIds": ["rep-start.n_clicks"]})
    body = text(forged)
    assert forged.status_code == 200 and "không thuộc phạm vi" in body
    assert '"id"' not in json.dumps(forged.get_json()["response"].get("rep-job", {}))  # no job was started
    assert_only_hcm(body, other_places)
    assert scalar(reporting, "SELECT count(*) FROM auth.audit WHERE action = 'export' AND NOT detail ? 'refused'") \
        == before


def test_export_routes_need_a_signed_in_account(client):
    assert _export(client, province="79").status_code == 401
    for path in ("/report/jobs/x", "/report/jobs/x/file"):  # a GET is sent to the sign-in page
        response = client.get(path)
        assert response.status_code == 302 and response.headers["Location"].startswith("/login")

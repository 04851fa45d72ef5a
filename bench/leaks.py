"""What a browser receives, per route and account: bytes, and the names and figures it may not see.

    python bench/leaks.py --database-url URL     # a reporting database loaded by the ETL

Serves the dashboard with one gunicorn worker whose first request is an administrator's (the worst case
of Dash's set-up on first request), then asks every route signed out, as a province user (79) and as a
national user. A body is searched after decoding JSON's \\u escapes for:
- places outside the account's scope (every other province, Hà Nội's districts, for the province user);
- accounts' usernames (only the administrator may see them);
- figures written as Vietnamese numbers (1.234.567) in page HTML, which should carry none.
It prints one line per route and account; a forbidden find is a leak.
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.dashboard import free_port  # noqa: E402
from common import db  # noqa: E402
from common.settings import PROJECT_ROOT  # noqa: E402
from dashboard.auth import users  # noqa: E402
from etl.migrate import migrate  # noqa: E402

ACCOUNTS = {"leak_admin": ("admin", None), "leak_nat": ("national", None), "leak_hcm": ("province", "79")}
PAGES = ("/", "/coverage", "/lag", "/verification", "/quality", "/report", "/admin")
ROUTES = (*PAGES, "/coverage?area=01", "/login", "/logout", "/healthz", "/no-such-page", "/_dash-layout",
          "/_dash-dependencies")
FIGURE = re.compile(r"(?<![\d.])\d{1,3}(?:\.\d{3})+(?![\d.])")


def unescape(body: str) -> str:
    return re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), body)


def page_request(pathname: str, search: str) -> dict:
    return {"output": ".._pages_content.children..._pages_store.data..",
            "outputs": [{"id": "_pages_content", "property": "children"}, {"id": "_pages_store", "property": "data"}],
            "inputs": [{"id": "_pages_location", "property": "pathname", "value": pathname},
                       {"id": "_pages_location", "property": "search", "value": search}],
            "changedPropIds": ["_pages_location.pathname"], "state": []}


def sign_in(base: str, name: str, password: str) -> requests.Session:
    s = requests.Session()
    form = s.get(base + "/login").text
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form).group(1)
    r = s.post(base + "/login", data={"username": name, "password": password, "next": "/", "csrf_token": token},
               allow_redirects=False)
    assert r.status_code in (302, 303), (name, r.status_code)
    token = s.get(base + "/csrf-token")  # what a page sets in its _csrf_token cookie (older versions: none)
    if token.status_code == 200 and token.headers.get("Content-Type", "").startswith("application/json"):
        s.headers["X-CSRFToken"] = token.json()["csrf_token"]
    return s


def csrf_headers(s: requests.Session, base: str) -> dict:
    """The headers a page's own callbacks carry besides the session's (Origin; the token is the session's)."""
    return {"Origin": base}


def set_accounts(url: str, accounts: dict[str, tuple[str, str | None]]) -> dict[str, str]:
    """The accounts {name: (role, province)} in the reporting database, with fresh random passwords."""
    engine = db.connect(url)
    migrate(engine)  # the auth schema
    passwords = {name: secrets.token_urlsafe(16) for name in accounts}
    for name, (role, province) in accounts.items():
        if users.by_name(engine, name) is None:
            users.add(engine, name, passwords[name], role, province)
        else:
            users.set_password(engine, name, passwords[name])
    engine.dispose()
    return passwords


def server_env(url: str, data_dir: Path) -> dict[str, str]:
    env = {**os.environ, "DATABASE_URL": url, "DATA_DIR": str(data_dir), "PYTHONPATH": str(PROJECT_ROOT),
           "WARM_CACHE": "0"}
    env.pop("REDIS_URL", None)
    return env


def serve(env: dict, port: int, workers: int = 1, threads: int = 1) -> subprocess.Popen:
    """gunicorn on loopback, once it listens (by default one worker, one thread: the first request is the one
    we send first)."""
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "--workers", str(workers), "--threads", str(threads),
                               "--bind", f"127.0.0.1:{port}", "dashboard.wsgi:server"], cwd=PROJECT_ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(300):  # a bare connection, not a request: the first request must be the caller's
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return server
        time.sleep(0.1)
    raise RuntimeError("the dashboard did not start")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", required=True)
    args = parser.parse_args()
    url = db.normalise_url(args.database_url)
    passwords = set_accounts(url, ACCOUNTS)
    engine = db.connect(url)
    with engine.connect() as conn:
        provinces = dict(conn.exec_driver_sql("SELECT code, name FROM ref.province").fetchall())
        hanoi = [r[0] for r in conn.exec_driver_sql(
            "SELECT name_with_type FROM ref.district WHERE province_code = '01'")]
    engine.dispose()
    forbidden = {
        "signed out": [*provinces.values(), *ACCOUNTS],
        "province 79": [n for c, n in provinces.items() if c != "79"] + hanoi + ["leak_admin", "leak_nat"],
        "national": ["leak_admin", "leak_hcm"],
    }

    data_dir = Path(tempfile.mkdtemp(prefix="vaxdash-leaks-"))
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = server_env(url, data_dir)
    # Sign everybody in on a first server, then ask a second one (same secret key) whose very first request
    # is the administrator's: whatever Dash builds at set-up is then built inside an administrator's request.
    server = serve(env, port)
    try:
        sessions = {"signed out": requests.Session(),
                    "province 79": sign_in(base, "leak_hcm", passwords["leak_hcm"]),
                    "national": sign_in(base, "leak_nat", passwords["leak_nat"])}
        admin = sign_in(base, "leak_admin", passwords["leak_admin"])
    finally:
        server.terminate()
        server.wait(10)
    server = serve(env, port)
    try:
        admin.get(base + "/admin")  # the worker's first request is an administrator's
        print(f"{'account':12s} {'route':38s} {'status':>6s} {'bytes':>9s} {'forbidden':>9s} {'figures':>8s}  "
              "examples")
        leaks = 0
        for account, s in sessions.items():
            asks = [("GET", r, None) for r in ROUTES]
            asks += [("POST", f"callback {p}?area=01", page_request(p, "?area=01")) for p in PAGES[:5]]
            for method, route, body in asks:
                if method == "GET":
                    r = s.get(base + route, allow_redirects=False, headers={"Accept": "text/html"})
                else:
                    r = s.post(base + "/_dash-update-component", json=body, headers=csrf_headers(s, base))
                text = unescape(r.text)
                found = sorted({n for n in forbidden[account] if n in text})
                figures = len(FIGURE.findall(text)) if method == "GET" and "<html" in text[:500].lower() else 0
                leaks += len(found) + figures
                print(f"{account:12s} {route:38s} {r.status_code:6d} {len(r.content):9d} {len(found):9d} "
                      f"{figures:8d}  {', '.join(found[:3])}")
        print(f"\nforbidden names and page-HTML figures found in all: {leaks}")
    finally:
        server.terminate()
        server.wait(10)
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()

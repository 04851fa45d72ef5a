"""Dashboard speed under gunicorn on loopback: callback latency (cold and warm cache, 1 and 8 clients),
time until every graph is drawn in headless Chromium, and the workers' peak memory.

    python bench/dashboard.py --scale 0.05            # simulates and loads a throw-away database first
    python bench/dashboard.py --database-url URL      # or reuses a loaded reporting database

The page callbacks' requests are captured once from Chromium, then replayed by plain HTTP clients. A cold
request asks for a date not asked before (a cache miss); a warm one repeats a cached request.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.databases import reporting_url  # noqa: E402
from common import db  # noqa: E402
from common.settings import PROJECT_ROOT  # noqa: E402
from dashboard.auth import users  # noqa: E402
from etl.migrate import migrate  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
USER, PASSWORD = "bench", secrets.token_urlsafe(16)  # a national account made for the run


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def percentile(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def sign_in(page, base: str) -> None:
    page.goto(base + "/login")
    page.fill("#username", USER)
    page.fill("#password", PASSWORD)
    page.click("#sign-in")
    page.wait_for_url(base + "/", timeout=60_000)


def capture(base: str, path: str) -> tuple[dict, str]:
    """The page router's callback request as Chromium sends it when opening `path`, and the headers it carries."""
    from playwright.sync_api import sync_playwright

    found = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page()
        sign_in(page, base)

        def keep(request):  # the router's request for this page (not the page the sign-in landed on)
            if "/_dash-update-component" in request.url and "_pages_content" in (request.post_data or ""):
                body = json.loads(request.post_data)
                if any(i.get("property") == "pathname" and i.get("value") == path.split("?")[0]
                       for i in body["inputs"]):
                    found.setdefault("body", body)

        page.on("request", keep)
        page.goto(base + path)
        page.wait_for_selector(".js-plotly-plot .main-svg", timeout=60_000)
        cookies = page.context.cookies()
        browser.close()
    # the headers dash-renderer sends with its callbacks: the session, and the CSRF token from its cookie
    headers = {"Cookie": "; ".join(f"{c['name']}={c['value']}" for c in cookies), "Origin": base}
    token = next((c["value"] for c in cookies if c["name"] == "_csrf_token"), None)
    if token:
        headers["X-CSRFToken"] = token
    return found["body"], headers


def with_search(body: dict, search: str) -> bytes:
    body = json.loads(json.dumps(body))
    for item in body["inputs"]:
        if item.get("property") == "search":
            item["value"] = search
    return json.dumps(body).encode()


def post(base: str, payload: bytes, headers: dict[str, str]) -> float:
    t = time.perf_counter()
    req = urllib.request.Request(base + "/_dash-update-component", data=payload, method="POST",
                                 headers={"Content-Type": "application/json", "Accept-Encoding": "gzip", **headers})
    with urllib.request.urlopen(req, timeout=300) as resp:  # a slow page is measured, not dropped
        resp.read()
        assert resp.status == 200
    return (time.perf_counter() - t) * 1000


def load(base: str, payloads: list[bytes], clients: int, headers: dict[str, str]) -> list[float]:
    with ThreadPoolExecutor(clients) as pool:
        return list(pool.map(lambda p: post(base, p, headers), payloads))


def drawn_ms(base: str, path: str, graphs: int, repeats: int = 3) -> tuple[float, float]:
    """Time until every graph is drawn: first visit (cold server and browser caches), then the median of
    later visits of the same page in the same browser (warm caches)."""
    from playwright.sync_api import sync_playwright

    times = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": 1440, "height": 1000})
        sign_in(page, base)
        for _ in range(1 + repeats):
            t = time.perf_counter()
            page.goto(base + path)
            # a locator, not wait_for_function: the app's Content-Security-Policy forbids the eval that needs
            page.locator(".js-plotly-plot .main-svg").nth(graphs - 1).wait_for(timeout=60_000)
            times.append((time.perf_counter() - t) * 1000)
        browser.close()
    return times[0], statistics.median(times[1:])


def worker_peak_mb(master_pid: int) -> list[float]:
    out = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        if f"PPid:\t{master_pid}\n" in status:
            hwm = next(line for line in status.splitlines() if line.startswith("VmHWM"))
            out.append(int(hwm.split()[1]) / 1024)
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=float, default=0.05)
    parser.add_argument("--until", default="2022-06-30")
    parser.add_argument("--database-url", help="a reporting database already loaded by the ETL")
    parser.add_argument("--requests", type=int, default=40, help="requests per measurement")
    parser.add_argument("--only", help="measure only the pages whose label contains this (e.g. supply)")
    args = parser.parse_args()

    url, dbs = reporting_url(args.database_url, args.scale, args.until)

    accounts = db.connect(url)
    migrate(accounts)  # the auth schema
    with accounts.connect() as conn:  # Hồ Chí Minh's CDC laboratory, for the testing page's laboratory view
        lab = conn.exec_driver_sql("SELECT min(id) FROM ref.facility WHERE level = 'lab' AND province_code = '79'"
                                   ).scalar()
    if users.by_name(accounts, USER) is None:
        users.add(accounts, USER, PASSWORD, "national", None)
    else:
        users.set_password(accounts, USER, PASSWORD)
    accounts.dispose()

    data_dir = Path(tempfile.mkdtemp(prefix="vaxdash-bench-"))
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "DATABASE_URL": url, "DATA_DIR": str(data_dir), "PYTHONPATH": str(PROJECT_ROOT)}
    env.pop("REDIS_URL", None)
    gunicorn = subprocess.Popen([sys.executable, "-m", "gunicorn", "--workers", "2", "--threads", "4",
                                 "--bind", f"127.0.0.1:{port}", "dashboard.wsgi:server"], cwd=PROJECT_ROOT, env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/_dash-layout", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        overview, headers = capture(base, "/")
        last = date.fromisoformat(args.until)
        days = [last - timedelta(days=i) for i in range(1, 2 * args.requests + 1)]
        results = []
        for label, path, body_search in (
            ("overview", "/", lambda d: f"?date={d}"),
            ("drill-down (province 79)", "/coverage?area=79", lambda d: f"?area=79&date={d}"),
            ("lag (province 79)", "/lag?area=79", lambda d: f"?area=79&date_to={d}"),
            ("verification (province 79)", "/verification?area=79", lambda d: f"?area=79&date={d}"),
            ("data quality (nation)", "/quality", lambda d: f"?date={d}"),
            ("data quality (province 79)", "/quality?area=79", lambda d: f"?area=79&date={d}"),
            ("supply (nation)", "/supply", lambda d: f"?date={d}"),
            ("supply (province 79)", "/supply?area=79", lambda d: f"?area=79&date={d}"),
            ("supply (district 760)", "/supply?area=760", lambda d: f"?area=760&date={d}"),
            ("testing (nation)", "/testing", lambda d: f"?date={d}"),
            ("testing (province 79)", "/testing?area=79", lambda d: f"?area=79&date={d}"),
            ("testing (laboratory)", f"/testing?area=79&lab={lab}", lambda d: f"?area=79&lab={lab}&date={d}"),
        ):
            if args.only and args.only not in label:
                continue
            body = overview if path == "/" else capture(base, path)[0]
            unseen = list(days)  # each page's queries are its own: a day unseen by this page is a cold read
            for clients in (1, 8):
                cold_days = unseen[:args.requests]
                unseen = unseen[args.requests:]
                cold = load(base, [with_search(body, body_search(d)) for d in cold_days], clients, headers)
                warm_payload = with_search(body, body_search(cold_days[0]))
                warm = load(base, [warm_payload] * args.requests, clients, headers)
                results.append((label, clients, cold, warm))
        print(f"\ncallback latency, gunicorn 2 workers x 4 threads on loopback, {args.requests} requests each (ms)")
        print(f"{'callback':28s} {'clients':>7s} {'cold p50':>9s} {'cold p95':>9s} {'warm p50':>9s} {'warm p95':>9s}")
        for label, clients, cold, warm in results:
            print(f"{label:28s} {clients:7d} {statistics.median(cold):9.0f} {percentile(cold, 0.95):9.0f} "
                  f"{statistics.median(warm):9.0f} {percentile(warm, 0.95):9.0f}")
        cold_draw, warm_draw = drawn_ms(base, f"/?date={last - timedelta(days=2 * args.requests + 1)}", 4)
        print(f"\noverview fully drawn in headless Chromium (4 graphs): cold {cold_draw:.0f} ms, "
              f"warm {warm_draw:.0f} ms")
        peaks = worker_peak_mb(gunicorn.pid)
        print("workers' peak memory (VmHWM): " + ", ".join(f"{m:.0f} MB" for m in peaks))
    finally:
        gunicorn.terminate()
        gunicorn.wait(10)
        shutil.rmtree(data_dir, ignore_errors=True)
        if dbs is not None:
            dbs.drop_all()


if __name__ == "__main__":
    main()

"""A bounded load run on loopback: N signed-in clients for at most 3 minutes against gunicorn.

    python bench/load.py --database-url URL [--clients 50] [--seconds 120]

Each client signs in (40 of 50 as a national user, the rest as Hồ Chí Minh City's province user), then loops
until the time is up: page HTML, Dash's layout, and the page router's callback for a page, an area and a
date drawn from a small set (so both cache misses and hits happen). Prints requests, errors (any status
but 200, or no answer within 60 s) and the median and p95 latency, in all and per kind of request.
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.dashboard import free_port, percentile  # noqa: E402
from bench.leaks import csrf_headers, page_request, serve, server_env, set_accounts, sign_in  # noqa: E402
from common import db  # noqa: E402

PAGES = ("/", "/coverage", "/lag", "/verification", "/quality")
DATES = ("2021-08-31", "2021-09-30", "2021-10-16", "2021-10-31", "2021-11-30", "2021-12-31")
AREAS = ("", "79", "01", "48", "92")


def client(base: str, session: requests.Session, own_area: str | None, until: float, seed: int,
           out: dict[str, list[float]], errors: dict[str, int], lock: threading.Lock) -> None:
    rng = random.Random(seed)
    headers = csrf_headers(session, base)
    while time.monotonic() < until:
        roll = rng.random()
        page = rng.choice(PAGES)
        area = own_area if own_area is not None else rng.choice(AREAS)
        search = "?" + "&".join(p for p in (f"area={area}" if area else "", f"date={rng.choice(DATES)}") if p)
        t = time.perf_counter()
        try:
            if roll < 0.15:
                kind = "page HTML"
                r = session.get(base + page + search, headers={"Accept": "text/html"}, timeout=60)
            elif roll < 0.25:
                kind = "_dash-layout"
                r = session.get(base + "/_dash-layout", timeout=60)
            else:
                kind = "page callback"
                r = session.post(base + "/_dash-update-component", json=page_request(page, search), headers=headers,
                                 timeout=60)
            ok = r.status_code == 200
        except requests.RequestException:
            ok = False
        ms = (time.perf_counter() - t) * 1000
        with lock:
            out[kind].append(ms)
            if not ok:
                errors[kind] += 1


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=120)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    seconds = min(args.seconds, 180.0)  # bounded: never longer than 3 minutes
    url = db.normalise_url(args.database_url)
    passwords = set_accounts(url, {"load_nat": ("national", None), "load_hcm": ("province", "79")})
    data_dir = Path(tempfile.mkdtemp(prefix="vaxdash-load-"))
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = serve(server_env(url, data_dir), port, workers=args.workers, threads=4)
    try:
        n_province = args.clients // 5
        sessions = [(sign_in(base, "load_hcm", passwords["load_hcm"]), "79") for _ in range(n_province)]
        sessions += [(sign_in(base, "load_nat", passwords["load_nat"]), None)
                     for _ in range(args.clients - n_province)]
        out: dict[str, list[float]] = defaultdict(list)
        errors: dict[str, int] = defaultdict(int)
        lock = threading.Lock()
        started = time.monotonic()
        until = started + seconds
        threads = [threading.Thread(target=client, args=(base, s, area, until, i, out, errors, lock))
                   for i, (s, area) in enumerate(sessions)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.monotonic() - started
        print(f"\nload: {args.clients} signed-in clients for {elapsed:.0f} s, gunicorn {args.workers} workers x 4 "
              "threads on loopback")
        print(f"{'request':16s} {'requests':>9s} {'errors':>7s} {'p50 ms':>8s} {'p95 ms':>8s}")
        everything = [ms for values in out.values() for ms in values]
        for kind, values in [*sorted(out.items()), ("all", everything)]:
            errs = sum(errors.values()) if kind == "all" else errors[kind]
            print(f"{kind:16s} {len(values):9d} {errs:7d} {statistics.median(values):8.0f} "
                  f"{percentile(values, 0.95):8.0f}")
        print(f"throughput: {len(everything) / elapsed:.1f} requests/s")
    finally:
        server.terminate()
        server.wait(10)
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()

"""Province report pack speed: province 79 (Hồ Chí Minh), 01/07/2021-31/10/2021, as XLSX, CSV zip and PDF;
median of N runs each, cold (empty query cache: every query reads PostgreSQL) and warm (the queries' results
in a FileSystemCache, as the web tier has them after a first export or a page view).

    python bench/export.py --scale 0.05           # simulates and loads a throw-away database first
    python bench/export.py --database-url URL     # or reuses a loaded reporting database

Goals (issue #6): XLSX under 5 s, CSV under 1.5 s.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cachelib import FileSystemCache  # noqa: E402  (flask-caching's own backend)

from bench.databases import reporting_url  # noqa: E402
from common.settings import Settings  # noqa: E402
from dashboard.data import DataAccess, Scope  # noqa: E402
from dashboard.report import build  # noqa: E402

GOALS = {"xlsx": 5.0, "csv": 1.5}


def timed(dx: DataAccess, province: str, date_from: date, date_to: date, fmt: str) -> tuple[float, int]:
    t = time.perf_counter()
    _, data = build(dx, Scope.national(), province, date_from, date_to, fmt)
    return time.perf_counter() - t, len(data)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=float, default=0.05)
    parser.add_argument("--until", default="2021-12-31", help="last simulated day (the pack reads July-October)")
    parser.add_argument("--database-url", help="a reporting database already loaded by the ETL")
    parser.add_argument("--province", default="79")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    date_from, date_to = date(2021, 7, 1), date(2021, 10, 31)

    url, dbs = reporting_url(args.database_url, args.scale, args.until)
    folder = Path(tempfile.mkdtemp(prefix="vaxdash-export-bench-"))
    try:
        cache = FileSystemCache(str(folder), threshold=5000, default_timeout=3600)
        dx = DataAccess(Settings(database_url=url), cache)
        timed(dx, args.province, date_from, date_to, "csv")  # connect, import the writers, load the font once
        print(f"\nprovince pack, province {args.province}, {date_from:%d/%m/%Y}-{date_to:%d/%m/%Y}, "
              f"median of {args.runs} runs (s)")
        print(f"{'format':8s} {'cold':>7s} {'warm':>7s} {'size':>10s}  goal")
        for fmt in ("xlsx", "csv", "pdf"):
            cold, warm, size = [], [], 0
            for _ in range(args.runs):
                cache.clear()
                seconds, size = timed(dx, args.province, date_from, date_to, fmt)
                cold.append(seconds)
            for _ in range(args.runs):
                warm.append(timed(dx, args.province, date_from, date_to, fmt)[0])
            goal = GOALS.get(fmt)
            verdict = "" if goal is None else f"< {goal:g} s: {'met' if statistics.median(cold) < goal else 'MISSED'}"
            print(f"{fmt:8s} {statistics.median(cold):7.2f} {statistics.median(warm):7.2f} "
                  f"{size / 1024:8.0f} kB  {verdict}")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        if dbs is not None:
            dbs.drop_all()


if __name__ == "__main__":
    main()

"""Simulator throughput: rows per second written and peak memory at a chosen scale.

    python bench/simulate.py --scale 0.01 [--until 2022-06-30] [--seed 1]

Runs in a throw-away database on the benchmark server (TEST_DATABASE_URL, else the embedded PostgreSQL
in .data/pg-bench) and drops it afterwards.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.databases import Databases  # noqa: E402
from etl.simulator.engine import simulate  # noqa: E402

TABLES = ("person", "dose_record", "stock_movement", "vaccine_lot", "province_daily_report", "test_sample",
          "identity_verification", "citizen_feedback")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=float, default=0.01)
    parser.add_argument("--until", default="2022-06-30")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    dbs = Databases()
    engine = dbs.new()
    try:
        started = time.perf_counter()
        report = simulate(engine, args.scale, args.seed, args.until)
        seconds = time.perf_counter() - started
        with engine.connect() as conn:
            counts = {t: conn.execute(sa.text(f"SELECT count(*) FROM platform.{t}")).scalar() for t in TABLES}
            pending = conn.execute(sa.text("SELECT (SELECT count(*) FROM sim.pending_dose_record)"
                                           " + (SELECT count(*) FROM sim.pending_verification)")).scalar()
    finally:
        engine.dispose()
        dbs.drop_all()
    total = sum(counts.values())
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"simulate --scale {args.scale} --until {args.until} --seed {args.seed}: {report.days} days")
    for table, n in counts.items():
        print(f"  {table:24s} {n:>12,}")
    print(f"  {'(not yet entered)':24s} {pending:>12,}")
    print(f"rows written      {total + pending:,}")
    print(f"wall time         {seconds:.1f} s")
    print(f"rows per second   {(total + pending) / seconds:,.0f}")
    print(f"dose records/s    {counts['dose_record'] / seconds:,.0f}")
    print(f"peak memory (RSS) {peak_mb:,.0f} MB (simulator process)")


if __name__ == "__main__":
    main()

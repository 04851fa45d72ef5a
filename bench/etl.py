"""ETL speed: full rebuild vs a bare CREATE TABLE AS ... GROUP BY, and one-day incremental runs.

    python bench/etl.py --scale 0.05

1. Simulates the national series to --until minus one day, runs a full rebuild (timed per step), then times
   rebuilding the dose mart alone (unfiltered, and through its model with its slice table holding every key,
   as a rebuild does) and a bare `CREATE TABLE AS SELECT ... GROUP BY` over the same staging rows, in the same
   PostgreSQL; then simulates one more day and times the incremental run.
2. History growth: a flat profile (the same doses every day) simulated for N and for 2N days, then the
   same one more day on top of each, timed: the incremental run should not grow with history.
Runs in throw-away databases (TEST_DATABASE_URL, else the embedded PostgreSQL in .data/pg-bench).
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.databases import Databases  # noqa: E402
from common.settings import Settings  # noqa: E402
from etl.marts import MARTS  # noqa: E402
from etl.pipeline import run  # noqa: E402
from etl.simulator.engine import simulate  # noqa: E402
from etl.simulator.geography import load_geography  # noqa: E402

SETTINGS = Settings(pseudonym_key="bench")
GROUP_BY = ("SELECT site_district, injected_day, product_code, dose_number, age_band, sex, count(*) AS doses "
            "FROM staging.dose WHERE status = 'valid' AND quarantine_rule IS NULL GROUP BY 1, 2, 3, 4, 5, 6")


def etl(engine: sa.Engine, rebuild: bool = False):
    return run(SETTINGS, engine, engine.url.render_as_string(hide_password=False), rebuild=rebuild)


def timed_sql(engine: sa.Engine, statements: list[str], setup: tuple[str, ...] = ()) -> tuple[float, float]:
    """Seconds of `setup` and of `statements` after it, in one transaction."""
    with engine.begin() as conn:
        conn.exec_driver_sql("SET LOCAL work_mem = '256MB'")
        times = []
        for part in (setup, statements):
            t = time.perf_counter()
            for s in part:
                conn.exec_driver_sql(s)
            times.append(time.perf_counter() - t)
        return times[0], times[1]


def flat_profile(path: Path, start: str, days: int, national_per_day: float) -> None:
    geo = load_geography(1.0)
    share = geo.population.sum(axis=(1, 2))
    prov = np.bincount(geo.district_province[geo.commune_district], weights=share, minlength=len(geo.province_code))
    per_prov = np.round(national_per_day * prov / prov.sum()).astype(int)
    day0 = np.datetime64(start)
    with open(path, "w", encoding="utf-8") as f:
        f.write("date,province_code,doses\n")
        for d in range(days):
            for code, n in zip(geo.province_code, per_prov):
                f.write(f"{day0 + d},{code},{n}\n")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=float, default=0.05)
    parser.add_argument("--until", default="2022-06-30")
    parser.add_argument("--history-days", type=int, default=60)
    parser.add_argument("--repeat", type=int, default=3, help="repetitions of the short timings (median)")
    parser.add_argument("--only", choices=("rebuild", "history"), help="run one of the two parts")
    args = parser.parse_args()
    dbs = Databases()
    try:
        if args.only != "history":
            rebuild_and_incremental(dbs, args)
        if args.only != "rebuild":
            history_growth(dbs, args)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"peak memory of this process (simulator and ETL client): {peak:,.0f} MB")
    finally:
        dbs.drop_all()


def rebuild_and_incremental(dbs: Databases, args) -> None:
    # ---- 1. full rebuild vs bare GROUP BY; one-day incremental
    engine = dbs.new()
    last = str(np.datetime64(args.until) - 1)
    t = time.perf_counter()
    simulate(engine, args.scale, 1, last)
    print(f"simulated scale {args.scale} to {last} in {time.perf_counter() - t:.1f} s")
    rebuild = etl(engine, rebuild=True)
    with engine.connect() as conn:
        staged = conn.execute(sa.text("SELECT count(*) FROM staging.dose")).scalar()
    model = next(m for m in MARTS if m.name == "doses_daily").select
    every_key = ("CREATE TEMP TABLE _slice_dose ON COMMIT DROP AS"
                 " SELECT DISTINCT site_district AS district, injected_day AS day FROM staging.dose",
                 "ANALYZE _slice_dose")
    mart_times, model_times, slice_times, ctas_times = [], [], [], []
    for _ in range(args.repeat):
        for times, setup, select in ((mart_times, (), GROUP_BY), (model_times, every_key, model)):
            setup_s, insert_s = timed_sql(engine, [  # as a rebuild does it: key dropped, loaded, key built
                "TRUNCATE mart.doses_daily",
                "ALTER TABLE mart.doses_daily DROP CONSTRAINT doses_daily_pkey",
                "INSERT INTO mart.doses_daily (district, day, product_code, dose_number, age_band, sex, doses) "
                + select,
                "ALTER TABLE mart.doses_daily ADD CONSTRAINT doses_daily_pkey PRIMARY KEY "
                "(district, day, product_code, dose_number, age_band, sex)"], setup)
            times.append(insert_s)
            if setup:
                slice_times.append(setup_s)
        ctas_times.append(timed_sql(engine, ["DROP TABLE IF EXISTS bench_ctas",
                                             "CREATE TABLE bench_ctas AS " + GROUP_BY])[1])
    mart_s, ctas_s = statistics.median(mart_times), statistics.median(ctas_times)
    model_s, slice_s = statistics.median(model_times), statistics.median(slice_times)
    simulate(engine, args.scale, 1, args.until)
    inc = etl(engine)
    marts_step = rebuild.steps.get("marts", 0.0)
    print(f"\nfull rebuild: {rebuild.seconds:.1f} s for {staged:,} dose records "
          f"({staged / rebuild.seconds:,.0f} rows/s end to end)")
    print("  steps: " + ", ".join(f"{k} {v:.1f}s" for k, v in rebuild.steps.items()))
    print(f"dose mart (mart.doses_daily) rebuilt from staging: {mart_s:.2f} s "
          f"({staged / mart_s:,.0f} rows/s), median of {args.repeat}")
    print(f"the same through its model, semi-join on every key:  {model_s:.2f} s (+ {slice_s:.2f} s filling"
          f" the slice table), ratio to unfiltered {model_s / mart_s:.2f}")
    print(f"bare CREATE TABLE AS SELECT ... GROUP BY, same rows:  {ctas_s:.2f} s ({staged / ctas_s:,.0f} rows/s)")
    print(f"ratio dose mart / bare GROUP BY:                     {mart_s / ctas_s:.2f}  (goal <= 2)")
    print(f"ratio the marts step ({marts_step:.1f} s, all {len(MARTS)} marts) / bare GROUP BY:  "
          f"{marts_step / ctas_s:.2f}")
    d = inc.counts["dose_record"]
    print(f"one-day incremental run: {inc.seconds:.2f} s ({d['extracted']:,} dose records read)")
    print("  steps: " + ", ".join(f"{k} {v:.2f}s" for k, v in inc.steps.items()))
    print(f"ratio incremental / full rebuild: {inc.seconds / rebuild.seconds:.3f}  (goal < 0.05)")



def history_growth(dbs: Databases, args) -> None:
    # ---- 2. does a one-day run grow with history?
    per_day = 1_000_000 * args.scale
    timings = {}
    with tempfile.TemporaryDirectory() as tmp:
        for days in (args.history_days, 2 * args.history_days):
            profile = Path(tmp) / f"flat{days}.csv"
            flat_profile(profile, "2021-07-01", days + 1, per_day)
            eng = dbs.new()
            end = str(np.datetime64("2021-07-01") + days - 1)
            simulate(eng, args.scale, 1, end, profile=profile)
            etl(eng, rebuild=True)
            simulate(eng, args.scale, 1, str(np.datetime64(end) + 1), profile=profile)
            timings[days] = etl(eng)
            eng.dispose()
    a, b = timings[args.history_days], timings[2 * args.history_days]
    print(f"\nflat profile, {per_day:,.0f} doses a day: one-day incremental after {args.history_days} days "
          f"{a.seconds:.2f} s, after {2 * args.history_days} days {b.seconds:.2f} s: "
          f"ratio {b.seconds / a.seconds:.2f}  (goal <= 1.2)")


if __name__ == "__main__":
    main()

"""`python -m etl COMMAND`: the command line of the ETL, the simulator and the demo set-up."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from common import db
from common.settings import Settings
from common.vocabulary import GROUPS, MILESTONE_CODES


def _simulate(args: argparse.Namespace, settings: Settings) -> int:
    from etl.simulator.engine import simulate

    engine = db.connect(db.platform_url(settings))
    report = simulate(engine, args.scale, args.seed, args.until, Path(args.profile) if args.profile else None,
                      perfect=args.perfect, reset=args.reset)
    total = sum(report.rows.values())
    print(f"simulated {report.days} days to {report.until} in {report.seconds:.1f} s: "
          f"{total:,} rows ({report.rows_per_second:,.0f} rows/s)")
    for table, n in sorted(report.rows.items()):
        print(f"  {table:24s} {n:>12,}")
    if any(report.shortfall.values()):
        print("  shortfall against the targets (people not available to vaccinate): "
              + ", ".join(f"{k} {v:,}" for k, v in report.shortfall.items()))
    return 0


def _demo(args: argparse.Namespace, settings: Settings) -> int:
    """What `make run` needs: a database, the demo data set when it is empty."""
    from etl.simulator.engine import simulate

    engine = db.connect(db.platform_url(settings))
    with engine.connect() as conn:
        import sqlalchemy as sa

        has = conn.execute(sa.text("SELECT to_regclass('sim.state') IS NOT NULL")).scalar()
        done = has and conn.execute(sa.text("SELECT count(*) FROM sim.state")).scalar()
    if done:
        print(f"platform data present in {db.describe(engine.url)}; not simulating again")
    else:
        print(f"simulating the demo data set (scale {settings.demo_scale}, seed {settings.demo_seed}) ...")
        report = simulate(engine, settings.demo_scale, settings.demo_seed)
        print(f"simulated {report.days} days in {report.seconds:.1f} s, {sum(report.rows.values()):,} rows")
    from etl.migrate import migrate
    from etl.pipeline import run

    reporting = db.connect(db.reporting_url(settings))
    migrate(reporting)
    result = run(settings, reporting, db.platform_url(settings), wait=True)
    print(f"ETL {result.kind} run {result.run_id}: data version {result.data_version} in {result.seconds:.1f} s")
    return 0


def _migrate(args: argparse.Namespace, settings: Settings) -> int:
    from etl.migrate import applied_version, migrate

    engine = db.connect(db.reporting_url(settings))
    done = migrate(engine)
    print(("applied " + ", ".join(done)) if done else "nothing to apply", f"(schema version {applied_version(engine)})")
    return 0


def _run(args: argparse.Namespace, settings: Settings, rebuild: bool = False) -> int:
    from etl.pipeline import run

    reporting = db.connect(db.reporting_url(settings))
    result = run(settings, reporting, db.platform_url(settings), rebuild=rebuild or args.rebuild, wait=args.wait)
    doses = result.counts.get("dose_record", {})
    version = f"data version {result.data_version}" + ("" if result.published else " kept (nothing changed)")
    print(f"{result.kind} run {result.run_id}: {version} in {result.seconds:.1f} s; "
          f"dose records extracted {doses.get('extracted', 0):,}, loaded {doses.get('loaded', 0):,}, "
          f"quarantined {doses.get('quarantined', 0):,}")
    return 0


def _rebuild(args: argparse.Namespace, settings: Settings) -> int:
    return _run(args, settings, rebuild=True)


def _status(args: argparse.Namespace, settings: Settings) -> int:
    from etl.status import render, status

    info = status(db.connect(db.reporting_url(settings)), limit=args.last)
    print(render(info, as_json=args.json))
    return 0


def _schedule(args: argparse.Namespace, settings: Settings) -> int:
    from etl.schedule import parse_every, schedule

    return schedule(settings, parse_every(args.every), max_runs=args.max_runs)


def _targets(args: argparse.Namespace, settings: Settings) -> int:
    import json

    from etl import targets
    from etl.migrate import migrate

    engine = db.connect(db.reporting_url(settings))
    migrate(engine)
    if args.action == "set":
        targets.set_target(engine, args.id, args.group, args.milestone, args.threshold, args.deadline, args.scope,
                           args.label_vi, args.label_en)
        print(f"target {args.id} saved")
    elif args.action == "delete":
        print(f"target {args.id} deleted" if targets.delete_target(engine, args.id) else f"no target {args.id}")
    rows = targets.list_targets(engine)
    if args.action == "list" and args.json:
        print(json.dumps(rows, default=str, ensure_ascii=False, indent=2))
    elif args.action == "list":
        for r in rows:
            print(f"{r['id']:28s} {r['population_group']:6s} {r['milestone']:8s} {r['threshold'] * 100:5.1f}% "
                  f"by {r['deadline']:%d/%m/%Y} [{r['scope']}] {r['label_vi']}")
    return 0


def _schema_snapshot(args: argparse.Namespace, settings: Settings) -> int:
    from etl import schema_snapshot

    text = schema_snapshot.generate(db.reporting_url(settings))
    path = schema_snapshot.SNAPSHOT
    if args.check:
        same = path.exists() and path.read_text(encoding="utf-8") == text
        print(f"{path.name} is up to date" if same else f"{path.name} differs from the migrations: run "
              f"{schema_snapshot.COMMAND}", file=sys.stdout if same else sys.stderr)
        return 0 if same else 1
    changed = schema_snapshot.write(text, path)
    print(f"{'wrote' if changed else 'unchanged:'} {path} ({len(text.splitlines())} lines)")
    return 0


def _db_url(args: argparse.Namespace, settings: Settings) -> int:
    print(db.reporting_url(settings))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m etl", description=__doc__)
    parser.add_argument("-v", "--verbose", action="count", default=0, help="-v: steps, -vv: every statement")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("simulate", help="simulate the national platform's operational database")
    p.add_argument("--scale", type=float, default=0.01, help="share of the national volume (1.0: ~200 million doses)")
    p.add_argument("--seed", type=int, default=2021)
    p.add_argument("--until", help="simulate up to this day (YYYY-MM-DD); a later call appends the following days")
    p.add_argument("--profile", help="CSV date,province_code,doses to replay instead of the national series")
    p.add_argument("--perfect", action="store_true", help="no faults and no recording lag (for exact replays)")
    p.add_argument("--reset", action="store_true", help="drop the simulated platform first")
    p.set_defaults(func=_simulate)

    p = sub.add_parser("migrate", help="apply the reporting schema's migrations")
    p.set_defaults(func=_migrate)

    for name, func, text in (("run", _run, "incremental ETL run: what changed since the last run"),
                             ("rebuild", _rebuild, "rebuild staging and marts from scratch")):
        p = sub.add_parser(name, help=text)
        p.add_argument("--wait", action="store_true", help="wait for a run in progress instead of exiting")
        p.set_defaults(func=func, rebuild=False)

    p = sub.add_parser("status", help="last runs, their steps and counts, watermarks, data version")
    p.add_argument("--json", action="store_true")
    p.add_argument("--last", type=int, default=5)
    p.set_defaults(func=_status)

    p = sub.add_parser("schedule", help="run the ETL every interval (the Procfile's etl process)")
    p.add_argument("--every", default="15m", help="interval such as 90s, 15m, 1h")
    p.add_argument("--max-runs", type=int, default=None, help=argparse.SUPPRESS)
    p.set_defaults(func=_schedule)

    p = sub.add_parser("targets", help="list, set or delete the campaign's targets (ref.target)")
    tsub = p.add_subparsers(dest="action", required=True)
    t = tsub.add_parser("list")
    t.add_argument("--json", action="store_true")
    t = tsub.add_parser("set", help="add or change a target")
    t.add_argument("id")
    t.add_argument("--group", required=True, help=" | ".join(GROUPS))
    t.add_argument("--milestone", required=True, help=" | ".join(MILESTONE_CODES))
    t.add_argument("--threshold", required=True, help="0.7 or 70%%")
    t.add_argument("--deadline", required=True, help="YYYY-MM-DD")
    t.add_argument("--scope", default="national", help="national or a province code")
    t.add_argument("--label-vi")
    t.add_argument("--label-en")
    t = tsub.add_parser("delete")
    t.add_argument("id")
    p.set_defaults(func=_targets)

    p = sub.add_parser("demo", help="start the database and simulate the demo data set if it is empty")
    p.set_defaults(func=_demo)

    p = sub.add_parser("schema-snapshot", help="write sql/reporting/SCHEMA.md from a scratch database migrated"
                       " on the reporting server")
    p.add_argument("--check", action="store_true", help="only compare with the committed file (exit 1 if it differs)")
    p.set_defaults(func=_schema_snapshot)

    p = sub.add_parser("db-url", help="print the reporting database URL (starting the embedded server if needed)")
    p.set_defaults(func=_db_url)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose > 1 else logging.INFO if args.verbose else logging.WARNING,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    from etl.pipeline import AlreadyRunning, RunError
    from etl.simulator.engine import SimulationError
    from etl.simulator.series import ProfileError
    from etl.source_contract import ContractError
    from etl.targets import TargetError

    try:
        return args.func(args, Settings.from_env())
    except AlreadyRunning as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 3
    except (db.DatabaseUnavailable, SimulationError, ProfileError, ContractError, RunError, TargetError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2

"""`python -m dashboard serve`: serve the app with gunicorn on HOST:PORT (default 127.0.0.1:8050).
`python -m dashboard export --province 79 --from 2021-07-01 --to 2021-10-31 --format xlsx|csv|pdf
[--out FILE] [--lang vi|en]`: write the province report pack (no --province: the whole country). The export
is an operator's tool: it reads with the national scope.
`python -m dashboard users ...`: the accounts that may sign in (see dashboard/auth/cli.py)."""

from __future__ import annotations

import argparse
import os
import sys
from datetime import date
from pathlib import Path

from common.settings import Settings


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one clear line and exit 2, not the usage block
        self.exit(2, f"{self.prog}: error: {message}\n")


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {value!r}") from None


def _province(value: str) -> str:
    if not (len(value) == 2 and value.isdigit()):
        raise argparse.ArgumentTypeError(f"not a 2-digit province code: {value!r}")
    return value


def export(args: argparse.Namespace, settings: Settings) -> int:
    from dashboard.data import DataAccess, DataUnavailable, Scope
    from dashboard.report import build

    if args.date_from > args.date_to:
        print(f"error: --from {args.date_from} is after --to {args.date_to}", file=sys.stderr)
        return 2
    dx = DataAccess(settings)
    try:
        name, data = build(dx, Scope.national(), args.province, args.date_from, args.date_to, args.format,
                           lang=args.lang)
    except DataUnavailable as exc:
        print(f"error: the reporting database cannot be read: {exc}", file=sys.stderr)
        return 1
    except (ValueError, PermissionError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    out = Path(args.out) if args.out else Path(name)
    try:
        out.write_bytes(data)
    except OSError as exc:
        print(f"error: cannot write {out}: {exc.strerror}", file=sys.stderr)
        return 1
    print(out)
    return 0


def main(argv: list[str] | None = None) -> int:
    from dashboard.auth import cli as users_cli

    parser = _Parser(prog="python -m dashboard")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    serve = sub.add_parser("serve", help="serve the dashboard with gunicorn")
    serve.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "2")))
    exp = sub.add_parser("export", help="write the province report pack (XLSX, CSV zip or PDF)")
    exp.add_argument("--province", type=_province, default=None, help="GSO code, e.g. 79; omit for the country")
    exp.add_argument("--from", dest="date_from", type=_day, required=True, help="first day, YYYY-MM-DD")
    exp.add_argument("--to", dest="date_to", type=_day, required=True, help="last day, YYYY-MM-DD")
    exp.add_argument("--format", choices=("xlsx", "csv", "pdf"), required=True)
    exp.add_argument("--out", help="file to write (default: the pack's own name in the current folder)")
    exp.add_argument("--lang", choices=("vi", "en"), default="vi")
    users_cli.add_parser(sub)
    args = parser.parse_args(argv)
    settings = Settings.from_env()
    if args.command == "export":
        return export(args, settings)
    if args.command == "serve":
        print(f"serving on http://{settings.host}:{settings.port}", flush=True)
        os.execvp(sys.executable, [sys.executable, "-m", "gunicorn", "--workers", str(args.workers), "--threads", "4",
                                   "--bind", f"{settings.host}:{settings.port}", "dashboard.wsgi:server"])
    if args.command == "users":
        return _users(args, settings)
    return 0


def _users(args: argparse.Namespace, settings: Settings) -> int:
    from common import db
    from dashboard.auth import cli as users_cli
    from dashboard.auth.users import UserError
    from etl.migrate import migrate

    try:
        engine = db.connect(db.reporting_url(settings))
        migrate(engine)  # the auth schema is a migration like the others
        return users_cli.run(args, engine)
    except (UserError, db.DatabaseUnavailable) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    raise SystemExit(main())

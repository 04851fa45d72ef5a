"""`python -m dashboard serve`: serve the app with gunicorn on HOST:PORT (default 127.0.0.1:8050).
`python -m dashboard users ...`: the accounts that may sign in (see dashboard/auth/cli.py)."""

from __future__ import annotations

import argparse
import os
import sys

from etl.settings import Settings


def main(argv: list[str] | None = None) -> int:
    from dashboard.auth import cli as users_cli

    parser = argparse.ArgumentParser(prog="python -m dashboard")
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="serve the dashboard with gunicorn")
    serve.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "2")))
    users_cli.add_parser(sub)
    args = parser.parse_args(argv)
    settings = Settings.from_env()
    if args.command == "serve":
        print(f"serving on http://{settings.host}:{settings.port}", flush=True)
        os.execvp(sys.executable, [sys.executable, "-m", "gunicorn", "--workers", str(args.workers), "--threads", "4",
                                   "--bind", f"{settings.host}:{settings.port}", "dashboard.wsgi:server"])
    if args.command == "users":
        return _users(args, settings)
    return 0


def _users(args: argparse.Namespace, settings: Settings) -> int:
    from dashboard.auth import cli as users_cli
    from dashboard.auth.users import UserError
    from etl import db
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

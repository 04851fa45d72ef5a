"""`python -m dashboard serve`: serve the app with gunicorn on HOST:PORT (default 127.0.0.1:8050)."""

from __future__ import annotations

import argparse
import os
import sys

from etl.settings import Settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dashboard")
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="serve the dashboard with gunicorn")
    serve.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "2")))
    args = parser.parse_args(argv)
    settings = Settings.from_env()
    if args.command == "serve":
        print(f"serving on http://{settings.host}:{settings.port}", flush=True)
        os.execvp(sys.executable, [sys.executable, "-m", "gunicorn", "--workers", str(args.workers), "--threads", "4",
                                   "--bind", f"{settings.host}:{settings.port}", "dashboard.wsgi:server"])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

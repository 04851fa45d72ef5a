"""Report packs built off the request: a thread of the worker builds the file while the page polls its progress.

The state and the finished file live in the app's shared cache (FileSystemCache for the workers of one host,
Redis across hosts), so whichever worker answers the poll or the download finds them. A job belongs to the
account that started it: nobody else sees its progress or its file. The scope is the starter's, fixed when the
job starts on the server; nothing the browser sends later can change it.
"""

from __future__ import annotations

import logging
import secrets
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date

from flask_caching.backends import SimpleCache

from dashboard.data import DataAccess, Scope
from dashboard.report import FORMATS, TOTAL_STEPS, build, filename_for
from dashboard.report.tables import check_request

log = logging.getLogger(__name__)
EXECUTOR = ThreadPoolExecutor(max_workers=2, thread_name_prefix="report")
TTL = 3600  # seconds a finished pack stays downloadable
_LOCAL = SimpleCache(default_timeout=TTL)  # when the app has no shared cache: this worker's memory


@dataclass(frozen=True)
class Order:
    province: str | None
    date_from: date
    date_to: date
    fmt: str
    lang: str = "vi"

    @property
    def filename(self) -> str:
        return filename_for(self.province, self.date_from, self.date_to, self.fmt)


def check(scope: Scope, order: Order) -> None:
    """ReportScopeError (a PermissionError) or ValueError before anything starts."""
    if order.fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, got {order.fmt!r}")
    check_request(scope, order.province, order.date_from, order.date_to)


def start(dx: DataAccess, owner: str, scope: Scope, order: Order) -> str:
    check(scope, order)
    job = secrets.token_urlsafe(16)
    _put(dx, job, {"owner": owner, "state": "running", "step": 0, "total": TOTAL_STEPS, "file": order.filename,
                   "error": None})
    EXECUTOR.submit(_run, dx, job, scope, order)
    return job


def status(dx: DataAccess, job: str, owner: str) -> dict | None:
    state = _store(dx).get(f"job:{job}") if isinstance(job, str) else None
    return state if isinstance(state, dict) and state.get("owner") == owner else None


def result(dx: DataAccess, job: str, owner: str) -> tuple[str, bytes] | None:
    state = status(dx, job, owner)
    if state is None or state["state"] != "done":
        return None
    data = _store(dx).get(f"job-file:{job}")
    return (state["file"], data) if data is not None else None


def _run(dx: DataAccess, job: str, scope: Scope, order: Order) -> None:
    state = _store(dx).get(f"job:{job}")

    def progress(step: int, total: int) -> None:
        state.update(step=step, total=total)
        _put(dx, job, state)

    try:
        _name, data = build(dx, scope, order.province, order.date_from, order.date_to, order.fmt, order.lang,
                            progress)
        _store(dx).set(f"job-file:{job}", data, timeout=TTL)
        state.update(state="done", step=TOTAL_STEPS)
    except Exception as exc:  # the page shows the reason; the log keeps the trace
        log.exception("report job %s failed", job)
        state.update(state="failed", error=str(exc).splitlines()[0] if str(exc) else type(exc).__name__)
    _put(dx, job, state)


def _put(dx: DataAccess, job: str, state: dict) -> None:
    _store(dx).set(f"job:{job}", dict(state), timeout=TTL)


def _store(dx: DataAccess):
    return dx.cache if dx.cache is not None else _LOCAL

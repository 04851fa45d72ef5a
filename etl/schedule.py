"""`python -m etl schedule --every 15m`: incremental runs at a fixed interval, for the Procfile's etl process."""

from __future__ import annotations

import logging
import re
import time

from common import db
from common.settings import Settings
from etl.pipeline import AlreadyRunning, run

log = logging.getLogger(__name__)


def parse_every(text: str) -> float:
    m = re.fullmatch(r"(\d+(?:\.\d+)?)([smh])", text.strip())
    if not m:
        raise ValueError(f"--every must look like 90s, 15m or 1h, not {text!r}")
    return float(m.group(1)) * {"s": 1, "m": 60, "h": 3600}[m.group(2)]


def schedule(settings: Settings, every_seconds: float, max_runs: int | None = None) -> int:
    """Run, sleep, repeat. A failed run is logged and retried at the next tick; nothing is skipped silently."""
    runs = 0
    while max_runs is None or runs < max_runs:
        started = time.monotonic()
        try:
            reporting = db.connect(db.reporting_url(settings))
            result = run(settings, reporting, db.platform_url(settings))
            kept = "" if result.published else " kept (nothing changed)"
            print(f"run {result.run_id}: data version {result.data_version}{kept} in {result.seconds:.1f} s",
                  flush=True)
        except AlreadyRunning as exc:
            print(f"skipped: {exc}", flush=True)
        except Exception as exc:  # keep the schedule alive; the failure is in etl.run and on stdout
            print(f"run failed: {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}", flush=True)
        runs += 1
        if max_runs is not None and runs >= max_runs:
            break
        time.sleep(max(0.0, every_seconds - (time.monotonic() - started)))
    return 0

"""Recording lag: when each dose is entered on the platform, and which doses never are.

Before 20/10/2021 sites could inject first and enter later: a heavy tail of days and weeks, a share
entered only in the data-cleanup catch-up that followed the rule, about 1% never entered, and doses
before the platform went live back-filled in bulk. From 20/10/2021 nearly every dose is entered on the
day. Entries later than a run's `--until` wait in `sim.pending_dose_record` (the engine's split).
"""

from __future__ import annotations

import numpy as np

from etl.simulator.model import CLEANUP_END, PLATFORM_LIVE, RULE_DAY, US_PER_DAY, US_PER_HOUR, local_midnight_us

# Lag categories before the rule: same day, 1 day, 2-3, 4-7, 8-30 days, the catch-up; the rest (1%) never.
_SHARES = (0.55, 0.15, 0.10, 0.08, 0.07, 0.04)
_SPANS = np.array([[0, 0], [1, 1], [2, 3], [4, 7], [8, 30], [0, 0], [0, 0]])
CATCHUP, NEVER = 5, 6


def recorded_at(perfect: bool, day: np.datetime64, injected: np.ndarray, rng: np.random.Generator, n: int
                ) -> tuple[np.ndarray, np.ndarray]:
    """recorded_at for each dose and which doses are never entered."""
    if perfect:
        return injected + rng.integers(60_000_000, US_PER_HOUR, n), np.zeros(n, bool)
    u = rng.random(n)
    end_of_day = local_midnight_us(day) + US_PER_DAY - 60_000_000
    same_day = np.minimum(injected + rng.integers(5 * 60_000_000, 5 * US_PER_HOUR, n), end_of_day)
    if day >= RULE_DAY:
        days = np.where(u < 0.97, 0, np.where(u < 0.995, 1, rng.integers(2, 8, n)))
        rec = np.where(days == 0, same_day, injected + days * US_PER_DAY + rng.integers(0, 8 * US_PER_HOUR, n))
        return rec, np.zeros(n, bool)
    cat = np.searchsorted(np.cumsum(_SHARES), u, side="right")
    days = rng.integers(_SPANS[cat, 0], _SPANS[cat, 1] + 1)
    rec = np.where(cat == 0, same_day, injected + days * US_PER_DAY + rng.integers(0, 8 * US_PER_HOUR, n))
    catchup_lo = max(local_midnight_us(RULE_DAY), local_midnight_us(day) + US_PER_DAY)
    catchup = catchup_lo + rng.integers(0, max(local_midnight_us(CLEANUP_END) - catchup_lo, US_PER_DAY), n)
    rec = np.where(cat == CATCHUP, catchup, rec)
    if day < PLATFORM_LIVE:  # the platform went live mid-2021; half of earlier doses were back-filled
        backfill = local_midnight_us(PLATFORM_LIVE) + rng.integers(0, 60 * US_PER_DAY, n)
        rec = np.where(rng.random(n) < 0.5, np.maximum(rec, backfill), rec)
    return rec, cat == NEVER

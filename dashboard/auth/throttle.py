"""Failed sign-ins throttled per username and client address together, with a looser cap per address.

Knowing a username must not let anyone lock its owner out: the failures that slow a sign-in down are those
of the same username from the same address (after `free` of them, each further one doubles the wait before
the next attempt is even checked, as OWASP suggests), plus a cap on all failures from one address (an office
behind one NAT gets more room than one person). The counts are the `sign_in_failed` records of the audit log
in PostgreSQL, so every gunicorn worker and every host sees the same numbers. Refused attempts are recorded
but not counted: they check no password, so they teach an attacker nothing, and an impatient owner does not
make their own wait longer.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import sqlalchemy as sa

from dashboard.auth.users import sql

THROTTLED = "throttled"  # the audit detail's reason of a refused attempt (not counted)


@dataclass(frozen=True)
class Limits:
    free: int = 3  # failures of one username from one address before any wait
    base_delay: float = 1.0  # seconds to wait after the `free`-th failure; doubled by each further one
    max_delay: float = 15 * 60
    per_address: int = 20  # failures from one address (any usernames) within the window
    window_seconds: int = 15 * 60


def delay(failures: int, limits: Limits) -> float:
    """Seconds an attempt waits after the last of `failures` failures of its username and address."""
    if failures < limits.free:
        return 0.0
    return min(limits.max_delay, limits.base_delay * 2 ** min(failures - limits.free, 40))


def wait(engine: sa.Engine, username: str, address: str | None, limits: Limits = Limits()) -> int:
    """Seconds before this attempt's password may be checked; 0: check it now."""
    with engine.connect() as conn:
        row = conn.execute(sql("failures_recent"), {"username": username, "address": address or "",
                                                    "window_seconds": limits.window_seconds,
                                                    "throttled": THROTTLED}).one()
    if row.by_address >= limits.per_address:
        return max(1, math.ceil(limits.window_seconds - float(row.address_oldest_age)))
    left = delay(row.by_pair, limits) - float(row.pair_last_age or 0)
    return math.ceil(left) if left > 0 else 0

"""Failed sign-ins throttled per username and per client address.

The counts are the `sign_in_failed` records of the audit log in PostgreSQL, so every gunicorn worker and
every host sees the same numbers (no state in a worker's memory, none in a cache that may be evicted).
A refused attempt is itself recorded as a failure: an account under attack stays refused while the attack
goes on, and is let in again WINDOW after it stops.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from dashboard.auth.users import sql

WINDOW_SECONDS = 15 * 60
PER_USER = 5  # failures of one username within the window
# One address may be an office behind one NAT (a province's health department): more room than one user.
PER_ADDRESS = 20


@dataclass(frozen=True)
class Limits:
    per_user: int = PER_USER
    per_address: int = PER_ADDRESS
    window_seconds: int = WINDOW_SECONDS


def refused(engine: sa.Engine, username: str, address: str | None, limits: Limits = Limits()) -> bool:
    """Whether this attempt is refused before its password is even looked at."""
    with engine.connect() as conn:
        row = conn.execute(sql("failures_recent"), {"username": username, "address": address or "",
                                                    "window_seconds": limits.window_seconds}).one()
    return row.by_user >= limits.per_user or row.by_address >= limits.per_address

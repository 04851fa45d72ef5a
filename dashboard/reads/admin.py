"""What the administration page reads, live (never cached): the accounts and the newest audit entries."""

from __future__ import annotations

import pandas as pd

from dashboard.auth import users
from dashboard.auth.audit import recent
from dashboard.data import DataAccess

AUDIT_ROWS = 2000


def accounts(dx: DataAccess) -> list[dict]:
    """username, role, province_code, province_name, disabled, created_at of every account."""
    return users.listing(dx.engine)


def audit_log(dx: DataAccess) -> pd.DataFrame:
    """at, username, address, action, scope, detail: the newest AUDIT_ROWS entries first."""
    return recent(dx.engine, limit=AUDIT_ROWS)

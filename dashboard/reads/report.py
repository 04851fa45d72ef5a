"""What the report page reads: the provinces a pack may be made for (the user's scope's)."""

from __future__ import annotations

import pandas as pd

from dashboard.data import DataAccess, Scope


def provinces(dx: DataAccess, sc: Scope) -> pd.DataFrame:
    """area, name of the provinces in the scope, by name."""
    areas = dx.query("areas", {}, sc)
    return areas[areas["level"] == "province"].sort_values("name")

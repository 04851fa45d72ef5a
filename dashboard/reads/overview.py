"""What the overview reads: the scope's daily doses and people, its population and targets, the lag rows the
nowcast needs, and the provinces' people and population for the map."""

from __future__ import annotations

from datetime import date

import pandas as pd

from dashboard.data import DataAccess, Scope


def _level(sc: Scope) -> str:
    return "province" if sc.province else "nation"


def daily_doses(dx: DataAccess, sc: Scope) -> pd.DataFrame:
    return dx.query("daily_doses", {"province": sc.province, "product": None, "dose_number": None}, sc)


def daily_people(dx: DataAccess, sc: Scope) -> pd.DataFrame:
    return dx.query("daily_people", {"province": sc.province}, sc)


def population(dx: DataAccess, sc: Scope) -> pd.DataFrame:
    return dx.query("population", {"level": _level(sc)}, sc)


def targets(dx: DataAccess, sc: Scope) -> pd.DataFrame:
    """The national targets, and a province's own ones on its view only."""
    return dx.query("targets", {"province": sc.province}, sc)


def lag_daily(dx: DataAccess, sc: Scope) -> pd.DataFrame:
    return dx.query("lag_daily", {"province": sc.province, "district": None}, sc)


def province_people(dx: DataAccess, sc: Scope, as_of: date) -> pd.DataFrame:
    return dx.query("people_by_province", {"as_of": as_of}, sc)


def province_population(dx: DataAccess, sc: Scope) -> pd.DataFrame:
    return dx.query("population", {"level": "province"}, sc)


def province_names(dx: DataAccess, sc: Scope) -> dict[str, str]:
    areas = dx.query("areas", {}, sc)
    provinces = areas[areas["level"] == "province"]
    return dict(zip(provinces["area"], provinces["name"]))

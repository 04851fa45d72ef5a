"""What the coverage page reads: the shown area's own daily doses, people and population, and its sub-areas'
(provinces of the nation, districts of a province, sites of a district)."""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

import pandas as pd

from dashboard.data import DataAccess, Scope


class AreaSeries(NamedTuple):
    doses: pd.DataFrame      # day, doses
    people: pd.DataFrame     # day, milestone, age_band, people
    population: pd.DataFrame  # area, age_band, population: the area's own rows


class SubAreas(NamedTuple):
    people: pd.DataFrame | None      # area, milestone, age_band, people, last7 (None for a district's sites)
    population: pd.DataFrame | None
    doses: pd.DataFrame              # area, doses (and name, for sites)


def products(dx: DataAccess, sc: Scope) -> pd.DataFrame:
    return dx.query("products", {}, sc)


def areas(dx: DataAccess, sc: Scope) -> pd.DataFrame:
    return dx.query("areas", {}, sc)


def targets(dx: DataAccess, sc: Scope, province: str | None) -> pd.DataFrame:
    """The national targets and the province's own."""
    return dx.query("targets", {"province": province}, sc)


def area_series(dx: DataAccess, sc: Scope, level: str, area: str, province: str | None,
                filters: dict) -> AreaSeries:
    if level == "district":
        pop = dx.query("population", {"level": "district"}, sc)
        return AreaSeries(dx.query("daily_doses_district", {"district": area, **filters}, sc),
                          dx.query("daily_people_district", {"district": area}, sc), pop[pop["area"] == area])
    pop = dx.query("population", {"level": "province" if province else "nation"}, sc)
    return AreaSeries(dx.query("daily_doses", {"province": province, **filters}, sc),
                      dx.query("daily_people", {"province": province}, sc),
                      pop[pop["area"] == province] if province else pop)


def sub_areas(dx: DataAccess, sc: Scope, level: str, area: str, province: str | None, all_areas: pd.DataFrame,
              as_of: date, filters: dict) -> SubAreas:
    if level == "nation":
        return SubAreas(dx.query("people_by_province", {"as_of": as_of}, sc),
                        dx.query("population", {"level": "province"}, sc),
                        dx.query("doses_by_province", {"as_of": as_of, **filters}, sc))
    if level == "province":
        pop = dx.query("population", {"level": "district"}, sc)
        return SubAreas(dx.query("people_by_district", {"as_of": as_of, "province": province}, sc),
                        pop[pop["area"].isin(all_areas.loc[all_areas["province"] == province, "area"])],
                        dx.query("doses_by_district", {"as_of": as_of, "province": province, **filters}, sc))
    return SubAreas(None, None, dx.query("doses_by_site", {"as_of": as_of, "district": area, **filters}, sc))

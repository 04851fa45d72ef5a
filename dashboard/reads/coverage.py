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


def area_population(dx: DataAccess, sc: Scope, level: str, area: str) -> pd.DataFrame:
    """area, age_band, population: the area's own rows (the nation's, a province's or a district's)."""
    pop = dx.query("population", {"level": level}, sc)
    return pop if level == "nation" else pop[pop["area"] == area]


def area_series(dx: DataAccess, sc: Scope, level: str, area: str, province: str | None,
                filters: dict) -> AreaSeries:
    if level == "district":
        return AreaSeries(dx.query("daily_doses_district", {"district": area, **filters}, sc),
                          dx.query("daily_people_district", {"district": area}, sc),
                          area_population(dx, sc, level, area))
    return AreaSeries(dx.query("daily_doses", {"province": province, **filters}, sc),
                      dx.query("daily_people", {"province": province}, sc), area_population(dx, sc, level, area))


def sub_area_people(dx: DataAccess, sc: Scope, province: str | None, as_of: date) -> pd.DataFrame:
    """area, milestone, age_band, people, last7 at `as_of`, of the provinces of the nation (province None) or the
    districts of a province."""
    if province is None:
        return dx.query("people_by_province", {"as_of": as_of}, sc)
    return dx.query("people_by_district", {"as_of": as_of, "province": province}, sc)


def sub_area_population(dx: DataAccess, sc: Scope, province: str | None, all_areas: pd.DataFrame) -> pd.DataFrame:
    """area, age_band, population of the provinces of the nation (province None) or the districts of a province."""
    if province is None:
        return dx.query("population", {"level": "province"}, sc)
    pop = dx.query("population", {"level": "district"}, sc)
    return pop[pop["area"].isin(all_areas.loc[all_areas["province"] == province, "area"])]


def sub_area_doses(dx: DataAccess, sc: Scope, province: str | None, as_of: date, filters: dict) -> pd.DataFrame:
    """area, doses given by `as_of`, of the provinces of the nation (province None) or the districts of a province."""
    if province is None:
        return dx.query("doses_by_province", {"as_of": as_of, **filters}, sc)
    return dx.query("doses_by_district", {"as_of": as_of, "province": province, **filters}, sc)


def sub_areas(dx: DataAccess, sc: Scope, level: str, area: str, province: str | None, all_areas: pd.DataFrame,
              as_of: date, filters: dict) -> SubAreas:
    if level == "district":
        return SubAreas(None, None, dx.query("doses_by_site", {"as_of": as_of, "district": area, **filters}, sc))
    return SubAreas(sub_area_people(dx, sc, province, as_of), sub_area_population(dx, sc, province, all_areas),
                    sub_area_doses(dx, sc, province, as_of, filters))

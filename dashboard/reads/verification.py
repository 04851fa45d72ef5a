"""What the verification page reads: checks, people vaccinated, feedback, mismatched fields, areas."""

from __future__ import annotations

from datetime import date

import pandas as pd

from dashboard.data import DataAccess, Scope
from dashboard.reads.coverage import sub_area_people


def checks(dx: DataAccess, sc: Scope, province: str | None, district: str | None) -> pd.DataFrame:
    """day, outcome, first_checks, checks."""
    return dx.query("verification_daily", {"province": province, "district": district}, sc)


def daily_people(dx: DataAccess, sc: Scope, province: str | None, district: str | None) -> pd.DataFrame:
    """People reaching each milestone per day and age band, of the area."""
    if district:
        return dx.query("daily_people_district", {"district": district}, sc)
    return dx.query("daily_people", {"province": province}, sc)


def feedback(dx: DataAccess, sc: Scope, province: str | None, district: str | None) -> pd.DataFrame:
    """received_day, closed_day, status, items."""
    return dx.query("feedback_daily", {"province": province, "district": district}, sc)


def fields(dx: DataAccess, sc: Scope, province: str | None, district: str | None, as_of: date) -> pd.DataFrame:
    """field, checks: mismatches by field up to `as_of`."""
    return dx.query("verification_fields", {"province": province, "district": district, "as_of": as_of}, sc)


def checked_by_area(dx: DataAccess, sc: Scope, province: str | None, as_of: date) -> pd.DataFrame:
    """area, people checked, of the provinces of the nation or the districts of a province."""
    return dx.query("verification_by_area", {"province": province, "as_of": as_of}, sc)


people_by_area = sub_area_people  # the vaccinated of the areas ranked: the coverage page's rows

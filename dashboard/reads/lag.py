"""What the recording-lag page reads: lag histograms by day and by area or site, and the hand reports."""

from __future__ import annotations

from datetime import date

import pandas as pd

from dashboard.data import DataAccess, Scope


def lag_daily(dx: DataAccess, sc: Scope, level: str, area: str | None, province: str | None) -> pd.DataFrame:
    """day, bucket, doses of the area (the nation, a province or a district)."""
    return dx.query("lag_daily", {"province": province if level == "province" else None,
                                  "district": area if level == "district" else None}, sc)


def hand_reports(dx: DataAccess, sc: Scope, province: str | None) -> pd.DataFrame:
    """day, platform_doses, reported_doses of the nation or a province."""
    return dx.query("completeness_daily", {"province": province}, sc)


def lag_by_area(dx: DataAccess, sc: Scope, province: str | None, date_from: date, date_to: date) -> pd.DataFrame:
    """area, bucket, doses of the provinces of the nation (province None) or the districts of a province."""
    return dx.query("lag_by_area", {"province": province, "date_from": date_from, "date_to": date_to}, sc)


def lag_by_site(dx: DataAccess, sc: Scope, district: str, date_from: date, date_to: date) -> pd.DataFrame:
    """area (the site), name, bucket, doses of the sites of a district."""
    return dx.query("lag_by_site", {"district": district, "date_from": date_from, "date_to": date_to}, sc)

"""What the data-quality page reads: per district and day the counts behind the checks, the provinces' hand
reports, stock delivered and administered and the stores short of stock, first and second doses (each as of a
day and the week before), and the ETL's quarantine by rule and week."""

from __future__ import annotations

from datetime import timedelta
from typing import NamedTuple

import pandas as pd

from dashboard.data import DataAccess, Scope
from dashboard.measures.quality import OUTLIER_HISTORY
from dashboard.measures.weeks import Week


class CheckInputs(NamedTuple):
    daily: pd.DataFrame     # district, day, doses, within_1, incomplete, ... from 8 weeks before `before`
    report: pd.DataFrame    # province, day, platform_doses, reported_doses over `before` and `week`
    stock: pd.DataFrame     # district, delivered, administered (and *_before: as of the week before)
    dropout: pd.DataFrame   # district, first_doses, second_doses (and *_before)
    stores: pd.DataFrame    # store, province (None: the national store), short (and short_before)


def _where(level: str, area: str, province: str | None) -> dict:
    return {"province": province, "district": area if level == "district" else None}


def check_inputs(dx: DataAccess, sc: Scope, level: str, area: str, province: str | None, week: Week) -> CheckInputs:
    """What the checks of `week` and of the week before need, for the nation, a province or a district."""
    where, before = _where(level, area, province), week.before()
    return CheckInputs(
        dx.query("dq_daily", {**where, "date_from": before.start - timedelta(days=OUTLIER_HISTORY),
                              "date_to": week.end}, sc),
        dx.query("dq_report", {"province": province, "date_from": before.start, "date_to": week.end}, sc),
        dx.query("dq_stock", {**where, "as_of": week.end, "before": before.end}, sc),
        dx.query("dq_dropout", {**where, "as_of": week.end, "before": before.end}, sc),
        # the stores above the districts are in view of the nation and of a province, not of a district
        dx.query("dq_stores", {"province": province, "as_of": week.end, "before": before.end}, sc)
        if level != "district" else pd.DataFrame(columns=["store", "province", "short", "short_before"]))


def quarantine(dx: DataAccess, sc: Scope, level: str, area: str, province: str | None
               ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(day, rule_id, message_vi, message_en, rows of the area; every rule with its texts and action)."""
    return dx.query("quarantine_daily", _where(level, area, province), sc), dx.query("rules", {}, sc)


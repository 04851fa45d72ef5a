"""What the testing page reads: the area's (or one laboratory's) samples per day, the turnaround histogram by
laboratory, the backlog at the end of the day by laboratory and age, the districts beside their coverage, the
weeks of the districts, and the laboratories (sql/queries/testing_*.sql)."""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

import pandas as pd

from common.vocabulary import MILESTONE_ID
from dashboard.data import DataAccess, Scope
from dashboard.i18n import t
from dashboard.measures.testing import WINDOW

# Positivity is set beside the share of adults fully vaccinated (the 2021 target's group and milestone)
COVERAGE = {"group": "18+", "milestone": MILESTONE_ID["full"]}


class Where(NamedTuple):
    """The samples in view: collected in the nation (all None), a province or a district; tested by one
    laboratory or any."""

    province: str | None
    district: str | None
    lab: int | None

    def params(self, as_of: date) -> dict:
        return {"province": self.province, "district": self.district, "lab": self.lab, "as_of": as_of}


def daily(dx: DataAccess, sc: Scope, where: Where, date_from: date, as_of: date) -> pd.DataFrame:
    return dx.query("testing_daily", {**where.params(as_of), "date_from": date_from}, sc)


def turnaround(dx: DataAccess, sc: Scope, where: Where, as_of: date, days: int = WINDOW) -> pd.DataFrame:
    return dx.query("testing_turnaround", {**where.params(as_of), "days": days}, sc)


def backlog(dx: DataAccess, sc: Scope, where: Where, as_of: date) -> pd.DataFrame:
    return dx.query("testing_backlog", where.params(as_of), sc)


def districts(dx: DataAccess, sc: Scope, where: Where, as_of: date, days: int = WINDOW) -> pd.DataFrame:
    """Every district of the nation or of the province in view (a district's view shows its province's), with
    the samples of the `days` days ending on `as_of`."""
    return dx.query("testing_by_district", {"province": where.province, "lab": where.lab, "as_of": as_of,
                                            "days": days, **COVERAGE}, sc)


def weekly(dx: DataAccess, sc: Scope, where: Where, date_from: date, as_of: date) -> pd.DataFrame:
    return dx.query("testing_weekly", {"province": where.province, "lab": where.lab, "as_of": as_of,
                                       "date_from": date_from, **COVERAGE}, sc)


def labs(dx: DataAccess, sc: Scope, where: Where, as_of: date) -> pd.DataFrame:
    """The laboratories that tested the area's samples by `as_of` (whatever laboratory is in view)."""
    return dx.query("testing_labs", {"province": where.province, "district": where.district, "as_of": as_of}, sc)


def population(dx: DataAccess, sc: Scope, level: str, area: str) -> int:
    """The area's population, all ages (the denominator of tests per 1,000)."""
    pop = dx.query("population", {"level": level}, sc)
    return int((pop if level == "nation" else pop[pop["area"] == area])["population"].sum())


def named(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Laboratories outside a province user's province come unnamed from the queries: a neutral label."""
    if "name" not in frame or frame.empty:
        return frame
    return frame.assign(name=[n if isinstance(n, str) else t("testing_lab_outside", lang, id=i)
                              for i, n in zip(frame["lab_id"], frame["name"])])

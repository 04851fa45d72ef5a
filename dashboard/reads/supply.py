"""What the supply page reads: the area's stock by level and product, its flows per day, the sub-areas, the
provinces' allocations, the stock-outs, the lots and one lot's journey (sql/queries/supply_*.sql)."""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

import pandas as pd

from dashboard.data import DataAccess, Scope
from dashboard.measures.supply import STOCKOUT_USED

STOCKOUT_ROWS = 200  # the longest stock-outs shown; the page says how many there are in all
LOT_CHOICES = 300


class Where(NamedTuple):
    """The area in view: the nation (all None), a province, a district, or one site of a district."""

    province: str | None
    district: str | None
    site: int | None

    def params(self, as_of: date) -> dict:
        return {"province": self.province, "district": self.district, "site": self.site, "as_of": as_of}


def stock(dx: DataAccess, sc: Scope, where: Where, as_of: date) -> pd.DataFrame:
    return dx.query("supply_stock", where.params(as_of), sc)


def trend(dx: DataAccess, sc: Scope, where: Where, as_of: date) -> pd.DataFrame:
    return dx.query("supply_trend", where.params(as_of), sc)


def sub_areas(dx: DataAccess, sc: Scope, where: Where, as_of: date) -> pd.DataFrame:
    return dx.query("supply_by_area", where.params(as_of), sc)


def allocation(dx: DataAccess, sc: Scope, province: str | None, as_of: date) -> pd.DataFrame:
    return dx.query("supply_allocation", {"province": province, "as_of": as_of}, sc)


def allowance(dx: DataAccess, sc: Scope) -> pd.DataFrame:
    return dx.query("supply_allowance", {}, sc)


def stockouts(dx: DataAccess, sc: Scope, where: Where, as_of: date) -> pd.DataFrame:
    return dx.query("supply_stockouts", {**where.params(as_of), "limit": STOCKOUT_ROWS,
                                         "used_days": STOCKOUT_USED}, sc)


def lots(dx: DataAccess, sc: Scope, where: Where, as_of: date) -> pd.DataFrame:
    return dx.query("supply_lots", {**where.params(as_of), "limit": LOT_CHOICES}, sc)


def lot_journey(dx: DataAccess, sc: Scope, where: Where, as_of: date, lot: int) -> pd.DataFrame:
    return dx.query("supply_lot_journey", {**where.params(as_of), "lot": lot}, sc)


def sites(dx: DataAccess, sc: Scope, district: str) -> pd.DataFrame:
    return dx.query("supply_sites", {"district": district}, sc)

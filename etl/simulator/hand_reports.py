"""The provinces' daily hand reports (platform.province_daily_report): the doses each province gave today.

Each province reports its day's doses by hand at 20:00, for the dashboard to compare with what the
platform holds; a report counts every dose given, entered on the platform or not.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from etl.simulator.model import US_PER_HOUR, to_ts
from etl.simulator.pgcopy import Column, Tables

if TYPE_CHECKING:
    from etl.simulator.day import DayModel


def hand_reports(model: DayModel, day: np.datetime64, midnight: int, district: np.ndarray,
                 tables: Tables) -> None:
    counts = np.bincount(model.geo.district_province[district], minlength=model.n_prov)
    at = np.full(model.n_prov, midnight + 20 * US_PER_HOUR)
    tables["province_daily_report"] = {
        "province_code": Column("text", model.geo.province_code.astype("S2")),
        "report_date": Column("date", np.full(model.n_prov, day)), "doses_reported": Column("int4", counts),
        "reported_at": Column("timestamptz", to_ts(at)), "updated_at": Column("timestamptz", to_ts(at)),
    }

"""Faults planted in the entered dose records at low rates, for the ETL's quality checks to catch.

Each entered dose gets at most one of: a dose number out of order (injected before the first dose),
an interval shorter than the product allows, an injection a year in the future or before the campaign,
recorded before injected, an unknown lot or an expired one. Clean records may also be entered twice
(often at another site); most duplicates are voided later, which `sim.pending_void` holds until then.
`--perfect` plants none.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from etl.simulator import products as P
from etl.simulator.model import (
    FAULT_RATES,
    RULE_DAY,
    US_PER_DAY,
    US_PER_HOUR,
    State,
    Stock,
    day_of,
    local_midnight_us,
    take_ids,
    to_ts,
)
from etl.simulator.pgcopy import Column, Tables

if TYPE_CHECKING:
    from etl.simulator.day import DayModel

_ONE_PER_RECORD = [k for k in FAULT_RATES if k != "duplicate"]


def plant_faults(st: Stock, t: int, rng: np.random.Generator, product: np.ndarray, dose_no: np.ndarray,
                 first_day: np.ndarray, inj: np.ndarray, rec: np.ndarray, upd: np.ndarray, lot_id: np.ndarray
                 ) -> np.ndarray:
    """Alter inj, rec, upd and lot_id in place; return which records were left clean."""
    m = len(product)
    u = rng.random(m)
    edges = np.cumsum([FAULT_RATES[k] for k in _ONE_PER_RECORD])
    fault = np.searchsorted(edges, u, side="right")  # index into _ONE_PER_RECORD, or len(edges): none
    f = {name: fault == i for i, name in enumerate(_ONE_PER_RECORD)}
    first_mid = local_midnight_us(day_of(0)) + first_day * US_PER_DAY + 8 * US_PER_HOUR
    ooo = f["out_of_order"] & (dose_no >= 2)
    inj[ooo] = first_mid[ooo] - rng.integers(1, 30, int(ooo.sum())) * US_PER_DAY
    min_int = P.MIN_INTERVAL[product]
    short = f["short_interval"] & (dose_no == 2) & (min_int > 2) & (P.PRIMARY_DOSES[product] >= 2)
    inj[short] = first_mid[short] + rng.integers(1, np.maximum(min_int[short] - 1, 2)) * US_PER_DAY
    inj[f["future"]] += 365 * US_PER_DAY
    inj[f["before_campaign"]] -= 365 * US_PER_DAY
    rbi = f["recorded_before_injected"]
    rec[rbi] = inj[rbi] - rng.integers(1, 48, int(rbi.sum())) * US_PER_HOUR
    upd[rbi] = np.maximum(upd[rbi], inj[rbi] + rng.integers(1, 8, int(rbi.sum())) * US_PER_HOUR)
    lot_id[f["unknown_lot"]] += 500_000
    for i in np.flatnonzero(f["expired_lot"]):
        cand = np.flatnonzero((st.lot_product == product[i]) & (st.lot_expiry < t))
        if len(cand):
            lot_id[i] = cand[-1] + 1
    return fault == len(_ONE_PER_RECORD)


def add_duplicates(model: DayModel, state: State, cols: dict[str, np.ndarray], clean: np.ndarray,
                   rng: np.random.Generator, tables: Tables) -> dict[str, np.ndarray]:
    """The dose columns with the duplicates appended; their voids go to tables["pending_void"]."""
    m = len(cols["id"])
    dup = np.flatnonzero((rng.random(m) < FAULT_RATES["duplicate"]) & clean)
    if len(dup) == 0:
        return cols
    geo = model.geo
    d_ids = take_ids(state, "dose", len(dup))
    d_rec = cols["rec"][dup] + rng.integers(60_000_000, 72 * US_PER_HOUR, len(dup))
    site = cols["site"]
    d_site = np.where(rng.random(len(dup)) < 0.5, site[dup],
                      geo.sample_sites(geo.site_district[site[dup]], rng.random(len(dup))))
    voided = rng.random(len(dup)) < 0.6
    void_at = d_rec + rng.integers(3, 60, len(dup)) * US_PER_DAY
    # duplicates entered before the rule were voided in the cleanup campaign that followed it
    cleanup = local_midnight_us(RULE_DAY) + rng.integers(0, 22, len(dup)) * US_PER_DAY
    void_at = np.where(d_rec < local_midnight_us(RULE_DAY), np.maximum(cleanup, d_rec + US_PER_HOUR), void_at)
    tables["pending_void"] = {"dose_id": Column("int8", d_ids[voided]),
                              "void_at": Column("timestamptz", to_ts(void_at[voided]))}
    own = {"id": d_ids, "site": d_site, "rec": d_rec, "upd": d_rec}
    return {k: np.r_[v, own[k] if k in own else v[dup]] for k, v in cols.items()}

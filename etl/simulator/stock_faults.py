"""Stock faults planted at a handful per run (never in --perfect runs), each recorded in sim.stock_fault.

- site_overdraw: a few of a site's doses today are recorded with a lot that has not reached the site's
  province, so the site administers more of it than it received;
- empty_store: a district store sends a site a box of a lot that has not reached its province, which the
  store therefore never held;
- expired_use: the dose records `faults.plant_faults` gave an expired lot (rule D08 quarantines them).
The first two draw from their own random stream (seed, day, 12), so the rest of the simulation is the same
with or without them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from etl.simulator.model import Stock
from etl.simulator.movements import NO_REASON, TRANSFER, Moves
from etl.simulator.pgcopy import Column, Tables

if TYPE_CHECKING:
    from etl.simulator.day import DayModel

FAULT_EVERY_DAYS = 60   # each kind is planted on a day with probability 1/60: a handful per run
FIRST_FAULT_DAY = 30    # once a few lots exist
OVERDRAW_DOSES = 3


def fault_rng(model: DayModel, t: int) -> np.random.Generator:
    return np.random.default_rng([model.cfg.seed, t, 12])


def record_faults(tables: Tables, kind: str, facility_id: np.ndarray, lot_id: np.ndarray, day: np.datetime64,
                  doses: np.ndarray) -> None:
    """Append rows to tables["stock_fault"] (written to sim.stock_fault)."""
    n = len(facility_id)
    if n == 0:
        return
    new = {"kind": np.full(n, kind.encode()), "facility_id": np.asarray(facility_id, np.int64),
           "lot_id": np.asarray(lot_id, np.int64), "day": np.full(n, day.astype("datetime64[D]")),
           "doses": np.asarray(doses, np.int64)}
    old = tables.get("stock_fault")
    if old is not None:
        new = {k: np.r_[old[k].values, v] for k, v in new.items()}
    tables["stock_fault"] = {"kind": Column("text", new["kind"]), "facility_id": Column("int4", new["facility_id"]),
                             "lot_id": Column("int4", new["lot_id"]), "day": Column("date", new["day"]),
                             "doses": Column("int4", new["doses"])}


def _foreign_lot(st: Stock, t: int, product: int, province: int, rng: np.random.Generator) -> int:
    """An unexpired lot of `product` that has not reached `province`'s store yet (-1 if none)."""
    cand = np.flatnonzero((st.lot_product == product) & ((st.lot_reached >> province) & 1 == 0)
                          & (st.lot_expiry > t))
    return int(rng.choice(cand)) if len(cand) else -1


def plant_site_overdraw(model: DayModel, st: Stock, t: int, day: np.datetime64, site: np.ndarray,
                        product: np.ndarray, lot_of_dose: np.ndarray, rng: np.random.Generator,
                        tables: Tables) -> None:
    """Maybe re-lot a few of one site's doses today with a lot the site never receives (in place)."""
    if model.cfg.perfect or t < FIRST_FAULT_DAY or len(site) == 0 or rng.random() >= 1 / FAULT_EVERY_DAYS:
        return
    i = int(rng.integers(len(site)))
    geo = model.geo
    lot = _foreign_lot(st, t, int(product[i]), int(geo.district_province[geo.site_district[site[i]]]), rng)
    if lot < 0:
        return
    same = np.flatnonzero((site == site[i]) & (product == product[i]))[:OVERDRAW_DOSES]
    lot_of_dose[same] = lot
    record_faults(tables, "site_overdraw", [geo.site_ids[site[i]]], [lot + 1], day, [len(same)])


def plant_empty_store(model: DayModel, st: Stock, t: int, day: np.datetime64, rng: np.random.Generator,
                      moves: Moves, tables: Tables) -> None:
    """Maybe add a transfer district store -> site of a lot the store never held (the shelves are unchanged)."""
    if model.cfg.perfect or t < FIRST_FAULT_DAY or rng.random() >= 1 / FAULT_EVERY_DAYS:
        return
    geo = model.geo
    s = int(rng.integers(len(geo.site_ids)))
    d = int(geo.site_district[s])
    prod = int(rng.choice(np.unique(st.lot_product))) if len(st.lot_product) else 0
    lot = _foreign_lot(st, t, prod, int(geo.district_province[d]), rng)
    if lot < 0:
        return
    doses = int(model.box[prod])
    store = int(geo.district_store_id[d])
    moves.add(lot, store, int(geo.site_ids[s]), doses, TRANSFER, NO_REASON, 6)
    record_faults(tables, "empty_store", [store], [lot + 1], day, [doses])


def record_expired_use(model: DayModel, st: Stock, t: int, day: np.datetime64, site: np.ndarray,
                       lot_before: np.ndarray, lot_id: np.ndarray, tables: Tables) -> None:
    """Record, per site and lot, the dose records `plant_faults` moved to an expired lot."""
    known = lot_id <= len(st.lot_expiry)   # unknown_lot faults point past every lot
    moved = np.flatnonzero((lot_id != lot_before) & known & (lot_id >= 1))
    moved = moved[st.lot_expiry[lot_id[moved] - 1] < t]
    if len(moved) == 0:
        return
    key = model.geo.site_ids[site[moved]].astype(np.int64) * (1 << 32) + lot_id[moved]
    k, n = np.unique(key, return_counts=True)
    record_faults(tables, "expired_use", k >> 32, k & 0xFFFFFFFF, day, n)

"""Stock and deliveries: vaccine lots and the movements that bring them down to the sites.

Each site keeps one shelf per product. Shelves whose lot has expired are emptied into wastage. A site
short of doses for today orders whole boxes; the orders of a province are met from the province's open
lot (a new lot is received when it is used up or near expiry), shipped national store -> province ->
district -> site, and each box loses its vials' wastage at the site. Doses use the shelf's old lot first,
then the new boxes, so balances are never negative and every dose names a lot that was at its site.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from etl.simulator import population as people
from etl.simulator import products as P
from etl.simulator.model import US_PER_HOUR, State, Stock, day_of, take_ids, to_ts
from etl.simulator.pgcopy import Column, Tables
from etl.simulator.stock_faults import fault_rng, plant_empty_store, plant_site_overdraw

if TYPE_CHECKING:
    from etl.simulator.day import DayModel

# (lot index, from facility or None, to facility or None, doses, kind, hour of the day)
Move = tuple[int, int | None, int | None, int, str, float]


def ship_stock(model: DayModel, state: State, t: int, midnight: int, site: np.ndarray, product: np.ndarray,
               rng: np.random.Generator, tables: Tables) -> np.ndarray:
    """Ship vaccine down to the sites for today's doses; return each dose's lot index."""
    st, geo = state.stock, model.geo
    moves: list[Move] = []
    opened: list[int] = []
    _expire_shelves(model, st, t, moves)
    frng = fault_rng(model, t)
    plant_empty_store(model, st, t, day_of(t), frng, moves, tables)
    lot_of_dose = np.zeros(len(site), np.int64)
    if len(site) == 0:
        _emit_rows(state, moves, opened, midnight, rng, tables)
        return lot_of_dose
    key = site * P.N_PROD + product
    order = np.argsort(key, kind="stable")
    k_sorted = key[order]
    starts = np.r_[0, np.flatnonzero(np.diff(k_sorted)) + 1]
    usage = np.diff(np.r_[starts, len(key)])
    g_site, g_prod = k_sorted[starts] // P.N_PROD, k_sorted[starts] % P.N_PROD
    bal = st.site_balance[g_site, g_prod]
    old_lot = st.site_lot[g_site, g_prod]
    net = model.box[g_prod] - model.box_waste[g_prod]
    boxes = np.ceil(np.clip(usage - bal, 0, None) / net).astype(np.int64)
    pp = geo.district_province[geo.site_district[g_site]] * P.N_PROD + g_prod
    request = np.bincount(pp, weights=boxes * model.box[g_prod], minlength=model.n_prov * P.N_PROD).astype(np.int64)
    _receive(model, state, t, request, rng, moves, opened)
    new_lot = st.pp_lot[pp]
    shipped = boxes > 0
    _ship_down(model, g_site, g_prod, boxes, new_lot, shipped, moves)

    # Doses use the shelf's old lot first, then the new boxes.
    rank = np.arange(len(key)) - np.repeat(starts, usage)
    from_old = rank < np.repeat(bal, usage)
    lot_of_dose[order] = np.where(from_old, np.repeat(old_lot, usage), np.repeat(new_lot, usage))
    st.site_balance[g_site, g_prod] = bal + boxes * net - usage
    st.site_lot[g_site, g_prod] = np.where(shipped, new_lot, old_lot)
    plant_site_overdraw(model, st, t, day_of(t), site, product, lot_of_dose, frng, tables)
    _emit_rows(state, moves, opened, midnight, rng, tables)
    return lot_of_dose


def _expire_shelves(model: DayModel, st: Stock, t: int, moves: list[Move]) -> None:
    has = st.site_lot >= 0
    expired = has & (st.site_balance > 0)
    expired[has] &= st.lot_expiry[st.site_lot[has]] <= t
    for s_i, p_i in zip(*np.nonzero(expired)):
        moves.append((st.site_lot[s_i, p_i], model.geo.site_ids[s_i], None, st.site_balance[s_i, p_i], "wastage", 0.5))
    st.site_balance[expired] = 0


def _receive(model: DayModel, state: State, t: int, request: np.ndarray, rng: np.random.Generator,
             moves: list[Move], opened: list[int]) -> None:
    """Each (province, product) order comes from its open lot, through the national store."""
    st, geo = state.stock, model.geo
    for q in np.flatnonzero(request):
        lot = st.pp_lot[q]
        if lot < 0 or st.pp_lot_used[q] + request[q] > st.lot_size[lot] or st.lot_expiry[lot] < t + 30:
            lot = _open_lot(model, st, q, t, int(request[q]), rng)
            opened.append(lot)
        st.pp_lot_used[q] += request[q]
        st.pp_since_decision[q] += request[q]
        prov = q // P.N_PROD
        moves.append((lot, None, geo.national_store_id, request[q], "receipt", 1))
        moves.append((lot, geo.national_store_id, geo.province_store_id[prov], request[q], "transfer", 2))


def _ship_down(model: DayModel, g_site: np.ndarray, g_prod: np.ndarray, boxes: np.ndarray, new_lot: np.ndarray,
               shipped: np.ndarray, moves: list[Move]) -> None:
    """Province -> district (one movement per district and lot), then district -> site, then the wastage."""
    geo = model.geo
    g_dist = geo.site_district[g_site]
    dkey = g_dist[shipped] * (1 << 32) + new_lot[shipped]
    dk, dinv = np.unique(dkey, return_inverse=True)
    dsum = np.bincount(dinv, weights=(boxes * model.box[g_prod])[shipped]).astype(np.int64)
    for k, doses in zip(dk, dsum):
        d, lot = int(k >> 32), int(k & 0xFFFFFFFF)
        moves.append((lot, geo.province_store_id[geo.district_province[d]], geo.district_store_id[d], doses,
                      "transfer", 4))
    for i in np.flatnonzero(shipped):
        d = g_dist[i]
        moves.append((new_lot[i], geo.district_store_id[d], geo.site_ids[g_site[i]], boxes[i] * model.box[g_prod[i]],
                      "transfer", 6))
        waste = boxes[i] * model.box_waste[g_prod[i]]
        if waste:
            moves.append((new_lot[i], geo.site_ids[g_site[i]], None, waste, "wastage", 18))


def _open_lot(model: DayModel, st: Stock, q: int, t: int, request: int, rng: np.random.Generator) -> int:
    """A new lot for (province, product) `q`, large enough for the request, made 30-90 days ago."""
    prod = q % P.N_PROD
    size = int(max(model.lot_base[prod], -(-request // model.box[prod]) * model.box[prod]))
    made = t - int(rng.integers(30, 90))
    shelf = 180 if P.PRODUCTS[prod].code in ("AZD", "SPK") else 270
    idx = len(st.lot_size)
    st.lot_product = np.r_[st.lot_product, prod]
    st.lot_province = np.r_[st.lot_province, q // P.N_PROD]
    st.lot_size = np.r_[st.lot_size, size]
    st.lot_expiry = np.r_[st.lot_expiry, made + shelf]
    st.lot_made = np.r_[st.lot_made, made]
    st.pp_lot[q] = idx
    st.pp_lot_used[q] = 0
    return idx


def _emit_rows(state: State, moves: list[Move], opened: list[int], midnight: int, rng: np.random.Generator,
               tables: Tables) -> None:
    """The platform.vaccine_lot rows of the lots opened today and the platform.stock_movement rows."""
    st = state.stock
    if opened:
        idx = np.array(opened)
        made = day_of(0) + st.lot_made[idx].astype("timedelta64[D]")
        exp = day_of(0) + st.lot_expiry[idx].astype("timedelta64[D]")
        codes = np.array([P.PRODUCTS[p].lot_code_prefix for p in st.lot_product[idx]]).astype("S2")
        tables["vaccine_lot"] = {
            "id": Column("int4", idx + 1),
            "lot_code": Column("text", np.strings.add(codes, people.digits(idx + 1, 6))),
            "product_code": Column("text", np.array([P.CODES[p] for p in st.lot_product[idx]]).astype("S3")),
            "doses": Column("int4", st.lot_size[idx]), "expiry_date": Column("date", exp),
            "manufactured_on": Column("date", made),
            "updated_at": Column("timestamptz", np.full(len(idx), midnight + US_PER_HOUR // 2)),
        }
    if not moves:
        return
    lot, frm, to, doses, kind, hour = zip(*moves)
    n = len(lot)
    moved = midnight + (np.array(hour, float) * US_PER_HOUR).astype(np.int64)
    recorded = moved + rng.integers(0, 2 * US_PER_HOUR, n)
    frm_a = np.array([0 if f is None else f for f in frm], np.int64)
    to_a = np.array([0 if x is None else x for x in to], np.int64)
    tables["stock_movement"] = {
        "id": Column("int8", take_ids(state, "movement", n)),
        "lot_id": Column("int4", np.array(lot, np.int64) + 1),
        "from_facility_id": Column("int4", frm_a, frm_a == 0),
        "to_facility_id": Column("int4", to_a, to_a == 0),
        "doses": Column("int4", np.array(doses, np.int64)),
        "kind": Column("text", np.array(kind).astype("S10")),
        # Until the supply model (issue 12) plants the others: a shelf emptied at expiry, a box's open vials.
        "reason": Column("text", np.where(np.array(hour) < 1, b"expiry", b"open_vial"),
                         np.array(kind) != "wastage"),
        "moved_at": Column("timestamptz", to_ts(moved)),
        "recorded_at": Column("timestamptz", to_ts(recorded)),
        "updated_at": Column("timestamptz", to_ts(recorded)),
    }

"""Vaccine supply: lots received at the national store in waves and moved down to the sites for their sessions.

Each day, before the sessions:
1. losses: lots at or past their expiry leave every shelf; now and then a store's refrigerator fails and
   one of its lots is lost to the cold chain;
2. orders, bottom up: a site orders what today's sessions need beyond its shelf (the must) plus, when its
   shelf after the sessions would fall under half its target, enough to reach the target (the top-up); a
   district store sums its sites' orders and adds its own top-up, and so on up to the national store;
   targets are days of average use, short while vaccine was scarce (to August 2021) and long once it was
   abundant, and vary between sites (some keep nothing between sessions and are out of stock after each);
3. the national store receives a wave when its stock would fall under its low cover, enough for its high
   cover of the coming days' national doses (a forecast from the national series);
4. shipments, top down: every store meets its orders' musts in full and shares what is left among the
   top-ups (rationing while stock is short), earliest expiry first;
5. the sessions use their shelf earliest expiry first, and lose open vials and breakage at the product's
   rates; a site that stopped using a product sends what is left back to its district store.
So every dose names a lot that was at its site, balances never go negative (except where `stock_faults`
plants a fault), receipts run a few percent above doses given, and stores hold stock for days to weeks.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from etl.simulator import products as P
from etl.simulator.fefo import split
from etl.simulator.model import State, Stock, day_of
from etl.simulator.movements import (
    BROKEN,
    COLD,
    EXPIRY,
    NO_REASON,
    OPEN_VIAL,
    RECEIPT,
    TRANSFER,
    WASTAGE,
    Moves,
    emit_rows,
)
from etl.simulator.pgcopy import Tables
from etl.simulator.stock_faults import fault_rng, plant_empty_store, plant_site_overdraw

if TYPE_CHECKING:
    from etl.simulator.day import DayModel
    from etl.simulator.geography import Geography

NP = P.N_PROD
SITE, DISTRICT, PROVINCE, NATION = 3, 2, 1, 0

# From each date: the share of sites that keep nothing between sessions (vaccine came for the day's
# sessions only), days of average use the other sites, a district store and a province store aim to hold
# after the day's shipments, and the national store's low and high cover (days of forecast national doses).
PHASES = (
    (np.datetime64("2021-03-01"), 0.6, 1.0, 2.0, 3.0, 3.0, 8.0),     # scarce: rationed, shipped for sessions
    (np.datetime64("2021-08-01"), 0.3, 3.0, 4.0, 6.0, 7.0, 18.0),    # deliveries swelling
    (np.datetime64("2021-10-01"), 0.0, 4.0, 7.0, 10.0, 14.0, 30.0),  # abundant
    (np.datetime64("2022-03-01"), 0.0, 3.0, 5.0, 7.0, 7.0, 14.0),    # winding down: no more donations taken
)
AVG_WEIGHT = 1 - 0.5 ** (1 / 7)       # a week's half-life for the average daily use
STILL_USED = 0.02                     # the average a single dose leaves after about 15 days
FORECAST_DAYS = 14
BREAKAGE = 0.002                      # share of a session's doses lost to a broken vial
COLD_CHAIN_PER_STORE_DAY = 1 / 3000   # a province or district store loses one lot's holding
# Remaining shelf life at receipt, in days (low, high), and shelf life from manufacture: AstraZeneca doses
# donated through COVAX arrived with months, not a year, to run; Sinopharm kept two years.
SHELF = {"AZD": (60, 150, 180), "PFZ": (120, 240, 270), "MOD": (120, 200, 210), "VRO": (300, 600, 730),
         "SPK": (90, 170, 180), "ABD": (120, 240, 365), "HYT": (200, 400, 730), "JNS": (90, 170, 180)}
_SHELF = np.array([SHELF[c] for c in P.CODES])


@dataclass(frozen=True)
class Facilities:
    """The supply chain as one numbering: 0 the national store, then province, district stores and sites."""

    ids: np.ndarray       # facility id of each
    parent: np.ndarray    # index of the store that supplies it (-1 for the national store)
    level: np.ndarray     # NATION, PROVINCE, DISTRICT or SITE
    province: np.ndarray  # province index (-1 for the national store)
    first_site: int

    @classmethod
    def of(cls, geo: Geography) -> Facilities:
        n_p, n_d = len(geo.province_store_id), len(geo.district_store_id)
        ids = np.r_[geo.national_store_id, geo.province_store_id, geo.district_store_id, geo.site_ids]
        parent = np.r_[-1, np.zeros(n_p, np.int64), 1 + geo.district_province, 1 + n_p + geo.site_district]
        level = np.r_[NATION, np.full(n_p, PROVINCE), np.full(n_d, DISTRICT), np.full(len(geo.site_ids), SITE)]
        province = np.r_[-1, np.arange(n_p), geo.district_province, geo.district_province[geo.site_district]]
        return cls(ids.astype(np.int64), parent.astype(np.int64), level, province.astype(np.int64), 1 + n_p + n_d)


def ship_stock(model: DayModel, state: State, t: int, midnight: int, site: np.ndarray, product: np.ndarray,
               tables: Tables) -> np.ndarray:
    """Move vaccine for today's doses (site and product index of each); return each dose's lot index."""
    st, fac = state.stock, model.fac
    rng = np.random.default_rng([model.cfg.seed, t, 13])
    moves, opened = Moves(), []
    n_nodes = len(fac.ids) * NP
    _losses(model, st, t, rng, moves)
    frng = fault_rng(model, t)
    plant_empty_store(model, st, t, day_of(t), frng, moves, tables)

    node = (fac.first_site + site) * NP + product
    usage = np.bincount(node, minlength=n_nodes)
    used = np.flatnonzero(usage)
    rate = P.WASTAGE[used % NP]
    open_vial = rng.binomial(usage[used], rate)
    broken = rng.binomial(usage[used], BREAKAGE)
    need = np.zeros(n_nodes, np.int64)
    need[used] = usage[used] + open_vial + broken
    _recall(model, st, need, moves)
    st.site_avg *= 1 - AVG_WEIGHT
    st.site_avg += AVG_WEIGHT * usage[fac.first_site * NP:].reshape(-1, NP)

    must, top, receipt = _orders(model, st, t, need)
    _receive(model, st, t, receipt, rng, moves, opened)
    for level in (PROVINCE, DISTRICT, SITE):
        _ship(model, st, level, must, top, moves)

    # The sessions: per site node, today's doses, then its open vials, then its breakage, earliest expiry first.
    r_node = np.repeat(used, 3)
    r_qty = np.column_stack([usage[used], open_vial, broken]).ravel()
    keep = r_qty > 0
    hi, ri, amount = split(st.h_node, st.h_qty, r_node[keep], r_qty[keep])
    what = np.tile([0, 1, 2], len(used))[keep][ri]
    lot_sorted = np.repeat(st.h_lot[hi[what == 0]], amount[what == 0])
    order = np.argsort(node, kind="stable")
    lot_of_dose = np.zeros(len(site), np.int64)
    lot_of_dose[order] = lot_sorted
    site_id = fac.ids[st.h_node[hi] // NP]
    for w, reason in ((1, OPEN_VIAL), (2, BROKEN)):
        m = what == w
        moves.add(st.h_lot[hi[m]], site_id[m], 0, amount[m], WASTAGE, reason, 18)
    np.subtract.at(st.h_qty, hi, amount)
    _tidy(st)

    plant_site_overdraw(model, st, t, day_of(t), site, product, lot_of_dose, frng, tables)
    emit_rows(state, moves, opened, midnight, rng, tables)
    return lot_of_dose


def phase(day: np.datetime64) -> tuple[float, ...]:
    i = max(int(np.searchsorted([p[0] for p in PHASES], day, side="right")) - 1, 0)
    return PHASES[i][1:]


def _losses(model: DayModel, st: Stock, t: int, rng: np.random.Generator, moves: Moves) -> None:
    """Expired lots leave every shelf; a few stores lose a lot to a failed refrigerator."""
    fac = model.fac
    expired = st.lot_expiry[st.h_lot] <= t
    moves.add(st.h_lot[expired], fac.ids[st.h_node[expired] // NP], 0, st.h_qty[expired], WASTAGE, EXPIRY, 0.5)
    st.h_qty[expired] = 0
    stores = np.flatnonzero((fac.level == PROVINCE) | (fac.level == DISTRICT))
    failed = stores[rng.random(len(stores)) < COLD_CHAIN_PER_STORE_DAY]
    h_fac = st.h_node // NP
    for f in failed:
        rows = np.flatnonzero((h_fac == f) & (st.h_qty > 0))
        if len(rows):
            r = rows[0]
            moves.add(st.h_lot[r], fac.ids[f], 0, st.h_qty[r], WASTAGE, COLD, 0.5)
            st.h_qty[r] = 0
    _tidy(st)


def _recall(model: DayModel, st: Stock, need: np.ndarray, moves: Moves) -> None:
    """A site no longer using a product (no session today, hardly any in two weeks) returns it to its district."""
    fac = model.fac
    site_nodes = st.h_node >= fac.first_site * NP
    idle = site_nodes.copy()
    idle[site_nodes] = st.site_avg.ravel()[st.h_node[site_nodes] - fac.first_site * NP] < STILL_USED
    idle &= need[st.h_node] == 0
    if not idle.any():
        return
    site = st.h_node[idle] // NP
    moves.add(st.h_lot[idle], fac.ids[site], fac.ids[fac.parent[site]], st.h_qty[idle], TRANSFER, NO_REASON, 0.5)
    st.h_node[idle] = fac.parent[site] * NP + st.h_node[idle] % NP
    _tidy(st)


def _orders(model: DayModel, st: Stock, t: int, need: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each node's must and top-up, from the sites up; and the national store's receipt per product."""
    fac = model.fac
    n_nodes = len(need)
    on_hand = np.bincount(st.h_node, st.h_qty, n_nodes).astype(np.int64)
    avg = np.zeros(n_nodes)
    avg[fac.first_site * NP:] = st.site_avg.ravel()
    bare, site_days, district_days, province_days, low, high = phase(day_of(t))
    node_fac = np.arange(n_nodes) // NP
    parent_node = np.where(fac.parent[node_fac] >= 0, fac.parent[node_fac] * NP + np.arange(n_nodes) % NP, 0)
    level = fac.level[node_fac]
    for lv in (SITE, DISTRICT, PROVINCE):  # roll the average use up
        m = level == lv
        avg += np.bincount(parent_node[m], avg[m], n_nodes)

    must = np.zeros(n_nodes, np.int64)
    top = np.zeros(n_nodes, np.int64)
    s = level == SITE
    after = on_hand[s] - need[s]
    must[s] = np.maximum(0, -after)
    keeps = np.repeat(model.site_rank >= bare, NP)
    # A site that keeps stock keeps at least a dose of what it used in the last two weeks or so.
    target = np.where(keeps, np.maximum(np.floor(avg[s] * site_days * np.repeat(model.site_factor, NP) + 0.5),
                                        avg[s] >= STILL_USED), 0)
    kept = np.maximum(after, 0)
    top[s] = np.where(kept < target / 2, target - kept, 0)
    days = {DISTRICT: district_days, PROVINCE: province_days}
    for lv in (DISTRICT, PROVINCE, NATION):
        child = level == lv + 1
        asked_must = np.bincount(parent_node[child], must[child], n_nodes).astype(np.int64)
        asked_top = np.bincount(parent_node[child], top[child], n_nodes).astype(np.int64)
        m = level == lv
        after = on_hand[m] - asked_must[m] - asked_top[m]
        if lv == NATION:
            forecast = _forecast(model, st, t, avg[m])
            reorder, target = after < low * forecast, high * forecast
        else:
            target = np.floor(avg[m] * days[lv] * model.province_factor[fac.province[node_fac[m]]] + 0.5)
            reorder = after < target / 2
        must[m] = np.maximum(0, asked_must[m] - on_hand[m])
        wanted = np.ceil(asked_must[m] + asked_top[m] + target - on_hand[m]).astype(np.int64)
        top[m] = np.where(reorder, wanted - must[m], 0).clip(0)
    nat = level == NATION
    receipt = must[nat] + top[nat]
    return must, top, receipt


def _forecast(model: DayModel, st: Stock, t: int, nat_avg: np.ndarray) -> np.ndarray:
    """Doses a day of each product over the coming weeks: the national series, shared as the products are used."""
    ahead = model.series.doses[t + 1:t + 1 + FORECAST_DAYS]
    total = float(ahead.mean()) * model.cfg.scale if len(ahead) else float(nat_avg.sum())
    share = nat_avg / nat_avg.sum() if nat_avg.sum() > 0 else P.first_dose_mix(day_of(t))
    return np.maximum(share * total, nat_avg)


def _receive(model: DayModel, st: Stock, t: int, receipt: np.ndarray, rng: np.random.Generator, moves: Moves,
             opened: list[int]) -> None:
    """A wave at the national store: each product's doses in whole boxes, split into lots."""
    for prod in np.flatnonzero(receipt):
        box = int(model.box[prod])
        doses = -(-int(receipt[prod]) // box) * box
        base = int(model.lot_base[prod])
        sizes = [base] * (doses // base - 1) + [doses - base * max(doses // base - 1, 0)]
        low, high, shelf = _SHELF[prod]
        for size in sizes:
            idx = len(st.lot_size)
            expiry = t + int(rng.integers(low, high + 1))
            st.lot_product = np.r_[st.lot_product, prod]
            st.lot_size = np.r_[st.lot_size, size]
            st.lot_expiry = np.r_[st.lot_expiry, expiry]
            st.lot_made = np.r_[st.lot_made, expiry - shelf]
            st.lot_reached = np.r_[st.lot_reached, 0]
            opened.append(idx)
            moves.add(idx, 0, model.fac.ids[0], size, RECEIPT, NO_REASON, 1)
            st.h_node = np.r_[st.h_node, prod]
            st.h_lot = np.r_[st.h_lot, idx]
            st.h_qty = np.r_[st.h_qty, size]
    _tidy(st)


def _ship(model: DayModel, st: Stock, level: int, must: np.ndarray, top: np.ndarray, moves: Moves) -> None:
    """Every store of the level above meets its orders from `level`: musts in full, top-ups as far as it can."""
    fac = model.fac
    n_nodes = len(must)
    nodes = np.flatnonzero((fac.level[np.arange(n_nodes) // NP] == level) & (must + top > 0))
    if len(nodes) == 0:
        return
    parent = fac.parent[nodes // NP] * NP + nodes % NP
    on_hand = np.bincount(st.h_node, st.h_qty, n_nodes)
    asked_must = np.bincount(parent, must[nodes], n_nodes)
    asked_top = np.bincount(parent, top[nodes], n_nodes)
    share = np.clip((on_hand - asked_must) / np.maximum(asked_top, 1), 0, 1)
    served = must[nodes] + np.floor(top[nodes] * share[parent]).astype(np.int64)
    order = np.lexsort((nodes, parent))
    nodes, parent, served = nodes[order], parent[order], served[order]
    keep = served > 0
    nodes, parent, served = nodes[keep], parent[keep], served[keep]
    hi, ri, amount = split(st.h_node, st.h_qty, parent, served)
    lot, to = st.h_lot[hi], nodes[ri]
    hour = {PROVINCE: 2, DISTRICT: 4, SITE: 6}[level]
    moves.add(lot, fac.ids[parent[ri] // NP], fac.ids[to // NP], amount, TRANSFER, NO_REASON, hour)
    np.subtract.at(st.h_qty, hi, amount)
    if level == PROVINCE:
        prov = fac.province[to // NP]
        np.add.at(st.pp_since_decision, prov * NP + to % NP, amount)
        np.bitwise_or.at(st.lot_reached, lot, np.left_shift(1, prov))
    st.h_node, st.h_lot, st.h_qty = np.r_[st.h_node, to], np.r_[st.h_lot, lot], np.r_[st.h_qty, amount]
    _tidy(st)


def _tidy(st: Stock) -> None:
    """One row per (node, lot) with doses, in the order stock leaves: node, earliest expiry, lot."""
    key = st.h_node * (1 << 24) + st.h_lot
    k, inv = np.unique(key, return_inverse=True)
    qty = np.bincount(inv, st.h_qty, len(k)).astype(np.int64)
    node, lot = k >> 24, k & ((1 << 24) - 1)
    keep = qty > 0
    node, lot, qty = node[keep], lot[keep], qty[keep]
    order = np.lexsort((lot, st.lot_expiry[lot], node))
    st.h_node, st.h_lot, st.h_qty = node[order], lot[order], qty[order]

"""The day-by-day model of the campaign: who gets which dose where, when it is entered, and what goes wrong.

People are created at their first dose in contiguous id ranges per (district, product): a "segment". A
segment waits in a pool until its next dose is due; each day the pools hand out as many next doses as the
day's target asks, oldest first, per province. A share of every segment never comes back (dropout).
Memory is bounded by the number of segments (days x districts x products), not by the number of people.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

import numpy as np

from common import vocabulary
from etl.simulator import products as P
from etl.simulator.geography import AGE_BANDS, Geography, split_exact
from etl.simulator.series import CAMPAIGN_START

US_PER_HOUR = 3_600_000_000
US_PER_DAY = 24 * US_PER_HOUR
VN_OFFSET_US = vocabulary.VN_UTC_OFFSET // timedelta(microseconds=1)
RULE_DAY = np.datetime64(vocabulary.SAME_DAY_RULE, "D")  # "inject first, enter later" forbidden from this day
CLEANUP_END = np.datetime64("2021-11-15")    # the data-accuracy campaign's catch-up window ends
PLATFORM_LIVE = np.datetime64("2021-07-01")  # earlier doses were back-filled into the platform
KIDS_12 = np.datetime64("2021-10-01")
KIDS_5 = np.datetime64("2022-04-14")
# Above 100% is real: provinces vaccinated migrant workers beyond their census population (2019).
UPTAKE_CAP = np.array([0.0, 0.90, 1.00, 1.05, 1.05, 1.03])
BOOSTER_AFTER_DAYS = 75
SECOND_BOOSTER_AFTER_DAYS = 150

KIND_COMPLETE, KIND_AUTO, KIND_BOOSTER = 0, 1, 2
DROPOUT = {KIND_COMPLETE: 0.015, KIND_AUTO: 0.03, KIND_BOOSTER: 0.20}
SECOND_BOOSTER_DROPOUT = 0.75

# Faults planted in entered dose records (share of records), for the ETL to catch.
FAULT_RATES = {
    "duplicate": 0.003,
    "out_of_order": 0.0005,
    "short_interval": 0.001,
    "future": 0.0003,
    "before_campaign": 0.0002,
    "recorded_before_injected": 0.0003,
    "unknown_lot": 0.001,
    "expired_lot": 0.0003,
}
PERSON_FAULT_RATES = {"missing_birth_date": 0.0004, "missing_residence": 0.0006}
# Provinces hit first by the 2021 southern wave, vaccinated first from August.
PRIORITY_AUG_SEP = {"79": 3.0, "74": 2.5, "75": 2.0, "80": 2.0, "01": 1.5, "83": 1.3, "82": 1.3}


def local_midnight_us(day: np.datetime64) -> np.int64:
    """UTC microseconds (since the Unix epoch) of 00:00 Vietnam time (UTC+7) on `day`."""
    return np.int64(day.astype("datetime64[D]").astype(np.int64)) * US_PER_DAY - VN_OFFSET_US


def to_ts(us: np.ndarray) -> np.ndarray:
    return np.asarray(us, dtype=np.int64).astype("datetime64[us]")


@dataclass
class Segments:
    """Pools of people waiting for their next dose; persons [start+taken, pick_end) can still come."""

    start: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    taken: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    pick_end: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    district: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int32))
    product: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int8))
    next_dose: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int8))
    eligible: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int32))
    first_day: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int32))
    kind: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int8))

    NAMES = ("start", "taken", "pick_end", "district", "product", "next_dose", "eligible", "first_day", "kind")

    @property
    def available(self) -> np.ndarray:
        return self.pick_end - self.start - self.taken

    def append(self, **cols: np.ndarray) -> None:
        for name in self.NAMES:
            cur = getattr(self, name)
            setattr(self, name, np.concatenate([cur, np.asarray(cols[name]).astype(cur.dtype)]))

    def compact(self) -> None:
        keep = self.available > 0
        for name in self.NAMES:
            setattr(self, name, getattr(self, name)[keep])


@dataclass
class Stock:
    """What every store and site holds, lot by lot, and the lots received so far.

    Facilities are numbered 0 (national store), 1..P (province stores), then the district stores, then the
    sites (`DayModel.fac_*`); a node is facility * products + product. Holdings are the non-zero
    (node, lot, doses), kept in the order stock leaves a store: earliest expiry first (FEFO).
    """

    n_pp: int
    n_sites: int
    h_node: np.ndarray = None
    h_lot: np.ndarray = None
    h_qty: np.ndarray = None
    site_avg: np.ndarray = None        # (n_sites, products) doses a day, exponentially averaged
    lot_product: np.ndarray = None
    lot_size: np.ndarray = None
    lot_expiry: np.ndarray = None      # day index (from CAMPAIGN_START)
    lot_made: np.ndarray = None
    lot_reached: np.ndarray = None     # bit p set once the lot reached province p's store
    pp_since_decision: np.ndarray = None  # (n_pp,) doses delivered since the last allocation decision

    FIELDS = ("h_node", "h_lot", "h_qty", "site_avg", "lot_product", "lot_size", "lot_expiry", "lot_made",
              "lot_reached", "pp_since_decision")

    def __post_init__(self) -> None:
        for name in self.FIELDS:
            if getattr(self, name) is None:
                setattr(self, name, np.zeros(0, np.int64))
        if self.site_avg.size == 0:
            self.site_avg = np.zeros((self.n_sites, len(P.PRODUCTS)))
        if self.pp_since_decision.size == 0:
            self.pp_since_decision = np.zeros(self.n_pp, np.int64)


@dataclass
class State:
    """Everything a later `--until` needs to carry on exactly where the previous call stopped."""

    last_day: int                       # last simulated day index (-1: nothing yet)
    next_id: dict[str, int]
    first_done: np.ndarray              # (districts, bands) people with a first dose
    segments: Segments
    stock: Stock
    shortfall: dict[str, int]
    lab_queue: np.ndarray               # per laboratory, PCR samples waiting for a run at the start of the day

    def to_arrays(self) -> dict[str, np.ndarray]:
        out = {"last_day": np.array(self.last_day), "first_done": self.first_done, "lab_queue": self.lab_queue}
        out |= {f"id_{k}": np.array(v) for k, v in self.next_id.items()}
        out |= {f"short_{k}": np.array(v) for k, v in self.shortfall.items()}
        out |= {f"seg_{n}": getattr(self.segments, n) for n in Segments.NAMES}
        out |= {f"stock_{n}": getattr(self.stock, n) for n in Stock.FIELDS}
        return out

    @classmethod
    def from_arrays(cls, a: dict[str, np.ndarray], n_pp: int, n_sites: int) -> State:
        seg = Segments(**{n: a[f"seg_{n}"] for n in Segments.NAMES})
        stock = Stock(n_pp, n_sites, **{n: a[f"stock_{n}"] for n in Stock.FIELDS})
        return cls(last_day=int(a["last_day"]), first_done=a["first_done"], segments=seg, stock=stock,
                   next_id={k[3:]: int(v) for k, v in a.items() if k.startswith("id_")},
                   shortfall={k[6:]: int(v) for k, v in a.items() if k.startswith("short_")},
                   lab_queue=a["lab_queue"])

    @classmethod
    def new(cls, geo: Geography) -> State:
        n_pp = len(geo.province_code) * len(P.PRODUCTS)
        ids = {k: 1 for k in ("person", "dose", "movement", "sample", "verification", "feedback", "lot",
                             "allocation")}
        return cls(-1, ids, np.zeros((len(geo.district_code), len(AGE_BANDS)), np.int64), Segments(),
                   Stock(n_pp, len(geo.site_ids)), {"completion": 0, "booster": 0, "first": 0},
                   np.zeros(sum(len(x) for x in geo.lab_ids)))


def take_ids(state: State, name: str, n: int) -> np.ndarray:
    start = state.next_id[name]
    state.next_id[name] = start + n
    return np.arange(start, start + n, dtype=np.int64)


def stochastic_round(rng: np.random.Generator, x: np.ndarray | float) -> np.ndarray:
    x = np.asarray(x, float)
    base = np.floor(x)
    return (base + (rng.random(x.shape) < (x - base))).astype(np.int64)


def expand_ranges(starts: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Concatenated aranges [start, start+count) for each pair, vectorised."""
    total = int(counts.sum())
    if total == 0:
        return np.zeros(0, np.int64)
    offsets = np.repeat(np.cumsum(counts) - counts, counts)
    return np.repeat(starts, counts) + (np.arange(total) - offsets)


def eligible_bands(day: np.datetime64) -> np.ndarray:
    """Which age bands may get a first dose on `day`."""
    return np.array([False, day >= KIDS_5, day >= KIDS_12, True, True, True])


def pick_from_pool(seg: Segments, mask: np.ndarray, day: int, quota: np.ndarray | None,
                   district_province: np.ndarray) -> np.ndarray:
    """How many to take from each segment: oldest eligible first, per province, up to the quota.

    quota is per province (None: take everyone available). Returns an array aligned with seg.
    """
    take = np.zeros(len(seg.start), np.int64)
    idx = np.flatnonzero(mask & (seg.eligible <= day) & (seg.available > 0))
    if len(idx) == 0:
        return take
    av = seg.available[idx]
    if quota is None:
        take[idx] = av
        return take
    prov = district_province[seg.district[idx]]
    order = np.lexsort((idx, seg.eligible[idx], prov))
    idx, av, prov = idx[order], av[order], prov[order]
    cum = np.cumsum(av)
    group_start = np.r_[0, np.flatnonzero(np.diff(prov)) + 1]
    base = np.repeat(cum[group_start] - av[group_start], np.diff(np.r_[group_start, len(idx)]))
    before = cum - av - base
    take[idx] = np.clip(quota[prov] - before, 0, av)
    return take


def available_by_province(seg: Segments, mask: np.ndarray, day: int, district_province: np.ndarray,
                          n_prov: int) -> np.ndarray:
    m = mask & (seg.eligible <= day) & (seg.available > 0)
    return np.bincount(district_province[seg.district[m]], weights=seg.available[m], minlength=n_prov
                       ).astype(np.int64)


def quota_from_total(total: int, available: np.ndarray) -> np.ndarray:
    """Share `total` among provinces in proportion to what each has available, never above it."""
    if total >= available.sum():
        return available.copy()
    return np.minimum(split_exact(total, available), available)


def new_segments_after_pick(seg: Segments, take: np.ndarray, day: int, rng: np.random.Generator,
                            next_kind: np.ndarray, next_dose: np.ndarray, wait_days: np.ndarray,
                            dropout: np.ndarray) -> dict[str, np.ndarray]:
    """Segments for the next stage of the people just taken (ids stay contiguous)."""
    sel = np.flatnonzero(take > 0)
    n = take[sel]
    start = seg.start[sel] + seg.taken[sel]
    drop = rng.binomial(n, dropout[sel])
    return dict(start=start, taken=np.zeros(len(sel)), pick_end=start + n - drop, district=seg.district[sel],
                product=seg.product[sel], next_dose=next_dose[sel], eligible=day + wait_days[sel],
                first_day=seg.first_day[sel], kind=next_kind[sel])


@dataclass
class DayTargets:
    first_by_district: np.ndarray   # (districts,) people getting a first dose
    completion_quota: np.ndarray | None  # per province, or None when the series gives a national total
    completion_total: int
    booster_quota: np.ndarray | None
    booster_total: int


def day_of(index: int) -> np.datetime64:
    return CAMPAIGN_START + np.timedelta64(index, "D")

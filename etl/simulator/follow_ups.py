"""Today's follow-up doses: second and third primary doses and boosters, taken from the waiting segments.

People come back from the pools of segments whose next dose is due, oldest first, per province: as many
as the series' national totals ask (spread over provinces by who is due), or the profile's per-province
quotas. Boosters may be another product than the primary course. Everyone taken moves on to the next
stage of their schedule, with its own wait and dropout. The returned columns put today's first doses
(from `persons`) first, then the follow-ups, one entry per dose given.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from etl.simulator import products as P
from etl.simulator.model import (
    BOOSTER_AFTER_DAYS,
    DROPOUT,
    KIND_AUTO,
    KIND_BOOSTER,
    KIND_COMPLETE,
    SECOND_BOOSTER_AFTER_DAYS,
    SECOND_BOOSTER_DROPOUT,
    DayTargets,
    Segments,
    State,
    available_by_province,
    expand_ranges,
    new_segments_after_pick,
    pick_from_pool,
    quota_from_total,
)

if TYPE_CHECKING:
    from etl.simulator.day import DayModel


def next_doses(model: DayModel, state: State, t: int, tg: DayTargets, persons: dict[str, np.ndarray],
               rng: np.random.Generator) -> dict[str, np.ndarray]:
    """All doses given today (first doses, then follow-ups): person, district, product, dose number."""
    seg = state.segments
    take = _take(model, state, t, tg, persons)
    sel = np.flatnonzero(take)
    n = take[sel]
    person = expand_ranges(seg.start[sel] + seg.taken[sel], n)
    district = np.repeat(seg.district[sel], n)
    dose_no = np.repeat(seg.next_dose[sel], n)
    first_day = np.repeat(seg.first_day[sel], n)
    product = np.repeat(seg.product[sel], n).astype(np.int64)
    is_booster = np.repeat(seg.kind[sel] == KIND_BOOSTER, n)
    if is_booster.any():
        product[is_booster] = np.searchsorted(np.cumsum(P.BOOSTER_VECTOR), rng.random(int(is_booster.sum())),
                                              side="right").clip(0, P.N_PROD - 1)
    _advance(seg, take, t, rng)

    n_first = len(persons["id"])
    return {
        "person": np.r_[persons["id"], person],
        "district": np.r_[persons["district"], district].astype(np.int64),
        "product": np.r_[persons["product"], product].astype(np.int64),
        "dose_no": np.r_[np.ones(n_first, np.int64), dose_no],
        "first_day": np.r_[np.full(n_first, t), first_day].astype(np.int64),
    }


def _take(model: DayModel, state: State, t: int, tg: DayTargets, persons: dict[str, np.ndarray]) -> np.ndarray:
    """How many people each segment gives today."""
    seg = state.segments
    dprov = model.geo.district_province
    if model.profile is not None:
        take_c = pick_from_pool(seg, np.isin(seg.kind, (KIND_COMPLETE, KIND_AUTO)), t, tg.completion_quota, dprov)
        take_b = pick_from_pool(seg, seg.kind == KIND_BOOSTER, t, tg.booster_quota, dprov)
        return take_c + take_b
    # The middle dose of a three-dose course (Abdala) completes nothing, so the day's completion total does
    # not bound it: everyone due gets it.
    take_auto = pick_from_pool(seg, seg.kind == KIND_AUTO, t, None, dprov)
    # Janssen completes the course at the first dose: those count towards today's completions.
    janssen_today = int((persons["product"] == P.INDEX["JNS"]).sum())
    c_total = max(tg.completion_total - janssen_today, 0)
    avail = available_by_province(seg, seg.kind == KIND_COMPLETE, t, dprov, model.n_prov)
    take_c = pick_from_pool(seg, seg.kind == KIND_COMPLETE, t, quota_from_total(c_total, avail), dprov)
    avail_b = available_by_province(seg, seg.kind == KIND_BOOSTER, t, dprov, model.n_prov)
    take_b = pick_from_pool(seg, seg.kind == KIND_BOOSTER, t, quota_from_total(tg.booster_total, avail_b), dprov)
    state.shortfall["completion"] += int(max(c_total - take_c.sum(), 0))
    state.shortfall["booster"] += int(max(tg.booster_total - take_b.sum(), 0))
    return take_auto + take_c + take_b


def _advance(seg: Segments, take: np.ndarray, t: int, rng: np.random.Generator) -> None:
    """Everyone taken today moves to the next stage of their schedule, as new segments."""
    primary = P.PRIMARY_DOSES[seg.product]
    is_auto, is_complete = seg.kind == KIND_AUTO, seg.kind == KIND_COMPLETE
    first_booster = (seg.kind == KIND_BOOSTER) & (seg.next_dose - primary == 1)
    next_kind = np.where(is_auto, KIND_COMPLETE, KIND_BOOSTER)
    wait = np.where(is_auto, 14, np.where(is_complete, BOOSTER_AFTER_DAYS, SECOND_BOOSTER_AFTER_DAYS))
    dropout = np.where(is_auto, 0.03, np.where(is_complete, DROPOUT[KIND_BOOSTER],
                                               np.where(first_booster, SECOND_BOOSTER_DROPOUT, 1.0)))
    new = new_segments_after_pick(seg, take, t, rng, next_kind, seg.next_dose + 1, wait, dropout)
    seg.taken += take
    seg.append(**new)

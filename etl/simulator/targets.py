"""The day's targets: how many first doses each district gives, and how many second doses and boosters.

The national series (Our World in Data times the scale) fixes the nation's totals; they are spread over
provinces as unevenly as in 2021 (the 04/08/2021 snapshot, then the southern priority). A `--profile`
fixes each province's total instead, split between first and follow-up doses as the nation did that day.
Either way nobody is vaccinated beyond the uptake cap of their age band; what cannot be given is counted
as a shortfall, so that a replay can say how far it fell short.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from etl.simulator.model import (
    KIND_AUTO,
    KIND_BOOSTER,
    KIND_COMPLETE,
    UPTAKE_CAP,
    DayTargets,
    State,
    available_by_province,
    day_of,
    eligible_bands,
    stochastic_round,
)

if TYPE_CHECKING:
    from etl.simulator.day import DayModel

SNAPSHOT_DAY = np.datetime64("2021-08-04")
AUG_SEP_END = np.datetime64("2021-10-01")


def remaining(model: DayModel, state: State, day: np.datetime64) -> np.ndarray:
    """People still without a first dose, per (district, age band), counting only bands eligible on `day`."""
    cap = np.floor(model.pop_db * UPTAKE_CAP).astype(np.int64) * eligible_bands(day)
    return np.clip(cap - state.first_done, 0, None)


def _province_factor(model: DayModel, day: np.datetime64) -> np.ndarray:
    if day < SNAPSHOT_DAY:
        return model.snapshot_ratio
    if day < AUG_SEP_END:
        return np.sqrt(model.snapshot_ratio) * model.priority
    return np.ones(model.n_prov)


def day_targets(model: DayModel, state: State, t: int, rng: np.random.Generator) -> DayTargets:
    day = day_of(t)
    rem = remaining(model, state, day).sum(axis=1)
    if model.profile is None:
        return _series_targets(model, state, t, rem, rng)
    return _profile_targets(model, state, t, rem, rng)


def _series_targets(model: DayModel, state: State, t: int, rem: np.ndarray, rng: np.random.Generator
                    ) -> DayTargets:
    """National totals from the series; first doses spread over districts, follow-ups left to the pools."""
    s = model.series
    in_series = t < len(s.doses)
    f, c, b = (stochastic_round(rng, float(x[t]) * model.cfg.scale) if in_series else 0
               for x in (s.first, s.completed, s.boosters))
    w = rem * _province_factor(model, day_of(t))[model.geo.district_province]
    first = rng.multinomial(int(f), w / w.sum()) if w.sum() > 0 and f > 0 else np.zeros(len(w), np.int64)
    first = np.minimum(first, rem)
    state.shortfall["first"] += int(f - first.sum())
    return DayTargets(first, None, int(c), None, int(b))


def _profile_targets(model: DayModel, state: State, t: int, rem: np.ndarray, rng: np.random.Generator
                     ) -> DayTargets:
    """Each province's total from the profile, follow-ups first when people are due, first doses after."""
    s, dprov, n_prov = model.series, model.geo.district_province, model.n_prov
    in_series = t < len(s.doses)
    totals = np.array([model.profile.get((t, p), 0) for p in range(n_prov)], np.int64)
    if in_series and s.doses[t] > 0:
        follow_share = 1 - s.first[t] / s.doses[t]
        c_share = s.completed[t] / max(s.completed[t] + s.boosters[t], 1e-9)
    else:
        follow_share, c_share = 0.5, 0.5
    seg = state.segments
    avail_c = available_by_province(seg, np.isin(seg.kind, (KIND_COMPLETE, KIND_AUTO)), t, dprov, n_prov)
    avail_b = available_by_province(seg, seg.kind == KIND_BOOSTER, t, dprov, n_prov)
    rem_p = np.bincount(dprov, weights=rem, minlength=n_prov).astype(np.int64)
    follow = np.minimum(np.round(totals * follow_share).astype(np.int64), avail_c + avail_b)
    first_p = totals - follow
    # A province with fewer people left than its first-dose share gives the rest as follow-ups.
    excess = np.clip(first_p - rem_p, 0, None)
    follow = np.minimum(follow + excess, avail_c + avail_b)
    first_p = np.minimum(totals - follow, rem_p)
    cq = np.minimum(np.round(follow * c_share).astype(np.int64), avail_c)
    bq = np.minimum(follow - cq, avail_b)
    cq = np.minimum(follow - bq, avail_c)
    state.shortfall["first"] += int((totals - first_p - cq - bq).sum())
    first = np.zeros(len(rem), np.int64)
    for p in np.flatnonzero(first_p):
        members = np.flatnonzero(dprov == p)
        first[members] = rng.multinomial(int(first_p[p]), rem[members] / rem[members].sum())
    return DayTargets(first, cq, int(cq.sum()), bq, int(bq.sum()))

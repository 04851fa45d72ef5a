"""Test samples (platform.test_sample): the 2021-2022 waves' testing, by site, laboratory and method.

Daily national volume and positivity follow three waves (the southern fourth wave peaking mid-August 2021, the
north in December 2021, Omicron in March 2022), spread over provinces by population and weighted towards the
provinces each wave hit; within a province, positivity differs by district and falls where more people have
had a first dose (less so with Omicron). Rapid tests grow with Omicron; PCR samples are often pooled (5 or
10). Each laboratory runs a number of PCR samples a day (`DayModel.lab_capacity`) in the order they came: what
it cannot run waits in its queue (`State.lab_queue`), so turnaround stretches by days where the southern wave
outran the laboratories. A few results never come back. Faults for the ETL to quarantine: a result before its
collection, a sample recorded at a vaccine store. Results later than a run's `--until` wait in
`sim.pending_result` (the engine's split).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from etl.simulator.model import US_PER_HOUR, State, stochastic_round, take_ids, to_ts
from etl.simulator.pgcopy import Column, Tables

if TYPE_CHECKING:
    from etl.simulator.day import DayModel


def _waves(day: np.datetime64) -> tuple[float, float, float]:
    """Each wave's strength on `day`, 0 to 1."""
    d = float((day - np.datetime64("2021-01-01")).astype(int))
    wave4 = np.exp(-0.5 * ((d - 226) / 30) ** 2)      # peak mid-August 2021
    north = np.exp(-0.5 * ((d - 350) / 25) ** 2)       # December 2021
    omicron = np.exp(-0.5 * ((d - 433) / 25) ** 2)     # March 2022
    return wave4, north, omicron


# The share of PCR samples whose result never comes back, and the faults' rates (none with --perfect).
NEVER_RETURNED = 0.002
RESULT_BEFORE_COLLECTION = 0.0004
AT_A_STORE = 0.0004


def sample_rows(model: DayModel, state: State, day: np.datetime64, midnight: int, rng: np.random.Generator,
                tables: Tables) -> None:
    wave4, north, omicron = _waves(day)
    south = model.south
    weight = model.prov_pop_share * (1 + 8 * wave4 * south + 3 * north * ~south + 4 * omicron)
    national = 15_000 + 250_000 * wave4 + 60_000 * north + 150_000 * omicron
    if day > np.datetime64("2022-06-01"):
        national = 8_000
    n = int(stochastic_round(rng, national * model.cfg.scale))
    if n == 0:
        return
    geo = model.geo
    prov = rng.choice(model.n_prov, n, p=weight / weight.sum())
    district = model.districts.sample(prov, rng.random(n))
    site = geo.site_ids[geo.sample_sites(district, rng.random(n))]
    lab = model.lab_start[prov] + rng.integers(0, 1 << 30, n) % model.lab_count[prov]  # index into lab_flat
    rapid = rng.random(n) < (0.15 + 0.45 * omicron)
    pooled = np.where(~rapid & (rng.random(n) < 0.3 + 0.4 * wave4), np.where(rng.random(n) < 0.5, 5, 10), 1)
    # Vaccination slows the Delta waves where it advanced (much less Omicron), and districts differ (hot spots).
    covered = state.first_done.sum(axis=1)[district] / np.maximum(model.pop_db.sum(axis=1)[district], 1)
    delta = (0.10 * wave4 * south[prov] + 0.04 * north) * model.district_spread[district] * (1 - 0.8 * covered)
    positivity = 0.002 + delta + 0.25 * omicron * (1 - 0.2 * covered)
    p_pos = 1 - (1 - positivity) ** pooled  # a pool is positive when any of its samples is
    r = rng.random(n)
    result = np.where(r < 0.005, b"invalid", np.where(r < 0.005 + p_pos, b"positive", b"negative"))
    collected = midnight + rng.integers(6 * US_PER_HOUR, 20 * US_PER_HOUR, n)
    run_hours = rng.gamma(2.0, 4.0, n) + 1
    waited = _queue_days(state.lab_queue, model.lab_capacity, lab, collected, ~rapid)
    pcr = ((run_hours + 24 * waited) * US_PER_HOUR).astype(np.int64)
    resulted = collected + np.where(rapid, rng.integers(15, 40, n) * 60_000_000, pcr)
    never = ~rapid & (rng.random(n) < NEVER_RETURNED)
    if not model.cfg.perfect:
        u = rng.random(n)
        early = (u < RESULT_BEFORE_COLLECTION) & ~never
        resulted[early] = collected[early] - rng.integers(1, 6, int(early.sum())) * US_PER_HOUR
        store = (u >= RESULT_BEFORE_COLLECTION) & (u < RESULT_BEFORE_COLLECTION + AT_A_STORE)
        site[store] = geo.district_store_id[district[store]]
    tables["test_sample"] = {
        "id": Column("int8", take_ids(state, "sample", n)), "site_id": Column("int4", site),
        "lab_id": Column("int4", model.lab_flat[lab]),
        "method": Column("text", np.where(rapid, b"rapid_antigen", b"rt_pcr")),
        "pooled_count": Column("int2", pooled), "collected_at": Column("timestamptz", to_ts(collected)),
        "resulted_at": Column("timestamptz", to_ts(resulted), never), "result": Column("text", result, never),
        "updated_at": Column("timestamptz", to_ts(np.where(never, collected, np.maximum(collected, resulted)))),
    }


def _queue_days(queue: np.ndarray, capacity: np.ndarray, lab: np.ndarray, collected: np.ndarray,
                queued: np.ndarray) -> np.ndarray:
    """Whole days each queued sample waits for a run, its laboratory taking them in the order they came after
    the samples already waiting; `queue` becomes what waits at the end of the day. A laboratory behind adds
    shifts, up to twice its usual runs (as 2021's did), so that only a wave far above it leaves it days behind."""
    capacity = capacity + np.minimum(queue, 2 * capacity) / 2
    waited = np.zeros(len(lab), np.int64)
    idx = np.flatnonzero(queued)
    if len(idx) == 0:
        queue -= np.minimum(queue, capacity)
        return waited
    idx = idx[np.lexsort((collected[idx], lab[idx]))]
    labs = lab[idx]
    first = np.searchsorted(labs, labs)  # each lab's first position in the sorted run
    place = queue[labs] + (np.arange(len(idx)) - first)
    waited[idx] = (place // capacity[labs]).astype(np.int64)
    arrived = np.bincount(labs, minlength=len(queue))
    queue[:] = np.maximum(queue + arrived - capacity, 0)
    return waited

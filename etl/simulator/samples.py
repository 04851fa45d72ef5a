"""Test samples (platform.test_sample): the 2021-2022 waves' testing, by site, laboratory and method.

Daily national volume and positivity follow three waves (the southern fourth wave peaking mid-August
2021, the north in December 2021, Omicron in March 2022), spread over provinces by population and
weighted towards the provinces each wave hit. Rapid tests grow with Omicron; PCR samples are often pooled
(5 or 10), and their turnaround lengthens in the southern wave. Results later than a run's
`--until` wait in `sim.pending_result` (the engine's split).
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
    lab = model.lab_flat[model.lab_start[prov] + rng.integers(0, 1 << 30, n) % model.lab_count[prov]]
    rapid = rng.random(n) < (0.15 + 0.45 * omicron)
    pooled = np.where(~rapid & (rng.random(n) < 0.3 + 0.4 * wave4), np.where(rng.random(n) < 0.5, 5, 10), 1)
    positivity = 0.002 + 0.10 * wave4 * south[prov] + 0.04 * north + 0.25 * omicron
    p_pos = 1 - (1 - positivity) ** pooled  # a pool is positive when any of its samples is
    r = rng.random(n)
    result = np.where(r < 0.005, b"invalid", np.where(r < 0.005 + p_pos, b"positive", b"negative"))
    collected = midnight + rng.integers(6 * US_PER_HOUR, 20 * US_PER_HOUR, n)
    pcr_hours = rng.gamma(2.0, 6.0 + 24 * wave4 * south[prov], n)
    pcr = (pcr_hours * US_PER_HOUR).astype(np.int64) + US_PER_HOUR
    tat = np.where(rapid, rng.integers(15, 40, n) * 60_000_000, pcr)
    resulted = collected + tat
    tables["test_sample"] = {
        "id": Column("int8", take_ids(state, "sample", n)), "site_id": Column("int4", site),
        "lab_id": Column("int4", lab), "method": Column("text", np.where(rapid, b"rapid_antigen", b"rt_pcr")),
        "pooled_count": Column("int2", pooled), "collected_at": Column("timestamptz", to_ts(collected)),
        "resulted_at": Column("timestamptz", to_ts(resulted)), "result": Column("text", result),
        "updated_at": Column("timestamptz", to_ts(resulted)),
    }

"""One simulated day: the tables of rows it adds, as numpy columns ready for binary COPY.

`DayModel` holds what does not change from day to day (geography, national series, profile, and the
shares and box sizes derived from them); `DayModel.run` draws one day, each kind of row in its module:
the day's targets (`targets`), first doses and their people (`persons`), follow-up doses (`follow_ups`),
stock and deliveries (`stock`), the Ministry's allocation decisions (`allocation`), dose records with
their recording lag and faults (`records`, `lag`, `faults`), identity verifications and feedback
(`verification`), hand reports (`hand_reports`) and test samples (`samples`). Every day draws from its own
random stream, seeded by (seed, day), in a fixed order, so the simulation is the same for a seed whether it
is run in one call or in several.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from etl.simulator import products as P
from etl.simulator.allocation import allocation_decisions
from etl.simulator.follow_ups import next_doses
from etl.simulator.geography import Geography, GroupSampler
from etl.simulator.hand_reports import hand_reports
from etl.simulator.model import PRIORITY_AUG_SEP, US_PER_HOUR, State, day_of, local_midnight_us
from etl.simulator.persons import new_people
from etl.simulator.pgcopy import Tables
from etl.simulator.records import dose_records
from etl.simulator.samples import sample_rows
from etl.simulator.series import NationalSeries
from etl.simulator.stock import Facilities, ship_stock
from etl.simulator.targets import day_targets
from etl.simulator.verification import verifications_and_feedback

SOUTH_WAVE = {"70", "72", "74", "75", "77", "79", "80", "82", "83", "84", "86", "87", "89", "91", "92", "93",
              "94", "95", "96"}


@dataclass
class Config:
    scale: float
    seed: int
    perfect: bool = False   # every dose entered on the day, no faults: for exact replays and ETL tests


class DayModel:
    """Builds each day's rows; holds the fixed inputs (geography, series, profile) and the state."""

    def __init__(self, geo: Geography, series: NationalSeries, snapshot_ratio: np.ndarray, config: Config,
                 profile: dict[tuple[int, int], int] | None) -> None:
        self.geo, self.series, self.cfg, self.profile = geo, series, config, profile
        self.snapshot_ratio = snapshot_ratio
        self.n_prov = len(geo.province_code)
        self.province_number = geo.province_code.astype(np.int64)
        self.pop_db = geo.district_population  # (D, bands)
        commune_pop = geo.population.sum(axis=(1, 2)).astype(float)
        dist_pop = np.bincount(geo.commune_district, weights=commune_pop, minlength=len(geo.district_code))
        self.communes = GroupSampler(geo.commune_district, commune_pop)
        prov_pop = np.bincount(geo.district_province, weights=dist_pop, minlength=self.n_prov)
        self.districts = GroupSampler(geo.district_province, dist_pop)
        self.prov_pop_share = prov_pop / prov_pop.sum()
        self.south = np.array([c in SOUTH_WAVE for c in geo.province_code])
        self.priority = np.array([PRIORITY_AUG_SEP.get(c, 1.0) for c in geo.province_code])
        self.lab_start = np.cumsum([0] + [len(x) for x in geo.lab_ids])[:-1]
        self.lab_count = np.array([len(x) for x in geo.lab_ids])
        self.lab_flat = np.concatenate(geo.lab_ids)
        # PCR samples a laboratory runs a day: its province's share of 400,000 at full scale, split among its
        # laboratories, each from 0.6 to 1.4 times that, so that the southern wave of 2021 outran some of them.
        lab_rng = np.random.default_rng([config.seed, 15])
        # How hard each wave hit each district, relative to its province (hot spots and quieter places).
        self.district_spread = np.random.default_rng([config.seed, 16]).lognormal(0, 0.25, len(geo.district_code))
        lab_province = np.repeat(np.arange(self.n_prov), self.lab_count)
        self.lab_capacity = np.maximum(1.0, 400_000 * config.scale * self.prov_pop_share[lab_province]
                                       / self.lab_count[lab_province] * (0.6 + 0.8 * lab_rng.random(len(lab_province))))
        # A box holds 500 vials at full scale and fewer at a small one, so that stock moves in proportion.
        s = max(1, round(500 * config.scale))
        self.box = P.DOSES_PER_VIAL * s
        self.lot_base = np.maximum(self.box * 20, np.round(400_000 * config.scale / self.box) * self.box)
        self.fac = Facilities.of(geo)
        # Sites differ: which keep nothing between sessions while vaccine is scarce (the lowest ranks first),
        # and how many days of their use the others keep, relative to each other.
        site_rng = np.random.default_rng([config.seed, 14])
        self.site_rank = site_rng.random(len(geo.site_ids))
        self.site_factor = 0.5 + site_rng.random(len(geo.site_ids))
        # Provinces' stores kept from half to nearly twice the days of use of a typical one.
        self.province_factor = 0.5 + 1.3 * site_rng.random(self.n_prov)

    def run(self, state: State, t: int) -> Tables:
        """Day `t` of the campaign: advance the state and return its rows, table by table."""
        rng = np.random.default_rng([self.cfg.seed, t])
        day = day_of(t)
        midnight = local_midnight_us(day)
        tg = day_targets(self, state, t, rng)
        tables: Tables = {}

        # The order of these calls is the order of the draws from rng: changing it changes every row.
        persons = new_people(self, state, t, day, tg.first_by_district, rng, tables)
        doses = next_doses(self, state, t, tg, persons, rng)
        site = self.geo.sample_sites(doses["district"], rng.random(len(doses["person"])))
        injected = midnight + 7 * US_PER_HOUR + rng.integers(0, 10 * US_PER_HOUR, len(site))
        lot = ship_stock(self, state, t, midnight, site, doses["product"], tables)
        allocation_decisions(self, state, t, day, midnight, rng, tables)
        first_id, first_rec_at = dose_records(self, state, t, day, doses, site, lot, injected, len(persons["id"]),
                                              rng, tables)
        verifications_and_feedback(state, day, persons, first_id, first_rec_at, rng, tables)
        hand_reports(self, day, midnight, doses["district"], tables)
        sample_rows(self, state, day, midnight, rng, tables)
        state.segments.compact()
        state.last_day = t
        return tables

"""Today's first doses: the people who come for them (platform.person rows) and their schedules.

A person exists on the platform from their first dose on, so each day's first doses create that day's
people: age band, sex and product drawn for each, then names, ID numbers, phones and a commune. They are
sorted by (district, product) so that each group gets contiguous ids and becomes one schedule segment
that waits for its next dose; a share of each segment drops out. A few required fields are left empty,
as at a busy site, for the ETL to catch.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from etl.simulator import population as people
from etl.simulator import products as P
from etl.simulator.geography import MALE_SHARE
from etl.simulator.model import (
    BOOSTER_AFTER_DAYS,
    DROPOUT,
    KIND_AUTO,
    KIND_BOOSTER,
    KIND_COMPLETE,
    PERSON_FAULT_RATES,
    US_PER_HOUR,
    State,
    eligible_bands,
    local_midnight_us,
    take_ids,
)
from etl.simulator.pgcopy import Column, Tables
from etl.simulator.targets import remaining

if TYPE_CHECKING:
    from etl.simulator.day import DayModel


def new_people(model: DayModel, state: State, t: int, day: np.datetime64, first_by_district: np.ndarray,
               rng: np.random.Generator, tables: Tables) -> dict[str, np.ndarray]:
    """Add today's people to `tables` and their segments to the state; return their ids and attributes."""
    n = int(first_by_district.sum())
    district, band, sex, product = _draw_people(model, state, day, first_by_district, rng)
    np.add.at(state.first_done, (district, band), 1)
    ids = take_ids(state, "person", n)
    cid, cid_null = _person_rows(model, t, day, ids, district, band, sex, rng, tables)
    if n:
        _append_segments(state, t, ids, district, product, rng)
    cid_state = np.where(cid_null, 0, np.where(np.strings.str_len(cid) == 12, 1, 2))  # 0 missing, 1 ok, 2 bad
    return {"id": ids, "district": district, "product": product, "band": band, "cid_state": cid_state}


def _draw_people(model: DayModel, state: State, day: np.datetime64, first_by_district: np.ndarray,
                 rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """District, age band, sex and product of each person, sorted by (district, product, band)."""
    n = int(first_by_district.sum())
    district = np.repeat(np.arange(len(first_by_district)), first_by_district)
    # Bands in proportion to who is still unvaccinated there; the eligible bands when nobody is left.
    rem = remaining(model, state, day)[district].astype(float)
    rem_sum = rem.sum(axis=1, keepdims=True)
    fallback = eligible_bands(day) / eligible_bands(day).sum()
    rem = np.where(rem_sum > 0, rem / np.where(rem_sum > 0, rem_sum, 1), fallback)
    band = (rng.random((n, 1)) > np.cumsum(rem, axis=1)[:, :-1]).sum(axis=1) if n else np.zeros(0, np.int64)
    sex = (rng.random(n) > MALE_SHARE[band]).astype(np.int64)  # 0 male, 1 female
    mix_adult = np.cumsum(P.first_dose_mix(day))
    product = np.searchsorted(mix_adult, rng.random(n), side="right").clip(0, P.N_PROD - 1)
    kids = band <= 2
    if kids.any():  # children are given mRNA vaccines only
        u = rng.random(int(kids.sum()))
        product[kids] = np.where(band[kids] == 2, P.INDEX["PFZ"],
                                 np.where(u < 0.8, P.INDEX["PFZ"], P.INDEX["MOD"]))
    order = np.lexsort((band, product, district))
    return district[order], band[order], sex[order], product[order]


def _person_rows(model: DayModel, t: int, day: np.datetime64, ids: np.ndarray, district: np.ndarray,
                 band: np.ndarray, sex: np.ndarray, rng: np.random.Generator, tables: Tables
                 ) -> tuple[np.ndarray, np.ndarray]:
    """The platform.person rows; returns the citizen ids and which are missing (verifications need them)."""
    n, geo = len(ids), model.geo
    commune = model.communes.sample(district, rng.random(n))
    birth = people.birth_dates(rng, band, day)
    prov_of_birth = np.where(rng.random(n) < 0.85, model.province_number[geo.district_province[district]],
                             model.province_number[rng.integers(0, model.n_prov, n)])
    cid, cid_null = people.citizen_ids(rng, prov_of_birth, sex, birth, band)
    phone, phone_null = people.phones(rng, n)
    created = local_midnight_us(day) + 6 * US_PER_HOUR + rng.integers(0, US_PER_HOUR, n)
    # Required fields left empty at a busy site, drawn from their own stream so that the rest of the
    # simulation does not change with these rates.
    frng = np.random.default_rng([model.cfg.seed, t, 17])
    perfect = model.cfg.perfect
    no_birth = np.zeros(n, bool) if perfect else frng.random(n) < PERSON_FAULT_RATES["missing_birth_date"]
    no_home = np.zeros(n, bool) if perfect else frng.random(n) < PERSON_FAULT_RATES["missing_residence"]
    tables["person"] = {
        "id": Column("int8", ids), "full_name": Column("text", people.names(rng, sex)),
        "citizen_id": Column("text", cid, cid_null), "birth_date": Column("date", birth, no_birth),
        "sex": Column("text", np.where(sex == 0, b"M", b"F")),
        "phone": Column("text", phone, phone_null),
        "residence_commune": Column("text", geo.commune_code[commune].astype("S5"), no_home),
        "created_at": Column("timestamptz", created), "updated_at": Column("timestamptz", created),
    }
    return cid, cid_null


def _append_segments(state: State, t: int, ids: np.ndarray, district: np.ndarray, product: np.ndarray,
                     rng: np.random.Generator) -> None:
    """One segment per (district, product) group of today's people, ids contiguous by construction."""
    key = district * P.N_PROD + product
    starts = np.r_[0, np.flatnonzero(np.diff(key)) + 1]
    counts = np.diff(np.r_[starts, len(ids)])
    prod_g = product[starts]
    primary = P.PRIMARY_DOSES[prod_g]
    kind = np.where(primary == 1, KIND_BOOSTER, np.where(primary == 3, KIND_AUTO, KIND_COMPLETE))
    wait = np.where(primary == 1, BOOSTER_AFTER_DAYS, P.MIN_INTERVAL[prod_g])
    drop = rng.binomial(counts, np.array([DROPOUT[k] for k in kind]))
    state.segments.append(start=ids[starts], taken=np.zeros(len(starts)), pick_end=ids[starts] + counts - drop,
                          district=district[starts], product=prod_g, next_dose=np.full(len(starts), 2),
                          eligible=t + wait, first_day=np.full(len(starts), t), kind=kind)

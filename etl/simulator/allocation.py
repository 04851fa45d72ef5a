"""The Ministry's allocation decisions: doses of each product allotted to the provinces, every two weeks.

A simplification until the supply model replaces it (issue 12): each decision allots a province, per product,
a multiple of what it was delivered since the previous decision, well above it in 2021 (vaccine was promised
long before it arrived: Hà Nội had 11.4 million doses allocated and 2.2 million delivered on 04/08/2021) and a
little above it from 2022, when deliveries caught up with the decisions.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from etl.simulator import products as P
from etl.simulator.model import US_PER_HOUR, State, take_ids
from etl.simulator.pgcopy import Column, Tables

if TYPE_CHECKING:
    from etl.simulator.day import DayModel

EVERY_DAYS = 14
FIRST_DECISION_NO = 2100  # decisions are numbered through the Ministry's year; the campaign's fall mid-range


def allocation_decisions(model: DayModel, state: State, t: int, day: np.datetime64, midnight: int,
                         rng: np.random.Generator, tables: Tables) -> None:
    """On a decision day, one decision allotting every (province, product) delivered since the last one."""
    st = state.stock
    if t == 0 or t % EVERY_DAYS:
        return
    pp = np.flatnonzero(st.pp_since_decision)
    if len(pp) == 0:
        return
    ahead = (1.5, 4.0) if day < np.datetime64("2022-01-01") else (1.0, 1.3)
    doses = np.ceil(st.pp_since_decision[pp] * rng.uniform(*ahead, len(pp))).astype(np.int64)
    st.pp_since_decision[:] = 0
    n = len(pp)
    number = FIRST_DECISION_NO + t // EVERY_DAYS
    tables["vaccine_allocation"] = {
        "id": Column("int8", take_ids(state, "allocation", n)),
        "decision_no": Column("text", np.full(n, f"{number}/QĐ-BYT".encode())),
        "decision_date": Column("date", np.full(n, day)),
        "province_code": Column("text", model.geo.province_code[pp // P.N_PROD].astype("S2")),
        "product_code": Column("text", np.array(P.CODES)[pp % P.N_PROD].astype("S3")),
        "doses": Column("int4", doses),
        "updated_at": Column("timestamptz", np.full(n, midnight + 9 * US_PER_HOUR)),
    }

"""The platform.dose_record rows of the day's doses: as entered, late or never, with the planted faults.

Every dose given today (from `persons` and `follow_ups`, at a site with a lot from `stock`) becomes a
record when it is entered (`lag`); some are entered wrongly or twice (`faults`). The certificate is issued
at the dose that completes the primary course. Returns each first dose's record id and entry time, which
the citizen feedback needs to name the dose.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from etl.simulator import population as people
from etl.simulator import products as P
from etl.simulator.faults import add_duplicates, plant_faults
from etl.simulator.lag import recorded_at
from etl.simulator.model import State, take_ids, to_ts
from etl.simulator.pgcopy import Column, Tables
from etl.simulator.stock_faults import record_expired_use

if TYPE_CHECKING:
    from etl.simulator.day import DayModel

_LOT_PREFIX = np.array([p.lot_code_prefix for p in P.PRODUCTS]).astype("S2")


def dose_records(model: DayModel, state: State, t: int, day: np.datetime64, doses: dict[str, np.ndarray],
                 site: np.ndarray, lot: np.ndarray, injected: np.ndarray, n_first: int, rng: np.random.Generator,
                 tables: Tables) -> tuple[np.ndarray, np.ndarray]:
    """Add tables["dose_record"]; return (record id or 0 if never entered, recorded_at) of the first doses."""
    n = len(site)
    perfect = model.cfg.perfect
    recorded, never = recorded_at(perfect, day, injected, rng, n)
    keep = ~never
    person, product, dose_no = doses["person"][keep], doses["product"][keep], doses["dose_no"][keep]
    first_day, site_k, lot_k = doses["first_day"][keep], site[keep], lot[keep]
    inj, rec = injected[keep].copy(), recorded[keep].copy()
    lot_id = lot_k + 1
    m = len(person)

    upd = rec.copy()  # when the row was written: the platform stamps updated_at itself
    clean = np.ones(m, bool)
    if not perfect and m:
        clean = plant_faults(state.stock, t, rng, product, dose_no, first_day, inj, rec, upd, lot_id)
        record_expired_use(model, state.stock, t, day, site_k, lot_k + 1, lot_id, tables)
    cols = {
        "id": take_ids(state, "dose", m), "person": person, "site": site_k,
        "lot_code": np.strings.add(_LOT_PREFIX[product], people.digits(lot_id, 6)),
        "product": product, "dose_no": dose_no, "inj": inj, "rec": rec, "upd": upd,
        "status": np.full(m, b"valid"), "cert": dose_no >= P.PRIMARY_DOSES[product],
    }
    if not perfect and m:
        cols = add_duplicates(model, state, cols, clean, rng, tables)
    tables["dose_record"] = {
        "id": Column("int8", cols["id"]), "person_id": Column("int8", cols["person"]),
        "site_id": Column("int4", model.geo.site_ids[cols["site"]]), "lot_code": Column("text", cols["lot_code"]),
        "product_code": Column("text", np.array(P.CODES).astype("S3")[cols["product"]]),
        "dose_number": Column("int2", cols["dose_no"]), "injected_at": Column("timestamptz", to_ts(cols["inj"])),
        "recorded_at": Column("timestamptz", to_ts(cols["rec"])),
        "updated_at": Column("timestamptz", to_ts(cols["upd"])),
        "status": Column("text", cols["status"]), "certificate_issued": Column("bool", cols["cert"]),
    }
    first_id = np.zeros(n, np.int64)
    first_id[np.flatnonzero(keep)] = cols["id"][:m]
    return first_id[:n_first], recorded[:n_first]

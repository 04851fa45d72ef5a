"""The platform's rows of a day's supply: the lots received and every stock movement."""

from __future__ import annotations

import numpy as np

from etl.simulator import population as people
from etl.simulator import products as P
from etl.simulator.model import US_PER_HOUR, State, day_of, take_ids, to_ts
from etl.simulator.pgcopy import Column, Tables

_KIND = np.array([b"receipt", b"transfer", b"wastage"])
_REASON = np.array([b"", b"expiry", b"open_vial", b"breakage", b"cold_chain"])
RECEIPT, TRANSFER, WASTAGE = 0, 1, 2
NO_REASON, EXPIRY, OPEN_VIAL, BROKEN, COLD = 0, 1, 2, 3, 4


class Moves:
    """The day's stock movements, gathered as arrays (facility ids, 0 for none)."""

    def __init__(self) -> None:
        self.parts: list[tuple[np.ndarray, ...]] = []

    def add(self, lot, frm, to, doses, kind: int, reason: int, hour: float) -> None:
        lot = np.atleast_1d(np.asarray(lot, np.int64))
        keep = np.atleast_1d(np.asarray(doses, np.int64)) > 0
        if keep.any():
            n = int(keep.sum())
            self.parts.append((lot[keep], np.broadcast_to(frm, lot.shape)[keep], np.broadcast_to(to, lot.shape)[keep],
                               np.atleast_1d(np.asarray(doses, np.int64))[keep], np.full(n, kind), np.full(n, reason),
                               np.full(n, hour)))

    def arrays(self) -> tuple[np.ndarray, ...] | None:
        if not self.parts:
            return None
        return tuple(np.concatenate(c) for c in zip(*self.parts))



def emit_rows(state: State, moves: Moves, opened: list[int], midnight: int, rng: np.random.Generator,
               tables: Tables) -> None:
    """The platform.vaccine_lot rows of the lots received today and the platform.stock_movement rows."""
    st = state.stock
    if opened:
        idx = np.array(opened)
        made = day_of(0) + st.lot_made[idx].astype("timedelta64[D]")
        exp = day_of(0) + st.lot_expiry[idx].astype("timedelta64[D]")
        codes = np.array([P.PRODUCTS[p].lot_code_prefix for p in st.lot_product[idx]]).astype("S2")
        tables["vaccine_lot"] = {
            "id": Column("int4", idx + 1),
            "lot_code": Column("text", np.strings.add(codes, people.digits(idx + 1, 6))),
            "product_code": Column("text", np.array([P.CODES[p] for p in st.lot_product[idx]]).astype("S3")),
            "doses": Column("int4", st.lot_size[idx]), "expiry_date": Column("date", exp),
            "manufactured_on": Column("date", made),
            "updated_at": Column("timestamptz", np.full(len(idx), midnight + US_PER_HOUR // 2)),
        }
    arrays = moves.arrays()
    if arrays is None:
        return
    lot, frm, to, doses, kind, reason, hour = arrays
    n = len(lot)
    moved = midnight + (hour * US_PER_HOUR).astype(np.int64)
    recorded = moved + rng.integers(0, 2 * US_PER_HOUR, n)
    tables["stock_movement"] = {
        "id": Column("int8", take_ids(state, "movement", n)),
        "lot_id": Column("int4", lot + 1),
        "from_facility_id": Column("int4", frm, frm == 0),
        "to_facility_id": Column("int4", to, to == 0),
        "doses": Column("int4", doses),
        "kind": Column("text", _KIND[kind].astype("S10")),
        "reason": Column("text", _REASON[reason].astype("S10"), reason == 0),
        "moved_at": Column("timestamptz", to_ts(moved)),
        "recorded_at": Column("timestamptz", to_ts(recorded)),
        "updated_at": Column("timestamptz", to_ts(recorded)),
    }

"""Identity verifications of today's new people, and the citizen feedback about their records.

People are checked against the national population database from 15/10/2021: those vaccinated earlier
mostly in the month that follows (the rest months later), later people within three weeks. A missing or
malformed ID number cannot match; a mismatch is corrected and checked again. About 0.8% of people send
feedback; what arrives before the 25/10/2021 deadline is mostly resolved by it. Both wait in
`sim.pending_*` until their day comes.
"""

from __future__ import annotations

import numpy as np

from etl.simulator.model import US_PER_DAY, US_PER_HOUR, State, local_midnight_us, take_ids, to_ts
from etl.simulator.pgcopy import Column, Tables

CHECKS_START, CHECKS_MONTH_END = np.datetime64("2021-10-15"), np.datetime64("2021-11-15")
FEEDBACK_DEADLINE = np.datetime64("2021-10-25")
_OUTCOMES = np.array([b"verified", b"mismatch", b"not_found", b"missing_id"])
_FIELDS = np.array([b"full_name", b"birth_date", b"full_name,birth_date", b"sex", b"citizen_id"])
_CATEGORIES = np.array([b"missing_dose", b"wrong_information", b"certificate", b"duplicate", b"other"])


def verifications_and_feedback(state: State, day: np.datetime64, persons: dict[str, np.ndarray],
                               first_id: np.ndarray, first_rec_at: np.ndarray, rng: np.random.Generator,
                               tables: Tables) -> None:
    n = len(persons["id"])
    if n == 0:
        return
    _verifications(state, day, persons["id"], persons["cid_state"], rng, tables)
    _feedback(state, day, persons["id"], first_id, first_rec_at, rng, tables)


def _verifications(state: State, day: np.datetime64, ids: np.ndarray, cid_state: np.ndarray,
                   rng: np.random.Generator, tables: Tables) -> None:
    n = len(ids)
    start, end = CHECKS_START, CHECKS_MONTH_END
    u = rng.random(n)
    if day < start:
        base = local_midnight_us(start)
        span = np.where(u < 0.9, (end - start).astype(int), 136)
        offset = np.where(u < 0.9, 0, (end - start).astype(int) + 1)
        when = base + (offset + rng.integers(0, 10**6, n) % span) * US_PER_DAY
        checked = u < 0.96
    else:
        when = local_midnight_us(day) + rng.integers(1, 21, n) * US_PER_DAY
        checked = u < 0.95
    when = when + rng.integers(8 * US_PER_HOUR, 17 * US_PER_HOUR, n)
    v = rng.random(n)
    by_chance = np.where(v < 0.93, 0, np.where(v < 0.98, 1, 2))  # verified, mismatch, not found
    outcome = np.where(cid_state == 0, 3, np.where(cid_state == 2, 2, by_chance))
    fields = np.where(outcome == 1, _FIELDS[rng.integers(0, len(_FIELDS), n)], b"")
    recheck = checked & (outcome == 1)
    sel = np.flatnonzero(checked)
    re = np.flatnonzero(recheck)
    p_ids = np.r_[ids[sel], ids[re]]
    when_all = np.r_[when[sel], when[re] + rng.integers(7, 40, len(re)) * US_PER_DAY]
    out_all = np.r_[outcome[sel], np.zeros(len(re), np.int64)]
    fields_all = np.r_[fields[sel], np.full(len(re), b"")]
    tables["pending_verification"] = {
        "id": Column("int8", take_ids(state, "verification", len(p_ids))), "person_id": Column("int8", p_ids),
        "checked_at": Column("timestamptz", to_ts(when_all)), "outcome": Column("text", _OUTCOMES[out_all]),
        "mismatched_fields": Column("text", fields_all.astype("S32")),
    }


def _feedback(state: State, day: np.datetime64, ids: np.ndarray, first_id: np.ndarray, first_rec_at: np.ndarray,
              rng: np.random.Generator, tables: Tables) -> None:
    fb = np.flatnonzero(rng.random(len(ids)) < 0.008)
    k = len(fb)
    if k == 0:
        return
    received = local_midnight_us(day) + rng.integers(3, 90, k) * US_PER_DAY + rng.integers(0, US_PER_DAY, k)
    deadline = local_midnight_us(FEEDBACK_DEADLINE)
    w = rng.random(k)
    before_deadline = received + (rng.random(k) * np.maximum(deadline - received, US_PER_HOUR)).astype(np.int64)
    resolve_by = np.where(received < deadline,
                          np.where(w < 0.85, before_deadline, received + rng.integers(1, 40, k) * US_PER_DAY),
                          received + rng.integers(1, 30, k) * US_PER_DAY + rng.integers(0, US_PER_DAY, k))
    status = np.where(w > 0.96, b"open", np.where(w > 0.93, b"rejected", b"resolved"))
    # the feedback names the person's first dose when that dose is on the platform by then
    dose_id = np.where((first_id[fb] > 0) & (first_rec_at[fb] <= received), first_id[fb], 0)
    tables["pending_feedback"] = {
        "id": Column("int8", take_ids(state, "feedback", k)), "person_id": Column("int8", ids[fb]),
        "dose_record_id": Column("int8", dose_id, dose_id == 0),
        "category": Column("text", _CATEGORIES[rng.integers(0, len(_CATEGORIES), k)]),
        "received_at": Column("timestamptz", to_ts(received)),
        "resolved_at": Column("timestamptz", to_ts(resolve_by), status == b"open"),
        "status": Column("text", status),
    }

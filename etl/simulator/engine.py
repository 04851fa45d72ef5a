"""`python -m etl simulate`: create the platform schema, its reference rows, then simulate days in bulk."""

from __future__ import annotations

import csv
import io
import logging
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC
from pathlib import Path

import numpy as np
import sqlalchemy as sa

from etl.simulator import products as P
from etl.simulator.day import Config, DayModel
from etl.simulator.geography import AGE_BANDS, REFERENCE, Geography, load_geography
from etl.simulator.model import State, Stock, day_of, local_midnight_us
from etl.simulator.pgcopy import Column, copy_rows
from etl.simulator.series import CAMPAIGN_START, SERIES_END, load_profile, national_series

log = logging.getLogger(__name__)
SQL_DIR = Path(__file__).resolve().parents[2] / "sql" / "platform"
COMMIT_EVERY_DAYS = 30
DEFAULT_UNTIL = np.datetime64("2022-06-30")


class SimulationError(RuntimeError):
    """The simulation cannot go on as asked (e.g. another seed already simulated); one clear line."""


@dataclass
class SimReport:
    days: int = 0
    rows: Counter = field(default_factory=Counter)
    seconds: float = 0.0
    until: str = ""
    shortfall: dict[str, int] = field(default_factory=dict)

    @property
    def rows_per_second(self) -> float:
        return sum(self.rows.values()) / self.seconds if self.seconds else 0.0


def _snapshot_ratio(geo: Geography) -> np.ndarray:
    """How fast each province vaccinated until August 2021 relative to the nation (first doses per adult)."""
    with open(REFERENCE / "province_snapshot_2021-08-04.csv", encoding="utf-8", newline="") as f:
        snap = {r["province_code"]: r for r in csv.DictReader(f)}
    rate = np.array([int(snap[c]["people_first_dose"]) / int(snap[c]["population_18_plus"])
                     for c in geo.province_code])
    return np.clip(rate / rate.mean(), 0.05, None)


def _run_sql_file(cur, name: str, params: dict | None = None) -> None:
    cur.execute((SQL_DIR / name).read_text(encoding="utf-8"), params)


def _create_platform(cur, geo: Geography) -> None:
    _run_sql_file(cur, "schema.sql")
    _run_sql_file(cur, "simulator_state.sql")

    def text(values) -> Column:
        arr = np.strings.encode(np.array([("" if v is None else str(v)) for v in values]), "utf-8")
        return Column("text", arr, np.array([v is None for v in values]))

    pr, dr, cr = geo.province_rows, geo.district_rows, geo.commune_rows
    copy_rows(cur, "platform.province", ["code", "name", "name_with_type", "kind"],
              [text([r["province_code"] for r in pr]), text([r["name"] for r in pr]),
               text([r["name_with_type"] for r in pr]), text([r["type"] for r in pr])])
    copy_rows(cur, "platform.district", ["code", "province_code", "name", "name_with_type", "kind"],
              [text([r[k] for r in dr]) for k in ("district_code", "province_code", "name", "name_with_type", "type")])
    copy_rows(cur, "platform.commune", ["code", "district_code", "name", "name_with_type", "kind"],
              [text([r[k] for r in cr]) for k in ("ward_code", "district_code", "name", "name_with_type", "type")])
    c, b, s = np.meshgrid(np.arange(len(cr)), np.arange(len(AGE_BANDS)), np.arange(2), indexing="ij")
    copy_rows(cur, "platform.population", ["commune_code", "age_band", "sex", "population"],
              [Column("text", geo.commune_code.astype("S5")[c.ravel()]),
               Column("text", np.array(AGE_BANDS).astype("S5")[b.ravel()]),
               Column("text", np.array([b"M", b"F"])[s.ravel()]),
               Column("int4", geo.population[c.ravel(), b.ravel(), s.ravel()])])
    fac = geo.facility
    ids = np.array([f["id"] for f in fac])
    parent = np.array([f["parent_id"] or 0 for f in fac])
    copy_rows(cur, "platform.facility",
              ["id", "code", "name", "kind", "province_code", "district_code", "commune_code", "parent_id",
               "updated_at"],
              [Column("int4", ids)] + [text([f[k] for f in fac]) for k in
                                       ("code", "name", "kind", "province_code", "district_code", "commune_code")]
              + [Column("int4", parent, parent == 0),
                 Column("timestamptz", np.full(len(fac), local_midnight_us(CAMPAIGN_START - 30)))])
    for p in P.PRODUCTS:
        cur.execute(
            "INSERT INTO platform.vaccine_product (code, name, manufacturer, primary_doses, min_interval_days,"
            " doses_per_vial, min_age_years) VALUES (%s, %s, %s, %s, %s, %s, %s)",
            (p.code, p.name, p.manufacturer, p.primary_doses, p.min_interval_days, p.doses_per_vial, p.min_age_years))


def _load_state(cur, geo: Geography) -> tuple[dict | None, State]:
    cur.execute("SELECT seed, scale, profile, perfect, until, arrays FROM sim.state")
    row = cur.fetchone()
    if row is None:
        return None, State.new(geo)
    meta = dict(zip(("seed", "scale", "profile", "perfect", "until"), row[:5]))
    with np.load(io.BytesIO(bytes(row[5]))) as z:
        arrays = {k: z[k] for k in z.files}
    if "lab_queue" not in arrays:
        raise SimulationError("the saved simulation state lacks the laboratories' queues: an earlier simulator "
                              "(before the testing model of issue 13) saved it; simulate again with --reset")
    if missing := [n for n in Stock.FIELDS if f"stock_{n}" not in arrays]:
        raise SimulationError(f"the saved simulation state lacks {', '.join(missing)}: an earlier simulator "
                              "(before the supply model of issue 12) saved it; simulate again with --reset")
    n_pp = len(geo.province_code) * len(P.PRODUCTS)
    return meta, State.from_arrays(arrays, n_pp, len(geo.site_ids))


def _save_state(cur, meta: dict, state: State, until: np.datetime64) -> None:
    buf = io.BytesIO()
    np.savez_compressed(buf, **state.to_arrays())
    cur.execute(
        "INSERT INTO sim.state (id, seed, scale, profile, perfect, until, arrays) VALUES (1, %(seed)s, %(scale)s,"
        " %(profile)s, %(perfect)s, %(until)s, %(arrays)s) ON CONFLICT (id) DO UPDATE SET until = EXCLUDED.until,"
        " arrays = EXCLUDED.arrays, updated_at = now()",
        {**meta, "until": str(until), "arrays": buf.getvalue()})


def _write(cur, tables: dict[str, dict[str, Column]], until_end_us: int, report: SimReport) -> None:
    for name, cols in tables.items():
        if name == "dose_record":
            late = cols["updated_at"].values.astype(np.int64) >= until_end_us
            _copy_split(cur, "platform.dose_record", "sim.pending_dose_record", cols, late, report)
        elif name == "test_sample":
            never = cols["resulted_at"].null  # results that never come
            late = (cols["resulted_at"].values.astype(np.int64) >= until_end_us) & ~never
            if late.any():
                copy_rows(cur, "sim.pending_result", ["sample_id", "resulted_at", "result"],
                          [_mask(cols["id"], late), _mask(cols["resulted_at"], late), _mask(cols["result"], late)])
                cols = dict(cols)
                cols["resulted_at"] = Column("timestamptz", cols["resulted_at"].values, late | never)
                cols["result"] = Column("text", cols["result"].values, late | never)
                cols["updated_at"] = Column("timestamptz", np.where(late, cols["collected_at"].values,
                                                                    cols["updated_at"].values))
            report.rows["test_sample"] += copy_rows(cur, "platform.test_sample", list(cols), list(cols.values()))
        elif name.startswith("pending_") or name == "stock_fault":  # the simulator's own tables
            copy_rows(cur, f"sim.{name}", list(cols), list(cols.values()))
        else:
            report.rows[name] += copy_rows(cur, f"platform.{name}", list(cols), list(cols.values()))


def _mask(col: Column, keep: np.ndarray) -> Column:
    return Column(col.kind, col.values[keep], None if col.null is None else col.null[keep])


def _copy_split(cur, table: str, pending: str, cols: dict[str, Column], late: np.ndarray, report) -> None:
    names = list(cols)
    report.rows[table.split(".")[1]] += copy_rows(cur, table, names, [_mask(c, ~late) for c in cols.values()])
    copy_rows(cur, pending, names, [_mask(c, late) for c in cols.values()])


def _check_arguments(scale: float, until_day: np.datetime64, profile: Path | None) -> None:
    if until_day < CAMPAIGN_START:
        raise SimulationError(f"--until {until_day} is before the campaign started ({CAMPAIGN_START})")
    if scale <= 0 or scale > 2:
        raise SimulationError(f"--scale must be in (0, 2], got {scale}")
    if profile is None and until_day > SERIES_END:
        raise SimulationError(f"--until {until_day} is past the national series ({SERIES_END}); use --profile")


def _prepare(raw, cur, geo, wanted: dict, reset: bool):
    """The platform schema (created on first use) and the simulator's state, checked against `wanted`."""
    if reset:
        cur.execute("DROP SCHEMA IF EXISTS sim CASCADE; DROP SCHEMA IF EXISTS platform CASCADE")
    cur.execute("SELECT to_regclass('platform.dose_record') IS NOT NULL")
    if not cur.fetchone()[0]:
        log.info("creating the platform schema and its reference rows")
        _create_platform(cur, geo)
        raw.commit()
    meta, state = _load_state(cur, geo)
    if meta is None:
        return wanted, state
    if any(meta[k] != v for k, v in wanted.items()):
        raise SimulationError(
            "the platform was simulated with " + ", ".join(f"{k}={meta[k]}" for k in wanted)
            + "; appending needs the same settings (or --reset to start again)")
    return meta, state


def _finish(cur, meta: dict, state, until_day: np.datetime64, until_end: int) -> None:
    """Release what was held back until `until_end`, save the state and, after a first bulk load, add the keys."""
    until_end_ts = np.datetime64(until_end, "us").astype(object).replace(tzinfo=UTC)
    _run_sql_file(cur, "simulator_release.sql", {"until_end": until_end_ts})
    if state.last_day >= 0:
        _save_state(cur, meta, state, max(day_of(state.last_day), until_day))
    cur.execute("SELECT count(*) FROM pg_constraint WHERE conrelid = 'platform.dose_record'::regclass"
                " AND contype = 'f'")
    if cur.fetchone()[0] == 0:  # a first bulk load: keys and indexes now, in bulk
        cur.execute("SET maintenance_work_mem = '256MB'")
        _run_sql_file(cur, "constraints.sql")


def simulate(engine: sa.Engine, scale: float, seed: int, until: str | None = None, profile: Path | None = None,
             perfect: bool = False, reset: bool = False) -> SimReport:
    """Simulate the platform up to `until` (inclusive), appending to what an earlier call simulated."""
    started = time.perf_counter()
    until_day = np.datetime64(until, "D") if until else DEFAULT_UNTIL
    _check_arguments(scale, until_day, profile)
    geo = load_geography(scale)
    profile_rows = load_profile(profile, geo.province_code) if profile else None
    report = SimReport(until=str(until_day))
    wanted = {"seed": seed, "scale": scale, "profile": str(profile) if profile else None, "perfect": perfect}

    raw = engine.raw_connection()
    try:
        cur = raw.cursor()
        cur.execute("SET synchronous_commit = off")
        meta, state = _prepare(raw, cur, geo, wanted, reset)
        model = DayModel(geo, national_series(), _snapshot_ratio(geo), Config(scale, seed, perfect), profile_rows)
        until_end = int(local_midnight_us(until_day + 1))
        last = int((until_day - CAMPAIGN_START).astype(int))
        for t in range(state.last_day + 1, last + 1):
            _write(cur, model.run(state, t), until_end, report)
            report.days += 1
            if report.days % COMMIT_EVERY_DAYS == 0:
                _save_state(cur, meta, state, day_of(t))
                raw.commit()
                log.info("simulated to %s", day_of(t))
        _finish(cur, meta, state, until_day, until_end)
        raw.commit()
        cur.execute("ANALYZE platform.dose_record; ANALYZE platform.person")
        raw.commit()
        report.shortfall = dict(state.shortfall)
    except Exception:
        raw.rollback()
        raise
    finally:
        raw.close()
    report.seconds = time.perf_counter() - started
    return report

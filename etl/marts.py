"""The marts, declared once: what each holds and reads, and the one step that materialises them.

A mart is a table mart.<name> and a model sql/etl/marts/<name>.sql: a plain SELECT of the mart's rows for
the slices in its slice table (a temp table of keys the run recomputes: the slices touched by new, changed
or voided rows; in a rebuild, whose staging starts empty, every key). Adding a mart = one entry here + its
model + its migration.

Two plans, chosen in `materialise` alone. An incremental run executes the model as written: each condition on
a slice table is a line of its own, marked `-- slice`, that PostgreSQL plans as a semi-join (an index scan of
the touched slices). A rebuild executes `Mart.everything`, the same SELECT with each marked line made `true`:
PostgreSQL cannot know that a slice table holds every key, and the semi-join made a rebuild's dose mart 1.3x
and its stock roll-up 2.4x slower (that one joined every area slice to every facility; measured at scale
0.002, the issue 11 closing note). Both forms are valid SQL that tests/integration/test_etl_sql.py EXPLAINs.

A ledger (`ledger=True`) holds running balances instead of one day's flows: its row for a day is the state at
the end of that day, valid `until` the next row of its key. Its slice table holds, per key of its other
columns, the first day that changed: the rows from that day on are recomputed, the model carrying on from the
row that stood before it, whose `until` is then set to the first new row's day.
"""

from __future__ import annotations

import logging
import re
import time
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from psycopg2 import sql

log = logging.getLogger(__name__)
MODELS = Path(__file__).resolve().parent.parent / "sql" / "etl" / "marts"
SLICE_LINE = re.compile(r"^(\s*)(WHERE|AND) .*  -- slice$", re.M)


@dataclass(frozen=True)
class Mart:
    name: str  # mart.<name>, modelled by sql/etl/marts/<name>.sql
    grain: tuple[str, ...]  # the key: one row per these columns
    measures: tuple[str, ...]
    slice: str  # the temp table of the slices to recompute
    slice_key: tuple[str, ...]  # its columns, which are the mart's own columns of that name
    reads: tuple[str, ...]
    ledger: bool = False

    @property
    def model(self) -> Path:
        return MODELS / f"{self.name}.sql"

    @cached_property
    def select(self) -> str:
        return self.model.read_text(encoding="utf-8")

    @cached_property
    def everything(self) -> str:
        """The model for every key: its `-- slice` conditions made `true` (a rebuild's plan)."""
        return SLICE_LINE.sub(r"\1\2 true", self.select)

    @property
    def columns(self) -> tuple[str, ...]:
        return self.grain + self.measures


DOSE = ("_slice_dose", ("district", "day"))
PROV_DOSE = ("_slice_prov_dose", ("province", "day"))
TESTS = ("_slice_tests", ("district", "day"))
# Wastage by reason (platform.stock_movement.reason).
WASTED = ("wasted_expiry", "wasted_open_vial", "wasted_breakage", "wasted_cold_chain")

# In order: a mart comes after the marts it reads (the province roll-ups after their district marts).
MARTS: tuple[Mart, ...] = (
    Mart("doses_daily", ("district", "day", "product_code", "dose_number", "age_band", "sex"), ("doses",),
         *DOSE, ("staging.dose",)),
    Mart("site_lag_daily", ("district", "day", "site_id", "bucket"), ("doses",), *DOSE, ("staging.dose",)),
    Mart("lag_daily", ("district", "day", "bucket"), ("doses",), *DOSE, ("mart.site_lag_daily",)),
    Mart("quarantine_daily", ("district", "day", "rule_id"), ("rows",), *DOSE, ("staging.dose",)),
    Mart("field_flags_daily", ("district", "day", "age_band", "id_state", "birth_missing", "residence_missing"),
         ("doses",), *DOSE, ("staging.dose",)),
    Mart("site_doses_daily", ("district", "day", "site_id", "product_code", "dose_number"), ("doses",), *DOSE,
         ("staging.dose",)),
    Mart("people_daily", ("district", "day", "age_band", "milestone"), ("people",),
         "_slice_people", ("district", "day"), ("staging.person_milestone", "ref.milestone")),
    Mart("doses_province_daily", ("province", "day", "product_code", "dose_number", "age_band"), ("doses",),
         *PROV_DOSE, ("mart.doses_daily", "ref.district")),
    Mart("lag_province_daily", ("province", "day", "bucket"), ("doses",), *PROV_DOSE,
         ("mart.lag_daily", "ref.district")),
    Mart("people_province_daily", ("province", "day", "age_band", "milestone"), ("people",),
         "_slice_prov_people", ("province", "day"), ("mart.people_daily", "ref.district")),
    Mart("report_daily", ("province", "day"), ("platform_doses", "reported_doses"),
         "_slice_prov", ("province", "day"), ("mart.doses_province_daily", "staging.province_report")),
    Mart("verification_daily", ("district", "day", "outcome"), ("checks", "first_checks"),
         "_slice_verif", ("district", "day"), ("staging.verification",)),
    Mart("verification_field_daily", ("district", "day", "field"), ("checks",),
         "_slice_verif", ("district", "day"), ("staging.verification",)),
    Mart("feedback_daily", ("district", "day", "closed_day", "category", "status"), ("items",),
         "_slice_feedback", ("district", "day"), ("staging.feedback",)),
    Mart("stock_lot_daily", ("facility_id", "day", "lot_id"),
         ("received", "issued", "administered") + WASTED + ("adjusted",), "_slice_stock_lot", ("facility_id", "day"),
         ("staging.stock_movement", "staging.dose", "ref.lot")),
    Mart("stock_daily", ("area", "day", "level", "product_code", "expiry_date"),
         ("received", "issued", "wasted", "administered", "adjusted") + WASTED, "_slice_stock", ("area", "day"),
         ("mart.stock_lot_daily", "ref.facility_area", "ref.lot")),
    Mart("stock_balance", ("area", "level", "product_code", "day"),
         ("until", "received", "issued", "administered") + WASTED + ("adjusted", "on_hand"), "_slice_balance",
         ("area", "day"), ("mart.stock_daily",), ledger=True),
    Mart("stock_facility_balance", ("facility_id", "product_code", "day"),
         ("until", "received", "issued", "administered", "wasted", "adjusted", "on_hand", "out_since", "last_used"),
         "_slice_fac_balance", ("facility_id", "day"), ("mart.stock_lot_daily", "ref.lot", "ref.facility"),
         ledger=True),
    Mart("stock_facility_lot_balance", ("facility_id", "lot_id", "day"), ("until", "on_hand"), "_slice_fac_balance",
         ("facility_id", "day"), ("mart.stock_lot_daily",), ledger=True),
    Mart("stock_lot_balance", ("province", "level", "lot_id", "day"),
         ("until", "received", "issued", "administered") + WASTED + ("adjusted", "on_hand"), "_slice_lot_balance",
         ("province", "day"), ("mart.stock_lot_daily", "ref.facility"), ledger=True),
    Mart("stock_province_daily", ("province", "level", "day"), ("net", "delivered", "administered", "wasted"),
         "_slice_stock_prov", ("province", "day"), ("mart.stock_lot_daily", "ref.facility")),
    Mart("allocation_daily", ("province", "product_code", "day"), ("allocated", "decisions"),
         "_slice_alloc", ("province", "day"), ("staging.allocation",)),
    Mart("tests_daily", ("district", "day", "lab_id", "method", "tat_bucket"),
         ("samples", "people_tested", "positives", "invalid", "people_invalid"), *TESTS, ("staging.test_sample",)),
    Mart("tests_backlog", ("district", "day", "lab_id", "method", "result_day"), ("samples", "people_tested"),
         *TESTS, ("staging.test_sample",)),
)
MART_TABLES = tuple(m.name for m in MARTS)
# Marts that later marts read: after a big load the planner must see their new statistics first.
READ_BY_MARTS = frozenset(t.removeprefix("mart.") for m in MARTS for t in m.reads if t.startswith("mart."))


def materialise(cur, mart: Mart, *, replace: bool, analyze: bool) -> None:
    """Recompute the mart's rows for the slices in its slice table: delete theirs and insert the model's
    (`replace`: an incremental run), or insert every row of the model (a rebuild, whose tables start empty).
    `analyze`: after a big load, so that the marts reading this one are planned on what it now holds."""
    t = time.perf_counter()
    table = sql.Identifier("mart", mart.name)
    if replace and mart.ledger:
        _replace_ledger(cur, mart, table)
    elif replace:
        cur.execute(sql.SQL("DELETE FROM {} m USING {} s WHERE {}").format(
            table, sql.Identifier(mart.slice),
            sql.SQL(" AND ").join(sql.SQL("m.{0} = s.{0}").format(sql.Identifier(c)) for c in mart.slice_key)))
    cur.execute(sql.SQL("INSERT INTO {} ({}) {}").format(
        table, sql.SQL(", ").join(map(sql.Identifier, mart.columns)),
        sql.SQL(mart.select if replace else mart.everything)))
    if replace and mart.ledger:
        _close_ledgers(cur, mart, table)
    if analyze and mart.name in READ_BY_MARTS:
        cur.execute(sql.SQL("ANALYZE {}").format(table))
    log.debug("mart %s: %.2f s", mart.name, time.perf_counter() - t)


def _ledger_parts(alias: str, other: str, columns: tuple[str, ...]) -> sql.Composable:
    """alias.c = other.c for each column c."""
    return sql.SQL(" AND ").join(sql.SQL("{}.{} = {}.{}").format(
        sql.Identifier(alias), sql.Identifier(c), sql.Identifier(other), sql.Identifier(c)) for c in columns)


def _replace_ledger(cur, mart: Mart, table: sql.Identifier) -> None:
    """Delete the ledger's rows from each slice key's first changed day on."""
    part = tuple(c for c in mart.slice_key if c != "day")
    cur.execute(sql.SQL("DELETE FROM {} m USING {} s WHERE {} AND m.day >= s.day").format(
        table, sql.Identifier(mart.slice), _ledger_parts("m", "s", part)))


def _close_ledgers(cur, mart: Mart, table: sql.Identifier) -> None:
    """The row that stood before a recomputed day now stands until the first new row of its key (or on)."""
    part = tuple(c for c in mart.slice_key if c != "day")
    key = tuple(c for c in mart.grain if c != "day")
    cur.execute(sql.SQL(
        "UPDATE {t} b SET until = (SELECT min(n.day) FROM {t} n WHERE {same} AND n.day >= s.day) FROM {s} s"
        " WHERE {part} AND b.day < s.day AND (b.until IS NULL OR b.until >= s.day)").format(
        t=table, s=sql.Identifier(mart.slice), same=_ledger_parts("n", "b", key),
        part=_ledger_parts("b", "s", part)))

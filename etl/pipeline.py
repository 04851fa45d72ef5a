"""One ETL run: extract by watermark, validate, recompute the touched mart slices, publish atomically.

Everything a run writes to the reporting database happens in one REPEATABLE READ transaction: readers see
the previous data version or the new one, never half a run. A rebuild loads into fresh staging and mart
schemas and swaps them in at its commit, so readers keep the published tables meanwhile. A failed run rolls
back and is logged as failed in etl.run (in a separate transaction); the next run starts from the unchanged
watermarks, and marks a run killed outright (still 'running') abandoned. A run that changed nothing keeps
the data version, and so the dashboard's caches.

A run is STEPS, in order: small named functions sharing a _Run (its cursor, parameters and findings), timed
by the runner. A rebuild runs the same steps and SQL as an incremental run, plus its own (fresh schemas,
indexes, dropping the previous schemas): its staging starts empty, so every row it reads is new and every
slice touched.
"""

from __future__ import annotations

import hashlib
import logging
import re
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg2
import psycopg2.errors
import psycopg2.extras
import sqlalchemy as sa
from psycopg2 import sql

from common.settings import Settings
from common.vocabulary import CAMPAIGN_START
from etl import reference_data, source_contract
from etl.marts import MART_TABLES, MARTS, materialise
from etl.migrate import applied_version, available, migrate

log = logging.getLogger(__name__)
SQL = Path(__file__).resolve().parent.parent / "sql" / "etl"
RUN_LOCK_KEY = 7_2021_0002
# Rows are read by transaction id, not by timestamp: a watermark is the xmin of the extract's snapshot (the
# oldest transaction still in flight then), and the next run reads every row version written by it or later.
# Exact whatever the rows' updated_at say (stamped in the future, or by a transaction open for hours), with no
# privilege (pg_stat_activity) and in the extract's own snapshot. Beyond 2^31 transactions age() wraps:
# read everything again (PostgreSQL itself stops long before).
XID_HORIZON = 2**31 - 10**7
SOURCES = ("facility", "vaccine_lot", "person", "dose_record", "stock_movement", "vaccine_allocation",
           "province_daily_report", "test_sample", "identity_verification", "citizen_feedback")
# Rows placed by their person's district (residence, else first valid dose's site; see the extracts): read
# again with every person read this run (who appeared, moved) and every person without a residence whose
# doses were (the first dose may have moved).
PLACED_BY_PERSON = ("identity_verification", "citizen_feedback")
_PLACED_AGAIN = """SELECT coalesce(array_agg(id), '{}') FROM (SELECT id FROM _x_person UNION
                   SELECT person_id FROM _x_dose_record WHERE residence_missing AND NOT person_missing) p"""
# A rebuild fills these schemas anew under their names; the published ones, renamed to <schema>_previous,
# serve readers until the rebuild commits, and are dropped after it.
SWAPPED = ("staging", "mart")
ABANDONED = ("abandoned: the run stopped without finishing (its process was killed or its connection lost);"
             " found by run %s")


class RunError(RuntimeError):
    """A run that could not start or did not complete; the message is one clear line."""


class AlreadyRunning(RunError):
    pass


@dataclass
class RunResult:
    run_id: int
    kind: str
    data_version: int
    seconds: float
    steps: dict[str, float] = field(default_factory=dict)
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    changes: int = 0  # staging, quarantine and reference rows inserted, changed or deleted
    published: bool = True  # False: nothing changed, the data version stays


def hmac_pads(key: str) -> tuple[bytes, bytes]:
    """Inner and outer padded keys of HMAC-SHA256 (RFC 2104), so PostgreSQL's sha256() can compute it."""
    k = key.encode("utf-8")
    if len(k) > 64:
        k = hashlib.sha256(k).digest()
    k = k.ljust(64, b"\0")
    return bytes(b ^ 0x36 for b in k), bytes(b ^ 0x5C for b in k)


def _sql(name: str) -> str:
    return (SQL / name).read_text(encoding="utf-8")


def _exec(cur, name: str, params: dict) -> None:
    """Execute a SQL file statement by statement, logging each one's time (DEBUG) for profiling."""
    for statement in re.split(r";\s*\n", _sql(name)):
        if not statement.strip() or all(line.strip().startswith("--") or not line.strip()
                                        for line in statement.splitlines()):
            continue
        t = time.perf_counter()
        cur.execute(statement, params)
        if log.isEnabledFor(logging.DEBUG):
            first = next(line for line in statement.splitlines() if line.strip() and not line.startswith("--"))
            log.debug("%s %.2f s: %s", name, time.perf_counter() - t, first.strip()[:90])


@contextmanager
def _platform(platform_url: str, same_database: bool, cur) -> Iterator:
    """A cursor in the extract's snapshot: the run's own (same database), or one REPEATABLE READ read-only
    transaction on the platform that every source's COPY shares."""
    if same_database:
        yield cur
        return
    src = psycopg2.connect(sa.engine.make_url(platform_url).render_as_string(hide_password=False)
                           .replace("postgresql+psycopg2://", "postgresql://"))
    try:
        src.set_session(readonly=True, isolation_level="REPEATABLE READ")
        with src.cursor() as scur:
            yield scur
    finally:
        src.close()


def _pipe_copy(scur, query: str, params: dict, cur, target: sql.Identifier) -> None:
    """Stream a query's rows from the platform's cursor into a landing table (binary COPY over a pipe)."""
    import os

    read_fd, write_fd = os.pipe()
    errors: list[BaseException] = []

    def produce() -> None:
        try:
            with os.fdopen(write_fd, "wb") as out:
                scur.copy_expert(sql.SQL("COPY ({}) TO STDOUT (FORMAT binary)").format(
                    sql.SQL(scur.mogrify(query, params).decode())).as_string(scur), out)
        except BaseException as exc:  # reported by the consumer
            errors.append(exc)

    thread = threading.Thread(target=produce, daemon=True)
    thread.start()
    with os.fdopen(read_fd, "rb") as inp:
        try:
            cur.copy_expert(sql.SQL("COPY {} FROM STDIN (FORMAT binary)").format(target).as_string(cur), inp)
        except Exception:
            thread.join(timeout=5)
            if errors:
                raise errors[0] from None
            raise
    thread.join()
    if errors:
        raise errors[0]


def run(settings: Settings, reporting: sa.Engine, platform_url: str, *, rebuild: bool = False,
        wait: bool = False, on_step: Callable[[str, object], None] | None = None) -> RunResult:
    """One ETL run (incremental, or a rebuild from scratch).

    `on_step(step, cursor)` is called after each step of STEPS (tests use it to break a run midway).
    """
    if applied_version(reporting) < max(v for v, _, _ in available()):
        migrate(reporting)
    same_database = platform_url == str(reporting.url.render_as_string(hide_password=False))
    if not rebuild:
        with reporting.connect() as conn:  # a first run reads everything: the bulk path is twice as fast
            rebuild = conn.execute(sa.text("SELECT count(*) FROM etl.watermark")).scalar() == 0
    kind = "rebuild" if rebuild else "incremental"
    lock_conn = reporting.raw_connection()
    try:
        lock_cur = lock_conn.cursor()
        if wait:
            lock_cur.execute("SELECT pg_advisory_lock(%s)", (RUN_LOCK_KEY,))
        else:
            lock_cur.execute("SELECT pg_try_advisory_lock(%s)", (RUN_LOCK_KEY,))
            if not lock_cur.fetchone()[0]:
                lock_cur.execute("SELECT id, started_at FROM etl.run WHERE status = 'running' ORDER BY id DESC LIMIT 1")
                row = lock_cur.fetchone()
                since = f" (run {row[0]} started {row[1]:%d/%m/%Y %H:%M:%S})" if row else ""
                raise AlreadyRunning(f"another ETL run is in progress{since}; not starting a second one "
                                     "(use --wait to wait for it)")
        lock_conn.commit()
        lock_cur.execute("INSERT INTO etl.run (kind, status) VALUES (%s, 'running') RETURNING id", (kind,))
        run_id = lock_cur.fetchone()[0]
        # We hold the run lock, so no other run is alive: one still 'running' died without a word.
        lock_cur.execute("UPDATE etl.run SET status = 'abandoned', finished_at = clock_timestamp(), error = %s"
                         " WHERE status = 'running' AND id <> %s RETURNING id", (ABANDONED % run_id, run_id))
        for (abandoned,) in lock_cur.fetchall():
            log.warning("run %s was left running: marked abandoned", abandoned)
        lock_conn.commit()
        started = time.perf_counter()
        seconds: dict[str, float] = {}
        try:
            result = _run_transaction(settings, reporting, platform_url, same_database, run_id, rebuild, seconds,
                                      on_step)
        except Exception as exc:
            lock_conn.rollback()
            message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            lock_cur.execute("UPDATE etl.run SET status = 'failed', finished_at = clock_timestamp(), error = %s,"
                             " steps = %s WHERE id = %s",
                             (f"{type(exc).__name__}: {message}", psycopg2.extras.Json(seconds), run_id))
            lock_conn.commit()
            raise
        result.seconds = time.perf_counter() - started
        return result
    finally:
        try:
            lock_conn.rollback()
            lock_conn.cursor().execute("SELECT pg_advisory_unlock_all()")
            lock_conn.commit()
        finally:
            lock_conn.close()


@dataclass
class _Run:
    """What the steps of one run share: its cursor and parameters, and what the steps before found."""

    cur: Any
    platform_url: str
    same_database: bool
    run_id: int
    rebuild: bool
    params: dict
    seconds: dict[str, float]
    written_before: dict[int, int]
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    recreate: list = field(default_factory=list)  # a rebuild's index statements, run after the load
    big: bool = False  # a load large enough that the planner needs the tables' new statistics
    version: int = 0
    changes: int = 0
    published: bool = True


def _check_contract(r: _Run) -> None:
    source_contract.check(None if r.same_database else r.platform_url, r.cur)


def _fresh(r: _Run) -> None:
    r.recreate = _fresh_schemas(r.cur)
    # small tables that readers (the status command) read: row locks, not TRUNCATE's exclusive one
    r.cur.execute("DELETE FROM etl.quarantine; DELETE FROM etl.watermark")


def _reference(r: _Run) -> None:
    r.cur.execute("SELECT count(*) FROM ref.province")
    if r.rebuild or r.cur.fetchone()[0] == 0:
        reference_data.refresh(r.platform_url, r.same_database, r.cur)


def _extract(r: _Run) -> None:
    cur = r.cur
    _exec(cur, "landing.sql", r.params)
    cur.execute("SELECT source, xid FROM etl.watermark")
    marks = dict(cur.fetchall())
    with _platform(r.platform_url, r.same_database, cur) as pcur:
        # pg_current_snapshot() is the transaction's snapshot in REPEATABLE READ: the one every extract below
        # reads, so what it calls in flight is exactly what they cannot see.
        pcur.execute("SELECT pg_snapshot_xmin(s)::text::bigint, pg_snapshot_xmax(s)::text::bigint,"
                     " statement_timestamp() FROM pg_current_snapshot() s")
        snapshot_xmin, snapshot_xmax, clock = pcur.fetchone()
        for source in SOURCES:
            since = marks.get(source)
            if source == "dose_record":  # with the doses of the people read just now
                since = None if since is None or marks.get("person") is None else min(since, marks["person"])
            everything = since is None or snapshot_xmax - since > XID_HORIZON
            q_params = {"xid": None if everything else since % 2**32, "people": []}
            if source == "dose_record" and not everything:
                cur.execute("SELECT coalesce(array_agg(id), '{}') FROM _x_person")
                q_params["people"] = cur.fetchone()[0]
            if source in PLACED_BY_PERSON and not everything:
                cur.execute(_PLACED_AGAIN)
                q_params["people"] = cur.fetchone()[0]
            query = _sql(f"extract/{source}.sql")
            landing = sql.Identifier(f"_x_{source}")
            if r.same_database:
                cur.execute(sql.SQL("INSERT INTO {} ").format(landing) + sql.SQL(query), q_params)
            else:
                _pipe_copy(pcur, query, q_params, cur, landing)
            # updated_at is shown (data_until), never trusted: a stamp after the platform's clock is not.
            cur.execute(sql.SQL("SELECT count(*), max(updated_at) FILTER (WHERE updated_at <= %s) FROM {}")
                        .format(landing), (clock,))
            n, newest = cur.fetchone()
            r.counts[source] = {"extracted": n}
            cur.execute("UPDATE etl.watermark SET updated_at = greatest(updated_at, %s), xid = %s, run_id = %s"
                        " WHERE source = %s", (newest, snapshot_xmin, r.run_id, source))
            if cur.rowcount == 0 and newest is not None:
                cur.execute("INSERT INTO etl.watermark (source, updated_at, xid, run_id) VALUES (%s, %s, %s, %s)",
                            (source, newest, snapshot_xmin, r.run_id))
            cur.execute(sql.SQL("ANALYZE {}").format(landing))


def _load_reference(r: _Run) -> None:
    _exec(r.cur, "load_reference.sql", r.params)


def _load_doses(r: _Run) -> None:
    # Statistics must follow a big load, or the planner picks nested loops over what it thinks is empty.
    r.cur.execute("SELECT reltuples FROM pg_class WHERE oid = 'staging.dose'::regclass")
    known = r.cur.fetchone()[0]
    r.big = r.rebuild or known <= 0 or r.counts["dose_record"]["extracted"] > 0.1 * known
    _exec(r.cur, "load_dose.sql", r.params)
    if r.big:  # the planner must see what was just loaded, inside this transaction
        r.cur.execute("ANALYZE staging.dose")
    _exec(r.cur, "touched.sql", r.params)
    _exec(r.cur, "slices_before.sql", r.params)


def _validate(r: _Run) -> None:
    _exec(r.cur, "validate_dose.sql", r.params)
    if r.big:  # the rules just set: else the marts of quarantined rows are planned for none (nested loops)
        r.cur.execute("ANALYZE staging.dose")


def _milestones(r: _Run) -> None:
    _exec(r.cur, "milestones.sql", r.params)
    if r.big:
        r.cur.execute("ANALYZE staging.person_milestone")
    _exec(r.cur, "slices_after.sql", r.params)


def _load_others(r: _Run) -> None:
    _exec(r.cur, "load_others.sql", r.params)
    if r.big:
        r.cur.execute("ANALYZE staging.stock_movement; ANALYZE staging.allocation; ANALYZE staging.test_sample;"
                      " ANALYZE staging.verification; ANALYZE staging.feedback; ANALYZE ref.lot; ANALYZE ref.facility")


def _quarantine(r: _Run) -> None:
    _exec(r.cur, "quarantine.sql", r.params)


def _marts(r: _Run) -> None:
    for mart in MARTS:
        materialise(r.cur, mart, replace=not r.rebuild, analyze=r.big)


def _indexes(r: _Run) -> None:
    for statement in r.recreate:
        r.cur.execute(statement)


def _check(r: _Run) -> None:
    r.counts |= _conservation(r.cur)


def _publish(r: _Run) -> None:
    cur = r.cur
    r.changes = _changes(cur, r.written_before)
    r.published = r.rebuild or r.changes > 0
    if r.published:
        cur.execute("UPDATE etl.data_version SET version = version + 1, run_id = %s, published_at = now(),"
                    " data_until = (SELECT max(updated_at) FROM etl.watermark) RETURNING version", (r.run_id,))
    else:  # the same data: the version, and every page cached under it, stay
        cur.execute("SELECT version FROM etl.data_version")
    r.version = cur.fetchone()[0]
    cur.execute("UPDATE etl.run SET status = 'succeeded', finished_at = clock_timestamp(), data_version = %s,"
                " steps = %s, counts = %s, changes = %s WHERE id = %s",
                (r.version, psycopg2.extras.Json(r.seconds), psycopg2.extras.Json(r.counts), r.changes, r.run_id))
    cur.connection.commit()


def _drop_previous(r: _Run) -> None:
    """Drop the schemas a rebuild replaced, after its commit. A reader still inside them holds the drop back,
    briefly; one that holds it longer leaves them to the next rebuild rather than keeping this run waiting."""
    r.cur.connection.set_session(isolation_level="READ COMMITTED", autocommit=True)
    r.cur.execute("SET lock_timeout = '10s'")
    try:
        r.cur.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(
            sql.SQL(", ").join(sql.Identifier(f"{s}_previous") for s in SWAPPED)))
    except psycopg2.errors.LockNotAvailable:
        log.warning("the previous staging and mart schemas are still read: the next rebuild drops them")
    finally:
        r.cur.execute("RESET lock_timeout")


def _analyze(r: _Run) -> None:
    r.cur.execute("ANALYZE staging.dose; ANALYZE staging.person_milestone")
    for t in MART_TABLES:
        r.cur.execute(sql.SQL("ANALYZE {}").format(sql.Identifier("mart", t)))


@dataclass(frozen=True)
class Step:
    name: str  # in etl.run.steps, and what on_step is told after it
    run: Callable[[_Run], None]
    rebuild_only: bool = False


# A run, in order. Everything up to publish is one transaction, which publish commits.
STEPS = (
    Step("contract", _check_contract),
    Step("fresh_schemas", _fresh, rebuild_only=True),
    Step("reference", _reference),
    Step("extract", _extract),
    Step("load_reference", _load_reference),
    Step("load_doses", _load_doses),
    Step("validate", _validate),
    Step("milestones", _milestones),
    Step("load_others", _load_others),
    Step("quarantine", _quarantine),
    Step("marts", _marts),
    Step("indexes", _indexes, rebuild_only=True),
    Step("check", _check),
    Step("publish", _publish),
    Step("drop_previous", _drop_previous, rebuild_only=True),
    Step("analyze", _analyze, rebuild_only=True),
)


def _run_transaction(settings: Settings, reporting: sa.Engine, platform_url: str, same_database: bool, run_id: int,
                     rebuild: bool, seconds: dict[str, float],
                     on_step: Callable[[str, object], None] | None) -> RunResult:
    ikey, okey = hmac_pads(settings.pseudonym_key)
    raw = reporting.raw_connection()
    try:
        raw.set_session(isolation_level="REPEATABLE READ", autocommit=False)
        cur = raw.cursor()
        cur.execute("SET LOCAL work_mem = '256MB'; SET LOCAL maintenance_work_mem = '512MB';"
                    " SET LOCAL synchronous_commit = on; SET LOCAL timezone = 'UTC'")
        r = _Run(cur, platform_url, same_database, run_id, rebuild,
                 {"run_id": run_id, "ikey": ikey, "okey": okey, "campaign_start": CAMPAIGN_START}, seconds,
                 _write_counts(cur))
        for step in STEPS:
            if step.rebuild_only and not rebuild:
                continue
            t = time.perf_counter()
            step.run(r)
            seconds[step.name] = round(time.perf_counter() - t, 3)
            log.info("step %s: %.2f s", step.name, seconds[step.name])
            if on_step is not None:
                on_step(step.name, cur)
        return RunResult(run_id, "rebuild" if rebuild else "incremental", r.version, 0.0, seconds, r.counts,
                         r.changes, r.published)
    except Exception:
        try:
            raw.rollback()
        except psycopg2.Error:  # the connection itself is gone: nothing was committed
            raw.invalidate()
        raise
    finally:
        try:  # the pooled connection goes back as it came
            raw.rollback()
            raw.set_session(isolation_level="READ COMMITTED", autocommit=False)
        except (psycopg2.Error, AttributeError):  # invalidated above: nothing to give back
            pass
        raw.close()


def _fresh_schemas(cur) -> list[sql.Composable]:
    """Rename the published staging and mart schemas to <schema>_previous and create them again with empty
    tables of the same shape and grants, without indexes (PostgreSQL's bulk-load advice) but with the staging
    keys that the upserts need; returns the statements that build the other indexes, once, after the load.

    Readers never wait: other sessions resolve `mart.x` to the committed (previous) tables until this
    transaction commits. ALTER SCHEMA ... RENAME locks the schema object only, which a table read does not
    take (DDL creating objects in the schema waits). The previous schemas are dropped by _drop_previous."""
    cur.execute(_sql("swap_check.sql"))
    if problems := [r[0] for r in cur.fetchall()]:
        raise RunError("rebuild: the schema swap copies plain tables only, but " + "; ".join(problems))
    recreate: list[sql.Composable] = []
    for schema in SWAPPED:
        new, old = sql.Identifier(schema), sql.Identifier(f"{schema}_previous")
        # left by a rebuild killed just after its commit
        cur.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(old))
        cur.execute(_SWAP_GRANTS, {"s": schema})
        grants = [r[0] for r in cur.fetchall()]
        cur.execute(_SWAP_INDEXES, {"s": schema})
        indexes = cur.fetchall()
        cur.execute("SELECT relname, reloptions FROM pg_class WHERE relnamespace = %s::regnamespace"
                    " AND relkind = 'r' ORDER BY 1", (schema,))
        tables = cur.fetchall()
        cur.execute(sql.SQL("ALTER SCHEMA {} RENAME TO {}; CREATE SCHEMA {}").format(new, old, new))
        for table, options in tables:
            with_options = sql.SQL(" WITH ({})".format(", ".join(options)) if options else "")  # the catalog's
            cur.execute(sql.SQL("CREATE TABLE {} (LIKE {} INCLUDING ALL EXCLUDING INDEXES)").format(
                sql.Identifier(schema, table), sql.Identifier(old.string, table)) + with_options)
        for statement in grants:
            cur.execute(statement)
        for table, indexdef, constraint, constraintdef, kind in indexes:
            statement = (sql.SQL("ALTER TABLE {} ADD CONSTRAINT {} ").format(
                sql.Identifier(schema, table), sql.Identifier(constraint)) + sql.SQL(constraintdef)
                if constraint else sql.SQL(indexdef))  # the catalog's own SQL text
            if schema == "staging" and kind in ("p", "u"):
                cur.execute(statement)  # upserts name these keys
            else:
                recreate.append(statement)
    return recreate


_SWAP_INDEXES = """
    SELECT c.relname, pg_get_indexdef(i.indexrelid), k.conname, pg_get_constraintdef(k.oid), k.contype
    FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid JOIN pg_class ic ON ic.oid = i.indexrelid
    LEFT JOIN pg_constraint k ON k.conindid = i.indexrelid AND k.conrelid = c.oid AND k.contype IN ('p', 'u', 'x')
    WHERE c.relnamespace = %(s)s::regnamespace ORDER BY 1, ic.relname"""
# The grants of the schema and its tables, for the new ones (an operator's read-only role keeps reading).
_SWAP_GRANTS = """
    SELECT format('GRANT %%s ON SCHEMA %%I TO %%s', a.privilege_type, n.nspname,
                  CASE a.grantee WHEN 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(a.grantee)) END)
    FROM pg_namespace n CROSS JOIN LATERAL aclexplode(n.nspacl) a WHERE n.nspname = %(s)s AND a.grantee <> n.nspowner
    UNION ALL
    SELECT format('GRANT %%s ON %%I.%%I TO %%s', a.privilege_type, %(s)s, c.relname,
                  CASE a.grantee WHEN 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(a.grantee)) END)
    FROM pg_class c CROSS JOIN LATERAL aclexplode(c.relacl) a
    WHERE c.relnamespace = %(s)s::regnamespace AND c.relkind = 'r' AND a.grantee <> c.relowner"""


_WRITE_COUNTS = """
    SELECT relid, n_tup_ins + n_tup_upd + n_tup_del FROM pg_stat_xact_user_tables
    WHERE (schemaname IN ('staging', 'ref') AND relname <> 'person_milestone')
       OR (schemaname = 'etl' AND relname = 'quarantine')"""


def _write_counts(cur) -> dict[int, int]:
    cur.execute(_WRITE_COUNTS)
    return dict(cur.fetchall())


def _changes(cur, before: dict[int, int]) -> int:
    """Rows this transaction inserted, updated or deleted in staging (person_milestone, rewritten for every
    touched person, is derived from staging.dose), ref and etl.quarantine. The upserts write only rows whose
    content differs, so the records re-read in the extract's overlap count for nothing. The marts are derived
    from these tables: when they did not change, neither did any figure.

    Counted from `before`, read at the transaction's start: PostgreSQL 15's pg_stat_xact_* also hold the
    counts of the connection's earlier transactions until they are flushed (at most once a second), so a run
    right after another on a pooled connection would otherwise count that run's writes as its own."""
    cur.execute("SELECT current_setting('track_counts')::boolean")
    if not cur.fetchone()[0]:
        return 1  # without the counters, always publish
    return sum(n - before.get(relid, 0) for relid, n in _write_counts(cur).items())


def _conservation(cur) -> dict[str, dict[str, int]]:
    """Extracted = loaded + quarantined for the rows read this run; a run that lost rows fails. Every dose record,
    identity check and feedback read counts, with or without its person (the extracts' left joins: a missing
    person is quarantined, D12, V02, C02)."""
    cur.execute("""
        SELECT count(DISTINCT x.id),
               count(DISTINCT d.id) FILTER (WHERE d.quarantine_rule IS NULL),
               count(DISTINCT d.id) FILTER (WHERE d.quarantine_rule IS NOT NULL),
               count(DISTINCT d.id) FILTER (WHERE d.quarantine_rule IS NULL AND d.status = 'voided')
        FROM _x_dose_record x LEFT JOIN staging.dose d ON d.id = x.id""")
    extracted, loaded, quarantined, voided = cur.fetchone()
    if extracted != loaded + quarantined:
        raise RunError(f"dose records: extracted {extracted} != loaded {loaded} + quarantined {quarantined}")
    out = {"dose_record": {"extracted": extracted, "loaded": loaded, "quarantined": quarantined,
                           "voided": voided}}
    cur.execute("""
        SELECT count(DISTINCT x.id), count(DISTINCT m.id) FILTER (WHERE m.quarantine_rule IS NULL),
               count(DISTINCT m.id) FILTER (WHERE m.quarantine_rule IS NOT NULL)
        FROM _x_stock_movement x LEFT JOIN staging.stock_movement m ON m.id = x.id""")
    extracted, loaded, quarantined = cur.fetchone()
    if extracted != loaded + quarantined:
        raise RunError(f"stock movements: extracted {extracted} != loaded {loaded} + quarantined {quarantined}")
    out["stock_movement"] = {"extracted": extracted, "loaded": loaded, "quarantined": quarantined}
    cur.execute("""
        SELECT count(*), count(s.province_code), count(q.source_id)
        FROM (SELECT DISTINCT province_code, report_date FROM _x_province_daily_report) x
        LEFT JOIN staging.province_report s ON s.province_code = x.province_code AND s.report_date = x.report_date
        LEFT JOIN etl.quarantine q ON q.source = 'province_daily_report'
             AND q.source_id = etl.report_id(x.province_code, x.report_date)""")
    extracted, loaded, quarantined = cur.fetchone()
    if extracted != loaded + quarantined:
        raise RunError(f"hand reports: extracted {extracted} != loaded {loaded} + quarantined {quarantined}")
    out["province_daily_report"] = {"extracted": extracted, "loaded": loaded, "quarantined": quarantined}
    for source, table in (("vaccine_allocation", "allocation"), ("test_sample", "test_sample"),
                          ("identity_verification", "verification"), ("citizen_feedback", "feedback")):
        cur.execute(sql.SQL("SELECT count(*), count(s.id), count(q.source_id) FROM (SELECT DISTINCT id FROM {}) x"
                            " LEFT JOIN {} s ON s.id = x.id"
                            " LEFT JOIN etl.quarantine q ON q.source = %s AND q.source_id = x.id").format(
                                sql.Identifier(f"_x_{source}"), sql.Identifier("staging", table)), (source,))
        extracted, loaded, quarantined = cur.fetchone()
        if extracted != loaded + quarantined:
            raise RunError(f"{source}: extracted {extracted} != loaded {loaded} + quarantined {quarantined}")
        out[source] = {"extracted": extracted, "loaded": loaded, "quarantined": quarantined}
    return out

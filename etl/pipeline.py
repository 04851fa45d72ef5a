"""One ETL run: extract by watermark, validate, recompute the touched mart slices, publish atomically.

Everything a run writes to the reporting database happens in one REPEATABLE READ transaction: readers see
the previous data version or the new one, never half a run. A rebuild loads into fresh staging and mart
schemas and swaps them in at its commit, so readers keep the published tables meanwhile. A failed run rolls
back and is logged as failed in etl.run (in a separate transaction); the next run starts from the unchanged
watermarks, and marks a run killed outright (still 'running') abandoned. A run that changed nothing keeps
the data version, and so the dashboard's caches.
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
from datetime import date
from pathlib import Path

import psycopg2
import psycopg2.errors
import psycopg2.extras
import sqlalchemy as sa

from common.settings import Settings
from etl import contract
from etl.migrate import applied_version, available, migrate

log = logging.getLogger(__name__)
SQL = Path(__file__).resolve().parent.parent / "sql" / "etl"
RUN_LOCK_KEY = 7_2021_0002
CAMPAIGN_START = date(2021, 3, 8)
# Rows are read by transaction id, not by timestamp: a watermark is the xmin of the extract's snapshot (the
# oldest transaction still in flight then), and the next run reads every row version written by it or later.
# Exact whatever the rows' updated_at say (stamped in the future, or by a transaction open for hours), with no
# privilege (pg_stat_activity) and in the extract's own snapshot. Beyond 2^31 transactions age() wraps:
# read everything again (PostgreSQL itself stops long before).
XID_HORIZON = 2**31 - 10**7
SOURCES = ("facility", "vaccine_lot", "person", "dose_record", "stock_movement", "province_daily_report",
           "test_sample", "identity_verification", "citizen_feedback")
# Rows placed by their person's district (residence, else first valid dose's site; see the extracts): read
# again with every person read this run (who appeared, moved) and every person without a residence whose
# doses were (the first dose may have moved).
PLACED_BY_PERSON = ("identity_verification", "citizen_feedback")
_PLACED_AGAIN = """SELECT coalesce(array_agg(id), '{}') FROM (SELECT id FROM _x_person UNION
                   SELECT person_id FROM _x_dose_record WHERE residence_missing AND NOT person_missing) p"""
# Every table of the mart schema (test_etl checks it); a rebuild builds them all afresh.
MART_TABLES = ("doses_daily", "doses_province_daily", "site_doses_daily", "people_daily", "people_province_daily",
               "site_lag_daily", "lag_daily", "lag_province_daily", "quarantine_daily", "field_flags_daily",
               "report_daily", "verification_daily", "verification_field_daily", "feedback_daily", "stock_daily",
               "tests_daily")
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


def expand_scope(sql: str, everything: bool) -> str:
    """`IN_SCOPE(condition)` in the ETL's SQL: the condition in an incremental run, `true` in a rebuild.

    Written as text, not as `:all OR condition`: PostgreSQL does not turn an IN (SELECT ...) under an OR
    into a semi-join, so an incremental run would scan the whole history."""
    out, i = [], 0
    while (start := sql.find("IN_SCOPE(", i)) >= 0:
        depth, j = 1, start + len("IN_SCOPE(")
        while depth:
            depth += {"(": 1, ")": -1}.get(sql[j], 0)
            j += 1
        out += [sql[i:start], "true" if everything else "(" + sql[start + len("IN_SCOPE("):j - 1] + ")"]
        i = j
    return "".join(out) + sql[i:]


def _exec(cur, name: str, params: dict | None = None) -> None:
    """Execute a SQL file statement by statement, logging each one's time (DEBUG) for profiling."""
    sql = expand_scope(_sql(name), bool((params or {}).get("all")))
    for statement in re.split(r";\s*\n", sql):
        if not statement.strip() or all(line.strip().startswith("--") or not line.strip()
                                        for line in statement.splitlines()):
            continue
        t = time.perf_counter()
        cur.execute(statement, params or {})
        if log.isEnabledFor(logging.DEBUG):
            first = next(line for line in statement.splitlines() if line.strip() and not line.startswith("--"))
            log.debug("%s %.2f s: %s", name, time.perf_counter() - t, first.strip()[:90])


class Steps:
    """Times the named steps of a run."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    @contextmanager
    def __call__(self, name: str) -> Iterator[None]:
        t = time.perf_counter()
        yield
        self.seconds[name] = round(self.seconds.get(name, 0.0) + time.perf_counter() - t, 3)
        log.info("step %s: %.2f s", name, self.seconds[name])


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


def _pipe_copy(scur, query: str, params: dict, cur, target: str) -> None:
    """Stream a query's rows from the platform's cursor into a landing table (binary COPY over a pipe)."""
    import os

    read_fd, write_fd = os.pipe()
    errors: list[BaseException] = []

    def produce() -> None:
        try:
            with os.fdopen(write_fd, "wb") as out:
                scur.copy_expert(f"COPY ({scur.mogrify(query, params).decode()}) TO STDOUT (FORMAT binary)", out)
        except BaseException as exc:  # reported by the consumer
            errors.append(exc)

    thread = threading.Thread(target=produce, daemon=True)
    thread.start()
    with os.fdopen(read_fd, "rb") as inp:
        try:
            cur.copy_expert(f"COPY {target} FROM STDIN (FORMAT binary)", inp)
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

    `on_step(step, cursor)` is called after the main steps (tests use it to break a run midway).
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
        steps = Steps()
        try:
            result = _run_transaction(settings, reporting, platform_url, same_database, run_id, rebuild, steps,
                                      on_step)
        except Exception as exc:
            lock_conn.rollback()
            message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            lock_cur.execute("UPDATE etl.run SET status = 'failed', finished_at = clock_timestamp(), error = %s,"
                             " steps = %s WHERE id = %s",
                             (f"{type(exc).__name__}: {message}", psycopg2.extras.Json(steps.seconds), run_id))
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


def _run_transaction(settings, reporting, platform_url, same_database, run_id, rebuild, steps, on_step):
    ikey, okey = hmac_pads(settings.pseudonym_key)
    params = {"all": rebuild, "run_id": run_id, "ikey": ikey, "okey": okey, "campaign_start": CAMPAIGN_START}
    raw = reporting.raw_connection()
    counts: dict[str, dict[str, int]] = {}
    try:
        raw.set_session(isolation_level="REPEATABLE READ", autocommit=False)
        cur = raw.cursor()
        cur.execute("SET LOCAL work_mem = '256MB'; SET LOCAL maintenance_work_mem = '512MB';"
                    " SET LOCAL synchronous_commit = on; SET LOCAL timezone = 'UTC'")
        written_before = _write_counts(cur)

        def check_fail(step: str) -> None:
            if on_step is not None:
                on_step(step, cur)

        with steps("contract"):
            contract.check(platform_url if not same_database else None, cur)
        recreate: list[str] = []
        if rebuild:
            with steps("fresh_schemas"):
                recreate = _fresh_schemas(cur)
                # small tables that readers (the status command) read: row locks, not TRUNCATE's exclusive one
                cur.execute("DELETE FROM etl.quarantine; DELETE FROM etl.watermark")
        with steps("reference"):
            cur.execute("SELECT count(*) FROM ref.province")
            if rebuild or cur.fetchone()[0] == 0:
                contract.refresh_reference(platform_url, same_database, cur)
        with steps("extract"):
            _exec(cur, "landing.sql")
            cur.execute("SELECT source, xid FROM etl.watermark")
            marks = dict(cur.fetchall())
            with _platform(platform_url, same_database, cur) as pcur:
                # pg_current_snapshot() is the transaction's snapshot in REPEATABLE READ: the one every
                # extract below reads, so what it calls in flight is exactly what they cannot see.
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
                    query = expand_scope((SQL / "extract" / f"{source}.sql").read_text(encoding="utf-8"), everything)
                    if same_database:
                        cur.execute(f"INSERT INTO _x_{source} {query}", q_params)
                    else:
                        _pipe_copy(pcur, query, q_params, cur, f"_x_{source}")
                    # updated_at is shown (data_until), never trusted: a stamp after the platform's clock is not.
                    cur.execute(f"SELECT count(*), max(updated_at) FILTER (WHERE updated_at <= %s) FROM _x_{source}",
                                (clock,))
                    n, newest = cur.fetchone()
                    counts[source] = {"extracted": n}
                    cur.execute("UPDATE etl.watermark SET updated_at = greatest(updated_at, %s), xid = %s, run_id = %s"
                                " WHERE source = %s", (newest, snapshot_xmin, run_id, source))
                    if cur.rowcount == 0 and newest is not None:
                        cur.execute("INSERT INTO etl.watermark (source, updated_at, xid, run_id)"
                                    " VALUES (%s, %s, %s, %s)", (source, newest, snapshot_xmin, run_id))
                    cur.execute(f"ANALYZE _x_{source}")
        check_fail("extract")
        with steps("load_reference"):
            _exec(cur, "load_reference.sql", params)
        # Statistics must follow a big load, or the planner picks nested loops over what it thinks is empty.
        cur.execute("SELECT reltuples FROM pg_class WHERE oid = 'staging.dose'::regclass")
        known = cur.fetchone()[0]
        big = rebuild or known <= 0 or counts["dose_record"]["extracted"] > 0.1 * known
        with steps("load_doses"):
            if rebuild:
                _exec(cur, "empty_scopes.sql")
                _exec(cur, "load_dose.sql", params)
            else:
                _exec(cur, "load_dose.sql", params)
                _exec(cur, "touched.sql", params)
                _exec(cur, "slices_before.sql", params)
            if big:  # the planner must see what was just loaded, inside this transaction
                cur.execute("ANALYZE staging.dose")
        with steps("validate"):
            _exec(cur, "validate_dose.sql", params)
        with steps("milestones"):
            _exec(cur, "milestones.sql", params)
            if not rebuild:
                _exec(cur, "slices_after.sql", params)
        check_fail("validate")
        with steps("load_others"):
            _exec(cur, "load_others.sql", params)
            if big:
                cur.execute("ANALYZE staging.person_milestone; ANALYZE staging.stock_movement;"
                            " ANALYZE staging.test_sample; ANALYZE staging.verification; ANALYZE staging.feedback;"
                            " ANALYZE ref.lot; ANALYZE ref.facility")
        with steps("marts_doses"):
            _exec(cur, "marts/doses.sql", params)
            _exec(cur, "marts/people.sql", params)
            if big:
                cur.execute("ANALYZE mart.doses_daily; ANALYZE mart.lag_daily; ANALYZE mart.people_daily")
            _exec(cur, "marts/rollups.sql", params)
        with steps("marts_operations"):
            _exec(cur, "marts/operations.sql", params)
        if recreate:
            with steps("indexes"):
                for statement in recreate:
                    cur.execute(statement)
        check_fail("marts")
        with steps("check"):
            counts |= _conservation(cur)
        with steps("publish"):
            changes = _changes(cur, written_before)
            published = rebuild or changes > 0
            if published:
                cur.execute("UPDATE etl.data_version SET version = version + 1, run_id = %s, published_at = now(),"
                            " data_until = (SELECT max(updated_at) FROM etl.watermark) RETURNING version", (run_id,))
            else:  # the same data: the version, and every page cached under it, stay
                cur.execute("SELECT version FROM etl.data_version")
            version = cur.fetchone()[0]
            cur.execute("UPDATE etl.run SET status = 'succeeded', finished_at = clock_timestamp(), data_version = %s,"
                        " steps = %s, counts = %s, changes = %s WHERE id = %s",
                        (version, psycopg2.extras.Json(steps.seconds), psycopg2.extras.Json(counts), changes,
                         run_id))
            raw.commit()
        if rebuild:
            raw.set_session(isolation_level="READ COMMITTED", autocommit=True)
            with steps("drop_previous"):
                _drop_previous(cur)
            with steps("analyze"):
                cur.execute("ANALYZE staging.dose; ANALYZE staging.person_milestone")
                for t in MART_TABLES:
                    cur.execute(f"ANALYZE mart.{t}")
        return RunResult(run_id, "rebuild" if rebuild else "incremental", version, 0.0, steps.seconds, counts,
                         changes, published)
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


def _fresh_schemas(cur) -> list[str]:
    """Rename the published staging and mart schemas to <schema>_previous and create them again with empty
    tables of the same shape and grants, without indexes (PostgreSQL's bulk-load advice) but with the staging
    keys that the upserts need; returns the statements that build the other indexes, once, after the load.

    Readers never wait: other sessions resolve `mart.x` to the committed (previous) tables until this
    transaction commits. ALTER SCHEMA ... RENAME locks the schema object only, which a table read does not
    take (DDL creating objects in the schema waits). The previous schemas are dropped by _drop_previous."""
    cur.execute(_sql("swap_check.sql"))
    if problems := [r[0] for r in cur.fetchall()]:
        raise RunError("rebuild: the schema swap copies plain tables only, but " + "; ".join(problems))
    recreate: list[str] = []
    for schema in SWAPPED:
        old = f"{schema}_previous"
        cur.execute(f"DROP SCHEMA IF EXISTS {old} CASCADE")  # left by a rebuild killed just after its commit
        cur.execute(_SWAP_GRANTS, {"s": schema})
        grants = [r[0] for r in cur.fetchall()]
        cur.execute(_SWAP_INDEXES, {"s": schema})
        indexes = cur.fetchall()
        cur.execute("SELECT relname, reloptions FROM pg_class WHERE relnamespace = %s::regnamespace"
                    " AND relkind = 'r' ORDER BY 1", (schema,))
        tables = cur.fetchall()
        cur.execute(f"ALTER SCHEMA {schema} RENAME TO {old}; CREATE SCHEMA {schema}")
        for table, options in tables:
            cur.execute(f"CREATE TABLE {schema}.{table} (LIKE {old}.{table} INCLUDING ALL EXCLUDING INDEXES)"
                        + (f" WITH ({', '.join(options)})" if options else ""))
        for statement in grants:
            cur.execute(statement)
        for table, indexdef, constraint, constraintdef, kind in indexes:
            statement = (f'ALTER TABLE {schema}.{table} ADD CONSTRAINT "{constraint}" {constraintdef}'
                         if constraint else indexdef)
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


def _drop_previous(cur) -> None:
    """Drop the schemas a rebuild replaced. A reader still inside them holds the drop back, briefly; one that
    holds it longer leaves them to the next rebuild rather than keeping this run waiting."""
    cur.execute("SET lock_timeout = '10s'")
    try:
        cur.execute("DROP SCHEMA IF EXISTS " + ", ".join(f"{s}_previous" for s in SWAPPED) + " CASCADE")
    except psycopg2.errors.LockNotAvailable:
        log.warning("the previous staging and mart schemas are still read: the next rebuild drops them")
    finally:
        cur.execute("RESET lock_timeout")


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
    for source, table in (("test_sample", "staging.test_sample"), ("identity_verification", "staging.verification"),
                          ("citizen_feedback", "staging.feedback")):
        cur.execute(f"SELECT count(*), count(s.id), count(q.source_id) FROM (SELECT DISTINCT id FROM _x_{source}) x"
                    f" LEFT JOIN {table} s ON s.id = x.id"
                    " LEFT JOIN etl.quarantine q ON q.source = %s AND q.source_id = x.id", (source,))
        extracted, loaded, quarantined = cur.fetchone()
        if extracted != loaded + quarantined:
            raise RunError(f"{source}: extracted {extracted} != loaded {loaded} + quarantined {quarantined}")
        out[source] = {"extracted": extracted, "loaded": loaded, "quarantined": quarantined}
    return out

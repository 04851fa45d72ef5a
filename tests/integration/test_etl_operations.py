"""Operating the ETL next to a live dashboard: rebuilds with accounts present, readers during a rebuild,
killed runs, and runs that change nothing (issue 10, points 11-13)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading
import time
import uuid

import psycopg2
import pytest
import sqlalchemy as sa

from common.settings import PROJECT_ROOT, Settings
from dashboard.auth import users
from dashboard.data import DataAccess
from etl.simulator.engine import simulate
from etl.source_contract import ContractError
from etl.status import status
from tests.conftest import rows, scalar
from tests.integration.test_etl import SETTINGS, etl, snapshot, url_of

PASSWORD = "mat-khau-dai-12345"


def cli(engine: sa.Engine, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "etl", *args], capture_output=True, text=True, cwd=PROJECT_ROOT,
                          env={"DATABASE_URL": url_of(engine), "PSEUDONYM_KEY": SETTINGS.pseudonym_key,
                               "PATH": "/usr/bin:/bin"}, timeout=300)


def data_version_row(engine: sa.Engine) -> tuple:
    return rows(engine, "SELECT version, run_id, published_at, data_until FROM etl.data_version")[0]


@pytest.fixture()
def small(make_database):
    engine = make_database()
    simulate(engine, scale=0.001, seed=5, until="2021-09-20", perfect=True)
    etl(engine)
    return engine


# ---------------------------------------------------------------- point 11: rebuilds with accounts

def test_rebuild_and_incremental_runs_with_accounts_of_every_role(small):
    for name, role, province in (("quoc_gia", "national", None), ("hcm", "province", "79"),
                                 ("ha_noi", "province", "01"), ("phan_tich", "analyst", None),
                                 ("quan_tri", "admin", None)):
        users.add(small, name, PASSWORD, role, province)
    accounts = rows(small, 'SELECT id, username, role, province_code FROM auth."user" ORDER BY id')
    version = scalar(small, "SELECT version FROM etl.data_version")

    out = cli(small, "rebuild")  # the demo's own command; it failed on a foreign key while an account existed
    assert out.returncode == 0, out.stderr
    assert scalar(small, "SELECT version FROM etl.data_version") == version + 1
    simulate(small, scale=0.001, seed=5, until="2021-09-30", perfect=True)
    assert etl(small).counts["dose_record"]["extracted"] > 0
    incremental = snapshot(small)
    etl(small, rebuild=True)
    assert snapshot(small) == incremental
    assert rows(small, 'SELECT id, username, role, province_code FROM auth."user" ORDER BY id') == accounts
    assert scalar(small, "SELECT count(*) FROM ref.province") == 63


def test_a_province_gone_from_the_platform_with_an_account_is_named(small):
    with small.begin() as conn:
        conn.execute(sa.text("INSERT INTO platform.province VALUES ('99', 'Thử nghiệm', 'Tỉnh Thử nghiệm', 'tinh')"))
    etl(small, rebuild=True)
    users.add(small, "thu_nghiem", PASSWORD, "province", "99")
    with small.begin() as conn:
        conn.execute(sa.text("DELETE FROM platform.province WHERE code = '99'"))
    before, version = snapshot(small), data_version_row(small)
    with pytest.raises(ContractError, match=r"province 99 \(Thử nghiệm\) is no longer on the platform but "
                                            r"accounts are tied to it: thu_nghiem"):
        etl(small, rebuild=True)
    out = cli(small, "rebuild")
    assert out.returncode == 2 and out.stderr.startswith("error: reference: province 99")
    assert "Traceback" not in out.stderr
    assert snapshot(small) == before and data_version_row(small) == version
    # without the account the province leaves the reference like any other vanished unit
    with small.begin() as conn:
        conn.execute(sa.text("DELETE FROM auth.\"user\" WHERE username = 'thu_nghiem'"))
    etl(small, rebuild=True)
    assert scalar(small, "SELECT count(*) FROM ref.province WHERE code = '99'") == 0


# ---------------------------------------------------------------- point 12: readers during a rebuild

def _reader(engine: sa.Engine) -> tuple[DataAccess, sa.Engine]:
    """The dashboard's data access on its own connections; a blocked statement fails after 5 s (not a hang)."""
    url = url_of(engine)
    reader = sa.create_engine(url, connect_args={"options": "-c statement_timeout=5000"})
    data = DataAccess(Settings(database_url=url))
    data._engine = reader
    return data, reader


def _figures(data: DataAccess, reader: sa.Engine) -> tuple[dict, float]:
    """What a dashboard request reads (freshness, areas, population, a mart, the status command), and the
    slowest read's seconds."""
    slowest, out = 0.0, {}
    data._version = None  # read etl.data_version every time
    for name, read in (
            ("freshness", lambda: tuple(data.query("freshness").iloc[0][["last_day", "version"]])),
            ("areas", lambda: len(data.query("areas"))),
            ("population", lambda: int(data.query("population", {"level": "province"})["population"].sum())),
            ("doses", lambda: scalar(reader, "SELECT sum(doses) FROM mart.doses_province_daily")),
            ("people", lambda: scalar(reader, "SELECT sum(people) FROM mart.people_daily")),
            ("status", lambda: (status(reader)["data_version"]["version"], sum(status(reader)["quarantine"].values()))),
    ):
        t = time.perf_counter()
        out[name] = read()
        slowest = max(slowest, time.perf_counter() - t)
    return out, slowest


def _held_rebuild(engine: sa.Engine, step: str = "marts"):
    """A rebuild in a thread, held after `step` until released; returns (held, release, thread, outcome)."""
    held, release, outcome = threading.Event(), threading.Event(), {}

    def hold(name: str, cur) -> None:
        if name == step:
            held.set()
            release.wait(timeout=120)

    def work() -> None:
        try:
            outcome["result"] = etl(engine, rebuild=True, on_step=hold)
        except BaseException as exc:
            outcome["error"] = exc

    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    assert held.wait(timeout=120), outcome
    return release, thread, outcome


def test_readers_keep_the_published_version_during_a_rebuild(small):
    role = f"vax_reader_{uuid.uuid4().hex[:8]}"  # an operator's read-only role keeps its grants
    with small.begin() as conn:
        conn.execute(sa.text(f"CREATE ROLE {role}; GRANT USAGE ON SCHEMA mart TO {role};"
                             f" GRANT SELECT ON mart.doses_daily TO {role}"))
    try:
        indexes = rows(small, "SELECT schemaname, indexname, indexdef FROM pg_indexes"
                              " WHERE schemaname IN ('staging', 'mart') ORDER BY 1, 2")
        data, reader = _reader(small)
        before, _ = _figures(data, reader)
        simulate(small, scale=0.001, seed=5, until="2021-10-15", perfect=True)  # the rebuild brings new figures
        release, thread, outcome = _held_rebuild(small)
        try:
            during, slowest = _figures(data, reader)
        finally:
            release.set()
            thread.join(timeout=300)
        assert "error" not in outcome, outcome
        assert slowest < 1.0, slowest
        assert during == before
        after, _ = _figures(data, reader)
        assert after["doses"] > before["doses"] and after["freshness"][1] == before["freshness"][1] + 1
        assert after["freshness"][0] > before["freshness"][0]
        assert after["doses"] == scalar(small, """
            SELECT count(*) FROM platform.dose_record r WHERE r.status = 'valid' AND NOT EXISTS (
                SELECT 1 FROM etl.quarantine q WHERE q.source = 'dose_record' AND q.source_id = r.id)""")
        # the new tables have every index, key and grant of the old, and the old ones are gone
        assert rows(small, "SELECT schemaname, indexname, indexdef FROM pg_indexes"
                           " WHERE schemaname IN ('staging', 'mart') ORDER BY 1, 2") == indexes
        assert scalar(small, f"SELECT has_table_privilege('{role}', 'mart.doses_daily', 'SELECT')"
                             f" AND has_schema_privilege('{role}', 'mart', 'USAGE')")
        assert rows(small, "SELECT nspname FROM pg_namespace WHERE nspname LIKE '%previous'") == []
        # and incremental runs go on from the swapped tables, equal to a rebuild
        simulate(small, scale=0.001, seed=5, until="2021-10-25", perfect=True)
        assert etl(small).published
        incremental = snapshot(small)
        etl(small, rebuild=True)
        assert snapshot(small) == incremental
        reader.dispose()
    finally:
        with small.begin() as conn:
            conn.execute(sa.text(f"DROP OWNED BY {role}; DROP ROLE {role}"))


def test_a_failed_or_killed_rebuild_leaves_the_published_version_readable(small):
    before, version = snapshot(small), data_version_row(small)
    simulate(small, scale=0.001, seed=5, until="2021-10-05", perfect=True)
    data, reader = _reader(small)
    figures, _ = _figures(data, reader)

    def kill(step: str, cur) -> None:
        if step == "marts":
            with small.connect() as other:
                other.execute(sa.text("SELECT pg_terminate_backend(:p)"), {"p": cur.connection.get_backend_pid()})

    with pytest.raises(psycopg2.OperationalError):
        etl(small, rebuild=True, on_step=kill)
    assert snapshot(small) == before and data_version_row(small) == version
    assert _figures(data, reader)[0] == figures
    assert rows(small, "SELECT nspname FROM pg_namespace WHERE nspname LIKE '%previous'") == []
    # a rebuild killed after its commit, before dropping the previous schemas: the next one drops them
    with small.begin() as conn:
        conn.execute(sa.text("CREATE SCHEMA mart_previous; CREATE TABLE mart_previous.doses_daily (x int)"))
    etl(small, rebuild=True)
    assert rows(small, "SELECT nspname FROM pg_namespace WHERE nspname LIKE '%previous'") == []
    reader.dispose()


def test_a_rebuild_refuses_to_drop_what_depends_on_its_tables(small):
    with small.begin() as conn:
        conn.execute(sa.text("CREATE VIEW ref.doses_view AS SELECT * FROM mart.doses_daily"))
    version = data_version_row(small)
    with pytest.raises(RuntimeError, match=r"view ref.doses_view depends on mart.doses_daily"):
        etl(small, rebuild=True)
    assert data_version_row(small) == version
    assert scalar(small, "SELECT count(*) FROM ref.doses_view") > 0


# ---------------------------------------------------------------- point 13: killed runs, runs without change

HOLD = textwrap.dedent("""
    import sys, time
    import sqlalchemy as sa
    from etl.pipeline import run
    from common.settings import Settings

    def hold(step, cur):
        if step == "validate":
            print("held", flush=True)
            time.sleep(600)

    run(Settings(pseudonym_key=sys.argv[2]), sa.create_engine(sys.argv[1]), sys.argv[1], on_step=hold)
""")


def test_a_killed_run_is_marked_abandoned_by_the_next(small):
    version = scalar(small, "SELECT version FROM etl.data_version")
    simulate(small, scale=0.001, seed=5, until="2021-09-25", perfect=True)
    proc = subprocess.Popen([sys.executable, "-c", HOLD, url_of(small), SETTINGS.pseudonym_key],
                            stdout=subprocess.PIPE, text=True, cwd=PROJECT_ROOT)
    try:
        assert proc.stdout.readline().strip() == "held"
    finally:
        proc.kill()  # SIGKILL: no except, no finally, nothing logged
        proc.wait(timeout=30)
    killed = scalar(small, "SELECT max(id) FROM etl.run")
    assert rows(small, "SELECT status, finished_at FROM etl.run WHERE id = :i", i=killed) == [("running", None)]

    result = etl(small, wait=True)
    status_, finished, error = rows(small, "SELECT status, finished_at, error FROM etl.run WHERE id = :i", i=killed)[0]
    assert status_ == "abandoned" and finished is not None
    assert error == ("abandoned: the run stopped without finishing (its process was killed or its connection lost);"
                     f" found by run {result.run_id}")
    assert scalar(small, "SELECT count(*) FROM etl.run WHERE status = 'running'") == 0
    assert result.data_version == version + 1  # the killed run published nothing; this one publishes its rows
    out = cli(small, "status")
    assert out.returncode == 0 and f"#{killed} incremental abandoned" in out.stdout and error in out.stdout


def test_a_run_that_changes_nothing_keeps_the_data_version(small):
    etl(small)  # the first incremental run after the first (rebuild) run
    published = data_version_row(small)
    figures = snapshot(small)
    for _ in range(2):
        # rows written again with the same content are read again (a new row version), and change nothing
        with small.begin() as conn:
            conn.execute(sa.text("UPDATE platform.dose_record SET status = status WHERE id IN"
                                 " (SELECT id FROM platform.dose_record ORDER BY id LIMIT 100)"))
        result = etl(small)
        assert result.counts["dose_record"]["extracted"] >= 100
        assert data_version_row(small) == published
        assert not result.published and result.changes == 0
    assert snapshot(small) == figures
    assert rows(small, "SELECT status, data_version, changes FROM etl.run ORDER BY id DESC LIMIT 1") == [
        ("succeeded", published[0], 0)]
    out = cli(small, "status")
    assert out.returncode == 0 and f"data version {published[0]} kept: nothing changed" in out.stdout

    # one changed row (a void) is a change: the version moves and the figures equal a rebuild's
    with small.begin() as conn:
        conn.execute(sa.text("""
            UPDATE platform.dose_record SET status = 'voided', updated_at = updated_at + interval '1 second'
            WHERE id = (SELECT id FROM platform.dose_record WHERE status = 'valid' ORDER BY updated_at DESC
                        LIMIT 1)"""))
    result = etl(small)
    assert result.published and result.changes > 0 and result.data_version == published[0] + 1
    assert snapshot(small) != figures
    incremental = snapshot(small)
    etl(small, rebuild=True)
    assert snapshot(small) == incremental

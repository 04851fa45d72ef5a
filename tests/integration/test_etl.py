"""The ETL against a real PostgreSQL: exact, incremental = rebuild, validated, private, atomic."""

from __future__ import annotations

import subprocess
import sys
import threading
from datetime import datetime, timedelta, timezone

import psycopg2
import pytest
import sqlalchemy as sa

from common.settings import PROJECT_ROOT, Settings
from etl.migrate import migrate
from etl.pipeline import MART_TABLES, RUN_LOCK_KEY, SOURCES, AlreadyRunning, RunError, run
from etl.simulator.engine import simulate
from tests import faults
from tests.conftest import rows, scalar

SETTINGS = Settings(pseudonym_key="test-key")
UTC7 = timezone(timedelta(hours=7))


def url_of(engine: sa.Engine) -> str:
    return engine.url.render_as_string(hide_password=False)


def etl(engine: sa.Engine, **kw):
    return run(SETTINGS, engine, url_of(engine), **kw)


def snapshot(engine: sa.Engine) -> dict[str, str]:
    """A digest of every mart, of the quarantine and of the milestones: equal digests, equal data.

    Every table of the mart schema, read from the catalogue: a new mart is compared without being listed here,
    and one missing from the pipeline's MART_TABLES (which a rebuild empties) fails."""
    marts = sorted(r[0] for r in rows(engine, "SELECT tablename FROM pg_tables WHERE schemaname = 'mart'"))
    assert marts == sorted(MART_TABLES)
    tables = [f"mart.{m}" for m in marts] + ["staging.person_milestone"]
    out = {t: scalar(engine, f"SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM {t} t")
           for t in tables}
    out["quarantine"] = scalar(engine, "SELECT md5(coalesce(string_agg(source || source_id || rule_id, '|' "
                                       "ORDER BY source, source_id), '')) FROM etl.quarantine")
    return out


@pytest.fixture(scope="module")
def loaded(make_database):
    """Simulated in steps (late entries and voids between them), the ETL run after each step."""
    engine = make_database()
    for until in ("2021-09-25", "2021-10-10", "2021-10-21", "2021-10-22", "2021-11-05", "2021-12-15"):
        simulate(engine, scale=0.002, seed=3, until=until)
        etl(engine)
    return engine


def test_incremental_runs_equal_a_full_rebuild(loaded):
    incremental = snapshot(loaded)
    assert scalar(loaded, "SELECT count(*) FROM etl.run WHERE status = 'succeeded'") == 6
    assert scalar(loaded, "SELECT count(*) FROM mart.doses_daily") > 1000
    etl(loaded, rebuild=True)
    assert snapshot(loaded) == incremental


def test_conservation_per_province_and_day(loaded):
    """Every mart sums to the count of valid, unquarantined platform rows, per province and day."""
    truth = dict(((p, d), n) for p, d, n in rows(loaded, """
        SELECT f.province_code, ((r.injected_at AT TIME ZONE 'UTC') + interval '7 hours')::date, count(*)
        FROM platform.dose_record r JOIN platform.facility f ON f.id = r.site_id
        WHERE r.status = 'valid' AND NOT EXISTS (SELECT 1 FROM etl.quarantine q
                                                 WHERE q.source = 'dose_record' AND q.source_id = r.id)
        GROUP BY 1, 2"""))
    for mart, column in (("doses_province_daily", "doses"), ("lag_province_daily", "doses")):
        got = dict(((p, d), n) for p, d, n in rows(loaded, f"SELECT province, day, sum({column}) FROM mart.{mart} "
                                                           "GROUP BY 1, 2"))
        assert got == truth, mart
    for mart in ("doses_daily", "site_lag_daily"):
        district_sum = dict(((p, d), n) for p, d, n in rows(loaded, f"""
            SELECT d.province_code, m.day, sum(m.doses) FROM mart.{mart} m JOIN ref.district d ON d.code = m.district
            GROUP BY 1, 2"""))
        assert district_sum == truth, mart
    report = dict(((p, d), n) for p, d, n in rows(loaded, "SELECT province, day, platform_doses FROM mart.report_daily "
                                                          "WHERE platform_doses > 0"))
    assert report == truth
    administered = scalar(loaded, "SELECT sum(administered) FROM mart.stock_daily")
    assert administered == sum(truth.values())
    # people: one first-dose milestone per person with an accepted dose, counted where they live
    people = scalar(loaded, "SELECT sum(people) FROM mart.people_daily WHERE milestone = 1")
    persons = scalar(loaded, """
        SELECT count(DISTINCT r.person_id) FROM platform.dose_record r WHERE r.status = 'valid'
        AND NOT EXISTS (SELECT 1 FROM etl.quarantine q WHERE q.source = 'dose_record' AND q.source_id = r.id)""")
    assert people == persons
    tests = scalar(loaded, "SELECT sum(samples) FROM mart.tests_daily")
    assert tests == scalar(loaded, """
        SELECT count(*) FROM platform.test_sample s
        WHERE NOT EXISTS (SELECT 1 FROM etl.quarantine q WHERE q.source = 'test_sample' AND q.source_id = s.id)""")
    assert scalar(loaded, "SELECT count(*) FROM etl.quarantine WHERE source = 'test_sample'") > 0  # the faults
    reported = scalar(loaded, "SELECT sum(reported_doses) FROM mart.report_daily")
    assert reported == scalar(loaded, "SELECT sum(doses_reported) FROM platform.province_daily_report")


def test_the_run_log_balances_and_status_reports_it(loaded):
    for counts in (r[0] for r in rows(loaded, "SELECT counts FROM etl.run WHERE status = 'succeeded'")):
        d = counts["dose_record"]
        assert d["extracted"] == d["loaded"] + d["quarantined"]
    out = subprocess.run([sys.executable, "-m", "etl", "status", "--json"], capture_output=True, text=True,
                         cwd=PROJECT_ROOT, env={"DATABASE_URL": url_of(loaded), "PATH": "/usr/bin:/bin"}, timeout=60)
    assert out.returncode == 0, out.stderr
    import json

    info = json.loads(out.stdout)
    assert info["data_version"]["version"] == scalar(loaded, "SELECT version FROM etl.data_version")
    assert set(info["watermarks"]) == set(SOURCES)
    assert info["runs"][0]["status"] == "succeeded" and "validate" in info["runs"][0]["steps"]
    assert sum(info["quarantine"].values()) == scalar(loaded, "SELECT count(*) FROM etl.quarantine")


def test_no_personal_data_in_the_reporting_database(loaded):
    forbidden = ("full_name", "citizen_id", "phone", "birth_date", "person_id")
    columns = rows(loaded, """
        SELECT table_schema, table_name, column_name FROM information_schema.columns
        WHERE table_schema IN ('ref', 'staging', 'mart', 'etl')""")
    assert columns
    assert [c for c in columns if c[2] in forbidden or "name" in c[2] and c[1] not in
            ("province", "district", "commune", "product", "facility", "schema_migration")] == []
    # and no value of the platform's personal columns appears in a reporting text column
    sample = [r[0] for r in rows(loaded, "SELECT citizen_id FROM platform.person WHERE citizen_id IS NOT NULL "
                                         "LIMIT 50")]
    names = [r[0] for r in rows(loaded, "SELECT full_name FROM platform.person LIMIT 50")]
    text_columns = [c for c in columns if c[0] in ("staging", "mart", "etl")]
    for schema, table, column in text_columns:
        kind = scalar(loaded, "SELECT data_type FROM information_schema.columns WHERE table_schema = :s AND "
                              "table_name = :t AND column_name = :c", s=schema, t=table, c=column)
        if kind == "text":
            hits = scalar(loaded, f"SELECT count(*) FROM {schema}.{table} WHERE {column} = ANY(:v)",
                          v=sample + names)
            assert hits == 0, (schema, table, column)
    # people are opaque keys: 16 bytes, not derived without the key
    assert scalar(loaded, "SELECT min(length(person_key)) FROM staging.dose") == 16


@pytest.fixture()
def clean(make_database):
    engine = make_database()
    simulate(engine, scale=0.001, seed=21, until="2021-10-31", perfect=True)
    etl(engine)
    return engine


def test_each_rule_catches_its_planted_fault_and_only_it(clean):
    assert scalar(clean, "SELECT count(*) FROM etl.quarantine") == 0
    # pick distinct people with a dose 1 and a dose 2 (2-dose products), one per fault
    people = rows(clean, """
        SELECT d1.id, d2.id, d2.person_id FROM platform.dose_record d1
        JOIN platform.dose_record d2 ON d2.person_id = d1.person_id AND d2.dose_number = 2
        JOIN platform.vaccine_product p ON p.code = d1.product_code AND p.primary_doses = 2
        WHERE d1.dose_number = 1 ORDER BY d1.id LIMIT 8""")
    assert len(people) == 8
    (a1, a2, _), (b1, b2, _), (c1, c2, _), (e1, e2, _), (f1, f2, _), (g1, g2, _), (h1, h2, _), (k1, k2, _) = people
    expired = scalar(clean, "SELECT lot_code FROM platform.vaccine_lot ORDER BY expiry_date LIMIT 1")
    planted = {  # each rule's fault, in its own person's doses
        "D01_duplicate": lambda conn: faults.duplicate_dose(conn, a2, 900000001),
        "D02_out_of_order": lambda conn: faults.move_injection(conn, b2, -2, after=b1),
        "D03_future": lambda conn: faults.move_injection(conn, c2, 365),
        "D04_before_campaign": lambda conn: faults.set_injection(conn, e1, datetime(2020, 12, 1, 9, tzinfo=UTC7)),
        "D05_recorded_before_injected": lambda conn: faults.record_before_injection(conn, f2, 3),
        "D06_unknown_lot_or_site": lambda conn: faults.set_lot(conn, g2, "ZZ999999"),
        "D07_short_interval": lambda conn: faults.move_injection(conn, h2, 5, after=h1),
        "D08_lot_expired": lambda conn: faults.inject_after_expiry(conn, k1, expired, 3),
    }
    expected = {"D01_duplicate": 900000001, "D02_out_of_order": b2, "D03_future": c2, "D04_before_campaign": e1,
                "D05_recorded_before_injected": f2, "D06_unknown_lot_or_site": g2, "D07_short_interval": h2,
                "D08_lot_expired": k1}
    with clean.begin() as conn:
        for plant in planted.values():
            plant(conn)
    etl(clean)
    got = dict(rows(clean, "SELECT rule_id, source_id FROM etl.quarantine WHERE source = 'dose_record'"))
    assert got == expected
    assert scalar(clean, "SELECT count(*) FROM etl.quarantine") == len(expected)
    # every rule has its message in both languages
    assert scalar(clean, "SELECT count(*) FROM etl.rule WHERE message_vi <> '' AND message_en <> ''") >= 8
    # the correction of a fault releases the row into the marts again
    with clean.begin() as conn:
        faults.void_dose(conn, 900000001)
    etl(clean)
    assert "D01_duplicate" not in dict(rows(clean, "SELECT rule_id, source_id FROM etl.quarantine"))
    before = snapshot(clean)
    etl(clean, rebuild=True)
    assert snapshot(clean) == before


def test_missing_source_column_is_named(clean):
    with clean.begin() as conn:
        conn.execute(sa.text("ALTER TABLE platform.dose_record RENAME COLUMN lot_code TO lot"))
    out = subprocess.run([sys.executable, "-m", "etl", "run"], capture_output=True, text=True, cwd=PROJECT_ROOT,
                         env={"DATABASE_URL": url_of(clean), "PATH": "/usr/bin:/bin"}, timeout=60)
    assert out.returncode == 2
    assert out.stderr.strip() == ("error: source contract: platform.dose_record has no column lot_code "
                                  "(see sql/platform/schema.sql)")


def test_dropped_connection_keeps_the_published_version_and_the_next_run_recovers(clean):
    version = scalar(clean, "SELECT version FROM etl.data_version")
    before = snapshot(clean)
    simulate(clean, scale=0.001, seed=21, until="2021-11-10", perfect=True)

    def kill(step: str, cur) -> None:
        if step == "validate":
            pid = cur.connection.get_backend_pid()
            with clean.connect() as other:
                other.execute(sa.text("SELECT pg_terminate_backend(:p)"), {"p": pid})

    with pytest.raises(psycopg2.OperationalError):
        etl(clean, on_step=kill)
    assert scalar(clean, "SELECT version FROM etl.data_version") == version
    assert snapshot(clean) == before
    status, error = rows(clean, "SELECT status, error FROM etl.run ORDER BY id DESC LIMIT 1")[0]
    assert status == "failed" and "OperationalError" in error
    result = etl(clean)
    assert result.data_version == version + 1
    recovered = snapshot(clean)
    etl(clean, rebuild=True)
    assert snapshot(clean) == recovered


def test_a_failed_step_changes_nothing(clean):
    before, version = snapshot(clean), scalar(clean, "SELECT version FROM etl.data_version")

    def boom(step: str, cur) -> None:
        if step == "marts":
            raise RunError("injected failure")

    with pytest.raises(RunError):
        etl(clean, rebuild=True, on_step=boom)
    assert snapshot(clean) == before and scalar(clean, "SELECT version FROM etl.data_version") == version


def test_a_second_run_does_not_start_while_one_runs(clean):
    holder = psycopg2.connect(url_of(clean).replace("postgresql+psycopg2://", "postgresql://"))
    try:
        holder.cursor().execute("SELECT pg_advisory_lock(%s)", (RUN_LOCK_KEY,))
        with pytest.raises(AlreadyRunning, match="another ETL run is in progress"):
            etl(clean)
        out = subprocess.run([sys.executable, "-m", "etl", "run"], capture_output=True, text=True, cwd=PROJECT_ROOT,
                             env={"DATABASE_URL": url_of(clean), "PATH": "/usr/bin:/bin"}, timeout=60)
        assert out.returncode == 3 and "another ETL run is in progress" in out.stderr
        # --wait waits for the lock instead
        done = threading.Event()
        t = threading.Thread(target=lambda: (etl(clean, wait=True), done.set()))
        t.start()
        t.join(timeout=2)
        assert not done.is_set()
    finally:
        holder.close()
    t.join(timeout=60)
    assert done.is_set()


def test_migrations_are_recorded_and_idempotent(clean):
    assert migrate(clean) == []
    versions = [r[0] for r in rows(clean, "SELECT version FROM etl.schema_migration ORDER BY 1")]
    assert versions == sorted(versions) and versions[0] == 1


def test_an_incremental_run_after_a_rebuild_on_the_same_pool(clean):
    """The rebuild's last steps run outside the transaction; the pooled connection must come back usable."""
    etl(clean, rebuild=True)
    simulate(clean, scale=0.001, seed=21, until="2021-11-03", perfect=True)
    result = etl(clean)
    assert result.counts["dose_record"]["extracted"] > 0
    after = snapshot(clean)
    etl(clean, rebuild=True)
    assert snapshot(clean) == after


def test_a_platform_in_another_database_gives_the_same_marts(make_database):
    """PLATFORM_DATABASE_URL: rows stream by binary COPY between the databases; the result is identical."""
    platform, reporting, together = make_database(), make_database(), make_database()
    for engine in (platform, together):
        simulate(engine, scale=0.001, seed=8, until="2021-09-10")
    run(SETTINGS, reporting, url_of(platform))
    etl(together)
    assert snapshot(reporting) == snapshot(together)
    assert scalar(reporting, "SELECT to_regclass('platform.person') IS NULL")  # nothing of the platform copied
    for engine in (platform, together):
        simulate(engine, scale=0.001, seed=8, until="2021-09-20")
    run(SETTINGS, reporting, url_of(platform))
    etl(together)
    assert snapshot(reporting) == snapshot(together)

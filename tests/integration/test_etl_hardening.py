"""Issue 10, points 8-10: no committed row is skipped, no bad row halts publishing, no dose is lost silently."""

from __future__ import annotations

import psycopg2
import pytest
import sqlalchemy as sa

from etl.pipeline import run
from etl.simulator.engine import simulate
from tests import faults
from tests.conftest import rows, scalar
from tests.integration.test_etl import SETTINGS, snapshot, url_of

SEED = 21


def dsn(engine: sa.Engine) -> str:
    return url_of(engine).replace("postgresql+psycopg2://", "postgresql://")


@pytest.fixture(params=["same database", "platform database"])
def pair(request, make_database) -> tuple[sa.Engine, sa.Engine]:
    """(platform, reporting): one database, or the platform in another (PLATFORM_DATABASE_URL, binary COPY)."""
    platform = make_database()
    reporting = platform if request.param == "same database" else make_database()
    simulate(platform, scale=0.001, seed=SEED, until="2021-09-30", perfect=True)
    return platform, reporting


def etl(pair, **kw):
    platform, reporting = pair
    return run(SETTINGS, reporting, url_of(platform), **kw)


def platform_doses(pair) -> dict[tuple[str, object], int]:
    """Valid platform doses per (province, day) less those quarantined: what the marts must hold."""
    platform, reporting = pair
    quarantined = [r[0] for r in rows(reporting, "SELECT source_id FROM etl.quarantine WHERE source = 'dose_record'")]
    return dict(((p, d), n) for p, d, n in rows(platform, """
        SELECT f.province_code, ((r.injected_at AT TIME ZONE 'UTC') + interval '7 hours')::date, count(*)
        FROM platform.dose_record r JOIN platform.facility f ON f.id = r.site_id
        WHERE r.status = 'valid' AND NOT r.id = ANY(:q) GROUP BY 1, 2""", q=quarantined))


def mart_doses(reporting) -> dict[tuple[str, object], int]:
    return dict(((p, d), n) for p, d, n in rows(reporting, "SELECT province, day, sum(doses) FROM "
                                                           "mart.doses_province_daily GROUP BY 1, 2"))


def assert_exact(pair) -> None:
    """The marts count every platform dose exactly once, and an incremental history equals a rebuild."""
    assert mart_doses(pair[1]) == platform_doses(pair)
    before = snapshot(pair[1])
    etl(pair, rebuild=True)
    assert snapshot(pair[1]) == before


def copy_person_with_first_dose(cur, person_id: int, dose_id: int, stamp: str) -> None:
    """A new person (a copy of the earliest) with a valid first dose (a copy of theirs), stamped `stamp`."""
    cur.execute("SELECT min(person_id) FROM platform.dose_record WHERE dose_number = 1")
    source = cur.fetchone()[0]
    cur.execute("INSERT INTO platform.person SELECT %s, full_name, citizen_id, birth_date, sex, phone,"
                " residence_commune, created_at, %s FROM platform.person WHERE id = %s", (person_id, stamp, source))
    cur.execute("INSERT INTO platform.dose_record SELECT %s, %s, site_id, lot_code, product_code, 1, injected_at,"
                " recorded_at, %s, 'valid', false FROM platform.dose_record WHERE person_id = %s AND dose_number = 1",
                (dose_id, person_id, stamp, source))


# ---------------------------------------------------------------- point 8: the watermark skips no row
def test_a_long_transaction_committing_old_stamped_rows_after_a_run_is_read_once(pair):
    platform, reporting = pair
    etl(pair)
    other = psycopg2.connect(dsn(platform))
    try:
        cur = other.cursor()
        # The transaction starts, and stamps its rows with its start in the platform's time ...
        cur.execute("SELECT max(updated_at)::text FROM platform.dose_record")
        stamp = cur.fetchone()[0]
        copy_person_with_first_dose(cur, 990000001, 990000001, stamp)
        # ... while rows stamped days later (far beyond the 10-minute overlap) commit and a run reads them ...
        simulate(platform, scale=0.001, seed=SEED, until="2021-10-10", perfect=True)
        etl(pair)
        # ... and it goes on writing, and commits only after the run.
        cur.execute("SELECT id FROM platform.dose_record WHERE status = 'valid' AND dose_number = 1 ORDER BY id"
                    " LIMIT 1")
        voided = cur.fetchone()[0]
        cur.execute("UPDATE platform.dose_record SET status = 'voided', updated_at = %s WHERE id = %s",
                    (stamp, voided))
        copy_person_with_first_dose(cur, 990000002, 990000002, stamp)
        other.commit()
    finally:
        other.close()
    result = etl(pair)
    assert result.counts["dose_record"]["extracted"] >= 3
    assert scalar(reporting, "SELECT count(*) FROM staging.dose WHERE id IN (990000001, 990000002)"
                             " AND quarantine_rule IS NULL") == 2
    assert scalar(reporting, "SELECT status FROM staging.dose WHERE id = :i", i=voided) == "voided"
    assert_exact(pair)


def test_a_row_stamped_in_the_future_does_not_hide_later_rows(pair):
    platform, reporting = pair
    etl(pair)
    with platform.begin() as conn:
        future = conn.execute(sa.text(
            "UPDATE platform.dose_record SET updated_at = '2099-01-01 00:00+00', status = 'voided'"
            " WHERE id = (SELECT min(id) FROM platform.dose_record WHERE dose_number = 1) RETURNING id")).scalar()
    etl(pair)
    simulate(platform, scale=0.001, seed=SEED, until="2021-10-10", perfect=True)
    later = scalar(platform, "SELECT count(*) FROM platform.dose_record WHERE injected_at >= '2021-10-01'")
    assert later > 100
    result = etl(pair)
    assert result.counts["dose_record"]["extracted"] >= later
    assert scalar(reporting, "SELECT status FROM staging.dose WHERE id = :i", i=future) == "voided"
    assert scalar(reporting, "SELECT data_until < '2099-01-01' FROM etl.data_version")
    assert_exact(pair)


# ---------------------------------------------------------------- point 9: a bad row never halts publishing
@pytest.fixture()
def clean(make_database) -> sa.Engine:
    engine = make_database()
    simulate(engine, scale=0.001, seed=SEED, until="2021-10-31", perfect=True)
    run(SETTINGS, engine, url_of(engine))
    assert scalar(engine, "SELECT count(*) FROM etl.quarantine") == 0
    return engine


def test_impossible_values_are_quarantined_and_the_run_publishes(clean):
    pair = (clean, clean)
    version = scalar(clean, "SELECT version FROM etl.data_version")
    received = scalar(clean, "SELECT sum(received) FROM mart.stock_daily")
    reported = scalar(clean, "SELECT sum(reported_doses) FROM mart.report_daily")
    now = scalar(clean, "SELECT max(updated_at) + interval '1 hour' FROM platform.dose_record")
    first = rows(clean, """
        SELECT d.id, d.person_id FROM platform.dose_record d JOIN platform.vaccine_product p ON p.code = d.product_code
        WHERE d.dose_number = 1 AND p.primary_doses = 2
          AND NOT EXISTS (SELECT 1 FROM platform.dose_record o WHERE o.person_id = d.person_id AND o.id <> d.id)
        ORDER BY d.id LIMIT 6""")
    assert len(first) == 6
    (a, _), (b, _), (c, _), (e, pe), (g, pg), (h, _) = first
    national = scalar(clean, "SELECT id FROM platform.facility WHERE kind = 'national_store'")
    report = rows(clean, "SELECT province_code, report_date, doses_reported FROM platform.province_daily_report"
                         " ORDER BY 1, 2 LIMIT 1")[0]
    with clean.begin() as conn:
        faults.change_row(conn, "dose_record", a, injected_at="infinity", updated_at=now)
        faults.change_row(conn, "dose_record", b, recorded_at="infinity", updated_at="infinity")
        faults.change_row(conn, "dose_record", c, injected_at="1900-01-01", updated_at=now)
        faults.change_row(conn, "person", pe, birth_date="2030-01-01", updated_at=now)
        faults.change_row(conn, "person", pg, birth_date="infinity", updated_at=now)
        faults.change_row(conn, "dose_record", h, dose_number=5, updated_at=now)
        for movement in (990000001, 990000002):
            faults.add_receipt(conn, movement, national, 2000000000, "2021-08-01 09:00+07", updated_at=now)
        faults.add_receipt(conn, 990000003, national, 100, "infinity", updated_at="infinity")
        faults.change_report(conn, report[0], report[1], 2000000000, updated_at=now)
        faults.add_report(conn, report[0], "infinity", 10)
    result = run(SETTINGS, clean, url_of(clean))
    assert result.data_version == version + 1
    assert scalar(clean, "SELECT status FROM etl.run ORDER BY id DESC LIMIT 1") == "succeeded"
    got = {(s, i): r for s, i, r in rows(clean, "SELECT source, source_id, rule_id FROM etl.quarantine")}
    assert got == {("dose_record", a): "D09_impossible_date", ("dose_record", b): "D09_impossible_date",
                   ("dose_record", c): "D09_impossible_date", ("dose_record", e): "D10_impossible_age",
                   ("dose_record", g): "D10_impossible_age", ("dose_record", h): "D11_beyond_schedule",
                   ("stock_movement", 990000001): "S02_implausible_movement",
                   ("stock_movement", 990000002): "S02_implausible_movement",
                   ("stock_movement", 990000003): "S02_implausible_movement",
                   ("province_daily_report", int(f"{report[1]:%Y%m%d}{report[0]}")): "R01_implausible_report",
                   ("province_daily_report", int(f"99999999{report[0]}")): "R01_implausible_report"}
    assert all(r[0] for r in rows(clean, "SELECT detail <> '' FROM etl.quarantine"))
    counts = result.counts
    assert counts["stock_movement"]["quarantined"] == 3
    assert counts["province_daily_report"]["quarantined"] == 2
    # the good rows' figures are unchanged
    assert scalar(clean, "SELECT sum(received) FROM mart.stock_daily") == received
    assert scalar(clean, "SELECT sum(reported_doses) FROM mart.report_daily") == reported - report[2]
    assert mart_doses(clean) == platform_doses(pair)
    # a correction releases a row again
    with clean.begin() as conn:
        faults.change_row(conn, "stock_movement", 990000001, doses=20, updated_at=now)
    run(SETTINGS, clean, url_of(clean))
    assert scalar(clean, "SELECT sum(received) FROM mart.stock_daily") == received + 20
    assert_exact(pair)


def test_stock_flows_sum_in_bigint(clean):
    """Sums of plausible movements past 2^31 on one area and day are stored, not an integer overflow."""
    assert set(r[0] for r in rows(clean, "SELECT data_type FROM information_schema.columns WHERE table_schema = "
                                         "'mart' AND table_name = 'stock_daily' AND column_name IN ('received', "
                                         "'issued', 'wasted', 'administered', 'adjusted')")) == {"bigint"}


# ---------------------------------------------------------------- point 10: a dose of a missing person
def test_a_dose_of_a_missing_person_is_quarantined_then_loaded_when_the_person_appears(clean):
    pair = (clean, clean)
    with clean.begin() as conn:
        faults.drop_keys_to_person(conn, "dose_record")
        source = conn.execute(sa.text("SELECT min(person_id) FROM platform.dose_record WHERE dose_number = 1")).scalar()
        faults.copy_first_dose(conn, 990000001, 990000001, source)
    result = run(SETTINGS, clean, url_of(clean))
    assert dict(rows(clean, "SELECT source_id, rule_id FROM etl.quarantine")) == {990000001: "D12_unknown_person"}
    d = result.counts["dose_record"]
    assert d["extracted"] == d["loaded"] + d["quarantined"] and d["quarantined"] == 1
    assert mart_doses(clean) == platform_doses(pair)
    # the person appears (later, stamped in the past): the dose is read again with them and counted
    with clean.begin() as conn:
        faults.copy_person(conn, 990000001, source)
    run(SETTINGS, clean, url_of(clean))
    assert scalar(clean, "SELECT count(*) FROM etl.quarantine") == 0
    assert scalar(clean, "SELECT quarantine_rule IS NULL AND NOT person_missing FROM staging.dose"
                         " WHERE id = 990000001")
    assert mart_doses(clean) == platform_doses(pair)
    assert_exact(pair)


def test_a_view_as_a_source_is_named(clean):
    """Changes are read by transaction id: a source must be a table, and a view is named as the problem."""
    with clean.begin() as conn:
        conn.execute(sa.text("ALTER TABLE platform.citizen_feedback RENAME TO citizen_feedback_data; "
                             "CREATE VIEW platform.citizen_feedback AS SELECT * FROM platform.citizen_feedback_data"))
    with pytest.raises(RuntimeError, match="platform.citizen_feedback is a view"):
        run(SETTINGS, clean, url_of(clean))


# ------------------------------------------- points 9-10 for test samples, identity checks and citizen feedback
# A check or feedback is counted in its person's residence district, else in that of their first valid dose's site.
PERSON_DISTRICT = """coalesce(c.district_code, (
    SELECT f.district_code FROM platform.dose_record d JOIN platform.facility f ON f.id = d.site_id AND f.kind = 'site'
    WHERE d.person_id = p.id AND d.status = 'valid' ORDER BY d.injected_at, d.id LIMIT 1))"""


def platform_others(engine: sa.Engine) -> dict[str, dict[tuple[str, object], int]]:
    """Test samples, identity checks and feedback per (district, day) on the platform, less those quarantined."""
    def quarantined(source: str) -> list[int]:
        return [r[0] for r in rows(engine, "SELECT source_id FROM etl.quarantine WHERE source = :s", s=source)]

    def day(column: str) -> str:
        return f"(({column} AT TIME ZONE 'UTC') + interval '7 hours')::date"

    queries = {
        "tests": ("test_sample", f"""
            SELECT f.district_code, {day('s.collected_at')}, count(*) FROM platform.test_sample s
            JOIN platform.facility f ON f.id = s.site_id WHERE NOT s.id = ANY(:q) GROUP BY 1, 2"""),
        "checks": ("identity_verification", f"""
            SELECT {PERSON_DISTRICT}, {day('v.checked_at')}, count(*) FROM platform.identity_verification v
            JOIN platform.person p ON p.id = v.person_id LEFT JOIN platform.commune c ON c.code = p.residence_commune
            WHERE NOT v.id = ANY(:q) GROUP BY 1, 2"""),
        "feedback": ("citizen_feedback", f"""
            SELECT {PERSON_DISTRICT}, {day('fb.received_at')}, count(*) FROM platform.citizen_feedback fb
            JOIN platform.person p ON p.id = fb.person_id LEFT JOIN platform.commune c ON c.code = p.residence_commune
            WHERE NOT fb.id = ANY(:q) GROUP BY 1, 2"""),
    }
    return {name: {(a, d): n for a, d, n in rows(engine, sql, q=quarantined(source))}
            for name, (source, sql) in queries.items()}


def mart_others(engine: sa.Engine) -> dict[str, dict[tuple[str, object], int]]:
    queries = {"tests": "SELECT district, day, sum(samples) FROM mart.tests_daily GROUP BY 1, 2",
               "checks": "SELECT district, day, sum(checks) FROM mart.verification_daily GROUP BY 1, 2",
               "feedback": "SELECT district, day, sum(items) FROM mart.feedback_daily GROUP BY 1, 2"}
    return {name: {(a, d): n for a, d, n in rows(engine, sql)} for name, sql in queries.items()}


def assert_others_exact(engine: sa.Engine) -> None:
    expected = platform_others(engine)
    assert all(expected.values())  # the simulated platform has rows of every kind
    assert mart_others(engine) == expected


def conserved(result, source: str, quarantined: int) -> None:
    c = result.counts[source]
    assert c["extracted"] == c["loaded"] + c["quarantined"] and c["quarantined"] == quarantined, c


def test_impossible_times_of_tests_checks_and_feedback_are_quarantined_and_the_run_publishes(clean):
    version = scalar(clean, "SELECT version FROM etl.data_version")
    before = snapshot(clean)
    assert_others_exact(clean)
    now = scalar(clean, "SELECT max(updated_at) + interval '1 hour' FROM platform.dose_record")
    s1, s2 = [r[0] for r in rows(clean, "SELECT id FROM platform.test_sample WHERE resulted_at IS NOT NULL"
                                        " ORDER BY id LIMIT 2")]
    v1, v2 = [r[0] for r in rows(clean, "SELECT id FROM platform.identity_verification ORDER BY id LIMIT 2")]
    f1 = scalar(clean, "SELECT min(id) FROM platform.citizen_feedback WHERE status <> 'open'")
    f2 = scalar(clean, "SELECT max(id) FROM platform.citizen_feedback")
    saved = {t: faults.read_rows(clean, t, ids) for t, ids in (("test_sample", [s1, s2]),
                                                               ("identity_verification", [v1, v2]),
                                                               ("citizen_feedback", [f1, f2]))}
    with clean.begin() as conn:
        faults.change_row(conn, "test_sample", s1, collected_at="-infinity", updated_at=now)
        faults.change_row(conn, "test_sample", s2, resulted_at="infinity", updated_at=now)
        faults.change_row(conn, "identity_verification", v1, checked_at="infinity", updated_at=now)
        faults.change_row(conn, "identity_verification", v2, checked_at="2150-01-01", updated_at=now)
        faults.change_row(conn, "citizen_feedback", f1, resolved_at="infinity", updated_at=now)
        faults.change_row(conn, "citizen_feedback", f2, received_at="1900-01-01", updated_at=now)
    result = run(SETTINGS, clean, url_of(clean))
    assert result.data_version == version + 1
    assert scalar(clean, "SELECT status FROM etl.run ORDER BY id DESC LIMIT 1") == "succeeded"
    got = {(s, i): r for s, i, r in rows(clean, "SELECT source, source_id, rule_id FROM etl.quarantine")}
    assert got == {("test_sample", s1): "T01_impossible_time", ("test_sample", s2): "T01_impossible_time",
                   ("identity_verification", v1): "V01_impossible_time",
                   ("identity_verification", v2): "V01_impossible_time",
                   ("citizen_feedback", f1): "C01_impossible_time", ("citizen_feedback", f2): "C01_impossible_time"}
    assert all(r[0] for r in rows(clean, "SELECT detail <> '' FROM etl.quarantine"))
    for source in ("test_sample", "identity_verification", "citizen_feedback"):
        conserved(result, source, 2)
    # no impossible day in a mart, and the good rows' figures are the platform's
    assert scalar(clean, "SELECT count(*) FROM (SELECT day FROM mart.tests_daily UNION ALL SELECT day FROM"
                         " mart.verification_daily UNION ALL SELECT day FROM mart.feedback_daily UNION ALL"
                         " SELECT closed_day FROM mart.feedback_daily) d WHERE NOT isfinite(day)"
                         " OR day < '2000-01-01' OR day >= '2100-01-01'") == 0
    assert_others_exact(clean)
    # a run that reads nothing new keeps the data version
    assert not run(SETTINGS, clean, url_of(clean)).published
    assert_exact((clean, clean))
    # corrected rows are loaded by the next run: the figures are those from before
    with clean.begin() as conn:
        for table, saved_rows in saved.items():
            faults.put_back(conn, table, saved_rows)
    result = run(SETTINGS, clean, url_of(clean))
    assert result.published and scalar(clean, "SELECT count(*) FROM etl.quarantine") == 0
    assert snapshot(clean) == before
    assert_exact((clean, clean))


def test_checks_and_feedback_of_a_missing_person_are_quarantined_then_loaded_when_the_person_appears(clean):
    version = scalar(clean, "SELECT version FROM etl.data_version")
    with clean.begin() as conn:
        faults.drop_keys_to_person(conn, "identity_verification", "citizen_feedback")
        faults.copy_check(conn, 990000001, 990000001)
        faults.copy_feedback(conn, 990000001, 990000001)
    result = run(SETTINGS, clean, url_of(clean))
    assert result.data_version == version + 1
    assert scalar(clean, "SELECT status FROM etl.run ORDER BY id DESC LIMIT 1") == "succeeded"
    got = {(s, i): r for s, i, r in rows(clean, "SELECT source, source_id, rule_id FROM etl.quarantine")}
    assert got == {("identity_verification", 990000001): "V02_unknown_person",
                   ("citizen_feedback", 990000001): "C02_unknown_person"}
    assert all("does not return the person" in r[0] for r in rows(clean, "SELECT detail FROM etl.quarantine"))
    conserved(result, "identity_verification", 1)
    conserved(result, "citizen_feedback", 1)
    assert_others_exact(clean)
    # the person appears (stamped in the past): their check and feedback are read again and counted
    source = scalar(clean, "SELECT min(id) FROM platform.person WHERE residence_commune IS NOT NULL")
    with clean.begin() as conn:
        faults.copy_person(conn, 990000001, source)
    result = run(SETTINGS, clean, url_of(clean))
    assert result.published and scalar(clean, "SELECT count(*) FROM etl.quarantine") == 0
    district = scalar(clean, "SELECT c.district_code FROM platform.person p JOIN platform.commune c"
                             " ON c.code = p.residence_commune WHERE p.id = :p", p=source)
    assert scalar(clean, "SELECT district FROM staging.verification WHERE id = 990000001") == district
    assert scalar(clean, "SELECT district FROM staging.feedback WHERE id = 990000001") == district
    assert_others_exact(clean)
    assert_exact((clean, clean))
    assert_others_exact(clean)


def test_checks_of_a_person_without_residence_are_counted_where_first_vaccinated(clean):
    now = scalar(clean, "SELECT max(updated_at) + interval '1 hour' FROM platform.dose_record")
    # a person with checks and feedback, and two valid doses at sites of different districts
    person, district = rows(clean, """
        SELECT p.id, c.district_code FROM platform.person p JOIN platform.commune c ON c.code = p.residence_commune
        WHERE EXISTS (SELECT 1 FROM platform.identity_verification v WHERE v.person_id = p.id)
          AND EXISTS (SELECT 1 FROM platform.citizen_feedback fb WHERE fb.person_id = p.id)
          AND EXISTS (SELECT 1 FROM platform.dose_record d WHERE d.person_id = p.id AND d.status = 'valid')
        ORDER BY p.id LIMIT 1""")[0]
    first_site = scalar(clean, "SELECT f.district_code FROM platform.dose_record d JOIN platform.facility f"
                               " ON f.id = d.site_id WHERE d.person_id = :p AND d.status = 'valid'"
                               " ORDER BY d.injected_at, d.id LIMIT 1", p=person)
    if first_site == district:  # move the first dose to a site of another district, so the place shows
        with clean.begin() as conn:
            first_dose = conn.execute(sa.text(
                "SELECT id FROM platform.dose_record WHERE person_id = :p AND status = 'valid'"
                " ORDER BY injected_at, id LIMIT 1"), {"p": person}).scalar()
            elsewhere = conn.execute(sa.text("SELECT min(id) FROM platform.facility WHERE kind = 'site'"
                                             " AND district_code <> :d"), {"d": district}).scalar()
            faults.change_row(conn, "dose_record", first_dose, site_id=elsewhere, updated_at=now)
        first_site = scalar(clean, "SELECT f.district_code FROM platform.dose_record d JOIN platform.facility f"
                                   " ON f.id = d.site_id WHERE d.person_id = :p AND d.status = 'valid'"
                                   " ORDER BY d.injected_at, d.id LIMIT 1", p=person)
        run(SETTINGS, clean, url_of(clean))
    assert first_site != district
    with clean.begin() as conn:
        faults.change_row(conn, "person", person, residence_commune=None, updated_at=now)
        # and a new person without residence nor dose, with a check: it cannot be placed yet
        faults.copy_person(conn, 990000001, person, residence=False, updated_at=now)
        faults.copy_check(conn, 990000001, 990000001, like_person=person, updated_at=now)
    result = run(SETTINGS, clean, url_of(clean))
    assert result.published
    assert {r[0] for r in rows(clean, "SELECT DISTINCT v.district FROM staging.verification v"
                                      " JOIN platform.identity_verification p ON p.id = v.id"
                                      " WHERE p.person_id = :p", p=person)} == {first_site}
    assert {r[0] for r in rows(clean, "SELECT DISTINCT s.district FROM staging.feedback s"
                                      " JOIN platform.citizen_feedback p ON p.id = s.id"
                                      " WHERE p.person_id = :p", p=person)} == {first_site}
    got = rows(clean, "SELECT source, source_id, rule_id, detail FROM etl.quarantine")
    assert [r[:3] for r in got] == [("identity_verification", 990000001, "V02_unknown_person")]
    assert "no residence commune" in got[0][3]
    conserved(result, "identity_verification", 1)
    assert_others_exact(clean)
    # a dose arrives for the new person (stamped in the past): the check is read again, counted at its site
    with clean.begin() as conn:
        faults.copy_first_dose(conn, 990000001, 990000001, person)
    result = run(SETTINGS, clean, url_of(clean))
    assert scalar(clean, "SELECT count(*) FROM etl.quarantine WHERE source <> 'dose_record'") == 0
    assert scalar(clean, "SELECT district FROM staging.verification WHERE id = 990000001") == first_site
    assert_others_exact(clean)
    assert_exact((clean, clean))

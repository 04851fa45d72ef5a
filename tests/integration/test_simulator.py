"""The simulated platform against a real PostgreSQL: constraints, realism, determinism, appends, stock."""

from __future__ import annotations

import numpy as np
import pytest

from etl.simulator.engine import SimulationError, simulate
from etl.simulator.geography import read_csv
from etl.simulator.series import CAMPAIGN_START, national_series
from tests.conftest import rows, scalar

PLATFORM_TABLES = ("province", "district", "commune", "population", "facility", "vaccine_product", "vaccine_lot",
                   "person", "dose_record", "stock_movement", "province_daily_report", "test_sample",
                   "identity_verification", "citizen_feedback")


def test_real_administrative_units_and_population(simulated):
    assert scalar(simulated, "SELECT count(*) FROM platform.province") == 63
    assert scalar(simulated, "SELECT count(*) FROM platform.district") == 705
    assert scalar(simulated, "SELECT count(*) FROM platform.commune") == 10599
    # province totals are the reference denominators times the scale (0.002), rounded per province
    ref = {r["province_code"]: r for r in read_csv("population_by_province.csv")}
    got = dict(rows(simulated, """
        SELECT d.province_code, sum(p.population) FROM platform.population p
        JOIN platform.commune c ON c.code = p.commune_code JOIN platform.district d ON d.code = c.district_code
        GROUP BY 1"""))
    assert got == {c: round(int(r["population_total"]) * 0.002) for c, r in ref.items()}
    assert got["79"] == round(8_993_082 * 0.002)
    adults = scalar(simulated, "SELECT sum(population) FROM platform.population WHERE age_band IN "
                               "('18-49', '50-64', '65+')")
    assert adults == sum(round(int(r["population_18_plus"]) * 0.002) for r in ref.values())


def test_people_live_where_they_are_counted(simulated):
    """Nobody is created beyond a district's population (the caps allow 2% over, as in 2021)."""
    over = rows(simulated, """
        WITH residents AS (
            SELECT c.district_code, count(*) AS people FROM platform.person p
            JOIN platform.commune c ON c.code = p.residence_commune GROUP BY 1),
        pop AS (
            SELECT c.district_code, sum(p.population) AS population FROM platform.population p
            JOIN platform.commune c ON c.code = p.commune_code GROUP BY 1)
        SELECT r.district_code, r.people, pop.population FROM residents r JOIN pop USING (district_code)
        WHERE r.people > 1.03 * pop.population + 5""")
    assert over == []


def test_every_constraint_is_declared_and_validated(simulated):
    fks = rows(simulated, "SELECT conrelid::regclass::text, convalidated FROM pg_constraint "
                          "WHERE contype = 'f' AND connamespace = 'platform'::regnamespace")
    assert len(fks) == 21 and all(valid for _, valid in fks)
    for table in ("dose_record", "person", "stock_movement", "test_sample", "identity_verification",
                  "citizen_feedback", "vaccine_lot", "province_daily_report", "facility"):
        indexes = scalar(simulated, "SELECT string_agg(indexdef, ' ') FROM pg_indexes WHERE schemaname = 'platform' "
                                    "AND tablename = :t", t=table)
        assert "(updated_at)" in indexes, table
    # a row breaking a rule is refused by the database itself
    with pytest.raises(Exception, match="violates"):
        with simulated.begin() as conn:
            conn.exec_driver_sql("UPDATE platform.dose_record SET status = 'deleted' WHERE id = "
                                 "(SELECT min(id) FROM platform.dose_record)")


def test_people_and_doses_look_real(simulated):
    n_people = scalar(simulated, "SELECT count(*) FROM platform.person")
    well_formed = scalar(simulated, "SELECT count(*) FROM platform.person WHERE citizen_id ~ '^[0-9]{12}$'")
    missing = scalar(simulated, "SELECT count(*) FROM platform.person WHERE citizen_id IS NULL")
    malformed = n_people - well_formed - missing
    assert 0.85 < well_formed / n_people < 0.99
    assert missing > 0 and malformed > 0 and malformed / n_people < 0.02
    assert scalar(simulated, "SELECT count(DISTINCT full_name) FROM platform.person") > 500
    # each product's doses never exceed its schedule (primary series + two boosters)
    bad = scalar(simulated, "SELECT count(*) FROM platform.dose_record d JOIN platform.vaccine_product p ON "
                            "p.code = d.product_code WHERE d.dose_number > 6")
    assert bad == 0
    # southern provinces were hit by the 2021 wave: their positivity in August is far above the north's
    south, north = rows(simulated, """
        SELECT avg((result = 'positive')::int) FILTER (WHERE f.province_code IN ('79', '74', '75')),
               avg((result = 'positive')::int) FILTER (WHERE f.province_code IN ('01', '31', '22'))
        FROM platform.test_sample s JOIN platform.facility f ON f.id = s.site_id
        WHERE collected_at >= '2021-08-01' AND collected_at < '2021-09-01'""")[0]
    assert south > 3 * north


def test_national_totals_follow_the_reference_series(perfect):
    """Without lag or faults every dose is on the platform: first doses per day match the series x scale."""
    series = national_series()
    scale = 0.002
    daily = dict(rows(perfect, """
        SELECT (injected_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date, count(*) FROM platform.dose_record
        WHERE dose_number = 1 GROUP BY 1"""))
    last = (np.datetime64("2022-03-31") - CAMPAIGN_START).astype(int)
    expected = series.first[: last + 1] * scale
    got = np.array([daily.get((CAMPAIGN_START + np.timedelta64(t, "D")).astype(object), 0) for t in range(last + 1)])
    assert abs(got.sum() - expected.sum()) / expected.sum() < 0.002
    # day by day, the counts are the series rounded (stochastic rounding: within 1 of it), except on the few
    # days when a district has nobody left to vaccinate (the shortfall the simulator reports)
    busy = expected > 50
    assert np.mean(np.abs(got[busy] - expected[busy]) <= 1.0) > 0.99
    total_reported = scalar(perfect, "SELECT sum(doses_reported) FROM platform.province_daily_report")
    total_series = series.doses[: last + 1].sum() * scale
    assert abs(total_reported - total_series) / total_series < 0.03
    assert total_reported == scalar(perfect, "SELECT count(*) FROM platform.dose_record")


def test_recording_gap_in_mid_october_2021(simulated):
    """Before the rule of 20/10/2021 many doses were entered late: the platform held ~96% of hand counts."""
    on_platform = scalar(simulated, "SELECT count(*) FROM platform.dose_record WHERE status = 'valid' "
                                    "AND recorded_at < '2021-10-16 17:00+00' AND injected_at < '2021-10-16 17:00+00'")
    reported = scalar(simulated, "SELECT sum(doses_reported) FROM platform.province_daily_report "
                                 "WHERE report_date <= '2021-10-16'")
    assert 0.90 < on_platform / reported < 0.99
    after_rule = rows(simulated, """
        SELECT avg(((recorded_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date
                   = (injected_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date)::int)
        FROM platform.dose_record WHERE injected_at BETWEEN '2021-11-01' AND '2021-12-01'""")[0][0]
    assert after_rule > 0.95


def test_planted_faults_are_present_at_low_rates(simulated):
    n = scalar(simulated, "SELECT count(*) FROM platform.dose_record")
    counts = {
        "duplicate": scalar(simulated, "SELECT count(*) - count(DISTINCT (person_id, dose_number)) "
                                       "FROM platform.dose_record"),
        "future": scalar(simulated, "SELECT count(*) FROM platform.dose_record WHERE injected_at > recorded_at "
                                    "+ interval '30 days'"),
        "before_campaign": scalar(simulated, "SELECT count(*) FROM platform.dose_record "
                                             "WHERE injected_at < '2021-03-01'"),
        "unknown_lot": scalar(simulated, "SELECT count(*) FROM platform.dose_record d WHERE NOT EXISTS "
                                         "(SELECT 1 FROM platform.vaccine_lot l WHERE l.lot_code = d.lot_code)"),
        "out_of_order": scalar(simulated, """
            SELECT count(*) FROM platform.dose_record d2 JOIN platform.dose_record d1
              ON d1.person_id = d2.person_id AND d1.dose_number = 1 AND d2.dose_number = 2
            WHERE d2.injected_at < d1.injected_at"""),
        "missing_id": scalar(simulated, "SELECT count(*) FROM platform.person WHERE citizen_id IS NULL"),
    }
    for fault, k in counts.items():
        assert k > 0, fault
        assert k / n < 0.05, fault


def test_same_seed_same_data(make_database):
    digests = []
    for _ in range(2):
        engine = make_database()
        simulate(engine, scale=0.001, seed=99, until="2021-09-15")
        digests.append(tuple(scalar(engine, f"SELECT md5(string_agg(t::text, '|' ORDER BY t::text)) "
                                            f"FROM platform.{table} t")
                             for table in ("person", "dose_record", "stock_movement", "test_sample")))
        engine.dispose()
    assert digests[0] == digests[1]


def test_appending_days_equals_one_run_and_adds_late_entries(make_database):
    stepped, whole = make_database(), make_database()
    simulate(stepped, scale=0.001, seed=5, until="2021-09-30")
    earlier = "SELECT id FROM platform.dose_record WHERE injected_at < '2021-09-30 17:00+00'"
    before = {r[0] for r in rows(stepped, earlier)}
    voided_before = scalar(stepped, "SELECT count(*) FROM platform.dose_record WHERE status = 'voided'")
    simulate(stepped, scale=0.001, seed=5, until="2021-11-20")
    after = {r[0] for r in rows(stepped, earlier)}
    late = after - before
    assert before < after and len(late) > 100  # late entries for days already simulated arrived
    written_later = {r[0] for r in rows(stepped, earlier + " AND updated_at >= '2021-09-30 17:00+00'")}
    assert late <= written_later  # ... stamped when they were entered, so an incremental ETL sees them
    assert scalar(stepped, "SELECT count(*) FROM platform.dose_record WHERE status = 'voided'") > voided_before
    simulate(whole, scale=0.001, seed=5, until="2021-11-20")
    for table in ("person", "dose_record", "identity_verification", "citizen_feedback", "test_sample"):
        q = f"SELECT md5(string_agg(t::text, '|' ORDER BY t::text)) FROM platform.{table} t"
        assert scalar(stepped, q) == scalar(whole, q), table
    with pytest.raises(SimulationError, match="seed"):
        simulate(stepped, scale=0.001, seed=6, until="2021-12-31")


def test_stock_balances_are_never_negative(simulated):
    """At every facility, for every lot, the running balance (in - out - administered) stays >= 0."""
    negative = scalar(simulated, """
        WITH flows AS (
            SELECT to_facility_id AS facility, lot_id, moved_at AS at, doses AS delta
            FROM platform.stock_movement WHERE to_facility_id IS NOT NULL
            UNION ALL
            SELECT from_facility_id, lot_id, moved_at, -doses
            FROM platform.stock_movement WHERE from_facility_id IS NOT NULL
        ), balances AS (
            SELECT facility, lot_id, sum(delta) OVER (PARTITION BY facility, lot_id ORDER BY at) AS balance
            FROM flows
        )
        SELECT count(*) FROM balances b WHERE balance < 0  -- except where a stock fault was planted
          AND NOT EXISTS (SELECT 1 FROM sim.stock_fault f WHERE (f.facility_id, f.lot_id) = (b.facility, b.lot_id))""")
    assert negative == 0
    # sites: doses shipped to a site (net of wastage) cover every valid, correctly-lotted dose given there
    short = scalar(simulated, """
        WITH shelf AS (
            SELECT f.id AS site, m.lot_id,
                   sum(CASE WHEN m.to_facility_id = f.id THEN m.doses ELSE -m.doses END) AS net
            FROM platform.stock_movement m JOIN platform.facility f
              ON f.kind = 'site' AND f.id IN (m.to_facility_id, m.from_facility_id)
            GROUP BY 1, 2
        ), used AS (
            SELECT d.site_id AS site, l.id AS lot_id, count(*) AS doses
            FROM (SELECT DISTINCT ON (person_id, dose_number) * FROM platform.dose_record
                  ORDER BY person_id, dose_number, id) d  -- a duplicate entry used no vaccine
            JOIN platform.vaccine_lot l ON l.lot_code = d.lot_code
            WHERE l.expiry_date >= (d.injected_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date
            GROUP BY 1, 2
        )
        SELECT count(*) FROM used u LEFT JOIN shelf s USING (site, lot_id) WHERE u.doses > coalesce(s.net, 0)
          AND NOT EXISTS (SELECT 1 FROM sim.stock_fault f WHERE (f.facility_id, f.lot_id) = (u.site, u.lot_id))""")
    assert short == 0

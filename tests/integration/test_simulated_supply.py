"""The simulator's planted stock faults (issue 12, item 1) against the platform rows, in SQL written here.

Uses the session's platforms: `simulated` (scale 0.002, seed 7, to 2021-12-31, with faults) and `perfect`.
"""

from __future__ import annotations

from tests.conftest import rows, scalar

VN_DAY = "((%s AT TIME ZONE 'UTC') + interval '7 hours')::date"

# One row per dose that used vaccine: valid, the first entry of a (person, dose) pair (a duplicate entry used
# none), a known lot, and an injection time the ETL would accept (within the campaign, not before the
# person's previous dose plus the product's minimum interval, which the platform must hold): rules D01-D06
# quarantine the others, and a dose planted out of order whose previous dose was never entered is left out.
USED_DOSES = f"""
    used AS (
        SELECT d.site_id AS facility, l.id AS lot_id, {VN_DAY % 'd.injected_at'} AS day, count(*) AS doses
        FROM (SELECT DISTINCT ON (person_id, dose_number) * FROM platform.dose_record WHERE status = 'valid'
              ORDER BY person_id, dose_number, id) d
        JOIN platform.vaccine_lot l ON l.lot_code = d.lot_code
        JOIN platform.vaccine_product p ON p.code = d.product_code
        WHERE d.injected_at >= '2021-03-07' AND d.injected_at < '2022-01-01'
          AND (d.dose_number = 1 OR EXISTS (  -- a dose moved before its previous one (or that one unknown)
                   SELECT 1 FROM platform.dose_record e
                   WHERE e.person_id = d.person_id AND e.dose_number = d.dose_number - 1
                     AND e.injected_at <= d.injected_at - p.min_interval_days * interval '1 day'))
        GROUP BY 1, 2, 3)"""
FLOWS = f"""
    flows AS (
        SELECT to_facility_id AS facility, lot_id, {VN_DAY % 'moved_at'} AS day, doses AS delta
        FROM platform.stock_movement WHERE to_facility_id IS NOT NULL
        UNION ALL
        SELECT from_facility_id, lot_id, {VN_DAY % 'moved_at'}, -doses
        FROM platform.stock_movement WHERE from_facility_id IS NOT NULL
        UNION ALL
        SELECT facility, lot_id, day, -doses FROM used),
    daily AS (SELECT facility, lot_id, day, sum(delta) AS delta FROM flows GROUP BY 1, 2, 3),
    balance AS (
        SELECT facility, lot_id, day, sum(delta) OVER (PARTITION BY facility, lot_id ORDER BY day) AS on_hand
        FROM daily)"""


def test_a_handful_of_each_stock_fault_is_planted(simulated):
    counts = dict(rows(simulated, "SELECT kind, count(*) FROM sim.stock_fault GROUP BY 1"))
    assert set(counts) == {"site_overdraw", "empty_store", "expired_use"}
    assert 1 <= counts["site_overdraw"] <= 15 and 1 <= counts["empty_store"] <= 15
    assert scalar(simulated, "SELECT count(*) FROM sim.stock_fault WHERE doses <= 0 OR day > '2021-12-31'") == 0


def test_perfect_runs_plant_no_stock_fault(perfect):
    assert scalar(perfect, "SELECT count(*) FROM sim.stock_fault") == 0
    assert scalar(perfect, "SELECT count(*) FROM platform.stock_movement") > 0


def test_balances_are_never_negative_except_where_a_fault_was_planted(simulated, perfect):
    """Per facility and lot, received - issued - administered - wasted, day by day, from the platform's rows."""
    negative = f"""
        WITH {USED_DOSES}, {FLOWS}
        SELECT DISTINCT b.facility, b.lot_id FROM balance b WHERE b.on_hand < 0
          AND NOT EXISTS (SELECT 1 FROM sim.stock_fault f WHERE f.facility_id = b.facility AND f.lot_id = b.lot_id)"""
    assert rows(simulated, negative) == []
    assert rows(perfect, negative.replace("'2022-01-01'", "'2022-04-01'")) == []


def test_every_planted_fault_shows_in_the_platform_s_rows(simulated):
    """Each fault row: its (facility, lot) balance goes negative on its day, or the doses name an expired lot."""
    hidden = rows(simulated, f"""
        WITH {USED_DOSES}, {FLOWS},
        -- the same balance counting every dose recorded with the lot, whatever its injection time
        expired AS (
            SELECT d.site_id AS facility, l.id AS lot_id, {VN_DAY % 'd.injected_at'} AS day, count(*) AS doses
            FROM platform.dose_record d JOIN platform.vaccine_lot l ON l.lot_code = d.lot_code
            WHERE l.expiry_date < {VN_DAY % 'd.injected_at'} GROUP BY 1, 2, 3)
        SELECT f.kind, f.facility_id, f.lot_id, f.day FROM sim.stock_fault f
        WHERE CASE f.kind
            WHEN 'expired_use' THEN NOT EXISTS (
                SELECT 1 FROM expired e WHERE (e.facility, e.lot_id, e.day) = (f.facility_id, f.lot_id, f.day))
            ELSE NOT EXISTS (
                SELECT 1 FROM balance b WHERE (b.facility, b.lot_id) = (f.facility_id, f.lot_id)
                  AND b.day = f.day AND b.on_hand < 0)
            END""")
    assert hidden == []

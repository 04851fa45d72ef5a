-- mart.stock_facility_balance: a facility's ledger of a product (all its lots) at the end of each day with
-- flows: mart.stock_lot_daily's flows summed from the first day on, on hand, until the next day with flows;
-- out_since: the first day of the run of days that ended without stock (NULL while it holds some); last_used: the
-- last day it used the product, a site by giving it, a store by issuing it (a site's issue is a return of stock
-- it no longer uses). A ledger: each facility of the slice is recomputed from its day on, carried on from the row
-- that stood before that day.
-- grain: facility_id, product_code, day
-- reads: mart.stock_lot_daily, ref.lot, ref.facility; slice: _slice_fac_balance (facility_id, day)
WITH before AS (
    SELECT b.facility_id, b.product_code, b.received, b.issued, b.administered, b.wasted, b.adjusted, b.on_hand,
           b.out_since, b.last_used
    FROM mart.stock_facility_balance b
    WHERE EXISTS (SELECT FROM _slice_fac_balance s WHERE s.facility_id = b.facility_id AND b.day < s.day AND (b.until IS NULL OR b.until >= s.day))  -- slice
),
flows AS (
    SELECT s.facility_id, l.product_code, s.day, sum(s.received) AS received, sum(s.issued) AS issued,
           sum(s.administered) AS administered,
           sum(s.wasted_expiry + s.wasted_open_vial + s.wasted_breakage + s.wasted_cold_chain) AS wasted,
           sum(s.adjusted) AS adjusted,
           bool_or(s.administered > 0 OR (f.level <> 'site' AND s.issued > 0)) AS used
    FROM mart.stock_lot_daily s JOIN ref.lot l ON l.id = s.lot_id JOIN ref.facility f ON f.id = s.facility_id
    WHERE s.day >= (SELECT min(day) FROM _slice_fac_balance)  -- slice
      AND EXISTS (SELECT FROM _slice_fac_balance b WHERE b.facility_id = s.facility_id AND b.day <= s.day)  -- slice
    GROUP BY 1, 2, 3
),
summed AS (
    SELECT f.facility_id, f.product_code, f.day, lead(f.day) OVER w AS until,
           coalesce(b.received, 0) + sum(f.received) OVER w AS received,
           coalesce(b.issued, 0) + sum(f.issued) OVER w AS issued,
           coalesce(b.administered, 0) + sum(f.administered) OVER w AS administered,
           coalesce(b.wasted, 0) + sum(f.wasted) OVER w AS wasted,
           coalesce(b.adjusted, 0) + sum(f.adjusted) OVER w AS adjusted,
           coalesce(max(f.day) FILTER (WHERE f.used) OVER w, b.last_used) AS last_used,
           b.on_hand AS on_hand_before, b.out_since AS out_since_before
    FROM flows f LEFT JOIN before b ON b.facility_id = f.facility_id AND b.product_code = f.product_code
    WINDOW w AS (PARTITION BY f.facility_id, f.product_code ORDER BY f.day)
),
balanced AS (
    SELECT *, received - issued - administered - wasted + adjusted AS on_hand FROM summed
),
-- the days that ended with stock, counted: a run of empty days shares its count with the last stocked day
runs AS (
    SELECT *, count(*) FILTER (WHERE on_hand > 0) OVER (PARTITION BY facility_id, product_code ORDER BY day)
              AS stocked_days
    FROM balanced
)
SELECT facility_id, product_code, day, until, received, issued, administered, wasted, adjusted, on_hand,
       CASE WHEN on_hand > 0 THEN NULL
            -- still the empty run that began before the recomputed days
            WHEN stocked_days = 0 AND on_hand_before <= 0 THEN out_since_before
            ELSE min(day) FILTER (WHERE on_hand <= 0) OVER (PARTITION BY facility_id, product_code, stocked_days)
       END AS out_since,
       last_used
FROM runs

-- mart.stock_lot_balance: a lot's ledger at each store level of a province (the national store's province is
-- 'VN'), at the end of each day with flows: mart.stock_lot_daily's flows summed from the first day on, on hand,
-- and until the next day with flows. A lot goes to few provinces, so the nation's or a province's lots as they
-- stood on a day are a few rows per lot. A ledger: each province of the slice is recomputed from its day on,
-- carried on from the row that stood before that day.
-- grain: province, level, lot_id, day
-- reads: mart.stock_lot_daily, ref.facility; slice: _slice_lot_balance (province, day)
WITH before AS (
    SELECT b.province, b.level, b.lot_id, b.received, b.issued, b.administered, b.wasted_expiry,
           b.wasted_open_vial, b.wasted_breakage, b.wasted_cold_chain, b.adjusted
    FROM mart.stock_lot_balance b
    WHERE EXISTS (SELECT FROM _slice_lot_balance s WHERE s.province = b.province AND b.day < s.day AND (b.until IS NULL OR b.until >= s.day))  -- slice
),
flows AS (
    SELECT coalesce(f.province_code::text, 'VN') AS province, f.level, s.lot_id, s.day,
           sum(s.received) AS received, sum(s.issued) AS issued, sum(s.administered) AS administered,
           sum(s.wasted_expiry) AS wasted_expiry, sum(s.wasted_open_vial) AS wasted_open_vial,
           sum(s.wasted_breakage) AS wasted_breakage, sum(s.wasted_cold_chain) AS wasted_cold_chain,
           sum(s.adjusted) AS adjusted
    FROM mart.stock_lot_daily s JOIN ref.facility f ON f.id = s.facility_id
    WHERE s.day >= (SELECT min(day) FROM _slice_lot_balance)  -- slice
      AND EXISTS (SELECT FROM _slice_lot_balance b WHERE b.province = coalesce(f.province_code::text, 'VN') AND b.day <= s.day)  -- slice
    GROUP BY 1, 2, 3, 4
),
summed AS (
    SELECT f.province, f.level, f.lot_id, f.day, lead(f.day) OVER w AS until,
           coalesce(b.received, 0) + sum(f.received) OVER w AS received,
           coalesce(b.issued, 0) + sum(f.issued) OVER w AS issued,
           coalesce(b.administered, 0) + sum(f.administered) OVER w AS administered,
           coalesce(b.wasted_expiry, 0) + sum(f.wasted_expiry) OVER w AS wasted_expiry,
           coalesce(b.wasted_open_vial, 0) + sum(f.wasted_open_vial) OVER w AS wasted_open_vial,
           coalesce(b.wasted_breakage, 0) + sum(f.wasted_breakage) OVER w AS wasted_breakage,
           coalesce(b.wasted_cold_chain, 0) + sum(f.wasted_cold_chain) OVER w AS wasted_cold_chain,
           coalesce(b.adjusted, 0) + sum(f.adjusted) OVER w AS adjusted
    FROM flows f LEFT JOIN before b ON b.province = f.province AND b.level = f.level AND b.lot_id = f.lot_id
    WINDOW w AS (PARTITION BY f.province, f.level, f.lot_id ORDER BY f.day)
)
SELECT province, level, lot_id, day, until, received, issued, administered, wasted_expiry, wasted_open_vial,
       wasted_breakage, wasted_cold_chain, adjusted,
       received - issued - administered - wasted_expiry - wasted_open_vial - wasted_breakage - wasted_cold_chain
           + adjusted AS on_hand
FROM summed

-- mart.stock_balance: a product's ledger at a store, or at a district's sites taken together (the areas of
-- mart.stock_daily), at the end of each day with flows: the flows summed from the first day on, on hand, and
-- until the next day with flows. By product, not lot: its size grows with the areas and days, not with the
-- campaign's scale. A ledger: each area of the slice is recomputed from its day on, carried on from the row that
-- stood before that day.
-- grain: area, level, product_code, day
-- reads: mart.stock_daily; slice: _slice_balance (area, day)
WITH before AS (
    SELECT b.area, b.level, b.product_code, b.received, b.issued, b.administered, b.wasted_expiry,
           b.wasted_open_vial, b.wasted_breakage, b.wasted_cold_chain, b.adjusted
    FROM mart.stock_balance b
    WHERE EXISTS (SELECT FROM _slice_balance s WHERE s.area = b.area AND b.day < s.day AND (b.until IS NULL OR b.until >= s.day))  -- slice
),
flows AS (
    SELECT s.area, s.level, s.product_code, s.day, sum(s.received) AS received, sum(s.issued) AS issued,
           sum(s.administered) AS administered, sum(s.wasted_expiry) AS wasted_expiry,
           sum(s.wasted_open_vial) AS wasted_open_vial, sum(s.wasted_breakage) AS wasted_breakage,
           sum(s.wasted_cold_chain) AS wasted_cold_chain, sum(s.adjusted) AS adjusted
    FROM mart.stock_daily s
    WHERE s.day >= (SELECT min(day) FROM _slice_balance)  -- slice
      AND EXISTS (SELECT FROM _slice_balance b WHERE b.area = s.area AND b.day <= s.day)  -- slice
    GROUP BY 1, 2, 3, 4
),
summed AS (
    SELECT f.area, f.level, f.product_code, f.day, lead(f.day) OVER w AS until,
           coalesce(b.received, 0) + sum(f.received) OVER w AS received,
           coalesce(b.issued, 0) + sum(f.issued) OVER w AS issued,
           coalesce(b.administered, 0) + sum(f.administered) OVER w AS administered,
           coalesce(b.wasted_expiry, 0) + sum(f.wasted_expiry) OVER w AS wasted_expiry,
           coalesce(b.wasted_open_vial, 0) + sum(f.wasted_open_vial) OVER w AS wasted_open_vial,
           coalesce(b.wasted_breakage, 0) + sum(f.wasted_breakage) OVER w AS wasted_breakage,
           coalesce(b.wasted_cold_chain, 0) + sum(f.wasted_cold_chain) OVER w AS wasted_cold_chain,
           coalesce(b.adjusted, 0) + sum(f.adjusted) OVER w AS adjusted
    FROM flows f LEFT JOIN before b ON b.area = f.area AND b.level = f.level AND b.product_code = f.product_code
    WINDOW w AS (PARTITION BY f.area, f.level, f.product_code ORDER BY f.day)
)
SELECT area, level, product_code, day, until, received, issued, administered, wasted_expiry, wasted_open_vial,
       wasted_breakage, wasted_cold_chain, adjusted,
       received - issued - administered - wasted_expiry - wasted_open_vial - wasted_breakage - wasted_cold_chain
           + adjusted AS on_hand
FROM summed

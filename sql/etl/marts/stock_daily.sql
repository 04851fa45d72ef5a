-- mart.stock_daily: mart.stock_lot_daily rolled up to areas (a facility's, at its level) and the lot's product
-- and expiry; wasted is the sum of its four reasons.
-- grain: area, day, level, product_code, expiry_date
-- reads: mart.stock_lot_daily, ref.facility_area, ref.lot; slice: _slice_stock (area, day)
SELECT a.area, s.day, a.level, l.product_code, l.expiry_date, sum(s.received) AS received,
       sum(s.issued) AS issued,
       sum(s.wasted_expiry + s.wasted_open_vial + s.wasted_breakage + s.wasted_cold_chain) AS wasted,
       sum(s.administered) AS administered, sum(s.adjusted) AS adjusted, sum(s.wasted_expiry) AS wasted_expiry,
       sum(s.wasted_open_vial) AS wasted_open_vial, sum(s.wasted_breakage) AS wasted_breakage,
       sum(s.wasted_cold_chain) AS wasted_cold_chain
FROM mart.stock_lot_daily s
JOIN ref.facility_area a ON a.id = s.facility_id
JOIN ref.lot l ON l.id = s.lot_id
WHERE (a.area, s.day) IN (SELECT area, day FROM _slice_stock)  -- slice
GROUP BY 1, 2, 3, 4, 5

-- mart.stock_province_daily: the flows of a day at each store level of a province (the national store's province
-- is 'VN'): the net change of stock, delivered (received - issued), given and wasted; the nation's and a
-- province's stock over time in a few rows a day.
-- grain: province, level, day
-- reads: mart.stock_lot_daily, ref.facility; slice: _slice_stock_prov (province, day)
SELECT coalesce(f.province_code::text, 'VN') AS province, f.level, s.day,
       sum(s.received - s.issued - s.administered - s.wasted_expiry - s.wasted_open_vial - s.wasted_breakage
           - s.wasted_cold_chain + s.adjusted) AS net,
       sum(s.received - s.issued) AS delivered, sum(s.administered) AS administered,
       sum(s.wasted_expiry + s.wasted_open_vial + s.wasted_breakage + s.wasted_cold_chain) AS wasted
FROM mart.stock_lot_daily s JOIN ref.facility f ON f.id = s.facility_id
WHERE s.day IN (SELECT day FROM _slice_stock_prov)  -- slice
  AND (coalesce(f.province_code::text, 'VN'), s.day) IN (SELECT province, day FROM _slice_stock_prov)  -- slice
GROUP BY 1, 2, 3

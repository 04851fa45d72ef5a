-- Grain: day x store level. The area's flows per day (as supply_stock.sql's area): the net change of stock
-- (on hand over time is its running sum), doses received, given and wasted; from mart.stock_lot_daily.
SELECT s.day, f.level,
       sum(s.received - s.issued - s.administered - s.wasted_expiry - s.wasted_open_vial - s.wasted_breakage
           - s.wasted_cold_chain + s.adjusted)::bigint AS net,
       sum(s.received - s.issued)::bigint AS delivered, sum(s.administered)::bigint AS administered,
       sum(s.wasted_expiry + s.wasted_open_vial + s.wasted_breakage + s.wasted_cold_chain)::bigint AS wasted
FROM mart.stock_lot_daily s
JOIN ref.facility f ON f.id = s.facility_id
WHERE s.day <= :as_of
  AND (:scope_province IS NULL OR f.province_code = :scope_province)
  AND (CAST(:province AS text) IS NULL OR f.province_code = :province)
  AND (CAST(:district AS text) IS NULL OR f.district_code = :district)
  AND (CAST(:site AS integer) IS NULL OR f.id = :site)
GROUP BY s.day, f.level

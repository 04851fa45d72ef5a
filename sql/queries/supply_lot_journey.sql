-- Grain: store level. One lot's journey through the area's stores and sites (as supply_stock.sql's) by
-- :as_of: received, issued down, given, wasted by reason, adjusted, on hand, how many facilities held it and how
-- many of them were ever below zero (a data-quality flag); with the lot's size and expiry (ref.lot).
WITH fac AS (
    SELECT f.id, f.level FROM ref.facility f
    WHERE f.level IN ('national', 'province', 'district', 'site')
      AND (:scope_province IS NULL OR f.province_code = :scope_province)
      AND (CAST(:province AS text) IS NULL OR f.province_code = :province)
      AND (CAST(:district AS text) IS NULL OR f.district_code = :district)
      AND (CAST(:site AS integer) IS NULL OR f.id = :site)
),
flows AS (
    SELECT fac.level, s.facility_id, s.day, s.received, s.issued, s.administered, s.wasted_expiry,
           s.wasted_open_vial, s.wasted_breakage, s.wasted_cold_chain, s.adjusted,
           sum(s.received - s.issued - s.administered - s.wasted_expiry - s.wasted_open_vial - s.wasted_breakage
               - s.wasted_cold_chain + s.adjusted) OVER (PARTITION BY s.facility_id ORDER BY s.day) AS on_hand
    FROM mart.stock_lot_daily s JOIN fac ON fac.id = s.facility_id
    WHERE s.lot_id = :lot AND s.day <= :as_of
),
per_facility AS (
    SELECT level, facility_id, sum(received) AS received, sum(issued) AS issued, sum(administered) AS administered,
           sum(wasted_expiry) AS wasted_expiry, sum(wasted_open_vial) AS wasted_open_vial,
           sum(wasted_breakage) AS wasted_breakage, sum(wasted_cold_chain) AS wasted_cold_chain,
           sum(adjusted) AS adjusted, (array_agg(on_hand ORDER BY day DESC))[1] AS on_hand,
           bool_or(on_hand < 0) AS short
    FROM flows GROUP BY level, facility_id
)
SELECT p.level, l.lot_code, l.product_code, l.doses AS lot_doses, l.expiry_date,
       sum(p.received)::bigint AS received, sum(p.issued)::bigint AS issued,
       sum(p.administered)::bigint AS administered, sum(p.wasted_expiry)::bigint AS wasted_expiry,
       sum(p.wasted_open_vial)::bigint AS wasted_open_vial, sum(p.wasted_breakage)::bigint AS wasted_breakage,
       sum(p.wasted_cold_chain)::bigint AS wasted_cold_chain, sum(p.adjusted)::bigint AS adjusted,
       sum(p.on_hand)::bigint AS on_hand, count(*)::bigint AS facilities,
       count(*) FILTER (WHERE p.short)::bigint AS short_facilities
FROM per_facility p JOIN ref.lot l ON l.id = :lot
GROUP BY p.level, l.lot_code, l.product_code, l.doses, l.expiry_date

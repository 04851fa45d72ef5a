-- Grain: day x store level. The area's flows per day (as supply_stock.sql's area): the net change of stock
-- (on hand over time is its running sum), doses received, given and wasted. The nation's or a province's from
-- mart.stock_province_daily, a district's from mart.stock_daily (its district store's and sites' area), a
-- site's from mart.stock_lot_daily.
SELECT s.day, s.level, sum(s.net)::bigint AS net, sum(s.delivered)::bigint AS delivered,
       sum(s.administered)::bigint AS administered, sum(s.wasted)::bigint AS wasted
FROM mart.stock_province_daily s
WHERE CAST(:district AS text) IS NULL AND s.day <= :as_of
  AND (:scope_province IS NULL OR s.province = :scope_province)
  AND (CAST(:province AS text) IS NULL OR s.province = :province)
GROUP BY s.day, s.level
UNION ALL
SELECT s.day, s.level, sum(s.received - s.issued - s.administered - s.wasted + s.adjusted)::bigint,
       sum(s.received - s.issued)::bigint, sum(s.administered)::bigint, sum(s.wasted)::bigint
FROM mart.stock_daily s JOIN ref.district d ON d.code = s.area
WHERE CAST(:district AS text) IS NOT NULL AND CAST(:site AS integer) IS NULL AND s.area = :district
  AND s.level IN ('district', 'site') AND s.day <= :as_of
  AND (:scope_province IS NULL OR d.province_code = :scope_province)
  AND (CAST(:province AS text) IS NULL OR d.province_code = :province)
GROUP BY s.day, s.level
UNION ALL
SELECT s.day, f.level,
       sum(s.received - s.issued - s.administered - s.wasted_expiry - s.wasted_open_vial - s.wasted_breakage
           - s.wasted_cold_chain + s.adjusted)::bigint,
       sum(s.received - s.issued)::bigint, sum(s.administered)::bigint,
       sum(s.wasted_expiry + s.wasted_open_vial + s.wasted_breakage + s.wasted_cold_chain)::bigint
FROM mart.stock_lot_daily s JOIN ref.facility f ON f.id = s.facility_id
WHERE CAST(:site AS integer) IS NOT NULL AND s.facility_id = :site AND s.day <= :as_of
  AND (:scope_province IS NULL OR f.province_code = :scope_province)
  AND (CAST(:province AS text) IS NULL OR f.province_code = :province)
  AND (CAST(:district AS text) IS NULL OR f.district_code = :district)
GROUP BY s.day, f.level

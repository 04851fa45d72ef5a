-- Grain: lot. The lots held or used in the area (as supply_stock.sql's) by :as_of, for the lot's journey: the
-- doses delivered into the area, given and on hand; the most delivered first, at most :limit.
WITH fac AS (
    SELECT f.id FROM ref.facility f
    WHERE f.level IN ('national', 'province', 'district', 'site')
      AND (:scope_province IS NULL OR f.province_code = :scope_province)
      AND (CAST(:province AS text) IS NULL OR f.province_code = :province)
      AND (CAST(:district AS text) IS NULL OR f.district_code = :district)
      AND (CAST(:site AS integer) IS NULL OR f.id = :site)
)
SELECT l.id AS lot_id, l.lot_code, l.product_code, l.expiry_date,
       sum(s.received - s.issued)::bigint AS delivered, sum(s.administered)::bigint AS administered,
       sum(s.received - s.issued - s.administered - s.wasted_expiry - s.wasted_open_vial - s.wasted_breakage
           - s.wasted_cold_chain + s.adjusted)::bigint AS on_hand
FROM mart.stock_lot_daily s JOIN fac ON fac.id = s.facility_id JOIN ref.lot l ON l.id = s.lot_id
WHERE s.day <= :as_of
GROUP BY l.id, l.lot_code, l.product_code, l.expiry_date
ORDER BY delivered DESC, l.id
LIMIT :limit

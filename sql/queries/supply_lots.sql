-- Grain: lot. The lots held or used in the area (as supply_stock.sql's) by :as_of, for the lot's journey: the
-- doses delivered into the area, given and on hand; the most delivered first, at most :limit. The nation's or a
-- province's lot ledgers as they stood at the end of :as_of (mart.stock_lot_balance); a district's or a site's
-- own lot flows (mart.stock_lot_daily).
WITH fac AS (
    SELECT f.id FROM ref.facility f
    WHERE CAST(:district AS text) IS NOT NULL
      AND (:scope_province IS NULL OR f.province_code = :scope_province)
      AND (CAST(:province AS text) IS NULL OR f.province_code = :province)
      AND f.district_code = :district
      AND (CAST(:site AS integer) IS NULL OR f.id = :site)
),
lots AS (
    SELECT b.lot_id, b.received - b.issued AS delivered, b.administered, b.on_hand
    FROM mart.stock_lot_balance b
    WHERE CAST(:district AS text) IS NULL AND daterange(b.day, b.until) @> CAST(:as_of AS date)
      AND (:scope_province IS NULL OR b.province = :scope_province)
      AND (CAST(:province AS text) IS NULL OR b.province = :province)
    UNION ALL
    SELECT s.lot_id, s.received - s.issued, s.administered,
           s.received - s.issued - s.administered - s.wasted_expiry - s.wasted_open_vial - s.wasted_breakage
               - s.wasted_cold_chain + s.adjusted
    FROM mart.stock_lot_daily s JOIN fac ON fac.id = s.facility_id
    WHERE s.day <= :as_of
)
SELECT l.id AS lot_id, l.lot_code, l.product_code, l.expiry_date,
       sum(s.delivered)::bigint AS delivered, sum(s.administered)::bigint AS administered,
       sum(s.on_hand)::bigint AS on_hand
FROM lots s JOIN ref.lot l ON l.id = s.lot_id
GROUP BY l.id, l.lot_code, l.product_code, l.expiry_date
ORDER BY delivered DESC, l.id
LIMIT :limit

-- Grain: sub-area (the provinces of the nation, the districts of a province, the sites of a district). Their
-- stores' and sites' stock by :as_of: on hand, doses given in the last 7 days, delivered (received - issued:
-- from outside the sub-area), given, wasted; from mart.stock_lot_daily. The national store is no sub-area.
WITH fac AS (
    SELECT f.id,
           CASE WHEN CAST(:district AS text) IS NOT NULL THEN f.id::text
                WHEN CAST(:province AS text) IS NOT NULL THEN f.district_code
                ELSE f.province_code END AS area
    FROM ref.facility f
    WHERE f.level IN ('province', 'district', 'site')
      AND (:scope_province IS NULL OR f.province_code = :scope_province)
      AND (CAST(:province AS text) IS NULL OR f.province_code = :province)
      AND (CAST(:district AS text) IS NULL OR (f.district_code = :district AND f.level = 'site'))
)
SELECT fac.area,
       sum(s.received - s.issued - s.administered - s.wasted_expiry - s.wasted_open_vial - s.wasted_breakage
           - s.wasted_cold_chain + s.adjusted)::bigint AS on_hand,
       coalesce(sum(s.administered) FILTER (WHERE s.day > CAST(:as_of AS date) - 7), 0)::bigint AS administered_7d,
       sum(s.received - s.issued)::bigint AS delivered, sum(s.administered)::bigint AS administered,
       sum(s.wasted_expiry + s.wasted_open_vial + s.wasted_breakage + s.wasted_cold_chain)::bigint AS wasted
FROM mart.stock_lot_daily s JOIN fac ON fac.id = s.facility_id
WHERE s.day <= :as_of AND fac.area IS NOT NULL
GROUP BY fac.area

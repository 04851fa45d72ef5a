-- Grain: sub-area (the provinces of the nation, the districts of a province, the sites of a district). Their
-- stores' and sites' stock by :as_of: on hand, doses given in the last 7 days, delivered (received - issued:
-- from outside the sub-area), given, wasted. The ledgers as they stood at the end of :as_of and of the day a week
-- before: of the stores and the districts' sites (mart.stock_balance), of a district's own sites
-- (mart.stock_facility_balance). The national store is no sub-area.
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
),
-- the nation's or a province's sub-areas: the ledgers of their stores and sites
ledgers AS (
    SELECT DISTINCT fac.area AS sub_area, a.area, a.level
    FROM fac JOIN ref.facility_area a ON a.id = fac.id
    WHERE CAST(:district AS text) IS NULL AND fac.area IS NOT NULL
),
stood AS (
    SELECT l.sub_area, b.on_hand, b.received - b.issued AS delivered, b.administered,
           b.wasted_expiry + b.wasted_open_vial + b.wasted_breakage + b.wasted_cold_chain AS wasted, 0 AS given_before
    FROM mart.stock_balance b JOIN ledgers l ON l.area = b.area AND l.level = b.level
    WHERE daterange(b.day, b.until) @> CAST(:as_of AS date)
    UNION ALL
    SELECT l.sub_area, 0, 0, 0, 0, b.administered
    FROM mart.stock_balance b JOIN ledgers l ON l.area = b.area AND l.level = b.level
    WHERE daterange(b.day, b.until) @> CAST(:as_of AS date) - 7
    UNION ALL
    SELECT fac.area, b.on_hand, b.received - b.issued, b.administered, b.wasted, 0
    FROM mart.stock_facility_balance b JOIN fac ON fac.id = b.facility_id
    WHERE CAST(:district AS text) IS NOT NULL AND daterange(b.day, b.until) @> CAST(:as_of AS date)
    UNION ALL
    SELECT fac.area, 0, 0, 0, 0, b.administered
    FROM mart.stock_facility_balance b JOIN fac ON fac.id = b.facility_id
    WHERE CAST(:district AS text) IS NOT NULL AND daterange(b.day, b.until) @> CAST(:as_of AS date) - 7
)
SELECT sub_area AS area, sum(on_hand)::bigint AS on_hand,
       (sum(administered) - sum(given_before))::bigint AS administered_7d,
       sum(delivered)::bigint AS delivered, sum(administered)::bigint AS administered, sum(wasted)::bigint AS wasted
FROM stood
GROUP BY sub_area

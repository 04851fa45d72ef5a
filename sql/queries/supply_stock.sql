-- Grain: store level x product. The stock of the area's stores and sites (the nation: every level, the
-- national store included; a province: its province store, district stores and sites; a district: its district
-- store and sites; :site one site) as of :as_of: on hand, on hand in lots expiring within 30 and 60 days (and
-- already expired), doses given in the last 7 days, and the flows to :as_of. Delivered = received - issued summed
-- over the area's facilities: what came in from outside the area.
-- Read from the ledgers as they stood at the end of :as_of (and of the day a week before): the area's
-- (mart.stock_balance), and for the expiry the lots on the shelves of the nation or a province
-- (mart.stock_lot_balance); a district's or a site's own lot flows (mart.stock_lot_daily).
WITH fac AS (
    SELECT f.id, f.level
    FROM ref.facility f
    WHERE f.level IN ('national', 'province', 'district', 'site')
      AND (:scope_province IS NULL OR f.province_code = :scope_province)
      AND (CAST(:province AS text) IS NULL OR f.province_code = :province)
      AND (CAST(:district AS text) IS NULL OR f.district_code = :district)
      AND (CAST(:site AS integer) IS NULL OR f.id = :site)
),
areas AS (
    SELECT DISTINCT a.area, a.level FROM ref.facility_area a JOIN fac ON fac.id = a.id
    WHERE CAST(:site AS integer) IS NULL
),
totals AS (
    SELECT b.level, b.product_code, b.on_hand, b.received, b.issued, b.administered, b.wasted_expiry,
           b.wasted_open_vial, b.wasted_breakage, b.wasted_cold_chain, b.adjusted, 0 AS given_before
    FROM mart.stock_balance b JOIN areas a ON a.area = b.area AND a.level = b.level
    WHERE daterange(b.day, b.until) @> CAST(:as_of AS date)
    UNION ALL
    SELECT b.level, b.product_code, 0, 0, 0, 0, 0, 0, 0, 0, 0, b.administered
    FROM mart.stock_balance b JOIN areas a ON a.area = b.area AND a.level = b.level
    WHERE daterange(b.day, b.until) @> CAST(:as_of AS date) - 7
    UNION ALL
    SELECT fac.level, l.product_code,
           s.received - s.issued - s.administered - s.wasted_expiry - s.wasted_open_vial - s.wasted_breakage
               - s.wasted_cold_chain + s.adjusted,
           s.received, s.issued, s.administered, s.wasted_expiry, s.wasted_open_vial, s.wasted_breakage,
           s.wasted_cold_chain, s.adjusted, CASE WHEN s.day <= CAST(:as_of AS date) - 7 THEN s.administered ELSE 0 END
    FROM mart.stock_lot_daily s JOIN fac ON fac.id = s.facility_id JOIN ref.lot l ON l.id = s.lot_id
    WHERE CAST(:site AS integer) IS NOT NULL AND s.day <= :as_of
),
held AS (
    SELECT b.level, b.lot_id, b.on_hand
    FROM mart.stock_lot_balance b
    WHERE CAST(:district AS text) IS NULL AND CAST(:site AS integer) IS NULL
      AND b.on_hand <> 0 AND daterange(b.day, b.until) @> CAST(:as_of AS date)
      AND (:scope_province IS NULL OR b.province = :scope_province)
      AND (CAST(:province AS text) IS NULL OR b.province = :province)
    UNION ALL
    SELECT fac.level, s.lot_id, sum(s.received - s.issued - s.administered - s.wasted_expiry - s.wasted_open_vial
                                     - s.wasted_breakage - s.wasted_cold_chain + s.adjusted)
    FROM mart.stock_lot_daily s JOIN fac ON fac.id = s.facility_id
    WHERE CAST(:district AS text) IS NOT NULL AND s.day <= :as_of
    GROUP BY 1, 2
),
by_expiry AS (
    SELECT h.level, l.product_code,
           sum(h.on_hand) FILTER (WHERE l.expiry_date >= :as_of AND l.expiry_date <= CAST(:as_of AS date) + 30)
               AS expiring_30,
           sum(h.on_hand) FILTER (WHERE l.expiry_date >= :as_of AND l.expiry_date <= CAST(:as_of AS date) + 60)
               AS expiring_60,
           sum(h.on_hand) FILTER (WHERE l.expiry_date < :as_of) AS expired
    FROM held h JOIN ref.lot l ON l.id = h.lot_id
    GROUP BY 1, 2
),
summed AS (
    SELECT level, product_code, sum(on_hand) AS on_hand, sum(administered) - sum(given_before) AS administered_7d,
           sum(received) AS received, sum(issued) AS issued, sum(administered) AS administered,
           sum(wasted_expiry) AS wasted_expiry, sum(wasted_open_vial) AS wasted_open_vial,
           sum(wasted_breakage) AS wasted_breakage, sum(wasted_cold_chain) AS wasted_cold_chain,
           sum(adjusted) AS adjusted
    FROM totals GROUP BY 1, 2
)
SELECT t.level, t.product_code, t.on_hand::bigint AS on_hand,
       coalesce(e.expiring_30, 0)::bigint AS expiring_30, coalesce(e.expiring_60, 0)::bigint AS expiring_60,
       coalesce(e.expired, 0)::bigint AS expired, t.administered_7d::bigint AS administered_7d,
       t.received::bigint AS received, t.issued::bigint AS issued, t.administered::bigint AS administered,
       t.wasted_expiry::bigint AS wasted_expiry, t.wasted_open_vial::bigint AS wasted_open_vial,
       t.wasted_breakage::bigint AS wasted_breakage, t.wasted_cold_chain::bigint AS wasted_cold_chain,
       t.adjusted::bigint AS adjusted
FROM summed t LEFT JOIN by_expiry e ON e.level = t.level AND e.product_code = t.product_code

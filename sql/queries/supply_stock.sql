-- Grain: store level x product. The stock of the area's stores and sites (the nation: every level, the
-- national store included; a province: its province store, district stores and sites; a district: its district
-- store and sites; :site one site) as of :as_of, from mart.stock_lot_daily: on hand, on hand in lots expiring
-- within 30 and 60 days (and already expired), doses given in the last 7 days, and the flows to :as_of.
-- Delivered = received - issued summed over the area's facilities: what came in from outside the area.
WITH fac AS (
    SELECT f.id, f.level
    FROM ref.facility f
    WHERE f.level IN ('national', 'province', 'district', 'site')
      AND (:scope_province IS NULL OR f.province_code = :scope_province)
      AND (CAST(:province AS text) IS NULL OR f.province_code = :province)
      AND (CAST(:district AS text) IS NULL OR f.district_code = :district)
      AND (CAST(:site AS integer) IS NULL OR f.id = :site)
),
lots AS (
    SELECT fac.level, l.product_code, l.expiry_date, s.day,
           s.received, s.issued, s.administered, s.wasted_expiry, s.wasted_open_vial, s.wasted_breakage,
           s.wasted_cold_chain, s.adjusted,
           s.received - s.issued - s.administered - s.wasted_expiry - s.wasted_open_vial - s.wasted_breakage
               - s.wasted_cold_chain + s.adjusted AS net
    FROM mart.stock_lot_daily s
    JOIN fac ON fac.id = s.facility_id
    JOIN ref.lot l ON l.id = s.lot_id
    WHERE s.day <= :as_of
)
SELECT level, product_code,
       sum(net)::bigint AS on_hand,
       coalesce(sum(net) FILTER (WHERE expiry_date >= :as_of AND expiry_date <= CAST(:as_of AS date) + 30), 0)::bigint
           AS expiring_30,
       coalesce(sum(net) FILTER (WHERE expiry_date >= :as_of AND expiry_date <= CAST(:as_of AS date) + 60), 0)::bigint
           AS expiring_60,
       coalesce(sum(net) FILTER (WHERE expiry_date < :as_of), 0)::bigint AS expired,
       coalesce(sum(administered) FILTER (WHERE day > CAST(:as_of AS date) - 7), 0)::bigint AS administered_7d,
       sum(received)::bigint AS received, sum(issued)::bigint AS issued, sum(administered)::bigint AS administered,
       sum(wasted_expiry)::bigint AS wasted_expiry, sum(wasted_open_vial)::bigint AS wasted_open_vial,
       sum(wasted_breakage)::bigint AS wasted_breakage, sum(wasted_cold_chain)::bigint AS wasted_cold_chain,
       sum(adjusted)::bigint AS adjusted
FROM lots
GROUP BY level, product_code

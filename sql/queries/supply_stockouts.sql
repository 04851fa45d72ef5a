-- Grain: facility x product. The stores and sites of the area (as supply_stock.sql's) at stock-out on :as_of:
-- no dose of a product they gave or issued in the 14 days up to :as_of (eVIN, DHIS2), with the day the stock
-- ran out (the first day with flows after the last day that ended with stock) and the days without stock since.
-- The longest first, at most :limit rows (the page says how many there are in all).
WITH fac AS (
    SELECT f.id, f.level, f.name, f.province_code, f.district_code
    FROM ref.facility f
    WHERE f.level IN ('national', 'province', 'district', 'site')
      AND (:scope_province IS NULL OR f.province_code = :scope_province)
      AND (CAST(:province AS text) IS NULL OR f.province_code = :province)
      AND (CAST(:district AS text) IS NULL OR f.district_code = :district)
      AND (CAST(:site AS integer) IS NULL OR f.id = :site)
),
daily AS (
    SELECT s.facility_id, l.product_code, s.day,
           sum(s.received - s.issued - s.administered - s.wasted_expiry - s.wasted_open_vial - s.wasted_breakage
               - s.wasted_cold_chain + s.adjusted) AS net,
           sum(s.administered + s.issued) AS used
    FROM mart.stock_lot_daily s JOIN fac ON fac.id = s.facility_id JOIN ref.lot l ON l.id = s.lot_id
    WHERE s.day <= :as_of
    GROUP BY 1, 2, 3
),
running AS (
    SELECT facility_id, product_code, day, used,
           sum(net) OVER (PARTITION BY facility_id, product_code ORDER BY day) AS on_hand
    FROM daily
),
status AS (
    SELECT facility_id, product_code,
           sum(used) FILTER (WHERE day > CAST(:as_of AS date) - 14) AS used_14d,
           (array_agg(on_hand ORDER BY day DESC))[1] AS on_hand,
           max(day) FILTER (WHERE on_hand > 0) AS last_stocked
    FROM running GROUP BY 1, 2
),
out AS (
    SELECT st.facility_id, st.product_code, st.on_hand, min(r.day) AS out_since
    FROM status st
    JOIN running r ON r.facility_id = st.facility_id AND r.product_code = st.product_code
                  AND r.day > coalesce(st.last_stocked, '-infinity')
    WHERE st.used_14d > 0 AND st.on_hand <= 0
    GROUP BY st.facility_id, st.product_code, st.on_hand
)
SELECT o.facility_id, fac.name, fac.level, fac.province_code AS province, fac.district_code AS district,
       o.product_code, o.on_hand::bigint AS on_hand, o.out_since,
       (CAST(:as_of AS date) - o.out_since + 1) AS days_out, count(*) OVER () AS stockouts
FROM out o JOIN fac ON fac.id = o.facility_id
ORDER BY days_out DESC, o.facility_id, o.product_code
LIMIT :limit

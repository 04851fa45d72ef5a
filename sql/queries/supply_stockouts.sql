-- Grain: facility x product. The stores and sites of the area (as supply_stock.sql's) at stock-out on :as_of:
-- no dose of a product they used in the 14 days up to :as_of (eVIN, DHIS2), with the day the stock
-- ran out (the first day with flows after the last day that ended with stock) and the days without stock since.
-- The longest first, at most :limit rows, each with the count of all of them by level.
WITH fac AS (
    SELECT f.id, f.level, f.name, f.province_code, f.district_code
    FROM ref.facility f
    WHERE f.level IN ('national', 'province', 'district', 'site')
      AND (:scope_province IS NULL OR f.province_code = :scope_province)
      AND (CAST(:province AS text) IS NULL OR f.province_code = :province)
      AND (CAST(:district AS text) IS NULL OR f.district_code = :district)
      AND (CAST(:site AS integer) IS NULL OR f.id = :site)
),
-- the facilities and products used in the :used_days days (14), the only ones that can be out: a site uses a
-- product by giving it, a store by issuing it (a site's issue is a return of stock it no longer uses)
active AS (
    SELECT s.facility_id, l.product_code
    FROM mart.stock_lot_daily s JOIN fac ON fac.id = s.facility_id JOIN ref.lot l ON l.id = s.lot_id
    WHERE s.day > CAST(:as_of AS date) - CAST(:used_days AS integer) AND s.day <= :as_of
      AND (s.administered > 0 OR (fac.level <> 'site' AND s.issued > 0))
    GROUP BY 1, 2
),
flows AS (
    SELECT s.facility_id, l.product_code, s.day,
           s.received - s.issued - s.administered - s.wasted_expiry - s.wasted_open_vial - s.wasted_breakage
               - s.wasted_cold_chain + s.adjusted AS net
    FROM mart.stock_lot_daily s JOIN ref.lot l ON l.id = s.lot_id
    JOIN active a ON a.facility_id = s.facility_id AND a.product_code = l.product_code
    WHERE s.day <= :as_of
),
-- of those, the ones with no stock left at the end of :as_of (one pass, before the day-by-day one)
empty AS (
    SELECT facility_id, product_code FROM flows GROUP BY 1, 2 HAVING sum(net) <= 0
),
daily AS (
    SELECT f.facility_id, f.product_code, f.day, sum(f.net) AS net
    FROM flows f JOIN empty e ON e.facility_id = f.facility_id AND e.product_code = f.product_code
    GROUP BY 1, 2, 3
),
running AS (
    SELECT facility_id, product_code, day,
           sum(net) OVER (PARTITION BY facility_id, product_code ORDER BY day) AS on_hand
    FROM daily
),
-- whether the stock was above zero on this day or any later one: the days after the last such day are the
-- stock-out's, the first of them the day the stock ran out
ahead AS (
    SELECT facility_id, product_code, day, on_hand,
           bool_or(on_hand > 0) OVER (PARTITION BY facility_id, product_code ORDER BY day DESC) AS stocked_since
    FROM running
),
out AS (
    SELECT facility_id, product_code, min(day) AS out_since, (array_agg(on_hand ORDER BY day DESC))[1] AS on_hand
    FROM ahead
    WHERE NOT stocked_since
    GROUP BY 1, 2
)
SELECT o.facility_id, fac.name, fac.level, fac.province_code AS province, fac.district_code AS district,
       o.product_code, o.on_hand::bigint AS on_hand, o.out_since,
       (CAST(:as_of AS date) - o.out_since + 1) AS days_out,
       -- the counts by level over all of them, not only the rows within :limit
       count(*) FILTER (WHERE fac.level = 'national') OVER () AS stockouts_national,
       count(*) FILTER (WHERE fac.level = 'province') OVER () AS stockouts_province,
       count(*) FILTER (WHERE fac.level = 'district') OVER () AS stockouts_district,
       count(*) FILTER (WHERE fac.level = 'site') OVER () AS stockouts_site
FROM out o JOIN fac ON fac.id = o.facility_id
ORDER BY days_out DESC, o.facility_id, o.product_code
LIMIT :limit

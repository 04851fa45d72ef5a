-- Grain: facility x product. The stores and sites of the area (as supply_stock.sql's) at stock-out on :as_of:
-- no dose of a product they used in the 14 days up to :as_of (eVIN, DHIS2; a site uses a product by giving it, a
-- store by issuing it), with the day the stock ran out (the first day with flows after the last day that ended
-- with stock) and the days without stock since.
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
-- the ledgers of a product as they stood at the end of :as_of (mart.stock_facility_balance): empty, and used
-- in the :used_days days (14) up to it
out AS (
    SELECT b.facility_id, b.product_code, b.on_hand, b.out_since
    FROM mart.stock_facility_balance b
    WHERE b.on_hand <= 0 AND b.last_used > CAST(:as_of AS date) - CAST(:used_days AS integer)
      AND b.day <= :as_of AND (b.until IS NULL OR b.until > :as_of)
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

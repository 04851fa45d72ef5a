-- Grain: store level x product. Vaccine stock of an area's stores (a province: its province store, district
-- stores and sites; the nation (:province NULL): every level including the national store), from
-- mart.stock_daily: flows from :date_from to :date_to, and the balance before and at the end of the period.
-- Balance = running sum of received - issued - wasted - administered + adjusted (adjusted is signed).
-- mart.stock_daily.area is the district code for site and district stores, the province code for province
-- stores and 'VN' for the national store.
WITH flows AS (
    SELECT s.level, s.product_code, s.day,
           s.received, s.issued, s.wasted, s.administered, s.adjusted,
           s.received - s.issued - s.wasted - s.administered + s.adjusted AS net
    FROM mart.stock_daily s
    WHERE s.day <= :date_to
      AND (:scope_province IS NULL OR s.area = :scope_province
           OR s.area IN (SELECT code FROM ref.district WHERE province_code = :scope_province))
      AND (CAST(:province AS text) IS NULL OR s.area = :province
           OR s.area IN (SELECT code FROM ref.district WHERE province_code = :province))
)
SELECT f.level, f.product_code, p.name AS product_name,
       coalesce(sum(f.net) FILTER (WHERE f.day < :date_from), 0)::bigint AS opening,
       coalesce(sum(f.received) FILTER (WHERE f.day >= :date_from), 0)::bigint AS received,
       coalesce(sum(f.issued) FILTER (WHERE f.day >= :date_from), 0)::bigint AS issued,
       coalesce(sum(f.administered) FILTER (WHERE f.day >= :date_from), 0)::bigint AS administered,
       coalesce(sum(f.wasted) FILTER (WHERE f.day >= :date_from), 0)::bigint AS wasted,
       coalesce(sum(f.adjusted) FILTER (WHERE f.day >= :date_from), 0)::bigint AS adjusted,
       sum(f.net)::bigint AS balance
FROM flows f JOIN ref.product p ON p.code = f.product_code
GROUP BY f.level, f.product_code, p.name
ORDER BY CASE f.level WHEN 'national' THEN 0 WHEN 'province' THEN 1 WHEN 'district' THEN 2 ELSE 3 END,
         f.product_code

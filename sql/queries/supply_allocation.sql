-- Grain: province x product. By :as_of, the doses the Ministry's decisions allocated to the province
-- (mart.allocation_daily), the doses delivered into its stores and sites (received - issued over them: what
-- came from the national store) and the doses they gave (mart.stock_daily).
WITH prov AS (
    SELECT p.code FROM ref.province p
    WHERE (:scope_province IS NULL OR p.code = :scope_province)
      AND (CAST(:province AS text) IS NULL OR p.code = :province)
),
alloc AS (
    SELECT a.province, a.product_code, sum(a.allocated)::bigint AS allocated
    FROM mart.allocation_daily a JOIN prov ON prov.code = a.province
    WHERE a.day <= :as_of GROUP BY 1, 2
),
flows AS (
    -- mart.stock_daily: area is the province for the province store, the district for district stores and sites
    SELECT coalesce(d.province_code, s.area) AS province, s.product_code,
           sum(s.received - s.issued)::bigint AS delivered, sum(s.administered)::bigint AS administered
    FROM mart.stock_daily s
    LEFT JOIN ref.district d ON d.code = s.area AND s.level IN ('district', 'site')
    JOIN prov ON prov.code = coalesce(d.province_code, s.area)
    WHERE s.day <= :as_of AND s.level IN ('province', 'district', 'site')
    GROUP BY 1, 2
)
SELECT coalesce(a.province, f.province) AS province, coalesce(a.product_code, f.product_code) AS product_code,
       coalesce(a.allocated, 0)::bigint AS allocated, coalesce(f.delivered, 0)::bigint AS delivered,
       coalesce(f.administered, 0)::bigint AS administered
FROM alloc a FULL JOIN flows f ON f.province = a.province AND f.product_code = a.product_code

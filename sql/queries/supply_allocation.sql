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
-- mart.stock_daily's area is the province for the province store, the district for district stores and sites:
-- the areas of each province, so that the mart is read by its key (area first) rather than scanned
areas AS (
    SELECT code AS area, code AS province, ARRAY['province'] AS levels FROM prov
    UNION ALL
    SELECT d.code, d.province_code, ARRAY['district', 'site'] FROM ref.district d JOIN prov ON prov.code = d.province_code
),
flows AS (
    SELECT a.province, s.product_code,
           sum(s.received - s.issued)::bigint AS delivered, sum(s.administered)::bigint AS administered
    FROM areas a JOIN mart.stock_daily s ON s.area = a.area AND s.level = ANY (a.levels)
    WHERE s.day <= :as_of
    GROUP BY 1, 2
)
SELECT coalesce(a.province, f.province) AS province, coalesce(a.product_code, f.product_code) AS product_code,
       coalesce(a.allocated, 0)::bigint AS allocated, coalesce(f.delivered, 0)::bigint AS delivered,
       coalesce(f.administered, 0)::bigint AS administered
FROM alloc a FULL JOIN flows f ON f.province = a.province AND f.product_code = a.product_code

-- Grain: province x product. By :as_of, the doses the Ministry's decisions allocated to the province
-- (mart.allocation_daily), the doses delivered into its stores and sites (received - issued over them: what
-- came from the national store) and the doses they gave.
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
-- the ledgers of each province's stores and sites (mart.stock_balance: the province store's area is the
-- province, the district stores' and sites' the district) as they stood at the end of :as_of
areas AS (
    SELECT code AS area, code AS province, ARRAY['province'] AS levels FROM prov
    UNION ALL
    SELECT d.code, d.province_code, ARRAY['district', 'site'] FROM ref.district d JOIN prov ON prov.code = d.province_code
),
flows AS (
    SELECT a.province, s.product_code,
           sum(s.received - s.issued)::bigint AS delivered, sum(s.administered)::bigint AS administered
    FROM areas a JOIN mart.stock_balance s ON s.area = a.area AND s.level = ANY (a.levels)
    WHERE daterange(s.day, s.until) @> CAST(:as_of AS date)
    GROUP BY 1, 2
)
SELECT coalesce(a.province, f.province) AS province, coalesce(a.product_code, f.product_code) AS product_code,
       coalesce(a.allocated, 0)::bigint AS allocated, coalesce(f.delivered, 0)::bigint AS delivered,
       coalesce(f.administered, 0)::bigint AS administered
FROM alloc a FULL JOIN flows f ON f.province = a.province AND f.product_code = a.product_code

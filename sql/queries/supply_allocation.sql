-- Grain: province x product. By :as_of, the doses the Ministry's decisions allocated to the province
-- (mart.allocation_daily), the doses delivered into its stores and sites (received - issued over them: what
-- came from the national store) and the doses they gave (mart.stock_lot_daily).
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
    SELECT f.province_code AS province, l.product_code,
           sum(s.received - s.issued)::bigint AS delivered, sum(s.administered)::bigint AS administered
    FROM mart.stock_lot_daily s
    JOIN ref.facility f ON f.id = s.facility_id
    JOIN prov ON prov.code = f.province_code
    JOIN ref.lot l ON l.id = s.lot_id
    WHERE s.day <= :as_of AND f.level IN ('province', 'district', 'site')
    GROUP BY 1, 2
)
SELECT coalesce(a.province, f.province) AS province, coalesce(a.product_code, f.product_code) AS product_code,
       coalesce(a.allocated, 0)::bigint AS allocated, coalesce(f.delivered, 0)::bigint AS delivered,
       coalesce(f.administered, 0)::bigint AS administered
FROM alloc a FULL JOIN flows f ON f.province = a.province AND f.product_code = a.product_code

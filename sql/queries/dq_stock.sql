-- Grain: district. By :as_of, the doses delivered into the district's stores (district store and sites: received
-- minus sent on, so transfers inside the district cancel out) and the doses administered from them.
SELECT s.area AS district, sum(s.received - s.issued)::bigint AS delivered, sum(s.administered)::bigint AS administered
FROM mart.stock_daily s JOIN ref.district d ON d.code = s.area
WHERE s.level IN ('district', 'site') AND s.day <= :as_of
  AND (:scope_province IS NULL OR d.province_code = :scope_province)
  AND (CAST(:province AS text) IS NULL OR d.province_code = :province)
  AND (CAST(:district AS text) IS NULL OR d.code = :district)
GROUP BY s.area

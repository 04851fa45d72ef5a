-- Grain: district. By :as_of (and by :before, the week before), the doses delivered into the district's stores
-- (district store and sites: received minus sent on, so transfers inside the district cancel out) and the doses
-- administered from them.
SELECT s.area AS district,
       sum(s.received - s.issued) FILTER (WHERE s.day <= :as_of)::bigint AS delivered,
       sum(s.administered) FILTER (WHERE s.day <= :as_of)::bigint AS administered,
       coalesce(sum(s.received - s.issued) FILTER (WHERE s.day <= :before), 0)::bigint AS delivered_before,
       coalesce(sum(s.administered) FILTER (WHERE s.day <= :before), 0)::bigint AS administered_before
FROM mart.stock_daily s JOIN ref.district d ON d.code = s.area
WHERE s.level IN ('district', 'site') AND s.day <= :as_of
  AND (:scope_province IS NULL OR d.province_code = :scope_province)
  AND (CAST(:province AS text) IS NULL OR d.province_code = :province)
  AND (CAST(:district AS text) IS NULL OR d.code = :district)
GROUP BY s.area

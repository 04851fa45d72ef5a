-- Grain: vaccination site x lag bucket, injections from :date_from to :date_to at the sites of :district.
-- A site missing from ref.facility keeps its doses under its id (its name is unknown, its doses are not).
SELECT l.site_id::text AS area, coalesce(f.name, l.site_id::text) AS name, l.bucket, sum(l.doses)::bigint AS doses
FROM mart.site_lag_daily l JOIN ref.district d ON d.code = l.district
LEFT JOIN ref.facility f ON f.id = l.site_id
WHERE (:scope_province IS NULL OR d.province_code = :scope_province) AND l.district = :district
  AND l.day BETWEEN :date_from AND :date_to
GROUP BY l.site_id, f.name, l.bucket

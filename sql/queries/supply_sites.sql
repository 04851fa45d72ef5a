-- Grain: site. The vaccination sites of a district (scope bound), for the site picker.
SELECT f.id AS site, f.name FROM ref.facility f
WHERE f.level = 'site' AND f.district_code = :district
  AND (:scope_province IS NULL OR f.province_code = :scope_province)
ORDER BY f.name, f.id

-- Grain: field. Identity checks of the area's residents (nation, a province or a district) by :as_of that found
-- the field different from the population database; a check naming several fields counts once for each.
SELECT v.field, sum(v.checks)::bigint AS checks
FROM mart.verification_field_daily v JOIN ref.district d ON d.code = v.district
WHERE (:scope_province IS NULL OR d.province_code = :scope_province)
  AND (:province IS NULL OR d.province_code = :province) AND (:district IS NULL OR v.district = :district)
  AND v.day <= :as_of
GROUP BY v.field

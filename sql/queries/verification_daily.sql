-- Grain: check day x outcome. Identity checks of the area's residents (nation, a province or a district):
-- every check, and the people checked for the first time.
SELECT v.day, v.outcome, sum(v.checks)::bigint AS checks, sum(v.first_checks)::bigint AS first_checks
FROM mart.verification_daily v JOIN ref.district d ON d.code = v.district
WHERE (:scope_province IS NULL OR d.province_code = :scope_province)
  AND (:province IS NULL OR d.province_code = :province) AND (:district IS NULL OR v.district = :district)
GROUP BY v.day, v.outcome ORDER BY v.day

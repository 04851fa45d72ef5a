-- Grain: sub-area x outcome. People checked for the first time by :as_of (and how), per province of the
-- nation or per district of :province.
SELECT CASE WHEN CAST(:province AS text) IS NULL THEN d.province_code ELSE v.district END AS area, v.outcome,
       sum(v.first_checks)::bigint AS people
FROM mart.verification_daily v JOIN ref.district d ON d.code = v.district
WHERE (:scope_province IS NULL OR d.province_code = :scope_province)
  AND (CAST(:province AS text) IS NULL OR d.province_code = :province) AND v.day <= :as_of
GROUP BY 1, 2

-- Grain: area x age band. Coverage denominators at one level ('nation', 'province', 'district').
SELECT p.area_code AS area, p.age_band, p.population
FROM ref.population p
LEFT JOIN ref.district d ON p.level = 'district' AND d.code = p.area_code
WHERE p.level = :level
  AND (:scope_province IS NULL OR (p.level = 'province' AND p.area_code = :scope_province)
       OR (p.level = 'district' AND d.province_code = :scope_province))

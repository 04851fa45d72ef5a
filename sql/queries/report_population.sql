-- Grain: sub-area x age band. Coverage denominators of the districts of :province, or of the provinces of
-- the country (:province NULL): only the rows the report's areas table needs (population.sql at the
-- district level returns all 705 districts).
SELECT p.area_code AS area, p.age_band, p.population
FROM ref.population p
WHERE p.level = CASE WHEN CAST(:province AS text) IS NULL THEN 'province' ELSE 'district' END
  AND (CAST(:province AS text) IS NULL
       OR p.area_code IN (SELECT code FROM ref.district WHERE province_code = :province))
  AND (:scope_province IS NULL OR p.area_code = :scope_province
       OR p.area_code IN (SELECT code FROM ref.district WHERE province_code = :scope_province))

-- Grain: province and district. Names of the areas (codes are the GSO codes).
SELECT 'province' AS level, code AS area, name, name_with_type, code AS province FROM ref.province
WHERE :scope_province IS NULL OR code = :scope_province
UNION ALL
SELECT 'district', code, name_with_type, name_with_type, province_code FROM ref.district
WHERE :scope_province IS NULL OR province_code = :scope_province

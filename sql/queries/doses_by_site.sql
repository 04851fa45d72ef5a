-- Grain: vaccination site, for one district. Doses administered by :as_of, optionally one product / dose.
SELECT m.site_id AS area, f.name, f.commune_code, sum(m.doses)::bigint AS doses
FROM mart.site_doses_daily m JOIN ref.facility f ON f.id = m.site_id
JOIN ref.district d ON d.code = m.district
WHERE (:scope_province IS NULL OR d.province_code = :scope_province) AND m.district = :district
  AND m.day <= :as_of
  AND (:product IS NULL OR m.product_code = :product) AND (:dose_number IS NULL OR m.dose_number = :dose_number)
GROUP BY m.site_id, f.name, f.commune_code

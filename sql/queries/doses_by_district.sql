-- Grain: district, for one province. Doses administered by :as_of, optionally one product / dose number.
SELECT m.district AS area, sum(m.doses)::bigint AS doses
FROM mart.doses_daily m JOIN ref.district d ON d.code = m.district
WHERE (:scope_province IS NULL OR d.province_code = :scope_province) AND d.province_code = :province
  AND m.day <= :as_of
  AND (:product IS NULL OR m.product_code = :product) AND (:dose_number IS NULL OR m.dose_number = :dose_number)
GROUP BY m.district

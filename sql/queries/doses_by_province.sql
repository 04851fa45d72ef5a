-- Grain: province. Doses administered by :as_of, optionally one product / dose number.
SELECT province AS area, sum(doses)::bigint AS doses
FROM mart.doses_province_daily
WHERE (:scope_province IS NULL OR province = :scope_province) AND day <= :as_of
  AND (:product IS NULL OR product_code = :product) AND (:dose_number IS NULL OR dose_number = :dose_number)
GROUP BY province

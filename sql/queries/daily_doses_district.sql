-- Grain: day. Doses administered in one district, optionally one product / dose number.
SELECT m.day, sum(m.doses)::bigint AS doses
FROM mart.doses_daily m JOIN ref.district d ON d.code = m.district
WHERE (:scope_province IS NULL OR d.province_code = :scope_province)
  AND m.district = :district
  AND (:product IS NULL OR m.product_code = :product)
  AND (:dose_number IS NULL OR m.dose_number = :dose_number)
GROUP BY m.day ORDER BY m.day

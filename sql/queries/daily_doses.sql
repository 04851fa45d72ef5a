-- Grain: day. Doses administered in the area (nation or one province), optionally one product / dose number.
SELECT day, sum(doses)::bigint AS doses
FROM mart.doses_province_daily
WHERE (:scope_province IS NULL OR province = :scope_province)
  AND (:province IS NULL OR province = :province)
  AND (:product IS NULL OR product_code = :product)
  AND (:dose_number IS NULL OR dose_number = :dose_number)
GROUP BY day ORDER BY day

-- Grain: district. Dropout between dose 1 and dose 2 of multi-dose products, over the cohorts whose minimum
-- interval has passed by :as_of (and by :before, the week before): first doses given by that day minus the
-- product's minimum interval, second doses given by that day (a second dose cannot come sooner after its first,
-- so it belongs to those cohorts).
SELECT m.district,
       coalesce(sum(m.doses) FILTER (WHERE m.dose_number = 1
                                     AND m.day <= CAST(:as_of AS date) - p.min_interval_days), 0)::bigint AS first_doses,
       coalesce(sum(m.doses) FILTER (WHERE m.dose_number = 2), 0)::bigint AS second_doses,
       coalesce(sum(m.doses) FILTER (WHERE m.dose_number = 1
                                     AND m.day <= CAST(:before AS date) - p.min_interval_days), 0)::bigint
           AS first_doses_before,
       coalesce(sum(m.doses) FILTER (WHERE m.dose_number = 2 AND m.day <= :before), 0)::bigint AS second_doses_before
FROM mart.doses_daily m JOIN ref.product p ON p.code = m.product_code JOIN ref.district d ON d.code = m.district
WHERE p.primary_doses >= 2 AND m.dose_number IN (1, 2) AND m.day <= :as_of
  AND (:scope_province IS NULL OR d.province_code = :scope_province)
  AND (CAST(:province AS text) IS NULL OR d.province_code = :province)
  AND (CAST(:district AS text) IS NULL OR d.code = :district)
GROUP BY m.district

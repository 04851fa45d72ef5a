-- mart.lag_province_daily: the province roll-up of mart.lag_daily.
-- grain: province, day, bucket
-- reads: mart.lag_daily, ref.district; slice: _slice_prov_dose (province, day)
SELECT d.province_code AS province, m.day, m.bucket, sum(m.doses) AS doses
FROM mart.lag_daily m JOIN ref.district d ON d.code = m.district
WHERE (m.district, m.day) IN (SELECT d2.code, s.day FROM _slice_prov_dose s JOIN ref.district d2 ON d2.province_code = s.province)  -- slice
GROUP BY 1, 2, 3

-- mart.doses_province_daily: the province roll-up of mart.doses_daily (what national and province views read).
-- grain: province, day, product_code, dose_number, age_band
-- reads: mart.doses_daily, ref.district; slice: _slice_prov_dose (province, day)
SELECT d.province_code AS province, m.day, m.product_code, m.dose_number, m.age_band, sum(m.doses) AS doses
FROM mart.doses_daily m JOIN ref.district d ON d.code = m.district
WHERE (m.district, m.day) IN (SELECT d2.code, s.day FROM _slice_prov_dose s JOIN ref.district d2 ON d2.province_code = s.province)  -- slice
GROUP BY 1, 2, 3, 4, 5

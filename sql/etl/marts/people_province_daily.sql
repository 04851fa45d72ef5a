-- mart.people_province_daily: the province roll-up of mart.people_daily.
-- grain: province, day, age_band, milestone
-- reads: mart.people_daily, ref.district; slice: _slice_prov_people (province, day)
SELECT d.province_code AS province, m.day, m.age_band, m.milestone, sum(m.people) AS people
FROM mart.people_daily m JOIN ref.district d ON d.code = m.district
WHERE (m.district, m.day) IN (SELECT d2.code, s.day FROM _slice_prov_people s JOIN ref.district d2 ON d2.province_code = s.province)  -- slice
GROUP BY 1, 2, 3, 4

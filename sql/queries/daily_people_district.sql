-- Grain: day x milestone x age band, for one district.
SELECT m.day, m.milestone, m.age_band, sum(m.people)::bigint AS people
FROM mart.people_daily m JOIN ref.district d ON d.code = m.district
WHERE (:scope_province IS NULL OR d.province_code = :scope_province) AND m.district = :district
GROUP BY m.day, m.milestone, m.age_band ORDER BY m.day

-- Grain: district x milestone x age band, for the districts of one province, by :as_of.
SELECT m.district AS area, m.milestone, m.age_band, sum(m.people)::bigint AS people,
       (sum(m.people) FILTER (WHERE m.day > CAST(:as_of AS date) - 7))::bigint AS last7
FROM mart.people_daily m JOIN ref.district d ON d.code = m.district
WHERE (:scope_province IS NULL OR d.province_code = :scope_province) AND d.province_code = :province
  AND m.day <= :as_of
GROUP BY m.district, m.milestone, m.age_band

-- Grain: province x milestone x age band. People reaching each milestone by :as_of, and in the 7 days to it.
SELECT province AS area, milestone, age_band, sum(people)::bigint AS people,
       (sum(people) FILTER (WHERE day > CAST(:as_of AS date) - 7))::bigint AS last7
FROM mart.people_province_daily
WHERE (:scope_province IS NULL OR province = :scope_province) AND day <= :as_of
GROUP BY province, milestone, age_band

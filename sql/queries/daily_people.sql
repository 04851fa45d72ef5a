-- Grain: day x milestone x age band. People reaching each milestone in the area (nation or a province).
SELECT day, milestone, age_band, sum(people)::bigint AS people
FROM mart.people_province_daily
WHERE (:scope_province IS NULL OR province = :scope_province)
  AND (:province IS NULL OR province = :province)
GROUP BY day, milestone, age_band ORDER BY day

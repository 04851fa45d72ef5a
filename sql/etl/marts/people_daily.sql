-- mart.people_daily: people reaching each milestone (1 first dose, 2 primary series, 3 booster), by
-- residence district and the day they reached it.
-- grain: district, day, age_band, milestone
-- reads: staging.person_milestone, ref.milestone; slice: _slice_people (district, day)
SELECT x.district, x.day, x.age_band, m.id AS milestone, count(*) AS people
FROM (
    SELECT residence_district AS district, first_day AS day, age_band, 'first' AS milestone
    FROM staging.person_milestone
    WHERE (residence_district, first_day) IN (SELECT district, day FROM _slice_people)  -- slice
    UNION ALL
    SELECT residence_district, full_day, age_band, 'full' FROM staging.person_milestone
    WHERE full_day IS NOT NULL
      AND (residence_district, full_day) IN (SELECT district, day FROM _slice_people)  -- slice
    UNION ALL
    SELECT residence_district, booster_day, age_band, 'booster' FROM staging.person_milestone
    WHERE booster_day IS NOT NULL
      AND (residence_district, booster_day) IN (SELECT district, day FROM _slice_people)  -- slice
) x JOIN ref.milestone m ON m.code = x.milestone
GROUP BY 1, 2, 3, 4

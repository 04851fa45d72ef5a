-- mart.people_daily: people reaching each milestone, per (residence district, day).
DELETE FROM mart.people_daily m USING _slice_people s WHERE NOT %(all)s AND m.district = s.district AND m.day = s.day;
INSERT INTO mart.people_daily (district, day, age_band, milestone, people)
SELECT district, day, age_band, milestone, count(*)
FROM (
    SELECT residence_district AS district, first_day AS day, age_band, 1::smallint AS milestone
    FROM staging.person_milestone
    WHERE IN_SCOPE((residence_district, first_day) IN (SELECT district, day FROM _slice_people))
    UNION ALL
    SELECT residence_district, full_day, age_band, 2::smallint FROM staging.person_milestone
    WHERE full_day IS NOT NULL
      AND IN_SCOPE((residence_district, full_day) IN (SELECT district, day FROM _slice_people))
    UNION ALL
    SELECT residence_district, booster_day, age_band, 3::smallint FROM staging.person_milestone
    WHERE booster_day IS NOT NULL
      AND IN_SCOPE((residence_district, booster_day) IN (SELECT district, day FROM _slice_people))
) x
GROUP BY 1, 2, 3, 4;

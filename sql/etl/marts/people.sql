-- mart.people_daily: people reaching each milestone, per (residence district, day).
DELETE FROM mart.people_daily m USING _slice_people s WHERE NOT %(all)s AND m.district = s.district AND m.day = s.day;
INSERT INTO mart.people_daily (district, day, age_band, milestone, people)
SELECT residence_district, day, age_band, milestone, count(*)
FROM staging.person_milestone m
CROSS JOIN LATERAL (VALUES (1::smallint, m.first_day), (2::smallint, m.full_day), (3::smallint, m.booster_day))
    v(milestone, day)
WHERE day IS NOT NULL
  AND (%(all)s OR (residence_district, day) IN (SELECT district, day FROM _slice_people))
GROUP BY 1, 2, 3, 4;

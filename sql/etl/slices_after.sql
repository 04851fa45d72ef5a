-- ... and after: the union is what the marts recompute.
INSERT INTO _slice_dose
SELECT DISTINCT d.site_district, d.injected_day FROM staging.dose d
WHERE d.person_key IN (SELECT person_key FROM _touched)
EXCEPT SELECT district, day FROM _slice_dose;

INSERT INTO _slice_people
SELECT DISTINCT residence_district, day
FROM staging.person_milestone m
CROSS JOIN LATERAL (VALUES (m.first_day), (m.full_day), (m.booster_day)) v(day)
WHERE m.person_key IN (SELECT person_key FROM _touched) AND day IS NOT NULL
EXCEPT SELECT district, day FROM _slice_people;

-- The planner must know how few slices there are, or it scans the whole history.
ANALYZE _slice_dose;
ANALYZE _slice_people;

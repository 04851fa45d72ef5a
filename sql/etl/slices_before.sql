-- The slices the touched people's rows sat in before this run (incremental runs only): the old versions of
-- the records just read, and the touched people's other records (not changed by the load).
CREATE TEMP TABLE _slice_dose ON COMMIT DROP AS
SELECT d.site_district AS district, d.injected_day AS day
FROM staging.dose d WHERE d.person_key IN (SELECT person_key FROM _touched)
UNION SELECT site_district, injected_day FROM _old_dose;

CREATE TEMP TABLE _slice_people ON COMMIT DROP AS
SELECT DISTINCT residence_district AS district, day
FROM staging.person_milestone m
CROSS JOIN LATERAL (VALUES (m.first_day), (m.full_day), (m.booster_day)) v(day)
WHERE m.person_key IN (SELECT person_key FROM _touched) AND day IS NOT NULL;

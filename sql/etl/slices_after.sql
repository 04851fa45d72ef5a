-- The new versions of the records read, and the milestones that changed (their old and new days).
INSERT INTO _slice_dose
SELECT DISTINCT d.site_district, d.injected_day FROM staging.dose d JOIN _x_dose_record x ON x.id = d.id
EXCEPT SELECT district, day FROM _slice_dose;
INSERT INTO _slice_site
SELECT DISTINCT d.site_id, d.injected_day FROM staging.dose d JOIN _x_dose_record x ON x.id = d.id
EXCEPT SELECT site_id, day FROM _slice_site;

CREATE TEMP TABLE _changed_milestone ON COMMIT DROP AS
SELECT o.residence_district AS old_district, o.first_day AS old_first, o.full_day AS old_full,
       o.booster_day AS old_booster, n.residence_district AS new_district, n.first_day AS new_first,
       n.full_day AS new_full, n.booster_day AS new_booster
FROM _old_milestone o FULL JOIN (SELECT * FROM staging.person_milestone
                                 WHERE person_key IN (SELECT person_key FROM _touched)) n USING (person_key)
WHERE (o.residence_district, o.age_band, o.first_day, o.full_day, o.booster_day)
      IS DISTINCT FROM (n.residence_district, n.age_band, n.first_day, n.full_day, n.booster_day);

INSERT INTO _slice_people
SELECT DISTINCT district, day FROM (
    SELECT old_district AS district, v.day FROM _changed_milestone
    CROSS JOIN LATERAL (VALUES (old_first), (old_full), (old_booster)) v(day) WHERE old_district IS NOT NULL
    UNION ALL
    SELECT new_district, v.day FROM _changed_milestone
    CROSS JOIN LATERAL (VALUES (new_first), (new_full), (new_booster)) v(day) WHERE new_district IS NOT NULL
) s
WHERE day IS NOT NULL
EXCEPT SELECT district, day FROM _slice_people;

-- The planner must know how few slices there are, or it scans the whole history.
ANALYZE _slice_dose;
ANALYZE _slice_people;

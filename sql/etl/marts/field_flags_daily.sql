-- mart.field_flags_daily: valid doses by the completeness of their person's fields (ID number, birth date,
-- residence).
-- grain: district, day, age_band, id_state, birth_missing, residence_missing
-- reads: staging.dose; slice: _slice_dose (district, day)
SELECT site_district AS district, injected_day AS day, age_band, id_state, birth_missing, residence_missing,
       count(*) AS doses
FROM staging.dose
WHERE status = 'valid' AND quarantine_rule IS NULL
  AND (site_district, injected_day) IN (SELECT district, day FROM _slice_dose)  -- slice
GROUP BY 1, 2, 3, 4, 5, 6

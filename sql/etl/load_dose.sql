-- Dose records into staging, remembering the slices (site district x day) and people they touch.
-- Old versions first: a corrected record may leave its old slice. A record re-read unchanged (the extract's
-- overlap) is not written again, so that it counts as no change (etl.run.changes).
CREATE TEMP TABLE _old_dose ON COMMIT DROP AS
SELECT d.id, d.person_key, d.site_id, d.site_district, d.injected_day FROM staging.dose d JOIN _x_dose_record x ON x.id = d.id;

-- Impossible values are staged as they are, for validate_dose.sql to quarantine (D09-D12): the day and the
-- lag of an impossible time fall back to safe values (a quarantined row counts only in mart.quarantine_daily),
-- an impossible age is band -2, a missing person's sex '?'.
INSERT INTO staging.dose AS d (id, person_key, site_id, site_district, site_province, product_code, lot_code,
                          dose_number, injected_at, recorded_at, updated_at, injected_day, lag_days, status,
                          age_band, sex, residence_district, id_state, birth_missing,
                          residence_missing, person_missing)
SELECT DISTINCT ON (x.id) x.id, etl.person_key(x.person_id, %(ikey)s, %(okey)s), x.site_id, x.site_district,
       x.site_province, x.product_code, x.lot_code, x.dose_number, x.injected_at, x.recorded_at, x.updated_at,
       CASE WHEN etl.plausible(x.injected_at) THEN etl.vn_day(x.injected_at)
            WHEN etl.plausible(x.recorded_at) THEN etl.vn_day(x.recorded_at) ELSE %(campaign_start)s END,
       CASE WHEN etl.plausible(x.injected_at) AND etl.plausible(x.recorded_at)
            THEN etl.vn_day(x.recorded_at) - etl.vn_day(x.injected_at) ELSE 0 END, x.status,
       CASE WHEN x.age_years < 0 OR x.age_years > 120 THEN -2 ELSE etl.age_band(x.age_years) END,
       coalesce(x.sex, '?'), x.residence_district, x.id_state, x.birth_missing, x.residence_missing,
       x.person_missing
FROM _x_dose_record x ORDER BY x.id, x.updated_at DESC
ON CONFLICT (id) DO UPDATE SET person_key = EXCLUDED.person_key, site_id = EXCLUDED.site_id,
    site_district = EXCLUDED.site_district, site_province = EXCLUDED.site_province,
    product_code = EXCLUDED.product_code, lot_code = EXCLUDED.lot_code, dose_number = EXCLUDED.dose_number,
    injected_at = EXCLUDED.injected_at, recorded_at = EXCLUDED.recorded_at, updated_at = EXCLUDED.updated_at,
    injected_day = EXCLUDED.injected_day, lag_days = EXCLUDED.lag_days, status = EXCLUDED.status,
    age_band = EXCLUDED.age_band, sex = EXCLUDED.sex, residence_district = EXCLUDED.residence_district,
    id_state = EXCLUDED.id_state, birth_missing = EXCLUDED.birth_missing,
    residence_missing = EXCLUDED.residence_missing, person_missing = EXCLUDED.person_missing
WHERE (d.person_key, d.site_id, d.site_district, d.site_province, d.product_code, d.lot_code, d.dose_number,
       d.injected_at, d.recorded_at, d.updated_at, d.injected_day, d.lag_days, d.status, d.age_band, d.sex,
       d.residence_district, d.id_state, d.birth_missing, d.residence_missing, d.person_missing)
      IS DISTINCT FROM (EXCLUDED.person_key, EXCLUDED.site_id, EXCLUDED.site_district, EXCLUDED.site_province,
       EXCLUDED.product_code, EXCLUDED.lot_code, EXCLUDED.dose_number, EXCLUDED.injected_at, EXCLUDED.recorded_at,
       EXCLUDED.updated_at, EXCLUDED.injected_day, EXCLUDED.lag_days, EXCLUDED.status, EXCLUDED.age_band,
       EXCLUDED.sex, EXCLUDED.residence_district, EXCLUDED.id_state, EXCLUDED.birth_missing,
       EXCLUDED.residence_missing, EXCLUDED.person_missing);

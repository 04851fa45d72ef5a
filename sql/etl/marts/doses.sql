-- mart.doses_daily, mart.site_lag_daily, mart.lag_daily, mart.quarantine_daily, mart.field_flags_daily,
-- mart.site_doses_daily: per (site district, day).
DELETE FROM mart.doses_daily m USING _slice_dose s WHERE NOT %(all)s AND m.district = s.district AND m.day = s.day;
INSERT INTO mart.doses_daily (district, day, product_code, dose_number, age_band, sex, doses)
SELECT site_district, injected_day, product_code, dose_number, age_band, sex, count(*)
FROM staging.dose
WHERE status = 'valid' AND quarantine_rule IS NULL
  AND IN_SCOPE((site_district, injected_day) IN (SELECT district, day FROM _slice_dose))
GROUP BY 1, 2, 3, 4, 5, 6;

-- The lag histogram per site first; the district's is its sum (the mart is far smaller than staging.dose).
DELETE FROM mart.site_lag_daily m USING _slice_dose s
WHERE NOT %(all)s AND m.district = s.district AND m.day = s.day;
INSERT INTO mart.site_lag_daily (district, day, site_id, bucket, doses)
SELECT site_district, injected_day, site_id, etl.lag_bucket(lag_days), count(*)
FROM staging.dose
WHERE status = 'valid' AND quarantine_rule IS NULL
  AND IN_SCOPE((site_district, injected_day) IN (SELECT district, day FROM _slice_dose))
GROUP BY 1, 2, 3, 4;

DELETE FROM mart.lag_daily m USING _slice_dose s WHERE NOT %(all)s AND m.district = s.district AND m.day = s.day;
INSERT INTO mart.lag_daily (district, day, bucket, doses)
SELECT district, day, bucket, sum(doses)
FROM mart.site_lag_daily
WHERE IN_SCOPE((district, day) IN (SELECT district, day FROM _slice_dose))
GROUP BY 1, 2, 3;

DELETE FROM mart.quarantine_daily m USING _slice_dose s
WHERE NOT %(all)s AND m.district = s.district AND m.day = s.day;
INSERT INTO mart.quarantine_daily (district, day, rule_id, rows)
SELECT site_district, injected_day, quarantine_rule, count(*)
FROM staging.dose
WHERE quarantine_rule IS NOT NULL
  AND IN_SCOPE((site_district, injected_day) IN (SELECT district, day FROM _slice_dose))
GROUP BY 1, 2, 3;

DELETE FROM mart.field_flags_daily m USING _slice_dose s
WHERE NOT %(all)s AND m.district = s.district AND m.day = s.day;
INSERT INTO mart.field_flags_daily (district, day, age_band, id_state, birth_missing, residence_missing, doses)
SELECT site_district, injected_day, age_band, id_state, birth_missing, residence_missing, count(*)
FROM staging.dose
WHERE status = 'valid' AND quarantine_rule IS NULL
  AND IN_SCOPE((site_district, injected_day) IN (SELECT district, day FROM _slice_dose))
GROUP BY 1, 2, 3, 4, 5, 6;

DELETE FROM mart.site_doses_daily m USING _slice_dose s
WHERE NOT %(all)s AND m.district = s.district AND m.day = s.day;
INSERT INTO mart.site_doses_daily (district, day, site_id, product_code, dose_number, doses)
SELECT site_district, injected_day, site_id, product_code, dose_number, count(*)
FROM staging.dose
WHERE status = 'valid' AND quarantine_rule IS NULL
  AND IN_SCOPE((site_district, injected_day) IN (SELECT district, day FROM _slice_dose))
GROUP BY 1, 2, 3, 4, 5;

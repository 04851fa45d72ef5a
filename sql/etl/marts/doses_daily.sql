-- mart.doses_daily: valid doses by the site's district and the injection day.
-- grain: district, day, product_code, dose_number, age_band, sex
-- reads: staging.dose; slice: _slice_dose (district, day)
SELECT site_district AS district, injected_day AS day, product_code, dose_number, age_band, sex, count(*) AS doses
FROM staging.dose
WHERE status = 'valid' AND quarantine_rule IS NULL
  AND (site_district, injected_day) IN (SELECT district, day FROM _slice_dose)  -- slice
GROUP BY 1, 2, 3, 4, 5, 6

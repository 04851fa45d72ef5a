-- mart.site_doses_daily: valid doses per vaccination site.
-- grain: district, day, site_id, product_code, dose_number
-- reads: staging.dose; slice: _slice_dose (district, day)
SELECT site_district AS district, injected_day AS day, site_id, product_code, dose_number, count(*) AS doses
FROM staging.dose
WHERE status = 'valid' AND quarantine_rule IS NULL
  AND (site_district, injected_day) IN (SELECT district, day FROM _slice_dose)  -- slice
GROUP BY 1, 2, 3, 4, 5

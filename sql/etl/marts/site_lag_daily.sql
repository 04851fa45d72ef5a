-- mart.site_lag_daily: the recording-lag histogram of valid doses per site (the district's is its sum:
-- mart.lag_daily, far smaller to read than staging.dose).
-- grain: district, day, site_id, bucket
-- reads: staging.dose; slice: _slice_dose (district, day)
SELECT site_district AS district, injected_day AS day, site_id, etl.lag_bucket(lag_days) AS bucket, count(*) AS doses
FROM staging.dose
WHERE status = 'valid' AND quarantine_rule IS NULL
  AND (site_district, injected_day) IN (SELECT district, day FROM _slice_dose)  -- slice
GROUP BY 1, 2, 3, 4

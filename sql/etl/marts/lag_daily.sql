-- mart.lag_daily: the recording-lag histogram per district, summed from its sites'.
-- grain: district, day, bucket
-- reads: mart.site_lag_daily; slice: _slice_dose (district, day)
SELECT district, day, bucket, sum(doses) AS doses
FROM mart.site_lag_daily
WHERE (district, day) IN (SELECT district, day FROM _slice_dose)  -- slice
GROUP BY 1, 2, 3

-- mart.tests_daily: test samples by method and turnaround bucket, per the site's district and collection day.
-- grain: district, day, method, tat_bucket
-- reads: staging.test_sample; slice: _slice_tests (district, day)
SELECT district, collected_day AS day, method, etl.tat_bucket(turnaround_hours) AS tat_bucket, count(*) AS samples,
       sum(pooled_count) AS people_tested, count(*) FILTER (WHERE result = 'positive') AS positives,
       count(*) FILTER (WHERE result = 'invalid') AS invalid
FROM staging.test_sample
WHERE (district, collected_day) IN (SELECT district, day FROM _slice_tests)  -- slice
GROUP BY 1, 2, 3, 4

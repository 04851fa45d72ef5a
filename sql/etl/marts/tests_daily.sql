-- mart.tests_daily: test samples by laboratory, method and turnaround bucket, per the collecting site's
-- district and collection day.
-- grain: district, day, lab_id, method, tat_bucket
-- reads: staging.test_sample; slice: _slice_tests (district, day)
SELECT district, collected_day AS day, lab_id, method, etl.tat_bucket(turnaround_hours) AS tat_bucket,
       count(*) AS samples, sum(pooled_count) AS people_tested, count(*) FILTER (WHERE result = 'positive') AS positives,
       count(*) FILTER (WHERE result = 'invalid') AS invalid,
       coalesce(sum(pooled_count) FILTER (WHERE result = 'invalid'), 0) AS people_invalid
FROM staging.test_sample
WHERE (district, collected_day) IN (SELECT district, day FROM _slice_tests)  -- slice
GROUP BY 1, 2, 3, 4, 5

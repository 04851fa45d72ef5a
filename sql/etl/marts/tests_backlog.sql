-- mart.tests_backlog: the samples still without a result at the end of their collection day, by the day their
-- result came ('infinity': none yet), so that a laboratory's backlog as it stood on any day is exact.
-- grain: district, day, lab_id, method, result_day
-- reads: staging.test_sample; slice: _slice_tests (district, day)
SELECT district, collected_day AS day, lab_id, method, coalesce(resulted_day, 'infinity') AS result_day,
       count(*) AS samples, sum(pooled_count) AS people_tested
FROM staging.test_sample
WHERE (resulted_day IS NULL OR resulted_day > collected_day)
  AND (district, collected_day) IN (SELECT district, day FROM _slice_tests)  -- slice
GROUP BY 1, 2, 3, 4, 5

-- mart.allocation_daily: doses allocated to a province by the Ministry's decisions, by product and the
-- decision's date.
-- grain: province, product_code, day
-- reads: staging.allocation; slice: _slice_alloc (province, day)
SELECT province, product_code, decision_day AS day, sum(doses) AS allocated, count(*) AS decisions
FROM staging.allocation
WHERE (province, decision_day) IN (SELECT province, day FROM _slice_alloc)  -- slice
GROUP BY 1, 2, 3

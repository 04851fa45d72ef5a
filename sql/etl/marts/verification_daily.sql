-- mart.verification_daily: identity checks by outcome, per the person's district and the check's day.
-- grain: district, day, outcome
-- reads: staging.verification; slice: _slice_verif (district, day)
SELECT district, checked_day AS day, outcome, count(*) AS checks, count(*) FILTER (WHERE is_first) AS first_checks
FROM staging.verification
WHERE (district, checked_day) IN (SELECT district, day FROM _slice_verif)  -- slice
GROUP BY 1, 2, 3

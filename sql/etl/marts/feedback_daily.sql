-- mart.feedback_daily: citizens' feedback by the day received and closed, category and status.
-- grain: district, day, closed_day, category, status
-- reads: staging.feedback; slice: _slice_feedback (district, day)
SELECT district, received_day AS day, closed_day, category, status, count(*) AS items
FROM staging.feedback
WHERE (district, received_day) IN (SELECT district, day FROM _slice_feedback)  -- slice
GROUP BY 1, 2, 3, 4, 5

-- Grain: day. Platform doses (by injection day) beside the provinces' own daily hand reports.
SELECT day, sum(platform_doses)::bigint AS platform_doses, sum(reported_doses)::bigint AS reported_doses
FROM mart.report_daily
WHERE (:scope_province IS NULL OR province = :scope_province) AND (:province IS NULL OR province = :province)
GROUP BY day ORDER BY day

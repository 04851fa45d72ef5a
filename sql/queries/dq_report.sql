-- Grain: province x day, :date_from to :date_to: platform doses beside the province's own hand report.
SELECT province, day, platform_doses::bigint AS platform_doses, reported_doses::bigint AS reported_doses
FROM mart.report_daily
WHERE (:scope_province IS NULL OR province = :scope_province)
  AND (CAST(:province AS text) IS NULL OR province = :province) AND day BETWEEN :date_from AND :date_to

-- Grain: day received x day closed x status. Citizens' feedback about the area's residents' records.
SELECT f.day AS received_day, f.closed_day, f.status, sum(f.items)::bigint AS items
FROM mart.feedback_daily f JOIN ref.district d ON d.code = f.district
WHERE (:scope_province IS NULL OR d.province_code = :scope_province)
  AND (:province IS NULL OR d.province_code = :province) AND (:district IS NULL OR f.district = :district)
GROUP BY 1, 2, 3

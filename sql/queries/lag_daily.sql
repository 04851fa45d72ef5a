-- Grain: injection day x lag bucket. Doses of the area (nation, a province or a district) by how many days
-- after the injection they were entered (buckets 0, 1, 2, 3, 4 = 4-7, 8 = 8-14, 15, 31, 61+).
SELECT l.day, l.bucket, sum(l.doses)::bigint AS doses
FROM mart.lag_province_daily l
WHERE (:scope_province IS NULL OR l.province = :scope_province)
  AND (:province IS NULL OR l.province = :province) AND CAST(:district AS text) IS NULL
GROUP BY l.day, l.bucket
UNION ALL
SELECT l.day, l.bucket, sum(l.doses)::bigint
FROM mart.lag_daily l JOIN ref.district d ON d.code = l.district
WHERE (:scope_province IS NULL OR d.province_code = :scope_province) AND l.district = :district
GROUP BY l.day, l.bucket
ORDER BY 1, 2

-- Grain: sub-area x lag bucket, injections from :date_from to :date_to: provinces of the nation, or the
-- districts of :province.
SELECT l.province AS area, l.bucket, sum(l.doses)::bigint AS doses
FROM mart.lag_province_daily l
WHERE (:scope_province IS NULL OR l.province = :scope_province) AND CAST(:province AS text) IS NULL
  AND l.day BETWEEN :date_from AND :date_to
GROUP BY l.province, l.bucket
UNION ALL
SELECT l.district, l.bucket, sum(l.doses)::bigint
FROM mart.lag_daily l JOIN ref.district d ON d.code = l.district
WHERE (:scope_province IS NULL OR d.province_code = :scope_province) AND d.province_code = :province
  AND l.day BETWEEN :date_from AND :date_to
GROUP BY l.district, l.bucket

-- Grain: sub-area. Doses administered from :date_from to :date_to (by injection day and the site's area):
-- per province of the nation (:province NULL), or per district of :province.
SELECT m.province AS area, sum(m.doses)::bigint AS doses
FROM mart.doses_province_daily m
WHERE (:scope_province IS NULL OR m.province = :scope_province) AND CAST(:province AS text) IS NULL
  AND m.day BETWEEN :date_from AND :date_to
GROUP BY m.province
UNION ALL
SELECT m.district, sum(m.doses)::bigint
FROM mart.doses_daily m JOIN ref.district d ON d.code = m.district
WHERE (:scope_province IS NULL OR d.province_code = :scope_province) AND d.province_code = :province
  AND m.day BETWEEN :date_from AND :date_to
GROUP BY m.district

-- Grain: laboratory x age. The samples collected in the area (as testing_daily.sql's) still without a result at
-- the end of :as_of (mart.tests_backlog: collected on or before it, resulted after it or not yet), by laboratory
-- and age in days (:as_of - collection day; 7: a week or more). A laboratory outside a province user's province
-- goes unnamed.
SELECT b.lab_id,
       CASE WHEN :scope_province IS NULL OR l.province_code = :scope_province THEN l.name END AS name,
       least(CAST(:as_of AS date) - b.day, 7) AS age,
       sum(b.samples)::bigint AS samples, sum(b.people_tested)::bigint AS people_tested
FROM mart.tests_backlog b JOIN ref.district d ON d.code = b.district
LEFT JOIN ref.facility l ON l.id = b.lab_id
WHERE daterange(b.day, b.result_day) @> CAST(:as_of AS date)
  AND (:scope_province IS NULL OR d.province_code = :scope_province)
  AND (CAST(:province AS text) IS NULL OR d.province_code = :province)
  AND (CAST(:district AS text) IS NULL OR b.district = :district)
  AND (CAST(:lab AS integer) IS NULL OR b.lab_id = :lab)
GROUP BY b.lab_id, 2, 3

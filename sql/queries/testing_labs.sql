-- Grain: laboratory. The laboratories that tested samples collected in the area (as testing_daily.sql's, any
-- laboratory) by :as_of, with the samples they tested, for the laboratory picker and to check ?lab=. A laboratory
-- outside a province user's province goes unnamed.
SELECT t.lab_id,
       CASE WHEN :scope_province IS NULL OR l.province_code = :scope_province THEN l.name END AS name,
       sum(t.samples)::bigint AS samples
FROM mart.tests_daily t JOIN ref.district d ON d.code = t.district
LEFT JOIN ref.facility l ON l.id = t.lab_id
WHERE t.day <= :as_of
  AND (:scope_province IS NULL OR d.province_code = :scope_province)
  AND (CAST(:province AS text) IS NULL OR d.province_code = :province)
  AND (CAST(:district AS text) IS NULL OR t.district = :district)
GROUP BY t.lab_id, 2
ORDER BY 2, t.lab_id

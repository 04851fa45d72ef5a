-- Grain: laboratory x turnaround bucket. The samples collected in the area (as testing_daily.sql's) in the :days
-- days ending on :as_of, by the laboratory that tested them and the bucket of their turnaround (collected ->
-- result; -1: no result yet; etl.tat_bucket). A laboratory outside a province user's province goes unnamed.
SELECT t.lab_id,
       CASE WHEN :scope_province IS NULL OR l.province_code = :scope_province THEN l.name END AS name,
       t.tat_bucket, sum(t.samples)::bigint AS samples
FROM mart.tests_daily t JOIN ref.district d ON d.code = t.district
LEFT JOIN ref.facility l ON l.id = t.lab_id
WHERE t.day > CAST(:as_of AS date) - CAST(:days AS integer) AND t.day <= :as_of
  AND (:scope_province IS NULL OR d.province_code = :scope_province)
  AND (CAST(:province AS text) IS NULL OR d.province_code = :province)
  AND (CAST(:district AS text) IS NULL OR t.district = :district)
  AND (CAST(:lab AS integer) IS NULL OR t.lab_id = :lab)
GROUP BY t.lab_id, 2, t.tat_bucket

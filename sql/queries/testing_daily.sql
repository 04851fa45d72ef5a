-- Grain: day x method. The samples collected in the area (by the collecting site's district: the nation, a
-- province or a district) from :date_from to :as_of, with :lab those one laboratory tested: samples, people
-- tested (a pooled sample holds several people), samples with a result and the people in them, positives and
-- invalid results (mart.tests_daily, by collection day in Vietnam time).
SELECT t.day, t.method, sum(t.samples)::bigint AS samples, sum(t.people_tested)::bigint AS people_tested,
       coalesce(sum(t.samples) FILTER (WHERE t.tat_bucket >= 0), 0)::bigint AS resulted,
       (coalesce(sum(t.people_tested) FILTER (WHERE t.tat_bucket >= 0), 0) - sum(t.people_invalid))::bigint
           AS people_valid,
       sum(t.positives)::bigint AS positives, sum(t.invalid)::bigint AS invalid
FROM mart.tests_daily t JOIN ref.district d ON d.code = t.district
WHERE t.day >= :date_from AND t.day <= :as_of
  AND (:scope_province IS NULL OR d.province_code = :scope_province)
  AND (CAST(:province AS text) IS NULL OR d.province_code = :province)
  AND (CAST(:district AS text) IS NULL OR t.district = :district)
  AND (CAST(:lab AS integer) IS NULL OR t.lab_id = :lab)
GROUP BY t.day, t.method

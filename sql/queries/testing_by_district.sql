-- Grain: district. Every district of the nation (or of :province), with the samples collected there (with :lab,
-- those one laboratory tested) in the :days days ending on :as_of: samples, people tested, results and the people
-- in them, positives, invalid; beside its population (all ages, and of :group) and the people of :group who
-- reached :milestone by :as_of (mart.people_daily, by residence district).
WITH dist AS (
    SELECT d.code, d.province_code FROM ref.district d
    WHERE (:scope_province IS NULL OR d.province_code = :scope_province)
      AND (CAST(:province AS text) IS NULL OR d.province_code = :province)
),
bands AS (SELECT age_band FROM ref.population_group_band WHERE population_group = :group),
tests AS (
    SELECT t.district, sum(t.samples) AS samples, sum(t.people_tested) AS people_tested,
           sum(t.samples) FILTER (WHERE t.tat_bucket >= 0) AS resulted,
           coalesce(sum(t.people_tested) FILTER (WHERE t.tat_bucket >= 0), 0) - sum(t.people_invalid)
               AS people_valid,
           sum(t.positives) AS positives, sum(t.invalid) AS invalid
    FROM mart.tests_daily t JOIN dist ON dist.code = t.district
    WHERE t.day > CAST(:as_of AS date) - CAST(:days AS integer) AND t.day <= :as_of
      AND (CAST(:lab AS integer) IS NULL OR t.lab_id = :lab)
    GROUP BY t.district
),
pop AS (
    SELECT p.area_code, sum(p.population) AS population,
           sum(p.population) FILTER (WHERE p.age_band IN (SELECT age_band FROM bands)) AS population_group
    FROM ref.population p JOIN dist ON dist.code = p.area_code
    WHERE p.level = 'district'
    GROUP BY p.area_code
),
reached AS (
    SELECT m.district, sum(m.people) AS people
    FROM mart.people_daily m JOIN dist ON dist.code = m.district
    WHERE m.milestone = :milestone AND m.age_band IN (SELECT age_band FROM bands) AND m.day <= :as_of
    GROUP BY m.district
)
SELECT dist.code::text AS district, dist.province_code::text AS province,
       coalesce(t.samples, 0)::bigint AS samples, coalesce(t.people_tested, 0)::bigint AS people_tested,
       coalesce(t.resulted, 0)::bigint AS resulted, coalesce(t.people_valid, 0)::bigint AS people_valid,
       coalesce(t.positives, 0)::bigint AS positives, coalesce(t.invalid, 0)::bigint AS invalid,
       coalesce(p.population, 0)::bigint AS population, coalesce(r.people, 0)::bigint AS full_18,
       coalesce(p.population_group, 0)::bigint AS population_18
FROM dist
LEFT JOIN tests t ON t.district = dist.code
LEFT JOIN pop p ON p.area_code = dist.code
LEFT JOIN reached r ON r.district = dist.code
ORDER BY dist.code

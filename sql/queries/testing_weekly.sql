-- Grain: district x week (Monday). For the districts of the nation (or of :province) with samples collected
-- there (with :lab, tested by one laboratory) from the week of :date_from to :as_of: positives, results and
-- invalid results of the week; the people of :group who reached :milestone by the week's last day (by :as_of in
-- its week; mart.people_daily, by residence district) and the population of :group.
WITH dist AS (
    SELECT d.code FROM ref.district d
    WHERE (:scope_province IS NULL OR d.province_code = :scope_province)
      AND (CAST(:province AS text) IS NULL OR d.province_code = :province)
),
bands AS (SELECT age_band FROM ref.population_group_band WHERE population_group = :group),
tests AS (
    SELECT t.district, date_trunc('week', t.day)::date AS week, sum(t.positives) AS positives,
           coalesce(sum(t.samples) FILTER (WHERE t.tat_bucket >= 0), 0) AS resulted, sum(t.invalid) AS invalid
    FROM mart.tests_daily t JOIN dist ON dist.code = t.district
    WHERE t.day >= date_trunc('week', CAST(:date_from AS date))::date AND t.day <= :as_of
      AND (CAST(:lab AS integer) IS NULL OR t.lab_id = :lab)
    GROUP BY 1, 2
),
reached AS (
    SELECT m.district, date_trunc('week', m.day)::date AS week, sum(m.people) AS people
    FROM mart.people_daily m JOIN dist ON dist.code = m.district
    WHERE m.milestone = :milestone AND m.age_band IN (SELECT age_band FROM bands) AND m.day <= :as_of
    GROUP BY 1, 2
),
-- the weeks of vaccination and of testing together, so that a running sum over weeks (peers included: the
-- week's own people) gives each tested week the people reached by its end
weeks AS (
    SELECT district, week, people, NULL::bigint AS positives, NULL::bigint AS resulted, NULL::bigint AS invalid
    FROM reached
    UNION ALL
    SELECT district, week, 0, positives, resulted, invalid FROM tests
),
running AS (
    SELECT district, week, positives, resulted, invalid,
           sum(people) OVER (PARTITION BY district ORDER BY week) AS reached
    FROM weeks
),
pop AS (
    SELECT p.area_code, sum(p.population) AS population
    FROM ref.population p JOIN dist ON dist.code = p.area_code
    WHERE p.level = 'district' AND p.age_band IN (SELECT age_band FROM bands)
    GROUP BY p.area_code
)
SELECT r.district, r.week, r.positives::bigint AS positives, r.resulted::bigint AS resulted,
       r.invalid::bigint AS invalid, r.reached::bigint AS full_18, coalesce(p.population, 0)::bigint AS population_18
FROM running r LEFT JOIN pop p ON p.area_code = r.district
WHERE r.positives IS NOT NULL
ORDER BY r.week, r.district

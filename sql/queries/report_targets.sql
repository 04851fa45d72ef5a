-- Grain: target. The targets a report on one area answers to: the national ones, and, for a province, its
-- own (ref.target.scope = its code). Unlike targets.sql this does not widen to every province's targets
-- for a national user: a national operator exporting province 79 gets 79's targets, not 63 provinces'.
SELECT id, population_group, milestone, threshold::float AS threshold, deadline, scope, label_vi, label_en
FROM ref.target
WHERE (scope = 'national' OR scope = CAST(:province AS text))
  AND (:scope_province IS NULL OR scope = 'national' OR scope = :scope_province)
ORDER BY deadline, id

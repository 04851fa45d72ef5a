-- Grain: target. The targets of the area being viewed: the national ones, and the own targets of :province (the
-- province viewed, or the province of the district viewed; NULL for the nation, which has national ones only).
SELECT id, population_group, milestone, threshold::float AS threshold, deadline, scope, label_vi, label_en
FROM ref.target
WHERE (scope = 'national' OR scope = :province)
  AND (:scope_province IS NULL OR scope IN ('national', :scope_province))
ORDER BY deadline, id

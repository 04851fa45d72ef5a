-- Grain: target. The campaign's targets that apply to the scope (national ones and the province's own).
SELECT id, population_group, milestone, threshold::float AS threshold, deadline, scope, label_vi, label_en
FROM ref.target
WHERE scope = 'national' OR :scope_province IS NULL OR scope = :scope_province
ORDER BY deadline, id

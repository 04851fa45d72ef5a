-- Grain: rule. The ETL's validation rules and flags with their texts (the same for every scope).
SELECT rule_id, source, action, message_vi, message_en FROM ref.rule
WHERE :scope_province IS NULL OR :scope_province IS NOT NULL
ORDER BY rule_id

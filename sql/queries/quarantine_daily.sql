-- Grain: day x rule. Rows quarantined by the ETL, by injection day, for the nation, :province or :district,
-- with the rule's texts (weeks are the page's measure: dashboard/measures/weeks.py).
SELECT q.day, q.rule_id, r.message_vi, r.message_en, sum(q.rows)::bigint AS rows
FROM mart.quarantine_daily q JOIN ref.district d ON d.code = q.district JOIN ref.rule r ON r.rule_id = q.rule_id
WHERE (:scope_province IS NULL OR d.province_code = :scope_province)
  AND (CAST(:province AS text) IS NULL OR d.province_code = :province)
  AND (CAST(:district AS text) IS NULL OR d.code = :district)
GROUP BY 1, 2, 3, 4 ORDER BY 1, 2

-- mart.quarantine_daily: quarantined dose records by rule, the site's district and the injection day.
-- grain: district, day, rule_id
-- reads: staging.dose; slice: _slice_dose (district, day)
SELECT site_district AS district, injected_day AS day, quarantine_rule AS rule_id, count(*) AS rows
FROM staging.dose
WHERE quarantine_rule IS NOT NULL
  AND (site_district, injected_day) IN (SELECT district, day FROM _slice_dose)  -- slice
GROUP BY 1, 2, 3

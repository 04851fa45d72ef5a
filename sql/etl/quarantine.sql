-- The quarantine of every source's rows read this run, from the loads' verdicts (_verdict: one row per row
-- read, with its rule or NULL): a row that passes leaves etl.quarantine, one that fails enters it, or has its
-- rule and detail brought up to date. Only what differs is written: a row re-read as it was is no change.
ANALYZE _verdict;

DELETE FROM etl.quarantine q USING _verdict v
WHERE q.source = v.source AND q.source_id = v.source_id AND v.rule IS NULL;

INSERT INTO etl.quarantine AS q (source, source_id, rule_id, detail, run_id)
SELECT source, source_id, rule, detail, %(run_id)s FROM _verdict WHERE rule IS NOT NULL
ON CONFLICT (source, source_id) DO UPDATE SET rule_id = EXCLUDED.rule_id, detail = EXCLUDED.detail,
    run_id = EXCLUDED.run_id
WHERE (q.rule_id, q.detail) IS DISTINCT FROM (EXCLUDED.rule_id, EXCLUDED.detail);

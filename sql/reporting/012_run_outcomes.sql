-- A run found 'running' by the next run (which holds the run lock, so nothing else runs) was killed or lost
-- its connection: it is marked 'abandoned'. `changes` counts the staging, quarantine and reference rows a
-- run inserted, changed or deleted; an incremental run with none keeps the data version (and the caches).
ALTER TABLE etl.run DROP CONSTRAINT run_status_check,
    ADD CONSTRAINT run_status_check CHECK (status IN ('running', 'succeeded', 'failed', 'abandoned')),
    ADD COLUMN changes bigint;

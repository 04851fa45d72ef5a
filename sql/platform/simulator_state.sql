-- The simulator's own bookkeeping, beside the platform (never read by the ETL):
-- its state between calls, and events generated but not yet "happened" at the simulated date
-- (late entries, verifications, feedback, voids, lab results), released when a later --until reaches them.
CREATE SCHEMA IF NOT EXISTS sim;

CREATE TABLE sim.state (
    id          smallint PRIMARY KEY DEFAULT 1 CHECK (id = 1),
    seed        bigint NOT NULL,
    scale       double precision NOT NULL,
    profile     text,
    perfect     boolean NOT NULL,
    until       date NOT NULL,
    arrays      bytea NOT NULL,
    updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE UNLOGGED TABLE sim.pending_dose_record (LIKE platform.dose_record);
CREATE INDEX ON sim.pending_dose_record (updated_at);
CREATE UNLOGGED TABLE sim.pending_verification (
    id bigint, person_id bigint, checked_at timestamptz, outcome text, mismatched_fields text);
CREATE INDEX ON sim.pending_verification (checked_at);
CREATE UNLOGGED TABLE sim.pending_feedback (
    id bigint, person_id bigint, dose_record_id bigint, category text, received_at timestamptz,
    resolved_at timestamptz, status text, inserted boolean NOT NULL DEFAULT false);
CREATE UNLOGGED TABLE sim.pending_void (dose_id bigint, void_at timestamptz);
CREATE UNLOGGED TABLE sim.pending_result (sample_id bigint, resulted_at timestamptz, result text);

-- Ground truth of the stock faults the simulator planted (not in --perfect runs), one row per fault and day,
-- so that data-quality checks can be tested against it: kind site_overdraw (a site's dose records name a lot
-- it never received), empty_store (a transfer out of a store holding none of the lot), expired_use (doses
-- recorded with a lot past its expiry date). facility_id is where the balance of lot_id goes wrong.
CREATE TABLE sim.stock_fault (
    kind        text NOT NULL CHECK (kind IN ('site_overdraw', 'empty_store', 'expired_use')),
    facility_id integer NOT NULL,
    lot_id      integer NOT NULL,
    day         date NOT NULL,
    doses       integer NOT NULL CHECK (doses > 0)
);

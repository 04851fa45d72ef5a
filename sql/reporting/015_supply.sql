-- Vaccine supply (issue 12): the Ministry's allocation decisions, wastage by reason, and stock per facility
-- and lot, from which on hand, days of supply, expiry, stock-outs and a lot's journey are read.

ALTER TABLE staging.stock_movement ADD COLUMN reason text;
-- A site's doses of a day, for the stock a run recomputes per facility and day (mart.stock_lot_daily).
CREATE INDEX ON staging.dose (site_id, injected_day);

-- platform.vaccine_allocation, as read: a decision's doses of a product for a province.
CREATE TABLE staging.allocation (
    id bigint PRIMARY KEY,
    decision_no text NOT NULL,
    decision_day date NOT NULL,
    province text NOT NULL,
    product_code text NOT NULL,
    doses integer NOT NULL,
    updated_at timestamptz NOT NULL,
    quarantine_rule text);

-- The share of a product's doses that may be lost (expiry, open vials, breakage, cold chain) before the
-- loss is a fault: kept as data, so the ministry can change it without a release.
CREATE TABLE ref.wastage_allowance (
    product_code text PRIMARY KEY,
    allowed_rate numeric(4, 3) NOT NULL CHECK (allowed_rate > 0 AND allowed_rate < 1),
    source text NOT NULL);
INSERT INTO ref.wastage_allowance VALUES
    ('AZD', 0.10, 'India, COVID-19 vaccines operational guidelines (2020): 10% allowed for 10-dose vials'),
    ('MOD', 0.10, 'India, COVID-19 vaccines operational guidelines (2020): 10% allowed for 10-dose vials'),
    ('ABD', 0.10, 'India, COVID-19 vaccines operational guidelines (2020): 10% allowed for 10-dose vials'),
    ('PFZ', 0.10, 'India, COVID-19 vaccines operational guidelines (2020): 10% allowed for multi-dose vials'),
    ('SPK', 0.10, 'India, COVID-19 vaccines operational guidelines (2020): 10% allowed for multi-dose vials'),
    ('JNS', 0.10, 'India, COVID-19 vaccines operational guidelines (2020): 10% allowed for multi-dose vials'),
    ('HYT', 0.05, 'WHO, Monitoring vaccine wastage at country level (2005): 5% for 1-2 dose vials'),
    ('VRO', 0.05, 'WHO, Monitoring vaccine wastage at country level (2005): 5% for 1-2 dose vials');

-- grain: facility_id, day, lot_id. Every flow of a lot at a facility on a day. Additive: a facility's stock on
-- hand of a lot at the end of day D is the sum over days <= D of
--   received - issued - administered - (wasted_expiry + wasted_open_vial + wasted_breakage + wasted_cold_chain)
--   + adjusted (signed).
-- (A dose given from an expired lot is quarantined by rule D08 and counts nowhere here.)
CREATE TABLE mart.stock_lot_daily (
    facility_id integer NOT NULL,
    lot_id integer NOT NULL,
    day date NOT NULL,
    received bigint NOT NULL,
    issued bigint NOT NULL,
    administered bigint NOT NULL,
    wasted_expiry bigint NOT NULL,
    wasted_open_vial bigint NOT NULL,
    wasted_breakage bigint NOT NULL,
    wasted_cold_chain bigint NOT NULL,
    adjusted bigint NOT NULL,
    PRIMARY KEY (facility_id, day, lot_id));  -- in this order: incremental runs recompute a facility's days
CREATE INDEX ON mart.stock_lot_daily (day);
CREATE INDEX ON mart.stock_lot_daily (lot_id);

-- mart.stock_daily rolls mart.stock_lot_daily up to areas; its wasted is now split by reason too
-- (wasted stays the total).
ALTER TABLE mart.stock_daily
    ADD COLUMN wasted_expiry bigint NOT NULL DEFAULT 0,
    ADD COLUMN wasted_open_vial bigint NOT NULL DEFAULT 0,
    ADD COLUMN wasted_breakage bigint NOT NULL DEFAULT 0,
    ADD COLUMN wasted_cold_chain bigint NOT NULL DEFAULT 0;

-- grain: province, product_code, day (the decision's date). Doses allocated by the Ministry's decisions.
CREATE TABLE mart.allocation_daily (
    province text NOT NULL,
    product_code text NOT NULL,
    day date NOT NULL,
    allocated bigint NOT NULL,
    decisions integer NOT NULL,
    PRIMARY KEY (province, product_code, day));

INSERT INTO etl.rule VALUES
    ('A01_unknown_province_or_product', 'vaccine_allocation', 'quarantine',
     'Quyết định phân bổ cho một tỉnh hoặc một loại vắc xin không có trong danh mục',
     'Allocation decision for a province or a vaccine product that is not in the reference data'),
    ('A02_impossible_date', 'vaccine_allocation', 'quarantine',
     'Quyết định phân bổ có ngày không thể có (trước 2020 hoặc từ 2100)',
     'Allocation decision with an impossible date (before 2020 or from 2100)');

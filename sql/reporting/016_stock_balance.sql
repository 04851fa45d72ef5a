-- Stock ledgers (issue 12): what stood on each shelf at the end of each day, kept by the ETL so that a page
-- reads one day's rows instead of summing every flow since the campaign began (a cold national supply page
-- took 28 s at scale 0.05). Each row is a ledger's state at the end of a day with flows, valid until the next
-- one: the state at the end of day D is the row whose daterange(day, until) contains D.

-- grain: area, level, product_code, day. A product's ledger at a store, or at the sites of a district taken
-- together (ref.facility_area): flows summed from the first day on, and on hand.
CREATE TABLE mart.stock_balance (
    area text NOT NULL,
    level text NOT NULL,
    product_code text NOT NULL,
    day date NOT NULL,
    until date,  -- the next day with flows (NULL: none yet)
    received bigint NOT NULL,
    issued bigint NOT NULL,
    administered bigint NOT NULL,
    wasted_expiry bigint NOT NULL,
    wasted_open_vial bigint NOT NULL,
    wasted_breakage bigint NOT NULL,
    wasted_cold_chain bigint NOT NULL,
    adjusted bigint NOT NULL,
    on_hand bigint NOT NULL,
    PRIMARY KEY (area, level, product_code, day));
CREATE INDEX stock_balance_stood_idx ON mart.stock_balance USING gist (daterange(day, until));
-- a run finds the row before the first day it recomputes: the one whose until is at or after that day
CREATE INDEX stock_balance_until_idx ON mart.stock_balance (area, until);

-- grain: facility_id, product_code, day. A facility's ledger of a product (all its lots): flows summed, on
-- hand, since when it has been empty (out_since, NULL while it holds stock) and the last day it used the product
-- (a site by giving it, a store by issuing it), for the stock-outs.
CREATE TABLE mart.stock_facility_balance (
    facility_id integer NOT NULL,
    product_code text NOT NULL,
    day date NOT NULL,
    until date,
    received bigint NOT NULL,
    issued bigint NOT NULL,
    administered bigint NOT NULL,
    wasted bigint NOT NULL,
    adjusted bigint NOT NULL,
    on_hand bigint NOT NULL,
    out_since date,
    last_used date,
    PRIMARY KEY (facility_id, product_code, day));
CREATE INDEX stock_facility_balance_stood_idx ON mart.stock_facility_balance USING gist (daterange(day, until));
CREATE INDEX stock_facility_balance_until_idx ON mart.stock_facility_balance (facility_id, until);
-- the stock-outs: empty ledgers of a product used lately
CREATE INDEX stock_facility_balance_empty_idx ON mart.stock_facility_balance (last_used) WHERE on_hand <= 0;

-- grain: province, level, lot_id, day. A lot's ledger at each store level of a province ('VN': the national
-- store): flows summed from the first day on, and on hand. The nation's and a province's stock by lot.
CREATE TABLE mart.stock_lot_balance (
    province text NOT NULL,
    level text NOT NULL,
    lot_id integer NOT NULL,
    day date NOT NULL,
    until date,
    received bigint NOT NULL,
    issued bigint NOT NULL,
    administered bigint NOT NULL,
    wasted_expiry bigint NOT NULL,
    wasted_open_vial bigint NOT NULL,
    wasted_breakage bigint NOT NULL,
    wasted_cold_chain bigint NOT NULL,
    adjusted bigint NOT NULL,
    on_hand bigint NOT NULL,
    PRIMARY KEY (province, level, lot_id, day));
CREATE INDEX stock_lot_balance_stood_idx ON mart.stock_lot_balance USING gist (daterange(day, until));
CREATE INDEX stock_lot_balance_until_idx ON mart.stock_lot_balance (province, until);

-- grain: province, level, day. The flows of a day at each store level of a province ('VN': the national store).
CREATE TABLE mart.stock_province_daily (
    province text NOT NULL,
    level text NOT NULL,
    day date NOT NULL,
    net bigint NOT NULL,
    delivered bigint NOT NULL,
    administered bigint NOT NULL,
    wasted bigint NOT NULL,
    PRIMARY KEY (province, level, day));
-- on hand by expiry: the lots still on shelves
CREATE INDEX stock_lot_balance_held_idx ON mart.stock_lot_balance USING gist (daterange(day, until))
    WHERE on_hand <> 0;

-- grain: facility_id, lot_id, day. A facility's ledger of a lot: on hand at the end of each day with flows, for
-- the data-quality check of ledgers that went below zero (a site giving doses of a lot it never received, a store
-- issuing from an empty shelf).
CREATE TABLE mart.stock_facility_lot_balance (
    facility_id integer NOT NULL,
    lot_id integer NOT NULL,
    day date NOT NULL,
    until date,
    on_hand bigint NOT NULL,
    PRIMARY KEY (facility_id, lot_id, day));
CREATE INDEX stock_facility_lot_balance_until_idx ON mart.stock_facility_lot_balance (facility_id, until);
CREATE INDEX stock_facility_lot_balance_short_idx ON mart.stock_facility_lot_balance (facility_id, day)
    WHERE on_hand < 0;

-- Source contract: the national vaccination platform's operational tables, as the ETL reads them.
-- The simulator creates exactly these; a real deployment exposes tables or views of the same shape.
-- Every table the ETL extracts incrementally carries updated_at (indexed), bumped on every change.
-- Foreign keys and indexes are in constraints.sql: a first bulk load adds them after the data, as
-- PostgreSQL's own advice on populating a database recommends.
-- Personal data (names, ID numbers, phones) lives here only; the reporting schema never holds it.

CREATE SCHEMA IF NOT EXISTS platform;

-- Administrative units with the official GSO codes (2021-2022 structure: 63 / 705 / 10,599).
CREATE TABLE platform.province (
    code            char(2) PRIMARY KEY CHECK (code ~ '^[0-9]{2}$'),
    name            text NOT NULL,
    name_with_type  text NOT NULL,
    kind            text NOT NULL CHECK (kind IN ('thanh-pho', 'tinh'))
);

CREATE TABLE platform.district (
    code            char(3) PRIMARY KEY CHECK (code ~ '^[0-9]{3}$'),
    province_code   char(2) NOT NULL,
    name            text NOT NULL,
    name_with_type  text NOT NULL,
    kind            text NOT NULL
);

CREATE TABLE platform.commune (
    code            char(5) PRIMARY KEY CHECK (code ~ '^[0-9]{5}$'),
    district_code   char(3) NOT NULL,
    name            text NOT NULL,
    name_with_type  text NOT NULL,
    kind            text NOT NULL
);

-- The denominators the platform shows: population per commune, sex and age band, from the population
-- database (in the demo: made-up shares of the real province totals).
CREATE TABLE platform.population (
    commune_code    char(5) NOT NULL,
    age_band        text NOT NULL CHECK (age_band IN ('0-4', '5-11', '12-17', '18-49', '50-64', '65+')),
    sex             char(1) NOT NULL CHECK (sex IN ('M', 'F')),
    population      integer NOT NULL CHECK (population >= 0),
    PRIMARY KEY (commune_code, age_band, sex)
);

-- Stores (national, province, district), vaccination sites and laboratories, as a tree of supply.
CREATE TABLE platform.facility (
    id              integer PRIMARY KEY,
    code            text NOT NULL UNIQUE,
    name            text NOT NULL,
    kind            text NOT NULL CHECK (kind IN
                        ('national_store', 'province_store', 'district_store', 'site', 'lab')),
    province_code   char(2),
    district_code   char(3),
    commune_code    char(5),
    parent_id       integer,
    active          boolean NOT NULL DEFAULT true,
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CHECK (kind = 'national_store' OR province_code IS NOT NULL),
    CHECK (kind NOT IN ('district_store', 'site') OR district_code IS NOT NULL)
);

CREATE TABLE platform.vaccine_product (
    code                text PRIMARY KEY,
    name                text NOT NULL,
    manufacturer        text NOT NULL,
    primary_doses       smallint NOT NULL CHECK (primary_doses BETWEEN 1 AND 3),
    min_interval_days   smallint NOT NULL CHECK (min_interval_days >= 0),
    doses_per_vial      smallint NOT NULL CHECK (doses_per_vial >= 1),
    min_age_years       smallint NOT NULL CHECK (min_age_years >= 0)
);

CREATE TABLE platform.vaccine_lot (
    id              integer PRIMARY KEY,
    lot_code        text NOT NULL UNIQUE,
    product_code    text NOT NULL,
    doses           integer NOT NULL CHECK (doses > 0),
    expiry_date     date NOT NULL,
    manufactured_on date NOT NULL CHECK (manufactured_on < expiry_date),
    updated_at      timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE platform.person (
    id                  bigint PRIMARY KEY,
    full_name           text NOT NULL,
    citizen_id          text,          -- 12-digit citizen ID number; missing or malformed on some rows
    birth_date          date,          -- required by the rules; missing on some rows (a data-quality check)
    sex                 char(1) NOT NULL CHECK (sex IN ('M', 'F')),
    phone               text,
    residence_commune   char(5),       -- required by the rules; missing on some rows
    created_at          timestamptz NOT NULL,
    updated_at          timestamptz NOT NULL
);

-- One row per dose entered. Sites type the lot code from the vial, so it is text, checked by the ETL.
CREATE TABLE platform.dose_record (
    id                  bigint PRIMARY KEY,
    person_id           bigint NOT NULL,
    site_id             integer NOT NULL,
    lot_code            text NOT NULL,
    product_code        text NOT NULL,
    dose_number         smallint NOT NULL CHECK (dose_number BETWEEN 1 AND 6),
    injected_at         timestamptz NOT NULL,
    recorded_at         timestamptz NOT NULL,
    updated_at          timestamptz NOT NULL,
    status              text NOT NULL CHECK (status IN ('valid', 'voided')),
    certificate_issued  boolean NOT NULL DEFAULT false,
    CHECK (updated_at >= recorded_at)
);

-- The Ministry's allocation decisions: doses of a product allotted to a province by a numbered decision
-- (deliveries follow over weeks, and some never in full).
CREATE TABLE platform.vaccine_allocation (
    id              bigint PRIMARY KEY,
    decision_no     text NOT NULL,      -- as written on the decision, e.g. '3355/QĐ-BYT'
    decision_date   date NOT NULL,
    province_code   char(2) NOT NULL,
    product_code    text NOT NULL,
    doses           integer NOT NULL CHECK (doses > 0),
    updated_at      timestamptz NOT NULL
);

-- Vaccine moving between facilities. receipt: into the national store (from_facility NULL);
-- transfer: from -> to; wastage: out of a facility (to_facility NULL), with its reason; adjustment: a count
-- correction (into to_facility, or out of from_facility), reason 'count'.
CREATE TABLE platform.stock_movement (
    id                  bigint PRIMARY KEY,
    lot_id              integer NOT NULL,
    from_facility_id    integer,
    to_facility_id      integer,
    doses               integer NOT NULL CHECK (doses > 0),
    kind                text NOT NULL CHECK (kind IN ('receipt', 'transfer', 'wastage', 'adjustment')),
    reason              text CHECK (reason IN ('expiry', 'open_vial', 'breakage', 'cold_chain', 'count')),
    moved_at            timestamptz NOT NULL,
    recorded_at         timestamptz NOT NULL,
    updated_at          timestamptz NOT NULL,
    CHECK (from_facility_id IS NOT NULL OR to_facility_id IS NOT NULL),
    CHECK (kind <> 'receipt' OR (from_facility_id IS NULL AND to_facility_id IS NOT NULL)),
    CHECK (kind <> 'transfer' OR (from_facility_id IS NOT NULL AND to_facility_id IS NOT NULL)),
    CHECK (kind <> 'wastage' OR (from_facility_id IS NOT NULL AND to_facility_id IS NULL)),
    CHECK ((kind = 'wastage') = coalesce(reason IN ('expiry', 'open_vial', 'breakage', 'cold_chain'), false))
);

-- The doses each province reports by hand every day (the count the platform is compared with).
CREATE TABLE platform.province_daily_report (
    province_code   char(2) NOT NULL,
    report_date     date NOT NULL,
    doses_reported  integer NOT NULL CHECK (doses_reported >= 0),
    reported_at     timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    PRIMARY KEY (province_code, report_date)
);

CREATE TABLE platform.test_sample (
    id              bigint PRIMARY KEY,
    site_id         integer NOT NULL,
    lab_id          integer NOT NULL,
    method          text NOT NULL CHECK (method IN ('rt_pcr', 'rapid_antigen')),
    pooled_count    smallint NOT NULL CHECK (pooled_count BETWEEN 1 AND 20),
    collected_at    timestamptz NOT NULL,
    resulted_at     timestamptz,
    result          text CHECK (result IN ('positive', 'negative', 'invalid')),
    updated_at      timestamptz NOT NULL,
    -- no check that a result follows its collection: laboratory systems' clocks and hand entries break it,
    -- and the ETL quarantines such a sample (T02)
    CHECK ((resulted_at IS NULL) = (result IS NULL))
);

-- Each check of a vaccinated person's record against the national population database.
CREATE TABLE platform.identity_verification (
    id                  bigint PRIMARY KEY,
    person_id           bigint NOT NULL,
    checked_at          timestamptz NOT NULL,
    outcome             text NOT NULL CHECK (outcome IN ('verified', 'mismatch', 'not_found', 'missing_id')),
    mismatched_fields   text[] NOT NULL DEFAULT '{}',
    updated_at          timestamptz NOT NULL,
    CHECK ((outcome = 'mismatch') = (cardinality(mismatched_fields) > 0))
);

-- Citizens' reports of wrong or missing records through the public portal.
CREATE TABLE platform.citizen_feedback (
    id              bigint PRIMARY KEY,
    person_id       bigint NOT NULL,
    dose_record_id  bigint,
    category        text NOT NULL CHECK (category IN
                        ('missing_dose', 'wrong_information', 'certificate', 'duplicate', 'other')),
    received_at     timestamptz NOT NULL,
    resolved_at     timestamptz,
    status          text NOT NULL CHECK (status IN ('open', 'resolved', 'rejected')),
    updated_at      timestamptz NOT NULL,
    CHECK ((status = 'open') = (resolved_at IS NULL)),
    CHECK (resolved_at IS NULL OR resolved_at >= received_at)
);

-- The reporting database's layers (DESIGN.md section 2): ref (reference), staging (one row per extracted
-- event, people as opaque keys), mart (additive daily aggregates) and etl (runs, watermarks, quarantine).
-- No table here may hold a name, an ID number or a phone number (a test inspects the catalogue).

CREATE SCHEMA ref;
CREATE SCHEMA staging;
CREATE SCHEMA mart;
CREATE SCHEMA IF NOT EXISTS etl;

-- ---------------------------------------------------------------- reference
CREATE TABLE ref.province (
    code char(2) PRIMARY KEY, name text NOT NULL, name_with_type text NOT NULL, kind text NOT NULL);
CREATE TABLE ref.district (
    code char(3) PRIMARY KEY, province_code char(2) NOT NULL REFERENCES ref.province,
    name text NOT NULL, name_with_type text NOT NULL, kind text NOT NULL);
CREATE TABLE ref.commune (
    code char(5) PRIMARY KEY, district_code char(3) NOT NULL REFERENCES ref.district,
    name text NOT NULL, name_with_type text NOT NULL, kind text NOT NULL);
CREATE TABLE ref.age_band (
    id smallint PRIMARY KEY, label text NOT NULL UNIQUE, min_age smallint NOT NULL, max_age smallint);
INSERT INTO ref.age_band VALUES (0, '0-4', 0, 4), (1, '5-11', 5, 11), (2, '12-17', 12, 17),
    (3, '18-49', 18, 49), (4, '50-64', 50, 64), (5, '65+', 65, NULL);
-- Population at every level (nation 'VN', province, district, commune) by age band: coverage denominators.
CREATE TABLE ref.population (
    level text NOT NULL CHECK (level IN ('nation', 'province', 'district', 'commune')),
    area_code text NOT NULL, age_band smallint NOT NULL REFERENCES ref.age_band,
    population bigint NOT NULL, PRIMARY KEY (level, area_code, age_band));
CREATE TABLE ref.product (
    code text PRIMARY KEY, name text NOT NULL, manufacturer text NOT NULL, primary_doses smallint NOT NULL,
    min_interval_days smallint NOT NULL, doses_per_vial smallint NOT NULL, min_age_years smallint NOT NULL);
CREATE TABLE ref.facility (
    id integer PRIMARY KEY, code text NOT NULL, name text NOT NULL, kind text NOT NULL,
    province_code char(2), district_code char(3), commune_code char(5), parent_id integer,
    level text NOT NULL CHECK (level IN ('national', 'province', 'district', 'site', 'lab')));
CREATE TABLE ref.lot (
    id integer PRIMARY KEY, lot_code text NOT NULL UNIQUE, product_code text NOT NULL, doses integer NOT NULL,
    expiry_date date NOT NULL, manufactured_on date NOT NULL);
-- Campaign targets: group of people, milestone, threshold, deadline, scope (national or a province code).
CREATE TABLE ref.target (
    id text PRIMARY KEY,
    population_group text NOT NULL CHECK (population_group IN ('total', '18+', '12-17')),
    milestone text NOT NULL CHECK (milestone IN ('first', 'full', 'booster')),
    threshold numeric(5, 4) NOT NULL CHECK (threshold > 0 AND threshold <= 1),
    deadline date NOT NULL,
    scope text NOT NULL DEFAULT 'national',
    label_vi text NOT NULL, label_en text NOT NULL);
INSERT INTO ref.target VALUES
    ('adults_first_2021', '18+', 'first', 0.50, '2021-12-31', 'national',
     '50% người từ 18 tuổi trở lên được tiêm ít nhất 1 mũi trong năm 2021',
     '50% of adults (18+) with at least one dose in 2021'),
    ('adults_full_2021', '18+', 'full', 0.50, '2021-12-31', 'national',
     '50% người từ 18 tuổi trở lên tiêm đủ liều cơ bản trong năm 2021',
     '50% of adults (18+) fully vaccinated in 2021'),
    ('population_full_q1_2022', 'total', 'full', 0.70, '2022-03-31', 'national',
     'Trên 70% dân số tiêm đủ liều cơ bản trước 31/03/2022',
     'More than 70% of the population fully vaccinated by 31/03/2022');

-- ---------------------------------------------------------------- ETL bookkeeping
CREATE TABLE etl.rule (
    rule_id text PRIMARY KEY, source text NOT NULL,
    action text NOT NULL CHECK (action IN ('quarantine', 'flag')),
    message_vi text NOT NULL, message_en text NOT NULL);
INSERT INTO etl.rule VALUES
    ('D01_duplicate', 'dose_record', 'quarantine',
     'Mũi tiêm trùng lặp: cùng người, cùng mũi số đã được ghi nhận',
     'Duplicate dose: the same person''s dose number is already recorded'),
    ('D02_out_of_order', 'dose_record', 'quarantine',
     'Thứ tự mũi tiêm sai: mũi này tiêm trước mũi liền trước nó',
     'Dose numbers out of order: injected before the previous dose'),
    ('D03_future', 'dose_record', 'quarantine',
     'Ngày tiêm ở tương lai so với thời điểm nhập liệu',
     'Injection date in the future of its own entry'),
    ('D04_before_campaign', 'dose_record', 'quarantine',
     'Ngày tiêm trước khi chiến dịch bắt đầu (08/03/2021)',
     'Injection date before the campaign started (08/03/2021)'),
    ('D05_recorded_before_injected', 'dose_record', 'quarantine',
     'Thời điểm nhập liệu sớm hơn thời điểm tiêm',
     'Recorded before it was injected'),
    ('D06_unknown_lot_or_site', 'dose_record', 'quarantine',
     'Lô vắc xin hoặc điểm tiêm không có trong danh mục',
     'Unknown vaccine lot or vaccination site'),
    ('D07_short_interval', 'dose_record', 'quarantine',
     'Khoảng cách giữa hai mũi ngắn hơn quy định của vắc xin',
     'Interval shorter than the product allows'),
    ('D08_lot_expired', 'dose_record', 'quarantine',
     'Lô vắc xin đã hết hạn tại ngày tiêm',
     'Vaccine lot expired on the injection day'),
    ('F01_missing_id', 'person', 'flag',
     'Thiếu số định danh cá nhân (CCCD) — cần xác thực',
     'Missing citizen ID number — a verification matter'),
    ('F02_malformed_id', 'person', 'flag',
     'Số định danh cá nhân không đúng định dạng 12 chữ số — cần xác thực',
     'Citizen ID number is not 12 digits — a verification matter'),
    ('S01_unknown_lot_or_facility', 'stock_movement', 'quarantine',
     'Phiếu xuất nhập kho có lô hoặc cơ sở không có trong danh mục',
     'Stock movement with an unknown lot or facility');

CREATE TABLE etl.run (
    id bigserial PRIMARY KEY,
    kind text NOT NULL CHECK (kind IN ('incremental', 'rebuild')),
    started_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    finished_at timestamptz,
    status text NOT NULL CHECK (status IN ('running', 'succeeded', 'failed')),
    error text,
    data_version bigint,
    steps jsonb NOT NULL DEFAULT '{}',     -- step -> seconds
    counts jsonb NOT NULL DEFAULT '{}');   -- source -> {extracted, loaded, quarantined}
CREATE TABLE etl.watermark (
    source text PRIMARY KEY, updated_at timestamptz NOT NULL, run_id bigint NOT NULL);
CREATE TABLE etl.data_version (
    id smallint PRIMARY KEY DEFAULT 1 CHECK (id = 1), version bigint NOT NULL, run_id bigint,
    published_at timestamptz, data_until timestamptz);
INSERT INTO etl.data_version (version) VALUES (0);
-- One row per source row left out of the marts, with the first rule it breaks.
CREATE TABLE etl.quarantine (
    source text NOT NULL, source_id bigint NOT NULL, rule_id text NOT NULL REFERENCES etl.rule,
    detail text NOT NULL, run_id bigint NOT NULL, PRIMARY KEY (source, source_id));
CREATE INDEX ON etl.quarantine (rule_id);

-- ---------------------------------------------------------------- staging (grain: one source row)
CREATE TABLE staging.dose (
    id bigint PRIMARY KEY,
    person_key bytea NOT NULL,            -- HMAC-SHA256 of the platform person id (16 bytes kept)
    site_id integer NOT NULL,
    site_district text NOT NULL,          -- '' when the site is unknown
    site_province text NOT NULL,
    product_code text NOT NULL,
    lot_code text NOT NULL,
    dose_number smallint NOT NULL,
    injected_at timestamptz NOT NULL,
    recorded_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    injected_day date NOT NULL,           -- Vietnam local day
    lag_days integer NOT NULL,            -- recorded local day - injected local day
    status text NOT NULL,
    age_band smallint NOT NULL,           -- age at injection
    sex char(1) NOT NULL,
    residence_district text NOT NULL,
    id_state text NOT NULL CHECK (id_state IN ('ok', 'missing', 'malformed')),
    quarantine_rule text                  -- NULL: counted in the marts (when status = 'valid')
);
CREATE INDEX ON staging.dose (person_key);
CREATE INDEX ON staging.dose (site_district, injected_day);

-- Each person's milestones from their accepted doses (grain: one person).
CREATE TABLE staging.person_milestone (
    person_key bytea PRIMARY KEY, residence_district text NOT NULL, age_band smallint NOT NULL,
    first_day date NOT NULL, full_day date, booster_day date);

CREATE TABLE staging.stock_movement (
    id bigint PRIMARY KEY, lot_id integer NOT NULL, from_facility_id integer, to_facility_id integer,
    doses integer NOT NULL, kind text NOT NULL, moved_day date NOT NULL, updated_at timestamptz NOT NULL,
    quarantine_rule text);
CREATE TABLE staging.province_report (
    province_code text NOT NULL, report_date date NOT NULL, doses_reported integer NOT NULL,
    updated_at timestamptz NOT NULL, PRIMARY KEY (province_code, report_date));
CREATE TABLE staging.test_sample (
    id bigint PRIMARY KEY, district text NOT NULL, method text NOT NULL, pooled_count smallint NOT NULL,
    collected_day date NOT NULL, turnaround_hours double precision, result text, updated_at timestamptz NOT NULL);
CREATE INDEX ON staging.test_sample (district, collected_day);
CREATE TABLE staging.verification (
    id bigint PRIMARY KEY, person_key bytea NOT NULL, district text NOT NULL, checked_day date NOT NULL,
    outcome text NOT NULL, mismatched_fields text[] NOT NULL, updated_at timestamptz NOT NULL,
    is_first boolean NOT NULL DEFAULT false);  -- the person's earliest check
CREATE INDEX ON staging.verification (person_key);
CREATE INDEX ON staging.verification (district, checked_day);
CREATE TABLE staging.feedback (
    id bigint PRIMARY KEY, person_key bytea NOT NULL, district text NOT NULL, category text NOT NULL,
    received_day date NOT NULL, closed_day date, status text NOT NULL, updated_at timestamptz NOT NULL);
CREATE INDEX ON staging.feedback (district, received_day);

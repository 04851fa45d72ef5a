-- Landing tables: what the extract queries return, one per source, dropped at the end of the run.
-- Column types match the extract queries exactly (binary COPY between databases needs it).
CREATE TEMP TABLE _x_dose_record (
    id bigint, person_id bigint, site_id integer, site_district text, site_province text, product_code text,
    lot_code text, dose_number smallint, injected_at timestamptz, recorded_at timestamptz, updated_at timestamptz,
    status text, age_years integer, sex text, residence_district text, id_state text, birth_missing boolean,
    residence_missing boolean, person_missing boolean) ON COMMIT DROP;
CREATE TEMP TABLE _x_person (id bigint, updated_at timestamptz) ON COMMIT DROP;
CREATE TEMP TABLE _x_vaccine_lot (
    id integer, lot_code text, product_code text, doses integer, expiry_date date, manufactured_on date,
    updated_at timestamptz) ON COMMIT DROP;
CREATE TEMP TABLE _x_facility (
    id integer, code text, name text, kind text, province_code text, district_code text, commune_code text,
    parent_id integer, updated_at timestamptz) ON COMMIT DROP;
CREATE TEMP TABLE _x_stock_movement (
    id bigint, lot_id integer, from_facility_id integer, to_facility_id integer, doses integer, kind text,
    reason text, moved_at timestamptz, updated_at timestamptz) ON COMMIT DROP;
CREATE TEMP TABLE _x_vaccine_allocation (
    id bigint, decision_no text, decision_date date, province_code text, product_code text, doses integer,
    updated_at timestamptz) ON COMMIT DROP;
CREATE TEMP TABLE _x_province_daily_report (
    province_code text, report_date date, doses_reported integer, updated_at timestamptz) ON COMMIT DROP;
CREATE TEMP TABLE _x_test_sample (
    id bigint, district text, lab_id integer, method text, pooled_count smallint, collected_at timestamptz,
    resulted_at timestamptz, result text, updated_at timestamptz, site_kind text, lab_kind text) ON COMMIT DROP;
CREATE TEMP TABLE _x_identity_verification (
    id bigint, person_id bigint, district text, checked_at timestamptz, outcome text, mismatched_fields text[],
    updated_at timestamptz, person_missing boolean) ON COMMIT DROP;
CREATE TEMP TABLE _x_citizen_feedback (
    id bigint, person_id bigint, district text, category text, received_at timestamptz, resolved_at timestamptz,
    status text, updated_at timestamptz, person_missing boolean) ON COMMIT DROP;
-- The loads' verdict on every row read: its rule, or NULL when it passes (quarantine.sql files them).
CREATE TEMP TABLE _verdict (source text, source_id bigint, rule text, detail text) ON COMMIT DROP;

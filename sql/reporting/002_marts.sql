-- Marts: small additive aggregates (counts and histogram buckets only), so that every roll-up is exact.
-- Each names its grain. District marts are recomputed per (district, day) slice; province roll-ups per
-- (province, day); the nation is the sum of its 63 provinces, read at query time.

-- Doses administered by injection day and the site's district (valid, not quarantined).
CREATE TABLE mart.doses_daily (
    district text NOT NULL, day date NOT NULL, product_code text NOT NULL, dose_number smallint NOT NULL,
    age_band smallint NOT NULL, sex char(1) NOT NULL, doses integer NOT NULL,
    PRIMARY KEY (district, day, product_code, dose_number, age_band, sex));
CREATE TABLE mart.doses_province_daily (
    province text NOT NULL, day date NOT NULL, product_code text NOT NULL, dose_number smallint NOT NULL,
    age_band smallint NOT NULL, doses integer NOT NULL,
    PRIMARY KEY (province, day, product_code, dose_number, age_band));

-- People reaching a milestone (1 first dose, 2 full primary series, 3 booster) that day, by residence.
CREATE TABLE mart.people_daily (
    district text NOT NULL, day date NOT NULL, age_band smallint NOT NULL, milestone smallint NOT NULL,
    people integer NOT NULL, PRIMARY KEY (district, day, age_band, milestone));
CREATE TABLE mart.people_province_daily (
    province text NOT NULL, day date NOT NULL, age_band smallint NOT NULL, milestone smallint NOT NULL,
    people integer NOT NULL, PRIMARY KEY (province, day, age_band, milestone));

-- Recording lag histogram by injection day and site district. Bucket = lag in local days, capped:
-- 0, 1, 2, 3, 4 (4-7), 8 (8-14), 15 (15-30), 31 (31-60), 61 (61+). Percentiles are read from it.
CREATE TABLE mart.lag_daily (
    district text NOT NULL, day date NOT NULL, bucket smallint NOT NULL, doses integer NOT NULL,
    PRIMARY KEY (district, day, bucket));
CREATE TABLE mart.lag_province_daily (
    province text NOT NULL, day date NOT NULL, bucket smallint NOT NULL, doses integer NOT NULL,
    PRIMARY KEY (province, day, bucket));

-- Quarantined dose records by injection day, site district and rule; ID-number flags of accepted doses.
CREATE TABLE mart.quarantine_daily (
    district text NOT NULL, day date NOT NULL, rule_id text NOT NULL, rows integer NOT NULL,
    PRIMARY KEY (district, day, rule_id));
CREATE TABLE mart.id_flags_daily (
    district text NOT NULL, day date NOT NULL, id_state text NOT NULL, doses integer NOT NULL,
    PRIMARY KEY (district, day, id_state));

-- Platform doses (by injection day, site province) beside the province's own hand report.
CREATE TABLE mart.report_daily (
    province text NOT NULL, day date NOT NULL, platform_doses integer NOT NULL, reported_doses integer,
    PRIMARY KEY (province, day));

-- Identity checks against the population database by check day and residence district (replaced by 006).
CREATE TABLE mart.verification_daily (
    district text NOT NULL, day date NOT NULL, outcome text NOT NULL, mismatched_field text NOT NULL,
    checks integer NOT NULL, first_checks integer NOT NULL,
    PRIMARY KEY (district, day, outcome, mismatched_field));

-- Citizen feedback by day received and day closed (NULL: still open): open/overdue at any date are exact.
CREATE TABLE mart.feedback_daily (
    district text NOT NULL, day date NOT NULL, closed_day date, category text NOT NULL, status text NOT NULL,
    items integer NOT NULL);
CREATE INDEX ON mart.feedback_daily (district, day);

-- Stock flows by day, facility level and area (district for site/district stores, province for province
-- stores, 'VN' for the national store), product and lot expiry date. Balance = running sum of flows.
CREATE TABLE mart.stock_daily (
    area text NOT NULL, day date NOT NULL, level text NOT NULL, product_code text NOT NULL,
    expiry_date date NOT NULL, received integer NOT NULL, issued integer NOT NULL, wasted integer NOT NULL,
    administered integer NOT NULL, adjusted integer NOT NULL,
    PRIMARY KEY (area, day, level, product_code, expiry_date));

-- Test samples by collection day, district of the collection site and method; turnaround buckets in
-- hours (0 <1h, 1 1-6h, 6 6-12h, 12 12-24h, 24 24-48h, 48 48-72h, 72 72h+; -1 no result yet).
CREATE TABLE mart.tests_daily (
    district text NOT NULL, day date NOT NULL, method text NOT NULL, tat_bucket smallint NOT NULL,
    samples integer NOT NULL, people_tested integer NOT NULL, positives integer NOT NULL, invalid integer NOT NULL,
    PRIMARY KEY (district, day, method, tat_bucket));

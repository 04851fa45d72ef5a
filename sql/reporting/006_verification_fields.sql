-- A mismatch can name several fields: counting checks per field in the outcome mart counted such a check
-- more than once. Checks per outcome, and mismatched fields apart. Refilled here from staging.
DROP TABLE mart.verification_daily;
CREATE TABLE mart.verification_daily (
    district text NOT NULL, day date NOT NULL, outcome text NOT NULL, checks integer NOT NULL,
    first_checks integer NOT NULL, PRIMARY KEY (district, day, outcome));
CREATE TABLE mart.verification_field_daily (
    district text NOT NULL, day date NOT NULL, field text NOT NULL, checks integer NOT NULL,
    PRIMARY KEY (district, day, field));
INSERT INTO mart.verification_daily (district, day, outcome, checks, first_checks)
SELECT district, checked_day, outcome, count(*), count(*) FILTER (WHERE is_first)
FROM staging.verification GROUP BY 1, 2, 3;
INSERT INTO mart.verification_field_daily (district, day, field, checks)
SELECT v.district, v.checked_day, f.field, count(*)
FROM staging.verification v CROSS JOIN LATERAL unnest(v.mismatched_fields) f(field) GROUP BY 1, 2, 3;

-- Completeness of the record's required fields (citizen ID number, birth date, residence commune), for the
-- data-quality scorecard. The platform accepts a person without a birth date or residence commune (a site
-- under pressure enters the dose first); such doses still count, flagged:
--   * no birth date: age band -1 (unknown), counted in the total population group, in no age group;
--   * no residence commune: the person is counted where they were vaccinated.
ALTER TABLE staging.dose ADD COLUMN birth_missing boolean NOT NULL DEFAULT false,
                         ADD COLUMN residence_missing boolean NOT NULL DEFAULT false;

CREATE OR REPLACE FUNCTION etl.age_band(age_years integer) RETURNS smallint LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT (CASE WHEN age_years IS NULL THEN -1 WHEN age_years < 5 THEN 0 WHEN age_years < 12 THEN 1
                       WHEN age_years < 18 THEN 2 WHEN age_years < 50 THEN 3 WHEN age_years < 65 THEN 4
                       ELSE 5 END)::smallint $$;

-- Accepted doses by the state of their required fields; replaces mart.id_flags_daily (ID number only). The age
-- band is kept because children had no citizen ID number in 2021-2022: a missing one is a fault from 18 years.
CREATE TABLE mart.field_flags_daily (
    district text NOT NULL, day date NOT NULL, age_band smallint NOT NULL, id_state text NOT NULL,
    birth_missing boolean NOT NULL, residence_missing boolean NOT NULL, doses integer NOT NULL,
    PRIMARY KEY (district, day, age_band, id_state, birth_missing, residence_missing));
INSERT INTO mart.field_flags_daily
SELECT site_district, injected_day, age_band, id_state, birth_missing, residence_missing, count(*)
FROM staging.dose WHERE status = 'valid' AND quarantine_rule IS NULL
GROUP BY 1, 2, 3, 4, 5, 6;
DROP TABLE mart.id_flags_daily;

INSERT INTO etl.rule VALUES
    ('F03_missing_birth_date', 'person', 'flag',
     'Thiếu ngày sinh — không xác định được nhóm tuổi',
     'Missing birth date — the age group cannot be known'),
    ('F04_missing_residence', 'person', 'flag',
     'Thiếu xã/phường nơi cư trú — tính theo nơi tiêm',
     'Missing residence commune — counted where vaccinated');

-- The rules' texts for the dashboard, which reads ref.* and mart.* only.
CREATE VIEW ref.rule AS SELECT rule_id, source, action, message_vi, message_en FROM etl.rule;

-- Helpers of the ETL. Vietnam keeps UTC+7 all year, so its local day is a fixed shift (no tz database).
CREATE FUNCTION etl.vn_day(ts timestamptz) RETURNS date LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT ((ts AT TIME ZONE 'UTC') + interval '7 hours')::date $$;

-- HMAC-SHA256 of a platform person id, truncated to 16 bytes: an opaque, stable key. The inner and outer
-- padded keys come from configuration with every call; they are never stored in the database.
CREATE FUNCTION etl.person_key(person_id bigint, ikey bytea, okey bytea) RETURNS bytea LANGUAGE sql
    IMMUTABLE PARALLEL SAFE
    AS $$ SELECT substring(sha256(okey || sha256(ikey || convert_to(person_id::text, 'UTF8'))) FROM 1 FOR 16) $$;

CREATE FUNCTION etl.age_band(age_years integer) RETURNS smallint LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT (CASE WHEN age_years < 5 THEN 0 WHEN age_years < 12 THEN 1 WHEN age_years < 18 THEN 2
                       WHEN age_years < 50 THEN 3 WHEN age_years < 65 THEN 4 ELSE 5 END)::smallint $$;

-- Lag histogram buckets in days: 0, 1, 2, 3, 4 (4-7), 8 (8-14), 15 (15-30), 31 (31-60), 61 (61+).
CREATE FUNCTION etl.lag_bucket(lag_days integer) RETURNS smallint LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT (CASE WHEN lag_days <= 3 THEN greatest(lag_days, 0) WHEN lag_days <= 7 THEN 4
                       WHEN lag_days <= 14 THEN 8 WHEN lag_days <= 30 THEN 15 WHEN lag_days <= 60 THEN 31
                       ELSE 61 END)::smallint $$;

CREATE FUNCTION etl.tat_bucket(hours double precision) RETURNS smallint LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT (CASE WHEN hours IS NULL THEN -1 WHEN hours < 1 THEN 0 WHEN hours < 6 THEN 1
                       WHEN hours < 12 THEN 6 WHEN hours < 24 THEN 12 WHEN hours < 48 THEN 24
                       WHEN hours < 72 THEN 48 ELSE 72 END)::smallint $$;

-- Where a facility's stock is counted: the nation, its province, or its district.
CREATE VIEW ref.facility_area AS
SELECT id, level, CASE level WHEN 'national' THEN 'VN' WHEN 'province' THEN province_code::text
                             ELSE district_code::text END AS area
FROM ref.facility;

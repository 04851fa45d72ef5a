-- Recording lag by vaccination site, so that a district can see which of its sites enter late. Grain: site x
-- injection day x lag bucket (etl.lag_bucket), slices as mart.lag_daily, which is now the sum of this mart
-- over the district's sites. Filled here from staging so that a database already loaded needs no rebuild.
CREATE TABLE mart.site_lag_daily (
    district text NOT NULL, day date NOT NULL, site_id integer NOT NULL, bucket smallint NOT NULL,
    doses integer NOT NULL, PRIMARY KEY (district, day, site_id, bucket));
INSERT INTO mart.site_lag_daily (district, day, site_id, bucket, doses)
SELECT site_district, injected_day, site_id, etl.lag_bucket(lag_days), count(*)
FROM staging.dose
WHERE status = 'valid' AND quarantine_rule IS NULL
GROUP BY 1, 2, 3, 4;

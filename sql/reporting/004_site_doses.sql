-- Doses by vaccination site, for the drill-down below the district (a site is a commune health station
-- or a district centre). Grain: site x injection day x product x dose number; slices as mart.doses_daily.
CREATE TABLE mart.site_doses_daily (
    district text NOT NULL, day date NOT NULL, site_id integer NOT NULL, product_code text NOT NULL,
    dose_number smallint NOT NULL, doses integer NOT NULL,
    PRIMARY KEY (district, day, site_id, product_code, dose_number));

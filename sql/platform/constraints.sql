-- Foreign keys and indexes of the source contract (see schema.sql), added after a first bulk load.

ALTER TABLE platform.district ADD FOREIGN KEY (province_code) REFERENCES platform.province (code);
ALTER TABLE platform.commune ADD FOREIGN KEY (district_code) REFERENCES platform.district (code);
ALTER TABLE platform.population ADD FOREIGN KEY (commune_code) REFERENCES platform.commune (code);
ALTER TABLE platform.facility ADD FOREIGN KEY (province_code) REFERENCES platform.province (code);
ALTER TABLE platform.facility ADD FOREIGN KEY (district_code) REFERENCES platform.district (code);
ALTER TABLE platform.facility ADD FOREIGN KEY (commune_code) REFERENCES platform.commune (code);
ALTER TABLE platform.facility ADD FOREIGN KEY (parent_id) REFERENCES platform.facility (id);
ALTER TABLE platform.vaccine_lot ADD FOREIGN KEY (product_code) REFERENCES platform.vaccine_product (code);
ALTER TABLE platform.person ADD FOREIGN KEY (residence_commune) REFERENCES platform.commune (code);
ALTER TABLE platform.dose_record ADD FOREIGN KEY (person_id) REFERENCES platform.person (id);
ALTER TABLE platform.dose_record ADD FOREIGN KEY (site_id) REFERENCES platform.facility (id);
ALTER TABLE platform.dose_record ADD FOREIGN KEY (product_code) REFERENCES platform.vaccine_product (code);
ALTER TABLE platform.stock_movement ADD FOREIGN KEY (lot_id) REFERENCES platform.vaccine_lot (id);
ALTER TABLE platform.stock_movement ADD FOREIGN KEY (from_facility_id) REFERENCES platform.facility (id);
ALTER TABLE platform.stock_movement ADD FOREIGN KEY (to_facility_id) REFERENCES platform.facility (id);
ALTER TABLE platform.province_daily_report ADD FOREIGN KEY (province_code) REFERENCES platform.province (code);
ALTER TABLE platform.test_sample ADD FOREIGN KEY (site_id) REFERENCES platform.facility (id);
ALTER TABLE platform.test_sample ADD FOREIGN KEY (lab_id) REFERENCES platform.facility (id);
ALTER TABLE platform.identity_verification ADD FOREIGN KEY (person_id) REFERENCES platform.person (id);
ALTER TABLE platform.citizen_feedback ADD FOREIGN KEY (person_id) REFERENCES platform.person (id);
ALTER TABLE platform.citizen_feedback ADD FOREIGN KEY (dose_record_id) REFERENCES platform.dose_record (id);

CREATE INDEX ON platform.district (province_code);
CREATE INDEX ON platform.commune (district_code);
CREATE INDEX ON platform.facility (updated_at);
CREATE INDEX ON platform.facility (district_code);
CREATE INDEX ON platform.vaccine_lot (updated_at);
CREATE INDEX ON platform.person (updated_at);
CREATE INDEX ON platform.dose_record (updated_at);
CREATE INDEX ON platform.dose_record (person_id);
CREATE INDEX ON platform.stock_movement (updated_at);
CREATE INDEX ON platform.province_daily_report (updated_at);
CREATE INDEX ON platform.test_sample (updated_at);
CREATE INDEX ON platform.identity_verification (updated_at);
CREATE INDEX ON platform.identity_verification (person_id);
CREATE INDEX ON platform.citizen_feedback (updated_at);

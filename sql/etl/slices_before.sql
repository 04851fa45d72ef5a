-- Incremental runs recompute only the slices whose rows change: the old versions of the records read now
-- (here), the rows whose validation changes (validate_dose.sql), the new versions and the people whose
-- milestones change (slices_after.sql). Touched people's other rows sit in slices that do not change.
CREATE TEMP TABLE _slice_dose ON COMMIT DROP AS
SELECT DISTINCT site_district AS district, injected_day AS day FROM _old_dose;
-- The same per site, for the stock a site's doses draw (mart.stock_lot_daily).
CREATE TEMP TABLE _slice_site ON COMMIT DROP AS
SELECT DISTINCT site_id, injected_day AS day FROM _old_dose;

CREATE TEMP TABLE _slice_people (district text, day date) ON COMMIT DROP;

CREATE TEMP TABLE _old_milestone ON COMMIT DROP AS
SELECT * FROM staging.person_milestone WHERE person_key IN (SELECT person_key FROM _touched);

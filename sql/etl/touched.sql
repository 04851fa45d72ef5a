-- Everyone whose doses may now validate differently (old and new owners of the records read).
CREATE TEMP TABLE _touched ON COMMIT DROP AS
SELECT person_key FROM _old_dose
UNION
SELECT d.person_key FROM staging.dose d JOIN _x_dose_record x ON x.id = d.id;
ANALYZE _touched;

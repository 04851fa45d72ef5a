-- Grain: district x day, :date_from to :date_to, for the nation, :province or :district. Accepted doses, those
-- entered within a day, those with a required field missing (by field), and quarantined rows. A citizen ID number
-- is required from 18 years (children had none in 2021-2022) and when the age is unknown; a malformed one always
-- counts.
WITH area AS (
    SELECT code FROM ref.district
    WHERE (:scope_province IS NULL OR province_code = :scope_province)
      AND (CAST(:province AS text) IS NULL OR province_code = :province)
      AND (CAST(:district AS text) IS NULL OR code = :district))
SELECT district, day, sum(doses)::bigint AS doses, sum(within_1)::bigint AS within_1,
       sum(incomplete)::bigint AS incomplete, sum(id_bad)::bigint AS id_bad,
       sum(birth_missing)::bigint AS birth_missing, sum(residence_missing)::bigint AS residence_missing,
       sum(quarantined)::bigint AS quarantined
FROM (
    SELECT l.district, l.day, l.doses, CASE WHEN l.bucket <= 1 THEN l.doses ELSE 0 END AS within_1,
           0 AS incomplete, 0 AS id_bad, 0 AS birth_missing, 0 AS residence_missing, 0 AS quarantined
    FROM mart.lag_daily l JOIN area a ON a.code = l.district WHERE l.day BETWEEN :date_from AND :date_to
    UNION ALL
    SELECT f.district, f.day, 0, 0, CASE WHEN f.id_bad OR f.birth_missing OR f.residence_missing THEN f.doses ELSE 0 END,
           CASE WHEN f.id_bad THEN f.doses ELSE 0 END, CASE WHEN f.birth_missing THEN f.doses ELSE 0 END,
           CASE WHEN f.residence_missing THEN f.doses ELSE 0 END, 0
    FROM (SELECT m.*, m.id_state = 'malformed' OR (m.id_state = 'missing' AND NOT coalesce(b.child, false)) AS id_bad
          FROM mart.field_flags_daily m LEFT JOIN ref.age_band b ON b.id = m.age_band) f
    JOIN area a ON a.code = f.district WHERE f.day BETWEEN :date_from AND :date_to
    UNION ALL
    SELECT q.district, q.day, 0, 0, 0, 0, 0, 0, q.rows
    FROM mart.quarantine_daily q JOIN area a ON a.code = q.district WHERE q.day BETWEEN :date_from AND :date_to
) x
GROUP BY district, day

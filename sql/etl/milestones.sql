-- Each touched person's milestones from their accepted doses. Grain: one person.
-- Full = the first dose whose number reaches the primary series of the product of their lowest dose;
-- booster = the first dose beyond it. The age band is the one at the first dose (ages only grow).
DELETE FROM staging.person_milestone WHERE person_key IN (SELECT person_key FROM _touched);

INSERT INTO staging.person_milestone (person_key, residence_district, age_band, first_day, full_day, booster_day)
SELECT person_key, min(residence_district), min(age_band), min(injected_day),
       CASE primary_n WHEN 1 THEN min(injected_day)
                      WHEN 2 THEN min(injected_day) FILTER (WHERE dose_number >= 2)
                      ELSE min(injected_day) FILTER (WHERE dose_number >= 3) END,
       CASE primary_n WHEN 1 THEN min(injected_day) FILTER (WHERE dose_number >= 2)
                      WHEN 2 THEN min(injected_day) FILTER (WHERE dose_number >= 3)
                      ELSE min(injected_day) FILTER (WHERE dose_number >= 4) END
FROM (
    SELECT d.person_key, d.residence_district, d.age_band, d.injected_day, d.dose_number,
           first_value(p.primary_doses) OVER (PARTITION BY d.person_key ORDER BY d.dose_number, d.id) AS primary_n
    FROM staging.dose d JOIN ref.product p ON p.code = d.product_code
    WHERE d.status = 'valid' AND d.quarantine_rule IS NULL
      AND d.person_key IN (SELECT person_key FROM _touched)
) x
GROUP BY person_key, primary_n;

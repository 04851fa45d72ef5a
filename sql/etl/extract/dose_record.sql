-- Dose records changed since the watermark, and every dose of a person changed since theirs.
-- Pseudonymised on the way out: no name, ID number, phone or birth date leaves the platform; the age at
-- injection, whether the ID number is present and well formed, and whether the birth date and the residence
-- commune are there do.
WITH changed AS (  -- two index scans; an OR of both would read the whole table
    SELECT id FROM platform.dose_record WHERE updated_at > %(since)s
    UNION
    SELECT d.id FROM platform.dose_record d JOIN platform.person p ON p.id = d.person_id
    WHERE p.updated_at > %(person_since)s
)
SELECT d.id::bigint, d.person_id::bigint, d.site_id::integer, coalesce(f.district_code, '')::text,
       coalesce(f.province_code, '')::text, d.product_code::text, d.lot_code::text, d.dose_number::smallint,
       d.injected_at, d.recorded_at, d.updated_at, d.status::text,
       extract(year FROM age(((d.injected_at AT TIME ZONE 'UTC') + interval '7 hours')::date, p.birth_date))::integer,
       p.sex::text, coalesce(c.district_code, f.district_code, '')::text,
       (CASE WHEN p.citizen_id IS NULL OR p.citizen_id = '' THEN 'missing'
             WHEN p.citizen_id ~ '^[0-9]{12}$' THEN 'ok' ELSE 'malformed' END)::text,
       p.birth_date IS NULL, c.code IS NULL
FROM changed ch
JOIN platform.dose_record d ON d.id = ch.id
JOIN platform.person p ON p.id = d.person_id
LEFT JOIN platform.commune c ON c.code = p.residence_commune
LEFT JOIN platform.facility f ON f.id = d.site_id AND f.kind = 'site'

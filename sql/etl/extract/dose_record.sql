-- Dose records written since the watermark (by transaction id, see pipeline.py), and every dose of the people
-- read this run (%(people)s: empty in a rebuild, which reads every dose anyway).
-- Pseudonymised on the way out: no name, ID number, phone or birth date leaves the platform; the age at
-- injection, whether the ID number is present and well formed, and whether the birth date and the residence
-- commune are there do. A dose whose person is missing still leaves (person_missing, quarantined as D12), and
-- no impossible date may fail the query: the age is computed only between plausible dates (-1 otherwise).
WITH changed AS (  -- two scans; an OR of both would read the whole table through the person index
    SELECT id FROM platform.dose_record WHERE (%(xid)s::bigint IS NULL OR age(xmin) <= age(%(xid)s::text::xid))
    UNION
    SELECT id FROM platform.dose_record WHERE person_id = ANY(%(people)s::bigint[])
)
SELECT d.id::bigint, d.person_id::bigint, d.site_id::integer, coalesce(f.district_code, '')::text,
       coalesce(f.province_code, '')::text, d.product_code::text, d.lot_code::text, d.dose_number::smallint,
       d.injected_at, d.recorded_at, d.updated_at, d.status::text,
       (CASE WHEN p.birth_date IS NULL THEN NULL
             WHEN NOT (d.injected_at >= '2000-01-01 00:00+00' AND d.injected_at < '2100-01-01 00:00+00'
                       AND p.birth_date > '1800-01-01' AND p.birth_date < '2200-01-01') THEN -1
             WHEN p.birth_date > ((d.injected_at AT TIME ZONE 'UTC') + interval '7 hours')::date THEN -1
             ELSE extract(year FROM age(((d.injected_at AT TIME ZONE 'UTC') + interval '7 hours')::date,
                                        p.birth_date)) END)::integer,
       p.sex::text, coalesce(c.district_code, f.district_code, '')::text,
       (CASE WHEN p.citizen_id IS NULL OR p.citizen_id = '' THEN 'missing'
             WHEN p.citizen_id ~ '^[0-9]{12}$' THEN 'ok' ELSE 'malformed' END)::text,
       p.birth_date IS NULL, c.code IS NULL, p.id IS NULL
FROM changed ch
JOIN platform.dose_record d ON d.id = ch.id
LEFT JOIN platform.person p ON p.id = d.person_id
LEFT JOIN platform.commune c ON c.code = p.residence_commune
LEFT JOIN platform.facility f ON f.id = d.site_id AND f.kind = 'site'

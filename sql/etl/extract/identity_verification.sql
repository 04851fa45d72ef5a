-- Identity checks written since the watermark, and every check of the people read again this run
-- (%(people)s, see pipeline.py: a person who appears, moves, or whose doses changed while they have no
-- residence commune). A check is counted in the district of the person's residence; without one, in that of
-- their first valid dose's site, as the dose marts count such people where vaccinated (F04). A check whose
-- person is missing, or who has neither, still leaves (district '', quarantined as V02), never dropped.
SELECT v.id::bigint, v.person_id::bigint,
       coalesce(c.district_code,
                (SELECT f.district_code FROM platform.dose_record d
                 JOIN platform.facility f ON f.id = d.site_id AND f.kind = 'site'
                 WHERE p.id IS NOT NULL AND d.person_id = p.id AND d.status = 'valid'
                 ORDER BY d.injected_at, d.id LIMIT 1), '')::text,
       v.checked_at, v.outcome::text, v.mismatched_fields::text[], v.updated_at, p.id IS NULL
FROM platform.identity_verification v
LEFT JOIN platform.person p ON p.id = v.person_id
LEFT JOIN platform.commune c ON c.code = p.residence_commune
WHERE (%(xid)s::bigint IS NULL OR age(v.xmin) <= age(%(xid)s::text::xid) OR v.person_id = ANY(%(people)s::bigint[]))

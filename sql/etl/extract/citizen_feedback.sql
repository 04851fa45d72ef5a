-- Citizen feedback written since the watermark, and every item of the people read again this run; placed
-- and kept like the identity checks (see identity_verification.sql; quarantined as C02).
SELECT fb.id::bigint, fb.person_id::bigint,
       coalesce(c.district_code,
                (SELECT f.district_code FROM platform.dose_record d
                 JOIN platform.facility f ON f.id = d.site_id AND f.kind = 'site'
                 WHERE p.id IS NOT NULL AND d.person_id = p.id AND d.status = 'valid'
                 ORDER BY d.injected_at, d.id LIMIT 1), '')::text,
       fb.category::text, fb.received_at, fb.resolved_at, fb.status::text, fb.updated_at, p.id IS NULL
FROM platform.citizen_feedback fb
LEFT JOIN platform.person p ON p.id = fb.person_id
LEFT JOIN platform.commune c ON c.code = p.residence_commune
WHERE (%(xid)s::bigint IS NULL OR age(fb.xmin) <= age(%(xid)s::text::xid) OR fb.person_id = ANY(%(people)s::bigint[]))

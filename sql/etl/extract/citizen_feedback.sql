SELECT fb.id::bigint, fb.person_id::bigint, c.district_code::text, fb.category::text, fb.received_at,
       fb.resolved_at, fb.status::text, fb.updated_at
FROM platform.citizen_feedback fb
JOIN platform.person p ON p.id = fb.person_id
JOIN platform.commune c ON c.code = p.residence_commune
WHERE IN_SCOPE(age(fb.xmin) <= age(%(xid)s::text::xid))

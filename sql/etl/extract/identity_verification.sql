SELECT v.id::bigint, v.person_id::bigint, c.district_code::text, v.checked_at, v.outcome::text,
       v.mismatched_fields::text[], v.updated_at
FROM platform.identity_verification v
JOIN platform.person p ON p.id = v.person_id
JOIN platform.commune c ON c.code = p.residence_commune
WHERE IN_SCOPE(age(v.xmin) <= age(%(xid)s::text::xid))

SELECT id::integer, code::text, name::text, kind::text, province_code::text, district_code::text,
       commune_code::text, parent_id::integer, updated_at
FROM platform.facility WHERE (%(xid)s::bigint IS NULL OR age(xmin) <= age(%(xid)s::text::xid))

SELECT id::bigint, lot_id::integer, from_facility_id::integer, to_facility_id::integer, doses::integer,
       kind::text, moved_at, updated_at
FROM platform.stock_movement WHERE IN_SCOPE(age(xmin) <= age(%(xid)s::text::xid))

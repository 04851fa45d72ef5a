SELECT id::bigint, lot_id::integer, from_facility_id::integer, to_facility_id::integer, doses::integer,
       kind::text, reason::text, moved_at, updated_at
FROM platform.stock_movement WHERE (%(xid)s::bigint IS NULL OR age(xmin) <= age(%(xid)s::text::xid))

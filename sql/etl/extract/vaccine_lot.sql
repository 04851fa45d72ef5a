SELECT id::integer, lot_code::text, product_code::text, doses::integer, expiry_date, manufactured_on, updated_at
FROM platform.vaccine_lot WHERE (%(xid)s::bigint IS NULL OR age(xmin) <= age(%(xid)s::text::xid))

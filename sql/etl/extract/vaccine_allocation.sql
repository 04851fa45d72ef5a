SELECT id::bigint, decision_no::text, decision_date, province_code::text, product_code::text, doses::integer,
       updated_at
FROM platform.vaccine_allocation WHERE (%(xid)s::bigint IS NULL OR age(xmin) <= age(%(xid)s::text::xid))

-- Which people changed (by transaction id): their doses are re-read with them (dose_record.sql).
SELECT id::bigint, updated_at FROM platform.person WHERE (%(xid)s::bigint IS NULL OR age(xmin) <= age(%(xid)s::text::xid))

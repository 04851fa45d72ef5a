SELECT province_code::text, report_date, doses_reported::integer, updated_at
FROM platform.province_daily_report WHERE (%(xid)s::bigint IS NULL OR age(xmin) <= age(%(xid)s::text::xid))

-- Test samples written since the watermark. An impossible time leaves as it is (quarantined as T01), and so
-- do the kinds of the collecting site and of the laboratory (T03).
SELECT s.id::bigint, coalesce(f.district_code, '')::text, s.lab_id::integer, s.method::text,
       s.pooled_count::smallint, s.collected_at, s.resulted_at, s.result::text, s.updated_at, f.kind::text,
       l.kind::text
FROM platform.test_sample s
LEFT JOIN platform.facility f ON f.id = s.site_id
LEFT JOIN platform.facility l ON l.id = s.lab_id
WHERE (%(xid)s::bigint IS NULL OR age(s.xmin) <= age(%(xid)s::text::xid))

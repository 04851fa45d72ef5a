-- What a rebuild's schema swap (etl/pipeline.py _fresh_schemas) would lose or break: it recreates the plain
-- tables of staging and mart (columns, defaults, checks, indexes, grants) and drops the previous schemas with
-- CASCADE. Anything else there, or anything elsewhere bound to their tables, is named and stops the rebuild.
WITH swapped AS (SELECT oid FROM pg_namespace WHERE nspname IN ('staging', 'mart'))
SELECT format('%s is a %s', c.oid::regclass, CASE c.relkind WHEN 'v' THEN 'view' WHEN 'm' THEN 'materialized view'
              WHEN 'S' THEN 'sequence' WHEN 'p' THEN 'partitioned table' ELSE 'relation of kind ' || c.relkind::text END)
FROM pg_class c WHERE c.relnamespace IN (SELECT oid FROM swapped) AND c.relkind NOT IN ('r', 'i', 't')
UNION ALL
SELECT DISTINCT format('%s depends on %s', pg_describe_object(d.classid, d.objid, d.objsubid), c.oid::regclass)
FROM pg_depend d JOIN pg_class c ON d.refclassid = 'pg_class'::regclass AND c.oid = d.refobjid
WHERE c.relnamespace IN (SELECT oid FROM swapped) AND d.deptype = 'n'
  AND d.classid IN ('pg_rewrite'::regclass, 'pg_proc'::regclass, 'pg_policy'::regclass)
UNION ALL
SELECT format('foreign key %s of %s', k.conname, k.conrelid::regclass)
FROM pg_constraint k JOIN pg_class c ON c.oid IN (k.conrelid, k.confrelid)
WHERE k.contype = 'f' AND c.relnamespace IN (SELECT oid FROM swapped)
UNION ALL
SELECT format('trigger %s on %s', t.tgname, t.tgrelid::regclass)
FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
WHERE c.relnamespace IN (SELECT oid FROM swapped) AND NOT t.tgisinternal
UNION ALL
SELECT format('function %s', p.oid::regprocedure) FROM pg_proc p WHERE p.pronamespace IN (SELECT oid FROM swapped)
UNION ALL
SELECT format('type %s', t.oid::regtype) FROM pg_type t
WHERE t.typnamespace IN (SELECT oid FROM swapped) AND t.typrelid = 0
  AND NOT EXISTS (SELECT 1 FROM pg_class c WHERE c.reltype = t.typelem)

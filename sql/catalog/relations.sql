-- Schema snapshot (etl/schema_snapshot.py): every table, view and free-standing sequence of the user schemas,
-- with its comment and, for a view, its definition and the number of relations it reads. Objects of extensions
-- are left out.
SELECT n.nspname AS schema, c.relname AS name, c.relkind AS kind,
       obj_description(c.oid, 'pg_class') AS comment,
       CASE WHEN c.relkind IN ('v', 'm') THEN pg_get_viewdef(c.oid, true) END AS definition,
       (SELECT count(DISTINCT d.refobjid) FROM pg_rewrite r JOIN pg_depend d ON d.classid = 'pg_rewrite'::regclass
                                                         AND d.objid = r.oid AND d.refclassid = 'pg_class'::regclass
        WHERE r.ev_class = c.oid AND d.refobjid <> c.oid) AS reads
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname NOT LIKE 'pg\_%' AND n.nspname <> 'information_schema'
  AND (c.relkind IN ('r', 'p', 'v', 'm', 'f')
       OR (c.relkind = 'S' AND NOT EXISTS (SELECT 1 FROM pg_depend d  -- sequences of serial/identity columns
                                            WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
                                              AND d.deptype IN ('a', 'i'))))
  AND NOT EXISTS (SELECT 1 FROM pg_depend d
                  WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
ORDER BY n.nspname COLLATE "C", c.relname COLLATE "C";

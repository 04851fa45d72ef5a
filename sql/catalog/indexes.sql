-- Schema snapshot: the indexes of every table, except those of its primary key and unique or exclusion
-- constraints (shown with the constraints).
SELECT n.nspname AS schema, c.relname AS name, ic.relname AS index, pg_get_indexdef(i.indexrelid) AS definition
FROM pg_index i
JOIN pg_class c ON c.oid = i.indrelid JOIN pg_class ic ON ic.oid = i.indexrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname NOT LIKE 'pg\_%' AND n.nspname <> 'information_schema'
  AND NOT EXISTS (SELECT 1 FROM pg_constraint k
                  WHERE k.conindid = i.indexrelid AND k.conrelid = c.oid AND k.contype IN ('p', 'u', 'x'))
ORDER BY n.nspname COLLATE "C", c.relname COLLATE "C", ic.relname COLLATE "C";

-- Schema snapshot: primary keys, unique, foreign-key, check and exclusion constraints of every table.
-- NOT NULL is shown with the columns (PostgreSQL 18 also lists it here, as contype 'n': left out).
SELECT n.nspname AS schema, c.relname AS name, k.conname AS constraint, k.contype AS kind,
       pg_get_constraintdef(k.oid) AS definition
FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname NOT LIKE 'pg\_%' AND n.nspname <> 'information_schema' AND k.contype IN ('p', 'u', 'f', 'c', 'x')
ORDER BY n.nspname COLLATE "C", c.relname COLLATE "C", position(k.contype IN 'pufcx'), k.conname COLLATE "C";

-- The newest audit records first (the /admin page).
SELECT id, at, username, address, action, scope, detail::text AS detail
FROM auth.audit ORDER BY at DESC, id DESC LIMIT :limit

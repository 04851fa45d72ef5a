-- Every account, without its password hash (the /admin page, `users list`).
SELECT u.id, u.username, u.role, u.province_code, p.name AS province_name, u.disabled, u.created_at
FROM auth."user" u LEFT JOIN ref.province p ON p.code = u.province_code
ORDER BY u.username

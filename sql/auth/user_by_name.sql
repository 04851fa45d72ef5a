-- One account by its username (sign-in, the command line).
SELECT id, username, password_hash, role, province_code, disabled, created_at FROM auth."user"
WHERE username = :username

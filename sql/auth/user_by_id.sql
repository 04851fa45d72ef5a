-- One account by its id (every signed-in request: a disabled account is refused at once).
SELECT id, username, password_hash, role, province_code, disabled, created_at FROM auth."user" WHERE id = :id

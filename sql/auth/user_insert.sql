-- A new account; the username is unique (a second one fails with a unique violation).
INSERT INTO auth."user" (username, password_hash, role, province_code)
VALUES (:username, :password_hash, :role, :province_code)
RETURNING id

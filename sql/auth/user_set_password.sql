-- A new password hash: sessions signed with the old one stop working (the session id carries its digest).
UPDATE auth."user" SET password_hash = :password_hash WHERE username = :username RETURNING id

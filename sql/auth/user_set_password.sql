-- A new password hash; the trigger of 010_sessions.sql ends the account's sessions.
UPDATE auth."user" SET password_hash = :password_hash WHERE username = :username RETURNING id

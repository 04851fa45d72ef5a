-- Disable (or enable again) an account; the trigger of 010_sessions.sql ends its sessions either way.
UPDATE auth."user" SET disabled = :disabled WHERE username = :username RETURNING id

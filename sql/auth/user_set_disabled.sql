-- Disable (or enable again) an account; a disabled account's open sessions are refused at their next request.
UPDATE auth."user" SET disabled = :disabled WHERE username = :username RETURNING id

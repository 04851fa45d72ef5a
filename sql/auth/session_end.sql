-- Sign-out: the session ends on the server, so a copy of its cookie stops working too.
UPDATE auth.session SET ended_at = now(), end_reason = 'sign_out' WHERE id = :id AND ended_at IS NULL

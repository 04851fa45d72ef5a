-- One audit record.
INSERT INTO auth.audit (username, address, action, scope, detail)
VALUES (:username, :address, :action, :scope, CAST(:detail AS jsonb))

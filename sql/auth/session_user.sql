-- The account of an open session (every signed-in request: one primary-key look-up). An ended or expired
-- session, or a disabled account, finds nothing.
SELECT u.id, u.username, u.password_hash, u.role, u.province_code, u.disabled, u.created_at
FROM auth.session s JOIN auth."user" u ON u.id = s.user_id
WHERE s.id = :id AND s.ended_at IS NULL AND s.expires_at > now() AND NOT u.disabled

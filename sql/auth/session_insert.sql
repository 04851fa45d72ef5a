-- A new session of an account (sign-in); the account's sessions that expired a day ago are dropped on the way,
-- so that the table holds about one row per open session.
WITH expired AS (
    DELETE FROM auth.session WHERE user_id = :user_id AND expires_at < now() - interval '1 day'
)
INSERT INTO auth.session (id, user_id, expires_at)
VALUES (:id, :user_id, now() + make_interval(secs => :lifetime_seconds))

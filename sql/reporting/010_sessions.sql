-- Server-side sessions (issue #10): the session cookie carries a random token; its SHA-256 is the key of a row
-- here, which every signed-in request looks up (primary key). Ending the row ends the session on every worker
-- and host, whatever copies of the cookie exist: sign-out ends one session; disabling, enabling or a new
-- password ends all of the account's (the trigger below, so that an UPDATE made by hand does it too).
CREATE TABLE auth.session (
    id         text PRIMARY KEY,                -- hex SHA-256 of the cookie's token (the token itself is not kept)
    user_id    integer NOT NULL REFERENCES auth."user" ON DELETE CASCADE,
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    ended_at   timestamptz,
    end_reason text CHECK (end_reason IN ('sign_out', 'account_changed'))
);
CREATE INDEX session_open_by_user ON auth.session (user_id) WHERE ended_at IS NULL;

CREATE FUNCTION auth.end_sessions() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE auth.session SET ended_at = now(), end_reason = 'account_changed'
    WHERE user_id = NEW.id AND ended_at IS NULL;
    RETURN NULL;
END $$;

-- Re-enabling an account must not revive the cookies it had before it was disabled: both directions end them.
CREATE TRIGGER user_end_sessions AFTER UPDATE OF disabled, password_hash, role, province_code ON auth."user"
FOR EACH ROW WHEN (OLD.disabled IS DISTINCT FROM NEW.disabled OR OLD.password_hash IS DISTINCT FROM NEW.password_hash
                   OR OLD.role IS DISTINCT FROM NEW.role OR OLD.province_code IS DISTINCT FROM NEW.province_code)
EXECUTE FUNCTION auth.end_sessions();

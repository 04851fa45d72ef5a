-- Access control (issue #6): who may sign in, with which role and scope, and what they did.
-- The web tier reads and writes these tables on the primary (never a read replica): sign-in throttling
-- counts the failures recorded in auth.audit, so every worker and every host sees the same counts.
CREATE SCHEMA IF NOT EXISTS auth;

CREATE TABLE auth."user" (
    id            integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    username      text NOT NULL UNIQUE CHECK (username ~ '^[a-z0-9_.-]{3,40}$'),
    -- werkzeug.security.generate_password_hash: method, salt and hash in one string
    password_hash text NOT NULL,
    role          text NOT NULL CHECK (role IN ('national', 'province', 'analyst', 'admin')),
    province_code char(2) REFERENCES ref.province,
    disabled      boolean NOT NULL DEFAULT false,
    created_at    timestamptz NOT NULL DEFAULT now(),
    -- a province user sees exactly one province; nobody else is tied to one
    CHECK ((role = 'province') = (province_code IS NOT NULL))
);

CREATE TABLE auth.audit (
    id       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at       timestamptz NOT NULL DEFAULT now(),
    username text,              -- as typed for a failed sign-in (the account may not exist)
    address  text,              -- the client's address; 'cli' for the users command line
    action   text NOT NULL CHECK (action IN ('sign_in', 'sign_in_failed', 'sign_out', 'export', 'user_admin')),
    scope    text,              -- the province code of a province user, 'national' otherwise
    detail   jsonb
);
-- the throttle's two look-ups: recent failures of one username, of one address
CREATE INDEX audit_failed_user ON auth.audit (username, at) WHERE action = 'sign_in_failed';
CREATE INDEX audit_failed_address ON auth.audit (address, at) WHERE action = 'sign_in_failed';
CREATE INDEX audit_at ON auth.audit (at DESC);

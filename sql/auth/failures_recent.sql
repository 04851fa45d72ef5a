-- Counted failed sign-ins from one address within the window (the throttle): those of one username, the age
-- in seconds of its newest one, all of them, and the age of the oldest. Refused attempts are not counted.
SELECT count(*) FILTER (WHERE username = :username) AS by_pair,
       extract(epoch FROM now() - max(at) FILTER (WHERE username = :username)) AS pair_last_age,
       count(*) AS by_address,
       coalesce(extract(epoch FROM now() - min(at)), 0) AS address_oldest_age
FROM auth.audit
WHERE action = 'sign_in_failed' AND address = :address AND at > now() - make_interval(secs => :window_seconds)
  AND (detail ->> 'reason') IS DISTINCT FROM :throttled

-- Failed sign-ins within the window, for one username and for one address (the throttle).
SELECT count(*) FILTER (WHERE username = :username) AS by_user,
       count(*) FILTER (WHERE address = :address) AS by_address
FROM auth.audit
WHERE action = 'sign_in_failed' AND at > now() - make_interval(secs => :window_seconds)
  AND (username = :username OR address = :address)

-- mart.verification_field_daily: mismatched fields of the identity checks.
-- grain: district, day, field
-- reads: staging.verification; slice: _slice_verif (district, day)
SELECT v.district, v.checked_day AS day, f.field, count(*) AS checks
FROM staging.verification v CROSS JOIN LATERAL unnest(v.mismatched_fields) f(field)
WHERE (v.district, v.checked_day) IN (SELECT district, day FROM _slice_verif)  -- slice
GROUP BY 1, 2, 3

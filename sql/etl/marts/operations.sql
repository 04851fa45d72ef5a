-- Verification, feedback, stock and testing marts, each per its (area, day) slices.
DELETE FROM mart.verification_daily m USING _slice_verif s
WHERE NOT %(all)s AND m.district = s.district AND m.day = s.day;
INSERT INTO mart.verification_daily (district, day, outcome, checks, first_checks)
SELECT district, checked_day, outcome, count(*), count(*) FILTER (WHERE is_first)
FROM staging.verification
WHERE IN_SCOPE((district, checked_day) IN (SELECT district, day FROM _slice_verif))
GROUP BY 1, 2, 3;

DELETE FROM mart.verification_field_daily m USING _slice_verif s
WHERE NOT %(all)s AND m.district = s.district AND m.day = s.day;
INSERT INTO mart.verification_field_daily (district, day, field, checks)
SELECT v.district, v.checked_day, f.field, count(*)
FROM staging.verification v CROSS JOIN LATERAL unnest(v.mismatched_fields) f(field)
WHERE IN_SCOPE((v.district, v.checked_day) IN (SELECT district, day FROM _slice_verif))
GROUP BY 1, 2, 3;

DELETE FROM mart.feedback_daily m USING _slice_feedback s
WHERE NOT %(all)s AND m.district = s.district AND m.day = s.day;
INSERT INTO mart.feedback_daily (district, day, closed_day, category, status, items)
SELECT district, received_day, closed_day, category, status, count(*)
FROM staging.feedback
WHERE IN_SCOPE((district, received_day) IN (SELECT district, day FROM _slice_feedback))
GROUP BY 1, 2, 3, 4, 5;

DELETE FROM mart.stock_daily m USING _slice_stock s WHERE NOT %(all)s AND m.area = s.area AND m.day = s.day;
INSERT INTO mart.stock_daily (area, day, level, product_code, expiry_date, received, issued, wasted,
                              administered, adjusted)
SELECT area, day, level, product_code, expiry_date, sum(received), sum(issued), sum(wasted), sum(administered),
       sum(adjusted)
FROM (
    SELECT a.area, m.moved_day AS day, a.level, l.product_code, l.expiry_date,
           CASE WHEN m.kind IN ('receipt', 'transfer') THEN m.doses ELSE 0 END AS received, 0 AS issued,
           0 AS wasted, 0 AS administered, CASE WHEN m.kind = 'adjustment' THEN m.doses ELSE 0 END AS adjusted
    FROM staging.stock_movement m
    JOIN ref.facility_area a ON a.id = m.to_facility_id
    JOIN ref.lot l ON l.id = m.lot_id
    WHERE m.quarantine_rule IS NULL
      AND IN_SCOPE((a.area, m.moved_day) IN (SELECT area, day FROM _slice_stock))
    UNION ALL
    SELECT a.area, m.moved_day, a.level, l.product_code, l.expiry_date, 0,
           CASE WHEN m.kind = 'transfer' THEN m.doses ELSE 0 END, CASE WHEN m.kind = 'wastage' THEN m.doses ELSE 0 END,
           0, CASE WHEN m.kind = 'adjustment' THEN -m.doses ELSE 0 END
    FROM staging.stock_movement m
    JOIN ref.facility_area a ON a.id = m.from_facility_id
    JOIN ref.lot l ON l.id = m.lot_id
    WHERE m.quarantine_rule IS NULL
      AND IN_SCOPE((a.area, m.moved_day) IN (SELECT area, day FROM _slice_stock))
    UNION ALL
    SELECT d.site_district, d.injected_day, 'site', l.product_code, l.expiry_date, 0, 0, 0, 1, 0
    FROM staging.dose d JOIN ref.lot l ON l.lot_code = d.lot_code
    WHERE d.status = 'valid' AND d.quarantine_rule IS NULL
      AND IN_SCOPE((d.site_district, d.injected_day) IN (SELECT area, day FROM _slice_stock))
) flows
GROUP BY 1, 2, 3, 4, 5;

DELETE FROM mart.tests_daily m USING _slice_tests s WHERE NOT %(all)s AND m.district = s.district AND m.day = s.day;
INSERT INTO mart.tests_daily (district, day, method, tat_bucket, samples, people_tested, positives, invalid)
SELECT district, collected_day, method, etl.tat_bucket(turnaround_hours), count(*), sum(pooled_count),
       count(*) FILTER (WHERE result = 'positive'), count(*) FILTER (WHERE result = 'invalid')
FROM staging.test_sample
WHERE IN_SCOPE((district, collected_day) IN (SELECT district, day FROM _slice_tests))
GROUP BY 1, 2, 3, 4;

-- Release every pending event that has happened by %(until_end)s into the platform, in FK order.
INSERT INTO platform.dose_record
SELECT * FROM sim.pending_dose_record WHERE updated_at < %(until_end)s;
DELETE FROM sim.pending_dose_record WHERE updated_at < %(until_end)s;

INSERT INTO platform.identity_verification (id, person_id, checked_at, outcome, mismatched_fields, updated_at)
SELECT id, person_id, checked_at, outcome,
       CASE WHEN mismatched_fields = '' THEN '{}'::text[] ELSE string_to_array(mismatched_fields, ',') END,
       checked_at
FROM sim.pending_verification WHERE checked_at < %(until_end)s;
DELETE FROM sim.pending_verification WHERE checked_at < %(until_end)s;

UPDATE platform.dose_record d SET status = 'voided', updated_at = v.void_at
FROM sim.pending_void v WHERE v.dose_id = d.id AND v.void_at < %(until_end)s;
DELETE FROM sim.pending_void WHERE void_at < %(until_end)s;

INSERT INTO platform.citizen_feedback
    (id, person_id, dose_record_id, category, received_at, resolved_at, status, updated_at)
SELECT id, person_id, dose_record_id, category, received_at, NULL, 'open', received_at
FROM sim.pending_feedback WHERE NOT inserted AND received_at < %(until_end)s;
UPDATE sim.pending_feedback SET inserted = true WHERE NOT inserted AND received_at < %(until_end)s;
UPDATE platform.citizen_feedback f SET status = p.status, resolved_at = p.resolved_at, updated_at = p.resolved_at
FROM sim.pending_feedback p
WHERE p.id = f.id AND p.inserted AND p.resolved_at < %(until_end)s AND p.status <> 'open';
DELETE FROM sim.pending_feedback WHERE inserted AND (status = 'open' OR resolved_at < %(until_end)s);

UPDATE platform.test_sample s SET resulted_at = r.resulted_at, result = r.result, updated_at = r.resulted_at
FROM sim.pending_result r WHERE r.sample_id = s.id AND r.resulted_at < %(until_end)s;
DELETE FROM sim.pending_result WHERE resulted_at < %(until_end)s;

-- Stock movements, hand reports, test samples, verifications and feedback into staging, each remembering
-- the slices it touches before and after (the old slice matters when a row moves) and its verdict on every row
-- read (_verdict, for quarantine.sql). The upserts write only rows whose content differs: rows re-read
-- unchanged in the extract's overlap are no change (etl.run.changes).
CREATE TEMP TABLE _slice_stock_lot ON COMMIT DROP AS
SELECT DISTINCT f.id AS facility_id, m.moved_day AS day
FROM staging.stock_movement m JOIN _x_stock_movement x ON x.id = m.id
JOIN ref.facility f ON f.id IN (m.from_facility_id, m.to_facility_id);

INSERT INTO staging.stock_movement AS t (id, lot_id, from_facility_id, to_facility_id, doses, kind, reason,
                                    moved_day, updated_at, quarantine_rule)
SELECT DISTINCT ON (x.id) x.id, x.lot_id, x.from_facility_id, x.to_facility_id, x.doses, x.kind, x.reason,
       CASE WHEN etl.plausible(x.moved_at) THEN etl.vn_day(x.moved_at) ELSE %(campaign_start)s END, x.updated_at,
       CASE WHEN l.id IS NULL OR (x.from_facility_id IS NOT NULL AND ff.id IS NULL)
                 OR (x.to_facility_id IS NOT NULL AND tf.id IS NULL) THEN 'S01_unknown_lot_or_facility'
            WHEN NOT etl.plausible(x.moved_at)
                 OR x.doses > (SELECT sum(population) FROM ref.population WHERE level = 'nation')
            THEN 'S02_implausible_movement' END
FROM _x_stock_movement x
LEFT JOIN ref.lot l ON l.id = x.lot_id
LEFT JOIN ref.facility ff ON ff.id = x.from_facility_id
LEFT JOIN ref.facility tf ON tf.id = x.to_facility_id
ORDER BY x.id, x.updated_at DESC
ON CONFLICT (id) DO UPDATE SET lot_id = EXCLUDED.lot_id, from_facility_id = EXCLUDED.from_facility_id,
    to_facility_id = EXCLUDED.to_facility_id, doses = EXCLUDED.doses, kind = EXCLUDED.kind,
    reason = EXCLUDED.reason, moved_day = EXCLUDED.moved_day, updated_at = EXCLUDED.updated_at,
    quarantine_rule = EXCLUDED.quarantine_rule
WHERE (t.lot_id, t.from_facility_id, t.to_facility_id, t.doses, t.kind, t.reason, t.moved_day, t.updated_at,
       t.quarantine_rule)
      IS DISTINCT FROM (EXCLUDED.lot_id, EXCLUDED.from_facility_id, EXCLUDED.to_facility_id, EXCLUDED.doses,
                        EXCLUDED.kind, EXCLUDED.reason, EXCLUDED.moved_day, EXCLUDED.updated_at,
                        EXCLUDED.quarantine_rule);

INSERT INTO _verdict (source, source_id, rule, detail)
SELECT 'stock_movement', m.id, m.quarantine_rule,
       format('%%s of %%s doses, lot %%s, from %%s to %%s', m.kind, m.doses, m.lot_id,
              coalesce(m.from_facility_id::text, '-'), coalesce(m.to_facility_id::text, '-'))
FROM staging.stock_movement m JOIN (SELECT DISTINCT id FROM _x_stock_movement) x ON x.id = m.id;

INSERT INTO _slice_stock_lot
SELECT DISTINCT f.id, m.moved_day FROM staging.stock_movement m
JOIN (SELECT DISTINCT id FROM _x_stock_movement) x ON x.id = m.id
JOIN ref.facility f ON f.id IN (m.from_facility_id, m.to_facility_id)
UNION SELECT site_id, day FROM _slice_site;  -- doses administered at sites are stock flows too
ANALYZE _slice_stock_lot;

-- mart.stock_daily rolls the facilities up to their areas: an area-day is recomputed when one of its
-- facilities' days is.
CREATE TEMP TABLE _slice_stock ON COMMIT DROP AS
SELECT DISTINCT a.area, s.day FROM _slice_stock_lot s JOIN ref.facility_area a ON a.id = s.facility_id;
-- The stock ledgers (mart.stock_balance, mart.stock_facility_balance) are recomputed from each key's first
-- changed day on: one row per key.
CREATE TEMP TABLE _slice_balance ON COMMIT DROP AS SELECT area, min(day) AS day FROM _slice_stock GROUP BY area;
CREATE TEMP TABLE _slice_fac_balance ON COMMIT DROP AS
SELECT facility_id, min(day) AS day FROM _slice_stock_lot GROUP BY facility_id;
CREATE TEMP TABLE _slice_lot_balance ON COMMIT DROP AS
SELECT coalesce(f.province_code::text, 'VN') AS province, min(s.day) AS day
FROM _slice_stock_lot s JOIN ref.facility f ON f.id = s.facility_id GROUP BY 1;
-- The stock of provinces by day (mart.stock_province_daily); the national store's province is 'VN'.
CREATE TEMP TABLE _slice_stock_prov ON COMMIT DROP AS
SELECT DISTINCT coalesce(f.province_code::text, 'VN') AS province, s.day
FROM _slice_stock_lot s JOIN ref.facility f ON f.id = s.facility_id;

-- Allocation decisions: an unknown province or product, or an impossible decision date, is quarantined and
-- leaves staging (as a test sample with an impossible time does).
CREATE TEMP TABLE _alloc ON COMMIT DROP AS
SELECT DISTINCT ON (x.id) x.id, x.decision_no, x.decision_date, x.province_code, x.product_code, x.doses,
       x.updated_at,
       CASE WHEN p.code IS NULL OR pr.code IS NULL THEN 'A01_unknown_province_or_product'
            WHEN x.decision_date < '2020-01-01' OR x.decision_date >= '2100-01-01' THEN 'A02_impossible_date'
       END AS rule
FROM _x_vaccine_allocation x
LEFT JOIN ref.province p ON p.code = x.province_code
LEFT JOIN ref.product pr ON pr.code = x.product_code
ORDER BY x.id, x.updated_at DESC;

CREATE TEMP TABLE _slice_alloc ON COMMIT DROP AS
SELECT DISTINCT a.province, a.decision_day AS day FROM staging.allocation a JOIN _alloc x ON x.id = a.id;

INSERT INTO staging.allocation AS t (id, decision_no, decision_day, province, product_code, doses, updated_at)
SELECT id, decision_no, decision_date, province_code, product_code, doses, updated_at FROM _alloc WHERE rule IS NULL
ON CONFLICT (id) DO UPDATE SET decision_no = EXCLUDED.decision_no, decision_day = EXCLUDED.decision_day,
    province = EXCLUDED.province, product_code = EXCLUDED.product_code, doses = EXCLUDED.doses,
    updated_at = EXCLUDED.updated_at
WHERE (t.decision_no, t.decision_day, t.province, t.product_code, t.doses, t.updated_at)
      IS DISTINCT FROM (EXCLUDED.decision_no, EXCLUDED.decision_day, EXCLUDED.province, EXCLUDED.product_code,
                        EXCLUDED.doses, EXCLUDED.updated_at);
DELETE FROM staging.allocation t USING _alloc x WHERE x.rule IS NOT NULL AND t.id = x.id;

INSERT INTO _verdict (source, source_id, rule, detail)
SELECT 'vaccine_allocation', id, rule, format('decision %%s of %%s: %%s doses of %%s for province %%s',
                                              decision_no, decision_date, doses, product_code, province_code)
FROM _alloc;

INSERT INTO _slice_alloc SELECT DISTINCT province_code, decision_date FROM _alloc WHERE rule IS NULL;

-- Province hand reports
CREATE TEMP TABLE _slice_prov ON COMMIT DROP AS
SELECT DISTINCT province_code AS province, report_date AS day FROM _x_province_daily_report
UNION SELECT d.province_code, s.day FROM _slice_dose s JOIN ref.district d ON d.code = s.district;

-- An implausible report (more doses than the province has people, an impossible date) is quarantined and
-- leaves staging: the day then shows no hand report rather than a wrong one.
CREATE TEMP TABLE _report ON COMMIT DROP AS
SELECT DISTINCT ON (r.province_code, r.report_date) r.province_code, r.report_date, r.doses_reported,
       r.updated_at, etl.report_id(r.province_code, r.report_date) AS source_id,
       CASE WHEN r.report_date < '2000-01-01' OR r.report_date >= '2100-01-01' OR r.doses_reported > p.people
            THEN 'R01_implausible_report' END AS rule
FROM _x_province_daily_report r
LEFT JOIN (SELECT area_code, sum(population) AS people FROM ref.population WHERE level = 'province'
           GROUP BY 1) p ON p.area_code = r.province_code
ORDER BY r.province_code, r.report_date, r.updated_at DESC;

INSERT INTO staging.province_report AS t (province_code, report_date, doses_reported, updated_at)
SELECT province_code, report_date, doses_reported, updated_at FROM _report WHERE rule IS NULL
ON CONFLICT (province_code, report_date) DO UPDATE SET doses_reported = EXCLUDED.doses_reported,
    updated_at = EXCLUDED.updated_at
WHERE (t.doses_reported, t.updated_at) IS DISTINCT FROM (EXCLUDED.doses_reported, EXCLUDED.updated_at);

DELETE FROM staging.province_report s USING _report r
WHERE r.rule IS NOT NULL AND s.province_code = r.province_code AND s.report_date = r.report_date;
INSERT INTO _verdict (source, source_id, rule, detail)
SELECT 'province_daily_report', source_id, rule,
       format('province %%s, %%s: %%s doses reported', province_code, report_date, doses_reported)
FROM _report;

-- The province roll-ups' slices: the provinces of the district slices.
CREATE TEMP TABLE _slice_prov_dose ON COMMIT DROP AS
SELECT DISTINCT d.province_code AS province, s.day FROM _slice_dose s JOIN ref.district d ON d.code = s.district;
CREATE TEMP TABLE _slice_prov_people ON COMMIT DROP AS
SELECT DISTINCT d.province_code AS province, s.day FROM _slice_people s JOIN ref.district d ON d.code = s.district;

-- Test samples, identity checks and feedback: a row with an impossible time (T01, V01, C01) or whose person
-- is unknown (V02, C02) is quarantined and leaves staging, so the marts never hold an impossible day; the
-- next run that reads it again (corrected, or its person arrived) loads it. Only what differs is written.
-- A sample resulted before it was collected (T02) or collected where no sample is taken (T03) leaves too.
CREATE TEMP TABLE _test ON COMMIT DROP AS
SELECT DISTINCT ON (id) id, district, lab_id, method, pooled_count, collected_at, resulted_at, result, updated_at,
       CASE WHEN NOT etl.plausible(collected_at) OR NOT coalesce(etl.plausible(resulted_at), true)
            THEN 'T01_impossible_time'
            WHEN resulted_at < collected_at THEN 'T02_result_before_collection'
            WHEN site_kind IS DISTINCT FROM 'site' OR lab_kind IS DISTINCT FROM 'lab' OR district = ''
            THEN 'T03_not_collection_point' END AS rule,
       site_kind
FROM _x_test_sample ORDER BY id, updated_at DESC;

CREATE TEMP TABLE _slice_tests ON COMMIT DROP AS
SELECT DISTINCT t.district, t.collected_day AS day FROM staging.test_sample t
JOIN _test x ON x.id = t.id;

INSERT INTO staging.test_sample AS t (id, district, lab_id, method, pooled_count, collected_day, turnaround_hours,
                                      resulted_day, result, updated_at)
SELECT id, district, lab_id, method, pooled_count, etl.vn_day(collected_at),
       extract(epoch FROM resulted_at - collected_at) / 3600.0, etl.vn_day(resulted_at), result, updated_at
FROM _test WHERE rule IS NULL
ON CONFLICT (id) DO UPDATE SET district = EXCLUDED.district, lab_id = EXCLUDED.lab_id, method = EXCLUDED.method,
    pooled_count = EXCLUDED.pooled_count, collected_day = EXCLUDED.collected_day,
    turnaround_hours = EXCLUDED.turnaround_hours, resulted_day = EXCLUDED.resulted_day, result = EXCLUDED.result,
    updated_at = EXCLUDED.updated_at
WHERE (t.district, t.lab_id, t.method, t.pooled_count, t.collected_day, t.turnaround_hours, t.resulted_day,
       t.result, t.updated_at)
      IS DISTINCT FROM (EXCLUDED.district, EXCLUDED.lab_id, EXCLUDED.method, EXCLUDED.pooled_count,
                        EXCLUDED.collected_day, EXCLUDED.turnaround_hours, EXCLUDED.resulted_day, EXCLUDED.result,
                        EXCLUDED.updated_at);
DELETE FROM staging.test_sample t USING _test x WHERE x.rule IS NOT NULL AND t.id = x.id;

INSERT INTO _verdict (source, source_id, rule, detail)
SELECT 'test_sample', id, rule, format('%%s sample of %%s at a %%s, collected %%s, resulted %%s', method,
                                       pooled_count, coalesce(site_kind, 'facility of no kind'),
                                       etl.vn_minute(collected_at), coalesce(etl.vn_minute(resulted_at), '-'))
FROM _test;

INSERT INTO _slice_tests SELECT DISTINCT district, etl.vn_day(collected_at) FROM _test WHERE rule IS NULL;

-- Identity verifications: a person's first check may move, so all their checks' slices are touched.
CREATE TEMP TABLE _verif ON COMMIT DROP AS
SELECT DISTINCT ON (id) id, etl.person_key(person_id, %(ikey)s, %(okey)s) AS person_key, district, checked_at,
       outcome, mismatched_fields, updated_at,
       CASE WHEN NOT etl.plausible(checked_at) THEN 'V01_impossible_time'
            WHEN person_missing OR district = '' THEN 'V02_unknown_person' END AS rule,
       CASE WHEN person_missing THEN 'the platform does not return the person'
            ELSE 'the person has no residence commune and no valid dose at a known site' END AS why
FROM _x_identity_verification ORDER BY id, updated_at DESC;

CREATE TEMP TABLE _verif_people ON COMMIT DROP AS
SELECT DISTINCT person_key FROM _verif
UNION SELECT v.person_key FROM staging.verification v JOIN _verif x ON x.id = v.id;
CREATE TEMP TABLE _slice_verif ON COMMIT DROP AS
SELECT DISTINCT district, checked_day AS day FROM staging.verification
WHERE person_key IN (SELECT person_key FROM _verif_people);

INSERT INTO staging.verification AS t (id, person_key, district, checked_day, outcome, mismatched_fields, updated_at,
                                  is_first)
SELECT id, person_key, district, etl.vn_day(checked_at), outcome, mismatched_fields, updated_at,
       row_number() OVER (PARTITION BY person_key ORDER BY etl.vn_day(checked_at), id) = 1  -- exact in a rebuild
FROM _verif WHERE rule IS NULL
ON CONFLICT (id) DO UPDATE SET person_key = EXCLUDED.person_key, district = EXCLUDED.district,
    checked_day = EXCLUDED.checked_day, outcome = EXCLUDED.outcome,
    mismatched_fields = EXCLUDED.mismatched_fields, updated_at = EXCLUDED.updated_at
WHERE (t.person_key, t.district, t.checked_day, t.outcome, t.mismatched_fields, t.updated_at)
      IS DISTINCT FROM (EXCLUDED.person_key, EXCLUDED.district, EXCLUDED.checked_day, EXCLUDED.outcome,
                        EXCLUDED.mismatched_fields, EXCLUDED.updated_at);
DELETE FROM staging.verification t USING _verif x WHERE x.rule IS NOT NULL AND t.id = x.id;

UPDATE staging.verification v SET is_first = f.first
FROM (SELECT id, row_number() OVER (PARTITION BY person_key ORDER BY checked_day, id) = 1 AS first
      FROM staging.verification
      WHERE person_key IN (SELECT person_key FROM _verif_people)) f
WHERE f.id = v.id AND v.is_first IS DISTINCT FROM f.first;

INSERT INTO _verdict (source, source_id, rule, detail)
SELECT 'identity_verification', id, rule,
       format('check %%s at %%s', outcome, etl.vn_minute(checked_at))
       || CASE WHEN rule = 'V02_unknown_person' THEN ': ' || why ELSE '' END
FROM _verif;

INSERT INTO _slice_verif SELECT DISTINCT district, checked_day FROM staging.verification
WHERE person_key IN (SELECT person_key FROM _verif_people);

-- Citizen feedback
CREATE TEMP TABLE _feedback ON COMMIT DROP AS
SELECT DISTINCT ON (id) id, etl.person_key(person_id, %(ikey)s, %(okey)s) AS person_key, district, category,
       received_at, resolved_at, status, updated_at,
       CASE WHEN NOT etl.plausible(received_at) OR NOT coalesce(etl.plausible(resolved_at), true)
            THEN 'C01_impossible_time'
            WHEN person_missing OR district = '' THEN 'C02_unknown_person' END AS rule,
       CASE WHEN person_missing THEN 'the platform does not return the person'
            ELSE 'the person has no residence commune and no valid dose at a known site' END AS why
FROM _x_citizen_feedback ORDER BY id, updated_at DESC;

CREATE TEMP TABLE _slice_feedback ON COMMIT DROP AS
SELECT DISTINCT f.district, f.received_day AS day FROM staging.feedback f
JOIN _feedback x ON x.id = f.id;

INSERT INTO staging.feedback AS t (id, person_key, district, category, received_day, closed_day, status, updated_at)
SELECT id, person_key, district, category, etl.vn_day(received_at), etl.vn_day(resolved_at), status, updated_at
FROM _feedback WHERE rule IS NULL
ON CONFLICT (id) DO UPDATE SET person_key = EXCLUDED.person_key, district = EXCLUDED.district,
    category = EXCLUDED.category, received_day = EXCLUDED.received_day, closed_day = EXCLUDED.closed_day,
    status = EXCLUDED.status, updated_at = EXCLUDED.updated_at
WHERE (t.person_key, t.district, t.category, t.received_day, t.closed_day, t.status, t.updated_at)
      IS DISTINCT FROM (EXCLUDED.person_key, EXCLUDED.district, EXCLUDED.category, EXCLUDED.received_day,
                        EXCLUDED.closed_day, EXCLUDED.status, EXCLUDED.updated_at);
DELETE FROM staging.feedback t USING _feedback x WHERE x.rule IS NOT NULL AND t.id = x.id;

INSERT INTO _verdict (source, source_id, rule, detail)
SELECT 'citizen_feedback', id, rule,
       format('%%s, %%s, received %%s, resolved %%s', category, status, etl.vn_minute(received_at),
              coalesce(etl.vn_minute(resolved_at), '-'))
       || CASE WHEN rule = 'C02_unknown_person' THEN ': ' || why ELSE '' END
FROM _feedback;

INSERT INTO _slice_feedback SELECT DISTINCT district, etl.vn_day(received_at) FROM _feedback WHERE rule IS NULL;

ANALYZE _slice_stock;
ANALYZE _slice_balance;
ANALYZE _slice_fac_balance;
ANALYZE _slice_lot_balance;
ANALYZE _slice_stock_prov;
ANALYZE _slice_alloc;
ANALYZE _slice_prov;
ANALYZE _slice_prov_dose;
ANALYZE _slice_prov_people;
ANALYZE _slice_tests;
ANALYZE _slice_verif;
ANALYZE _slice_feedback;

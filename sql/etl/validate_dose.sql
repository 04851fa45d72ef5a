-- Validation of dose records: every rule of etl.rule for the source 'dose_record', set-based.
-- Row rules first (the first failing one wins; impossible values first), then duplicates among the remaining
-- valid rows, then the order and interval of each person's doses (compared with the previous accepted dose).
-- The verdict on each record (its rule, or NULL) goes to _verdict, for quarantine.sql.
-- Scope: the touched people (_touched: everyone in a rebuild).
INSERT INTO _verdict (source, source_id, rule, detail)
WITH scope AS (
    SELECT d.id, d.person_key, d.dose_number, d.injected_at, d.injected_day, d.product_code, d.status,
           d.lot_code, d.recorded_at,
           CASE WHEN d.status <> 'valid' THEN NULL
                WHEN NOT (etl.plausible(d.injected_at) AND etl.plausible(d.recorded_at)
                          AND etl.plausible(d.updated_at)) THEN 'D09_impossible_date'
                WHEN d.person_missing THEN 'D12_unknown_person'
                WHEN d.age_band = -2 THEN 'D10_impossible_age'
                WHEN d.dose_number > pr.primary_doses + 2 THEN 'D11_beyond_schedule'
                WHEN d.injected_day < %(campaign_start)s THEN 'D04_before_campaign'
                WHEN d.injected_at > d.recorded_at + interval '7 days' THEN 'D03_future'
                WHEN d.recorded_at < d.injected_at THEN 'D05_recorded_before_injected'
                WHEN d.site_district = '' OR l.id IS NULL THEN 'D06_unknown_lot_or_site'
                WHEN l.expiry_date < d.injected_day THEN 'D08_lot_expired'
           END AS row_rule,
           l.expiry_date
    FROM staging.dose d LEFT JOIN ref.lot l ON l.lot_code = d.lot_code
    LEFT JOIN ref.product pr ON pr.code = d.product_code
    WHERE d.person_key IN (SELECT person_key FROM _touched)
), ranked AS (
    SELECT id, person_key, dose_number, injected_at, injected_day, product_code,
           row_number() OVER (PARTITION BY person_key, dose_number ORDER BY id) AS copy_no
    FROM scope WHERE status = 'valid' AND row_rule IS NULL
), seq AS (
    SELECT id, dose_number, injected_at, injected_day, product_code,
           lag(dose_number) OVER w AS prev_no, lag(injected_at) OVER w AS prev_at,
           lag(injected_day) OVER w AS prev_day
    FROM ranked WHERE copy_no = 1
    WINDOW w AS (PARTITION BY person_key ORDER BY dose_number, id)
)
SELECT 'dose_record', s.id,
       coalesce(s.row_rule, CASE
           WHEN r.copy_no > 1 THEN 'D01_duplicate'
           WHEN q.prev_no = q.dose_number - 1 AND q.injected_at < q.prev_at THEN 'D02_out_of_order'
           WHEN q.prev_no = q.dose_number - 1 AND q.dose_number <= p.primary_doses
                AND q.injected_day - q.prev_day < p.min_interval_days THEN 'D07_short_interval'
       END) AS rule,
       format('dose %%s of %%s, lot %%s (expiry %%s), injected %%s, recorded %%s, previous dose %%s',
              s.dose_number, s.product_code, s.lot_code, coalesce(s.expiry_date::text, '?'),
              etl.vn_minute(s.injected_at), etl.vn_minute(s.recorded_at),
              coalesce(to_char(etl.vn_day(q.prev_at), 'YYYY-MM-DD'), '-')) AS detail
FROM scope s
LEFT JOIN ranked r ON r.id = s.id
LEFT JOIN seq q ON q.id = s.id
LEFT JOIN ref.product p ON p.code = s.product_code;

ANALYZE _verdict;

WITH changed AS (  -- a row whose validation changes changes its slice's marts
    UPDATE staging.dose d SET quarantine_rule = r.rule
    FROM _verdict r
    WHERE r.source = 'dose_record' AND r.source_id = d.id AND d.quarantine_rule IS DISTINCT FROM r.rule
    RETURNING d.site_id, d.site_district, d.injected_day
), sites AS (
    INSERT INTO _slice_site SELECT DISTINCT site_id, injected_day FROM changed
)
INSERT INTO _slice_dose
SELECT DISTINCT site_district, injected_day FROM changed
EXCEPT SELECT district, day FROM _slice_dose;

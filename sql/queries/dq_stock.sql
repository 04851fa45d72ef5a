-- Grain: district. By :as_of (and by :before, the week before), for the district's stores (district store and
-- sites):
-- * delivered: the doses delivered into them (received minus sent on, so transfers inside the district cancel
--   out) and administered: the doses given from them (mart.stock_daily);
-- * ledgers: the facilities with any stock flow, and short_ledgers: those whose stock of some lot went below
--   zero at the end of some day (a site giving doses it never received, a store issuing from an empty shelf):
--   the running sum of mart.stock_lot_daily's flows per facility and lot.
WITH area AS (
    SELECT d.code AS district
    FROM ref.district d
    WHERE (:scope_province IS NULL OR d.province_code = :scope_province)
      AND (CAST(:province AS text) IS NULL OR d.province_code = :province)
      AND (CAST(:district AS text) IS NULL OR d.code = :district)
),
flows AS (
    SELECT s.area AS district,
           sum(s.received - s.issued) FILTER (WHERE s.day <= :as_of)::bigint AS delivered,
           sum(s.administered) FILTER (WHERE s.day <= :as_of)::bigint AS administered,
           coalesce(sum(s.received - s.issued) FILTER (WHERE s.day <= :before), 0)::bigint AS delivered_before,
           coalesce(sum(s.administered) FILTER (WHERE s.day <= :before), 0)::bigint AS administered_before
    FROM mart.stock_daily s JOIN area a ON a.district = s.area
    WHERE s.level IN ('district', 'site') AND s.day <= :as_of
    GROUP BY s.area
),
on_hand AS (
    SELECT f.district_code AS district, l.facility_id, l.day,
           sum(l.received - l.issued - l.administered - l.wasted_expiry - l.wasted_open_vial - l.wasted_breakage
               - l.wasted_cold_chain + l.adjusted) OVER (PARTITION BY l.facility_id, l.lot_id ORDER BY l.day)
               AS doses
    FROM mart.stock_lot_daily l
    JOIN ref.facility f ON f.id = l.facility_id AND f.level IN ('district', 'site')
    JOIN area a ON a.district = f.district_code
    WHERE l.day <= :as_of
),
ledger AS (
    SELECT district, facility_id, min(day) AS first_day, min(day) FILTER (WHERE doses < 0) AS first_short
    FROM on_hand GROUP BY district, facility_id
),
ledgers AS (
    SELECT district,
           count(*)::bigint AS ledgers,
           count(*) FILTER (WHERE first_short IS NOT NULL)::bigint AS short_ledgers,
           count(*) FILTER (WHERE first_day <= :before)::bigint AS ledgers_before,
           count(*) FILTER (WHERE first_short <= :before)::bigint AS short_ledgers_before
    FROM ledger GROUP BY district
)
SELECT coalesce(f.district, l.district) AS district,
       coalesce(f.delivered, 0)::bigint AS delivered, coalesce(f.administered, 0)::bigint AS administered,
       coalesce(f.delivered_before, 0)::bigint AS delivered_before,
       coalesce(f.administered_before, 0)::bigint AS administered_before,
       coalesce(l.ledgers, 0)::bigint AS ledgers, coalesce(l.short_ledgers, 0)::bigint AS short_ledgers,
       coalesce(l.ledgers_before, 0)::bigint AS ledgers_before,
       coalesce(l.short_ledgers_before, 0)::bigint AS short_ledgers_before
FROM flows f FULL JOIN ledgers l ON l.district = f.district

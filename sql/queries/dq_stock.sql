-- Grain: district. By :as_of (and by :before, the week before), for the district's stores (district store and
-- sites):
-- * delivered: the doses delivered into them (received minus sent on, so transfers inside the district cancel
--   out) and administered: the doses given from them (their ledgers as they stood, mart.stock_balance);
-- * ledgers: the facilities with any stock flow (those with a product's ledger, mart.stock_facility_balance),
--   and short_ledgers: those whose stock of some lot went below zero at the end of some day (a site giving doses
--   it never received, a store issuing from an empty shelf: mart.stock_facility_lot_balance).
WITH area AS (
    SELECT d.code AS district
    FROM ref.district d
    WHERE (:scope_province IS NULL OR d.province_code = :scope_province)
      AND (CAST(:province AS text) IS NULL OR d.province_code = :province)
      AND (CAST(:district AS text) IS NULL OR d.code = :district)
),
flows AS (
    SELECT s.area AS district,
           sum(s.received - s.issued) FILTER (WHERE daterange(s.day, s.until) @> CAST(:as_of AS date))::bigint
               AS delivered,
           sum(s.administered) FILTER (WHERE daterange(s.day, s.until) @> CAST(:as_of AS date))::bigint
               AS administered,
           coalesce(sum(s.received - s.issued) FILTER (WHERE daterange(s.day, s.until) @> CAST(:before AS date)),
                    0)::bigint AS delivered_before,
           coalesce(sum(s.administered) FILTER (WHERE daterange(s.day, s.until) @> CAST(:before AS date)),
                    0)::bigint AS administered_before
    FROM mart.stock_balance s JOIN area a ON a.district = s.area
    WHERE s.level IN ('district', 'site')
      AND (daterange(s.day, s.until) @> CAST(:as_of AS date) OR daterange(s.day, s.until) @> CAST(:before AS date))
    GROUP BY s.area
),
fac AS (
    SELECT f.id, f.district_code AS district
    FROM ref.facility f JOIN area a ON a.district = f.district_code
    WHERE f.level IN ('district', 'site')
),
held AS (
    SELECT fac.district, b.facility_id, bool_or(daterange(b.day, b.until) @> CAST(:before AS date)) AS before
    FROM mart.stock_facility_balance b JOIN fac ON fac.id = b.facility_id
    WHERE daterange(b.day, b.until) @> CAST(:as_of AS date) OR daterange(b.day, b.until) @> CAST(:before AS date)
    GROUP BY 1, 2
),
short AS (
    SELECT b.facility_id, min(b.day) AS first_short
    FROM mart.stock_facility_lot_balance b JOIN fac ON fac.id = b.facility_id
    WHERE b.on_hand < 0 AND b.day <= :as_of
    GROUP BY 1
),
ledgers AS (
    SELECT h.district,
           count(*)::bigint AS ledgers,
           count(s.facility_id)::bigint AS short_ledgers,
           count(*) FILTER (WHERE h.before)::bigint AS ledgers_before,
           count(*) FILTER (WHERE s.first_short <= :before)::bigint AS short_ledgers_before
    FROM held h LEFT JOIN short s ON s.facility_id = h.facility_id
    GROUP BY h.district
)
SELECT coalesce(f.district, l.district) AS district,
       coalesce(f.delivered, 0)::bigint AS delivered, coalesce(f.administered, 0)::bigint AS administered,
       coalesce(f.delivered_before, 0)::bigint AS delivered_before,
       coalesce(f.administered_before, 0)::bigint AS administered_before,
       coalesce(l.ledgers, 0)::bigint AS ledgers, coalesce(l.short_ledgers, 0)::bigint AS short_ledgers,
       coalesce(l.ledgers_before, 0)::bigint AS ledgers_before,
       coalesce(l.short_ledgers_before, 0)::bigint AS short_ledgers_before
FROM flows f FULL JOIN ledgers l ON l.district = f.district

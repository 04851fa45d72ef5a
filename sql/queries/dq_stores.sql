-- Grain: store. The province stores (and, for the nation, the national store) in view, each with whether its
-- stock of some lot was below zero at the end of a day by :as_of (short) and by :before (short_before): a
-- transfer out of an empty store. Running sum of mart.stock_lot_daily's flows per store and lot. The district
-- stores and sites are dq_stock.sql's, by district.
WITH stores AS (
    SELECT f.id, f.province_code AS province
    FROM ref.facility f
    WHERE (f.level = 'province'
           AND (:scope_province IS NULL OR f.province_code = :scope_province)
           AND (CAST(:province AS text) IS NULL OR f.province_code = :province))
       OR (f.level = 'national' AND :scope_province IS NULL AND CAST(:province AS text) IS NULL)
),
on_hand AS (
    SELECT l.facility_id, l.day,
           sum(l.received - l.issued - l.administered - l.wasted_expiry - l.wasted_open_vial - l.wasted_breakage
               - l.wasted_cold_chain + l.adjusted) OVER (PARTITION BY l.facility_id, l.lot_id ORDER BY l.day)
               AS doses
    FROM mart.stock_lot_daily l JOIN stores s ON s.id = l.facility_id
    WHERE l.day <= :as_of
)
SELECT s.id AS store, s.province,
       coalesce(bool_or(o.doses < 0), false) AS short,
       coalesce(bool_or(o.doses < 0) FILTER (WHERE o.day <= :before), false) AS short_before
FROM stores s LEFT JOIN on_hand o ON o.facility_id = s.id
GROUP BY s.id, s.province

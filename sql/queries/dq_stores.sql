-- Grain: store. The province stores (and, for the nation, the national store) in view, each with whether its
-- stock of some lot was below zero at the end of a day by :as_of (short) and by :before (short_before): a
-- transfer out of an empty store (mart.stock_facility_lot_balance). The district stores and sites are
-- dq_stock.sql's, by district.
WITH stores AS (
    SELECT f.id, f.province_code AS province
    FROM ref.facility f
    WHERE (f.level = 'province'
           AND (:scope_province IS NULL OR f.province_code = :scope_province)
           AND (CAST(:province AS text) IS NULL OR f.province_code = :province))
       OR (f.level = 'national' AND :scope_province IS NULL AND CAST(:province AS text) IS NULL)
),
short AS (
    SELECT b.facility_id, min(b.day) AS first_short
    FROM mart.stock_facility_lot_balance b JOIN stores s ON s.id = b.facility_id
    WHERE b.on_hand < 0 AND b.day <= :as_of
    GROUP BY 1
)
SELECT s.id AS store, s.province, o.first_short IS NOT NULL AS short,
       coalesce(o.first_short <= :before, false) AS short_before
FROM stores s LEFT JOIN short o ON o.facility_id = s.id

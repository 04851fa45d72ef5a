-- mart.stock_facility_lot_balance: a facility's ledger of a lot at the end of each day with flows: on hand (the
-- flows of mart.stock_lot_daily summed from the first day on) and until the next day with flows. Only on hand:
-- the data-quality check reads the days a ledger ended below zero. A ledger: each facility of the slice is
-- recomputed from its day on, carried on from the row that stood before that day.
-- grain: facility_id, lot_id, day
-- reads: mart.stock_lot_daily; slice: _slice_fac_balance (facility_id, day)
WITH before AS (
    SELECT b.facility_id, b.lot_id, b.on_hand
    FROM mart.stock_facility_lot_balance b
    WHERE EXISTS (SELECT FROM _slice_fac_balance s WHERE s.facility_id = b.facility_id AND b.day < s.day AND (b.until IS NULL OR b.until >= s.day))  -- slice
),
flows AS (
    SELECT s.facility_id, s.lot_id, s.day,
           s.received - s.issued - s.administered - s.wasted_expiry - s.wasted_open_vial - s.wasted_breakage
               - s.wasted_cold_chain + s.adjusted AS net
    FROM mart.stock_lot_daily s
    WHERE s.day >= (SELECT min(day) FROM _slice_fac_balance)  -- slice
      AND EXISTS (SELECT FROM _slice_fac_balance b WHERE b.facility_id = s.facility_id AND b.day <= s.day)  -- slice
)
SELECT f.facility_id, f.lot_id, f.day, lead(f.day) OVER w AS until,
       coalesce(b.on_hand, 0) + sum(f.net) OVER w AS on_hand
FROM flows f LEFT JOIN before b ON b.facility_id = f.facility_id AND b.lot_id = f.lot_id
WINDOW w AS (PARTITION BY f.facility_id, f.lot_id ORDER BY f.day)

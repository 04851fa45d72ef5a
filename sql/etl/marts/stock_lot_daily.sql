-- mart.stock_lot_daily: every flow of a lot at a facility on a day. A movement counts at both ends: received
-- by its to_facility (receipt, transfer), issued by its from_facility (transfer), wasted by reason out of its
-- from_facility, adjusted signed (+ into to_facility, - out of from_facility); administered: the valid doses
-- given at a site from the lot. Stock on hand at the end of day D = the sum of the flows of days <= D.
-- grain: facility_id, day, lot_id
-- reads: staging.stock_movement, staging.dose, ref.lot; slice: _slice_stock_lot (facility_id, day)
SELECT facility_id, day, lot_id, sum(received) AS received, sum(issued) AS issued,
       sum(administered) AS administered, sum(wasted_expiry) AS wasted_expiry,
       sum(wasted_open_vial) AS wasted_open_vial, sum(wasted_breakage) AS wasted_breakage,
       sum(wasted_cold_chain) AS wasted_cold_chain, sum(adjusted) AS adjusted
FROM (
    SELECT e.facility_id, m.moved_day AS day, m.lot_id,
           CASE WHEN e.side = 'to' AND m.kind IN ('receipt', 'transfer') THEN m.doses ELSE 0 END AS received,
           CASE WHEN e.side = 'from' AND m.kind = 'transfer' THEN m.doses ELSE 0 END AS issued,
           0 AS administered,
           CASE WHEN m.kind = 'wastage' AND m.reason = 'expiry' THEN m.doses ELSE 0 END AS wasted_expiry,
           CASE WHEN m.kind = 'wastage' AND m.reason = 'open_vial' THEN m.doses ELSE 0 END AS wasted_open_vial,
           CASE WHEN m.kind = 'wastage' AND m.reason = 'breakage' THEN m.doses ELSE 0 END AS wasted_breakage,
           -- a wastage whose reason the platform lost counts with the cold chain: it is a loss all the same
           CASE WHEN m.kind = 'wastage' AND m.reason IS DISTINCT FROM 'expiry' AND m.reason IS DISTINCT FROM
                'open_vial' AND m.reason IS DISTINCT FROM 'breakage' THEN m.doses ELSE 0 END AS wasted_cold_chain,
           CASE WHEN m.kind <> 'adjustment' THEN 0 WHEN e.side = 'to' THEN m.doses ELSE -m.doses END AS adjusted
    FROM staging.stock_movement m
    CROSS JOIN LATERAL (VALUES ('to', m.to_facility_id), ('from', m.from_facility_id)) e (side, facility_id)
    WHERE m.quarantine_rule IS NULL AND e.facility_id IS NOT NULL
      AND m.moved_day IN (SELECT day FROM _slice_stock_lot)  -- slice
      AND (e.facility_id, m.moved_day) IN (SELECT facility_id, day FROM _slice_stock_lot)  -- slice
    UNION ALL
    SELECT d.site_id, d.injected_day, l.id, 0, 0, 1, 0, 0, 0, 0, 0
    FROM staging.dose d JOIN ref.lot l ON l.lot_code = d.lot_code
    WHERE d.status = 'valid' AND d.quarantine_rule IS NULL
      AND (d.site_id, d.injected_day) IN (SELECT facility_id, day FROM _slice_stock_lot)  -- slice
) flows
GROUP BY 1, 2, 3

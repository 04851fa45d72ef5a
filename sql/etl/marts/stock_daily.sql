-- mart.stock_daily: stock flows per area (a facility's, at its level) and product lot's expiry: received,
-- issued, wasted, adjusted from the movements; administered from the valid doses at sites.
-- grain: area, day, level, product_code, expiry_date
-- reads: staging.stock_movement, staging.dose, ref.facility_area, ref.lot; slice: _slice_stock (area, day)
SELECT area, day, level, product_code, expiry_date, sum(received) AS received, sum(issued) AS issued,
       sum(wasted) AS wasted, sum(administered) AS administered, sum(adjusted) AS adjusted
FROM (
    SELECT a.area, m.moved_day AS day, a.level, l.product_code, l.expiry_date,
           CASE WHEN m.kind IN ('receipt', 'transfer') THEN m.doses ELSE 0 END AS received, 0 AS issued,
           0 AS wasted, 0 AS administered, CASE WHEN m.kind = 'adjustment' THEN m.doses ELSE 0 END AS adjusted
    FROM staging.stock_movement m
    JOIN ref.facility_area a ON a.id = m.to_facility_id
    JOIN ref.lot l ON l.id = m.lot_id
    WHERE m.quarantine_rule IS NULL
      AND (a.area, m.moved_day) IN (SELECT area, day FROM _slice_stock)
    UNION ALL
    SELECT a.area, m.moved_day, a.level, l.product_code, l.expiry_date, 0,
           CASE WHEN m.kind = 'transfer' THEN m.doses ELSE 0 END, CASE WHEN m.kind = 'wastage' THEN m.doses ELSE 0 END,
           0, CASE WHEN m.kind = 'adjustment' THEN -m.doses ELSE 0 END
    FROM staging.stock_movement m
    JOIN ref.facility_area a ON a.id = m.from_facility_id
    JOIN ref.lot l ON l.id = m.lot_id
    WHERE m.quarantine_rule IS NULL
      AND (a.area, m.moved_day) IN (SELECT area, day FROM _slice_stock)
    UNION ALL
    SELECT d.site_district, d.injected_day, 'site', l.product_code, l.expiry_date, 0, 0, 0, 1, 0
    FROM staging.dose d JOIN ref.lot l ON l.lot_code = d.lot_code
    WHERE d.status = 'valid' AND d.quarantine_rule IS NULL
      AND (d.site_district, d.injected_day) IN (SELECT area, day FROM _slice_stock)
) flows
GROUP BY 1, 2, 3, 4, 5

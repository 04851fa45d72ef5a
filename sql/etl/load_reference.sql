-- Lots and facilities changed since their watermark (reference rows the other sources point at). An upsert
-- writes only a row whose content differs: rows re-read in the extract's overlap are no change (etl.run.changes).
INSERT INTO ref.lot AS t (id, lot_code, product_code, doses, expiry_date, manufactured_on)
SELECT DISTINCT ON (id) id, lot_code, product_code, doses, expiry_date, manufactured_on
FROM _x_vaccine_lot ORDER BY id, updated_at DESC
ON CONFLICT (id) DO UPDATE SET lot_code = EXCLUDED.lot_code, product_code = EXCLUDED.product_code,
    doses = EXCLUDED.doses, expiry_date = EXCLUDED.expiry_date, manufactured_on = EXCLUDED.manufactured_on
WHERE (t.lot_code, t.product_code, t.doses, t.expiry_date, t.manufactured_on)
      IS DISTINCT FROM (EXCLUDED.lot_code, EXCLUDED.product_code, EXCLUDED.doses, EXCLUDED.expiry_date,
                        EXCLUDED.manufactured_on);

INSERT INTO ref.facility AS t (id, code, name, kind, province_code, district_code, commune_code, parent_id, level)
SELECT DISTINCT ON (id) id, code, name, kind, province_code, district_code, commune_code, parent_id,
       CASE kind WHEN 'national_store' THEN 'national' WHEN 'province_store' THEN 'province'
                 WHEN 'district_store' THEN 'district' WHEN 'site' THEN 'site' ELSE 'lab' END
FROM _x_facility ORDER BY id, updated_at DESC
ON CONFLICT (id) DO UPDATE SET code = EXCLUDED.code, name = EXCLUDED.name, kind = EXCLUDED.kind,
    province_code = EXCLUDED.province_code, district_code = EXCLUDED.district_code,
    commune_code = EXCLUDED.commune_code, parent_id = EXCLUDED.parent_id, level = EXCLUDED.level
WHERE (t.code, t.name, t.kind, t.province_code, t.district_code, t.commune_code, t.parent_id, t.level)
      IS DISTINCT FROM (EXCLUDED.code, EXCLUDED.name, EXCLUDED.kind, EXCLUDED.province_code, EXCLUDED.district_code,
                        EXCLUDED.commune_code, EXCLUDED.parent_id, EXCLUDED.level);

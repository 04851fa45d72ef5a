-- The platform's administrative units, products and population (in _ref_* temp tables) into ref.*: upserts,
-- then deletes of what vanished, children first. Never a DELETE of everything: accounts point at
-- ref.province (auth.user), and the dashboard reads ref.* while a rebuild runs (row locks only, here).
-- An upsert writes only a row that differs, so an unchanged reference is no change (etl.run.changes).
INSERT INTO ref.province AS t SELECT * FROM _ref_province
ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, name_with_type = EXCLUDED.name_with_type, kind = EXCLUDED.kind
WHERE (t.name, t.name_with_type, t.kind) IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.name_with_type, EXCLUDED.kind);

INSERT INTO ref.district AS t SELECT * FROM _ref_district
ON CONFLICT (code) DO UPDATE SET province_code = EXCLUDED.province_code, name = EXCLUDED.name,
    name_with_type = EXCLUDED.name_with_type, kind = EXCLUDED.kind
WHERE (t.province_code, t.name, t.name_with_type, t.kind)
      IS DISTINCT FROM (EXCLUDED.province_code, EXCLUDED.name, EXCLUDED.name_with_type, EXCLUDED.kind);

INSERT INTO ref.commune AS t SELECT * FROM _ref_commune
ON CONFLICT (code) DO UPDATE SET district_code = EXCLUDED.district_code, name = EXCLUDED.name,
    name_with_type = EXCLUDED.name_with_type, kind = EXCLUDED.kind
WHERE (t.district_code, t.name, t.name_with_type, t.kind)
      IS DISTINCT FROM (EXCLUDED.district_code, EXCLUDED.name, EXCLUDED.name_with_type, EXCLUDED.kind);

INSERT INTO ref.product AS t SELECT * FROM _ref_product
ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, manufacturer = EXCLUDED.manufacturer,
    primary_doses = EXCLUDED.primary_doses, min_interval_days = EXCLUDED.min_interval_days,
    doses_per_vial = EXCLUDED.doses_per_vial, min_age_years = EXCLUDED.min_age_years
WHERE (t.name, t.manufacturer, t.primary_doses, t.min_interval_days, t.doses_per_vial, t.min_age_years)
      IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.manufacturer, EXCLUDED.primary_doses, EXCLUDED.min_interval_days,
                        EXCLUDED.doses_per_vial, EXCLUDED.min_age_years);

-- Population at every level, summed from the communes' (the units above are the platform's now).
CREATE TEMP TABLE _ref_population ON COMMIT DROP AS
SELECT v.level, v.area AS area_code, b.id AS age_band, sum(p.population)::bigint AS population
FROM _ref_pop p JOIN ref.age_band b ON b.label = p.age_band
JOIN _ref_commune c ON c.code = p.commune_code JOIN _ref_district d ON d.code = c.district_code
CROSS JOIN LATERAL (VALUES ('commune', c.code::text), ('district', d.code::text),
                           ('province', d.province_code::text), ('nation', 'VN')) v(level, area)
GROUP BY 1, 2, 3;

DELETE FROM ref.population t WHERE NOT EXISTS (
    SELECT 1 FROM _ref_population n WHERE (n.level, n.area_code, n.age_band) = (t.level, t.area_code, t.age_band));

INSERT INTO ref.population AS t (level, area_code, age_band, population) SELECT * FROM _ref_population
ON CONFLICT (level, area_code, age_band) DO UPDATE SET population = EXCLUDED.population
WHERE t.population <> EXCLUDED.population;

DELETE FROM ref.commune t WHERE NOT EXISTS (SELECT 1 FROM _ref_commune n WHERE n.code = t.code);
DELETE FROM ref.district t WHERE NOT EXISTS (SELECT 1 FROM _ref_district n WHERE n.code = t.code);
DELETE FROM ref.province t WHERE NOT EXISTS (SELECT 1 FROM _ref_province n WHERE n.code = t.code);
DELETE FROM ref.product t WHERE NOT EXISTS (SELECT 1 FROM _ref_product n WHERE n.code = t.code);

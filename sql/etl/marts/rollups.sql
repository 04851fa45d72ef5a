-- Province roll-ups of the district marts, per (province, day): what national and province views read.
CREATE TEMP TABLE _slice_prov_dose ON COMMIT DROP AS
SELECT DISTINCT d.province_code AS province, s.day FROM _slice_dose s JOIN ref.district d ON d.code = s.district;
ANALYZE _slice_prov_dose;

DELETE FROM mart.doses_province_daily m USING _slice_prov_dose s
WHERE NOT %(all)s AND m.province = s.province AND m.day = s.day;
INSERT INTO mart.doses_province_daily (province, day, product_code, dose_number, age_band, doses)
SELECT d.province_code, m.day, m.product_code, m.dose_number, m.age_band, sum(m.doses)
FROM mart.doses_daily m JOIN ref.district d ON d.code = m.district
WHERE IN_SCOPE((m.district, m.day) IN (SELECT d2.code, s.day FROM _slice_prov_dose s
                                       JOIN ref.district d2 ON d2.province_code = s.province))
GROUP BY 1, 2, 3, 4, 5;

DELETE FROM mart.lag_province_daily m USING _slice_prov_dose s
WHERE NOT %(all)s AND m.province = s.province AND m.day = s.day;
INSERT INTO mart.lag_province_daily (province, day, bucket, doses)
SELECT d.province_code, m.day, m.bucket, sum(m.doses)
FROM mart.lag_daily m JOIN ref.district d ON d.code = m.district
WHERE IN_SCOPE((m.district, m.day) IN (SELECT d2.code, s.day FROM _slice_prov_dose s
                                       JOIN ref.district d2 ON d2.province_code = s.province))
GROUP BY 1, 2, 3;

DELETE FROM mart.people_province_daily m USING _slice_prov_people s
WHERE NOT %(all)s AND m.province = s.province AND m.day = s.day;
INSERT INTO mart.people_province_daily (province, day, age_band, milestone, people)
SELECT d.province_code, m.day, m.age_band, m.milestone, sum(m.people)
FROM mart.people_daily m JOIN ref.district d ON d.code = m.district
WHERE IN_SCOPE((m.district, m.day) IN (SELECT d2.code, s.day FROM _slice_prov_people s
                                       JOIN ref.district d2 ON d2.province_code = s.province))
GROUP BY 1, 2, 3, 4;

-- Platform doses beside the hand report, per (province, day).
DELETE FROM mart.report_daily m USING _slice_prov s WHERE NOT %(all)s AND m.province = s.province AND m.day = s.day;
INSERT INTO mart.report_daily (province, day, platform_doses, reported_doses)
SELECT coalesce(p.province, r.province_code), coalesce(p.day, r.report_date), coalesce(p.doses, 0),
       r.doses_reported
FROM (SELECT province, day, sum(doses)::integer AS doses FROM mart.doses_province_daily
      WHERE IN_SCOPE((province, day) IN (SELECT province, day FROM _slice_prov)) GROUP BY 1, 2) p
FULL JOIN (SELECT * FROM staging.province_report
           WHERE IN_SCOPE((province_code, report_date) IN (SELECT province, day FROM _slice_prov))) r
  ON r.province_code = p.province AND r.report_date = p.day;

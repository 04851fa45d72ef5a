-- mart.report_daily: the platform's doses beside the province's own daily hand report.
-- grain: province, day
-- reads: mart.doses_province_daily, staging.province_report; slice: _slice_prov (province, day)
SELECT coalesce(p.province, r.province_code) AS province, coalesce(p.day, r.report_date) AS day,
       coalesce(p.doses, 0) AS platform_doses, r.doses_reported AS reported_doses
FROM (SELECT province, day, sum(doses)::integer AS doses FROM mart.doses_province_daily
      WHERE (province, day) IN (SELECT province, day FROM _slice_prov)  -- slice
      GROUP BY 1, 2) p
FULL JOIN (SELECT * FROM staging.province_report
           WHERE (province_code, report_date) IN (SELECT province, day FROM _slice_prov)  -- slice
          ) r
  ON r.province_code = p.province AND r.report_date = p.day

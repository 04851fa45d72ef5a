-- Grain: one row. The newest injection day in the marts and when the data were published.
SELECT (SELECT max(day) FROM mart.doses_province_daily
        WHERE :scope_province IS NULL OR province = :scope_province) AS last_day,
       v.version, v.published_at
FROM etl.data_version v

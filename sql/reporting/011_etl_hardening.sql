-- Issue 10, points 8-10: no committed row is ever skipped, no input halts the ETL, no dose is lost silently.

-- Watermarks by transaction id (pipeline.py, "extract"): the xmin of the extract's snapshot (a 64-bit xid8
-- as bigint). updated_at stays for display only (the newest stamp not after the platform's clock).
-- Watermarks by timestamp may have skipped rows (a future stamp, a long transaction): they are dropped, so
-- the next run is a rebuild, which also validates every staged row under the rules added below.
ALTER TABLE etl.watermark ADD COLUMN xid bigint;
DELETE FROM etl.watermark;

-- A dose whose person the platform does not return is staged and quarantined (D12), never dropped.
ALTER TABLE staging.dose ADD COLUMN person_missing boolean NOT NULL DEFAULT false;

-- Two plausible movements can already sum past 2^31 doses on one area and day.
ALTER TABLE mart.stock_daily ALTER COLUMN received TYPE bigint, ALTER COLUMN issued TYPE bigint,
    ALTER COLUMN wasted TYPE bigint, ALTER COLUMN administered TYPE bigint, ALTER COLUMN adjusted TYPE bigint;

-- A time any record of the campaign can carry: finite, and far from the limits where date arithmetic fails.
CREATE FUNCTION etl.plausible(ts timestamptz) RETURNS boolean LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT ts >= '2000-01-01 00:00+00' AND ts < '2100-01-01 00:00+00' $$;
CREATE FUNCTION etl.vn_minute(ts timestamptz) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT CASE WHEN etl.plausible(ts) THEN to_char(ts AT TIME ZONE 'UTC' + interval '7 hours',
                                                          'YYYY-MM-DD HH24:MI') ELSE ts::text END $$;
-- The quarantine's bigint id of a hand report (key: province, date): YYYYMMDDPP, e.g. 2021081579.
CREATE FUNCTION etl.report_id(province_code text, report_date date) RETURNS bigint LANGUAGE sql IMMUTABLE
    PARALLEL SAFE
    AS $$ SELECT CASE WHEN isfinite(report_date) THEN to_char(report_date, 'YYYYMMDD')::bigint
                      WHEN report_date > '2000-01-01' THEN 99999999 ELSE -99999999 END * 100
                 + province_code::integer $$;

INSERT INTO etl.rule VALUES
    ('D09_impossible_date', 'dose_record', 'quarantine',
     'Ngày tiêm, ngày nhập liệu hoặc ngày cập nhật không thể có (vô hạn, trước 2000 hoặc từ 2100)',
     'Impossible injection, entry or update time (infinite, before 2000 or from 2100)'),
    ('D10_impossible_age', 'dose_record', 'quarantine',
     'Ngày sinh sau ngày tiêm hoặc tuổi trên 120',
     'Birth date after the injection, or an age over 120'),
    ('D11_beyond_schedule', 'dose_record', 'quarantine',
     'Mũi số vượt quá lịch của vắc xin (liều cơ bản + 2 mũi nhắc)',
     'Dose number beyond the product''s schedule (primary doses + 2 boosters)'),
    ('D12_unknown_person', 'dose_record', 'quarantine',
     'Mũi tiêm của một người không có trong hệ thống (thử lại khi người đó xuất hiện)',
     'Dose of a person the platform does not return (retried when the person appears)'),
    ('S02_implausible_movement', 'stock_movement', 'quarantine',
     'Phiếu xuất nhập kho có số liều lớn hơn dân số cả nước hoặc ngày không thể có',
     'Stock movement of more doses than the country has people, or at an impossible time'),
    ('R01_implausible_report', 'province_daily_report', 'quarantine',
     'Báo cáo của tỉnh có số liều lớn hơn dân số của tỉnh hoặc ngày không thể có',
     'Province report of more doses than the province has people, or of an impossible date');

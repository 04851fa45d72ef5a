-- Testing (issue 13): samples by laboratory as well as by the collecting site's district, turnaround in a
-- histogram fine enough that percentiles at any roll-up are exact to the bucket's width, the laboratories'
-- backlog as it stood at the end of each day, and two more faults to quarantine.

-- Turnaround buckets, named by their lower bound in hours: -1 no result, 0..71 one hour wide, 72, 96, 120
-- and 144 a day wide, 168 a week or more (open-ended).
CREATE OR REPLACE FUNCTION etl.tat_bucket(hours double precision) RETURNS smallint LANGUAGE sql IMMUTABLE
    PARALLEL SAFE
    AS $$ SELECT (CASE WHEN hours IS NULL THEN -1 WHEN hours < 72 THEN floor(greatest(hours, 0))
                       WHEN hours < 168 THEN 72 + 24 * floor((hours - 72) / 24) ELSE 168 END)::smallint $$;

-- Staged samples gain their laboratory and the day their result came; the next run is a rebuild.
TRUNCATE staging.test_sample;
ALTER TABLE staging.test_sample ADD COLUMN lab_id integer NOT NULL, ADD COLUMN resulted_day date;

-- grain: district, day, lab_id, method, tat_bucket. Samples by the collecting site's district, collection
-- day, laboratory, method and turnaround bucket; people_tested counts the people in pooled samples, and
-- people_invalid those of the samples whose result was invalid (the denominator of positivity per person).
DROP TABLE mart.tests_daily;
CREATE TABLE mart.tests_daily (
    district text NOT NULL,
    day date NOT NULL,
    lab_id integer NOT NULL,
    method text NOT NULL,
    tat_bucket smallint NOT NULL,
    samples integer NOT NULL,
    people_tested integer NOT NULL,
    positives integer NOT NULL,
    invalid integer NOT NULL,
    people_invalid integer NOT NULL,
    PRIMARY KEY (district, day, lab_id, method, tat_bucket));
CREATE INDEX tests_daily_lab_idx ON mart.tests_daily (lab_id, day);

-- grain: district, day, lab_id, method, result_day. The samples still without a result at the end of their
-- collection day, by the day their result came ('infinity': none yet): a laboratory's backlog at the end of
-- day D is the rows whose daterange(day, result_day) contains D, and D - day is their age.
CREATE TABLE mart.tests_backlog (
    district text NOT NULL,
    day date NOT NULL,
    lab_id integer NOT NULL,
    method text NOT NULL,
    result_day date NOT NULL,
    samples integer NOT NULL,
    people_tested integer NOT NULL,
    PRIMARY KEY (district, day, lab_id, method, result_day));
CREATE INDEX tests_backlog_stood_idx ON mart.tests_backlog USING gist (daterange(day, result_day));

INSERT INTO etl.rule VALUES
    ('T02_result_before_collection', 'test_sample', 'quarantine',
     'Mẫu xét nghiệm có kết quả trước thời điểm lấy mẫu',
     'Test sample resulted before it was collected'),
    ('T03_not_collection_point', 'test_sample', 'quarantine',
     'Mẫu xét nghiệm ghi nơi lấy mẫu không phải điểm lấy mẫu (kho vắc xin hoặc phòng xét nghiệm), hoặc nơi xét'
     || ' nghiệm không phải phòng xét nghiệm',
     'Test sample recorded at a facility that is not a collection point (a vaccine store or a laboratory), or'
     || ' sent to one that is not a laboratory');

DELETE FROM etl.watermark;

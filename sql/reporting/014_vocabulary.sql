-- The campaign's vocabulary as reference tables that the SQL joins (issue 11, item 4). common/vocabulary.py
-- holds the same values for the Python; tests/integration/test_vocabulary.py fails when the two disagree.

-- Age bands: the unknown age joins the platform's six, since the marts hold it (a dose whose person has no
-- birth date counts in the whole population, in no age group: 007_field_completeness.sql). `child`: known to
-- be under 18, an age without a citizen ID number in 2021-2022, so a missing one is no fault.
ALTER TABLE ref.age_band ALTER COLUMN min_age DROP NOT NULL,
    ADD COLUMN child boolean NOT NULL DEFAULT false,
    ADD CHECK (min_age IS NOT NULL OR max_age IS NULL);
INSERT INTO ref.age_band (id, label, min_age, max_age) VALUES (-1, 'unknown', NULL, NULL);
UPDATE ref.age_band SET child = true WHERE max_age < 18;

-- The groups a target or a coverage figure is about, by their ages.
CREATE TABLE ref.population_group (
    code text PRIMARY KEY,
    min_age smallint,   -- NULL: everybody, the unknown age included
    max_age smallint,   -- inclusive; NULL: no upper bound
    CHECK (min_age IS NOT NULL OR max_age IS NULL));
INSERT INTO ref.population_group VALUES ('total', NULL, NULL), ('18+', 18, NULL), ('12-17', 12, 17);
-- The bands each group gathers: those whose ages lie within the group's. A view, so it cannot disagree with
-- the ages it comes from.
CREATE VIEW ref.population_group_band AS
SELECT g.code AS population_group, b.id AS age_band
FROM ref.population_group g
JOIN ref.age_band b ON g.min_age IS NULL OR (b.min_age >= g.min_age AND (g.max_age IS NULL OR b.max_age <= g.max_age));

-- Milestones: the marts store the id (mart.people_daily.milestone), targets and URLs the code.
CREATE TABLE ref.milestone (id smallint PRIMARY KEY, code text NOT NULL UNIQUE);
INSERT INTO ref.milestone VALUES (1, 'first'), (2, 'full'), (3, 'booster');

-- The campaign's dates and Vietnam's offset from UTC (no daylight saving since 1975). etl.vn_day() and
-- etl.vn_minute() keep the offset written in their bodies: they are IMMUTABLE and inlined into the loads, so
-- they may not read a table; the vocabulary test checks they agree with utc_offset.
CREATE TABLE ref.campaign (
    id smallint PRIMARY KEY DEFAULT 1 CHECK (id = 1),
    start_day date NOT NULL,
    same_day_rule_day date NOT NULL,  -- from this day a dose must be entered on the day it is given
    utc_offset interval NOT NULL);
INSERT INTO ref.campaign VALUES (1, '2021-03-08', '2021-10-20', interval '7 hours');

-- A target's group and milestone are the vocabulary's, by reference instead of by a list copied into a CHECK.
ALTER TABLE ref.target DROP CONSTRAINT target_population_group_check, DROP CONSTRAINT target_milestone_check,
    ADD FOREIGN KEY (population_group) REFERENCES ref.population_group,
    ADD FOREIGN KEY (milestone) REFERENCES ref.milestone (code);

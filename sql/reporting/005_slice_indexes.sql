-- Indexes that let an incremental run reach its slices without scanning the whole history.
CREATE INDEX person_milestone_first_idx ON staging.person_milestone (residence_district, first_day);
CREATE INDEX person_milestone_full_idx ON staging.person_milestone (residence_district, full_day);
CREATE INDEX person_milestone_booster_idx ON staging.person_milestone (residence_district, booster_day);
CREATE INDEX stock_movement_moved_day_idx ON staging.stock_movement (moved_day);

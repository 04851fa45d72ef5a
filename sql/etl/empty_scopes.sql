-- A rebuild recomputes everything: the scopes of an incremental run exist, empty.
CREATE TEMP TABLE _touched (person_key bytea) ON COMMIT DROP;
CREATE TEMP TABLE _slice_dose (district text, day date) ON COMMIT DROP;
CREATE TEMP TABLE _slice_people (district text, day date) ON COMMIT DROP;

-- Who read what of a bilan's content, and when (issue 10, item 2): the beneficiary sees it, as a patient
-- sees the accesses to their shared medical record (DMP). One row per request that returned content;
-- `reader_role` is the reader's role at the time. `reported_at` is set once, when the beneficiary says
-- they do not recognise the access (the report alerts the admins).
CREATE TABLE bilan_access_log (
    id TEXT PRIMARY KEY NOT NULL,
    bilan_id TEXT NOT NULL REFERENCES bilans (id),
    reader_id TEXT NOT NULL REFERENCES users (id),
    reader_role TEXT NOT NULL,
    what TEXT NOT NULL,
    item_id TEXT,
    at TIMESTAMP NOT NULL,
    reported_at TIMESTAMP
);
CREATE INDEX bilan_access_log_idx ON bilan_access_log (bilan_id, at);

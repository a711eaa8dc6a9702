-- Assessments (issue 11). `instruments`: every published version of every instrument, its definition as
-- JSON (the shared `Instrument` shape) and a digest of it: a version never changes (the API refuses to
-- start when a file in the repository differs from the stored version of the same number).
CREATE TABLE instruments (
    id TEXT NOT NULL,
    version BIGINT NOT NULL,
    kind TEXT NOT NULL,
    definition TEXT NOT NULL,
    digest TEXT NOT NULL,
    custom BOOLEAN NOT NULL,
    created_by TEXT REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (id, version)
);

-- An instrument assigned on a bilan, on one version. `answers` (JSON) and `interpretation` are bilan
-- content, sealed under the bilan's key and emptied when the content is destroyed (R6313-7); the
-- progress counters are not content.
CREATE TABLE assessments (
    id TEXT PRIMARY KEY NOT NULL,
    bilan_id TEXT NOT NULL REFERENCES bilans (id),
    instrument_id TEXT NOT NULL,
    instrument_version BIGINT NOT NULL,
    status TEXT NOT NULL,
    answered BIGINT NOT NULL,
    required_missing BIGINT NOT NULL,
    answers BYTEA,
    assigned_by TEXT NOT NULL REFERENCES users (id),
    assigned_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    submitted_at TIMESTAMP,
    interpretation BYTEA,
    interpretation_by TEXT REFERENCES users (id),
    interpretation_at TIMESTAMP,
    FOREIGN KEY (instrument_id, instrument_version) REFERENCES instruments (id, version)
);
CREATE INDEX assessments_bilan_idx ON assessments (bilan_id, assigned_at);

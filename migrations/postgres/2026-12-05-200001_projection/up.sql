-- The skills analysis grid and the projection tools (issue 11, items 6–7). Each row is one record of a
-- bilan's grid, its whole content one JSON document encrypted under the bilan's key (`body`; NULL once
-- the content is destroyed, R6313-7). What stays plain only places the record: its bilan, its kind, who
-- wrote it first and last, and when — the same facts the timeline already shows.
CREATE TABLE bilan_projection (
    id TEXT PRIMARY KEY NOT NULL,
    bilan_id TEXT NOT NULL REFERENCES bilans (id),
    kind TEXT NOT NULL CHECK (kind IN ('experience', 'skill', 'career_path', 'decision_matrix', 'action_plan')),
    body BYTEA,
    created_by TEXT NOT NULL REFERENCES users (id),
    updated_by TEXT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX bilan_projection_idx ON bilan_projection (bilan_id, kind, created_at);
-- One decision matrix and one action plan per bilan: two simultaneous first saves cannot both insert.
CREATE UNIQUE INDEX bilan_projection_single_idx ON bilan_projection (bilan_id, kind)
    WHERE kind IN ('decision_matrix', 'action_plan');

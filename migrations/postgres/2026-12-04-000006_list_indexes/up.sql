-- A page of bilans loads its current consultants by bilan (the existing index leads with the consultant),
-- and the admins' list is newest first.
CREATE INDEX bilan_consultants_bilan_idx ON bilan_consultants (bilan_id);
CREATE INDEX bilans_created_idx ON bilans (created_at, id);

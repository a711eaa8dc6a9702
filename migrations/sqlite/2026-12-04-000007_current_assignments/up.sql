-- A bilan has at most one current assignment per consultant (reassigning ends the old one first). The
-- unique index says so, and carries a consultant's bilans list: newest first by bilan id (UUIDv7, so
-- creation order), and its count, without reading the bilans table.
CREATE UNIQUE INDEX bilan_consultants_current ON bilan_consultants (consultant_id, bilan_id)
    WHERE unassigned_at IS NULL;

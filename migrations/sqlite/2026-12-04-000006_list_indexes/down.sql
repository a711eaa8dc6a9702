DROP INDEX bilans_created_idx;
DROP INDEX bilan_consultants_bilan_idx;

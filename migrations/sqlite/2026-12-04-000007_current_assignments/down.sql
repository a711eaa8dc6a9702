DROP INDEX bilan_consultants_current;

DROP TABLE bilan_access_log;

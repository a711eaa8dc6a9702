DROP TABLE bilan_files;

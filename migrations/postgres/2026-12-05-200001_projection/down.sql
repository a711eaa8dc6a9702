DROP TABLE bilan_projection;

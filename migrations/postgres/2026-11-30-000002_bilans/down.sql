DROP TABLE bilan_events;
DROP TABLE bilan_notes;
DROP TABLE bilan_consents;
DROP TABLE bilan_sessions;
DROP TABLE bilan_facts;
DROP TABLE bilan_consultants;
DROP TABLE bilan_keys;
DROP TABLE bilans;

DROP TABLE beneficiary_profiles;

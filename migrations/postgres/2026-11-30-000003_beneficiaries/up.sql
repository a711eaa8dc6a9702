-- The beneficiary's record: only what has a direct and necessary link with the bilan (L6313-4).
-- Accessibility needs are special-category data (GDPR art. 9): kept only with explicit consent,
-- encrypted under the master key, and shown only to the beneficiary and their assigned consultants.
CREATE TABLE beneficiary_profiles (
    user_id TEXT PRIMARY KEY NOT NULL REFERENCES users (id),
    date_of_birth DATE,
    situation TEXT NOT NULL CHECK (situation IN ('employee_cdi', 'employee_cdd', 'employee_interim', 'public_sector', 'job_seeker', 'self_employed', 'other')),
    current_job TEXT,
    education_level TEXT,
    employer_name TEXT,
    employer_siret TEXT,
    employer_contact TEXT,
    cep_adviser TEXT,
    accessibility_consent_at TIMESTAMP,
    accessibility_needs BYTEA,
    updated_at TIMESTAMP NOT NULL
);

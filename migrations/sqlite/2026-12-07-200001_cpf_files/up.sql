-- CPF files (issue 13, DOMAIN.md §3.1): the EDOF file of a bilan paid through the beneficiary's CPF,
-- entered by hand until a connector fills it. One file per bilan; the EDOF number is unique. The state
-- only moves forward, each move kept in `cpf_file_steps` (who, when, and the day it happened in EDOF),
-- from which the working-day deadlines are computed. Administrative data, not bilan content.
CREATE TABLE cpf_files (
    bilan_id TEXT PRIMARY KEY NOT NULL REFERENCES bilans (id),
    edof_number TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('not_processed', 'validated', 'waiting_acceptation', 'accepted',
        'in_training', 'terminated', 'service_done_declared', 'service_done_validated',
        'canceled_by_attendee', 'canceled_by_attendee_not_realized', 'canceled_by_organism',
        'canceled_by_financer', 'rejected_without_titulaire_suite', 'refused_by_attendee',
        'refused_by_organism', 'refused_by_financer')),
    state_since DATE NOT NULL,
    requested_on DATE NOT NULL,
    amount_cents BIGINT NOT NULL CHECK (amount_cents > 0 AND amount_cents <= 160000),
    participation_exempt BOOLEAN NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX cpf_files_edof_idx ON cpf_files (edof_number);
CREATE INDEX cpf_files_state_idx ON cpf_files (state);

CREATE TABLE cpf_file_steps (
    id TEXT PRIMARY KEY NOT NULL,
    bilan_id TEXT NOT NULL REFERENCES cpf_files (bilan_id),
    from_state TEXT,
    to_state TEXT NOT NULL,
    occurred_on DATE NOT NULL,
    actor_id TEXT REFERENCES users (id),
    recorded_at TIMESTAMP NOT NULL
);
CREATE INDEX cpf_file_steps_idx ON cpf_file_steps (bilan_id, recorded_at);

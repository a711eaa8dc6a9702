#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code: a panic is a test failure"
)]

//! Integration tests: each boots the real app on a free port against its own fresh database, and runs
//! on SQLite and on PostgreSQL (`sqlite::` and `postgres::` test name prefixes; `just test` runs both).

#[macro_use]
mod helpers;

mod access;
mod appointments;
mod assessments;
mod assets;
mod audit;
mod audit_chain;
mod auth;
mod authz;
mod backups;
mod beneficiaries;
mod bilans;
mod client_ip;
mod connection_logs;
mod constraints;
mod cpf;
mod crm_keys;
mod demo;
mod direct_threads;
mod documents;
mod errors;
mod exports;
mod files;
mod headers;
mod help;
mod ical;
mod idempotency;
mod imports;
mod integrations;
mod legal;
mod legal_documents;
mod lockout;
mod mail_timing;
mod messages;
mod money;
mod notifications;
mod openapi;
mod ops;
mod outbox;
mod problem_slugs;
mod projection;
mod queries;
mod quotes;
mod resources;
mod retention;
mod s3;
mod schema;
mod sealed_at_rest;
mod signatures;
mod smtp;
mod synthesis;
mod synthesis_sharing;
mod totp;
mod users;
mod webhooks;

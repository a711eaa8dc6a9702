//! Issue 12 budget: rendering one certificat de réalisation in under 10 ms (fonts parsed once per
//! process, as the server does; the font subset and compression are part of each render). The facts
//! are the demo organisation's and twelve held sessions.
//!
//! `just bench-certificat` (the README gives the figure).

use boussole_api::documents::data::{Facts, HeldSession, Signed};
use boussole_api::documents::demo::identity;
use boussole_api::documents::render::{Issue, render};
use boussole_shared::bilans::{BilanFormat, FundingMode, Phase, SessionMode};
use boussole_shared::documents::DocumentKind;
use chrono::{Duration, NaiveDate};
use criterion::{Criterion, criterion_group, criterion_main};

fn facts() -> Facts {
    let start = NaiveDate::from_ymd_opt(2026, 9, 1)
        .and_then(|d| d.and_hms_opt(8, 0, 0))
        .unwrap_or_default();
    let sessions = (0..12)
        .map(|n| {
            let starts_at = start + Duration::days(7 * n);
            HeldSession {
                starts_at,
                ends_at: starts_at + Duration::minutes(120),
                minutes: 120,
                mode: SessionMode::Remote,
                phase: Phase::Investigation,
                booked: true,
                beneficiary: Some(Signed { at: starts_at, method: "click".into() }),
                consultant: Some(Signed { at: starts_at, method: "click".into() }),
            }
        })
        .collect();
    Facts {
        org: identity(),
        bilan_id: "bench".into(),
        funding: FundingMode::FranceTravail,
        format: BilanFormat::Mixed,
        planned_minutes: 24 * 60,
        beneficiary: "Émilie Rousseau".into(),
        employer: Some("Boulangerie Lefèvre & Fils".into()),
        consultants: vec!["Karim Benali".into()],
        sessions,
    }
}

fn bench(c: &mut Criterion) {
    let facts = facts();
    let issued_at = NaiveDate::from_ymd_opt(2026, 12, 5)
        .and_then(|d| d.and_hms_opt(10, 0, 0))
        .unwrap_or_default();
    let issue = Issue { id: "0193a0c4-0000-7000-8000-000000000000", version: 1, issued_at };
    c.bench_function("render a certificat de réalisation", |b| {
        b.iter(|| std::hint::black_box(render(DocumentKind::CertificatRealisation, &facts, &issue)))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);

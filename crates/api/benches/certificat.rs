//! Issue 12 budget: rendering one certificat de réalisation in under 10 ms (fonts parsed once per
//! process, as the server does; the font subset and compression are part of each render). The facts
//! are the demo organisation's and twelve held sessions.
//!
//! `just bench-certificat` (the README gives the figure).

use boussole_api::documents::demo::sample_facts;
use boussole_api::documents::render::{Issue, render};
use boussole_shared::documents::DocumentKind;
use chrono::NaiveDate;
use criterion::{Criterion, criterion_group, criterion_main};

fn bench(c: &mut Criterion) {
    let facts = sample_facts(12);
    let issued_at = NaiveDate::from_ymd_opt(2026, 12, 5)
        .and_then(|d| d.and_hms_opt(10, 0, 0))
        .unwrap_or_default();
    let issue = Issue {
        id: "0193a0c4-0000-7000-8000-000000000000",
        version: 1,
        issued_at,
    };
    c.bench_function("render a certificat de réalisation", |b| {
        b.iter(|| std::hint::black_box(render(DocumentKind::CertificatRealisation, &facts, &issue)))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);

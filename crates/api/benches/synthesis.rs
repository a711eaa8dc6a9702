//! Issue 12 budget: rendering a ten-page document de synthèse in under 50 ms (fonts parsed once per
//! process, as the server does; layout, font embedding and compression are part of each render).
//! The sections are long French paragraphs with accents and ligatures, and twelve action steps.
//!
//! `just bench-synthesis` (the README gives the figure).

use boussole_api::documents::render::Issue;
use boussole_api::synthesis::pdf::{render, sample};
use chrono::NaiveDate;
use criterion::{Criterion, criterion_group, criterion_main};

fn bench(c: &mut Criterion) {
    let (org, parties, sections) = sample();
    let issued_at = NaiveDate::from_ymd_opt(2026, 12, 5)
        .and_then(|d| d.and_hms_opt(10, 0, 0))
        .unwrap_or_default();
    let issue = Issue {
        id: "0193a0c4-0000-7000-8000-000000000000",
        version: 1,
        issued_at,
    };
    c.bench_function("render a 10-page document de synthèse", |b| {
        b.iter(|| std::hint::black_box(render(&org, &parties, &sections, &issue)))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);

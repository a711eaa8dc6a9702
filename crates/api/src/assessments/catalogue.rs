//! The instruments: the files shipped in `crates/api/instruments/` (checked and stored at start-up,
//! `serve` and `seed-demo` alike) and the custom ones built through the API. A stored version is
//! immutable: its digest is kept, and a file that differs from the stored version of the same number
//! stops the start-up, naming the file.

use boussole_shared::assessments::{Instrument, InstrumentKind, InstrumentSummary};
use diesel::prelude::*;
use sha2::{Digest, Sha256};

use super::validate;
use crate::db::{self, Conn};
use crate::error::ApiError;
use crate::schema::instruments;

/// The instruments shipped with the application: (file, text).
pub const FILES: &[(&str, &str)] = &[
    (
        "instruments/riasec-markers-48.json",
        include_str!("../../instruments/riasec-markers-48.json"),
    ),
    (
        "instruments/ipip-bffm-50.json",
        include_str!("../../instruments/ipip-bffm-50.json"),
    ),
    (
        "instruments/transferable-skills.json",
        include_str!("../../instruments/transferable-skills.json"),
    ),
    (
        "instruments/work-values.json",
        include_str!("../../instruments/work-values.json"),
    ),
];

/// Parses and checks one file: the error names the file, then the field (or the line and column of
/// a JSON that does not parse).
pub fn parse(file: &str, text: &str) -> Result<Instrument, String> {
    let inst: Instrument = serde_json::from_str(text).map_err(|e| format!("{file}: {e}"))?;
    validate::instrument(&inst).map_err(|e| format!("{file}: {e}"))?;
    Ok(inst)
}

/// The digest that pins a published version: SHA-256 of its JSON as the API writes it.
pub fn digest(inst: &Instrument) -> Result<String, ApiError> {
    let json = serde_json::to_string(inst).map_err(ApiError::internal)?;
    Ok(hex::encode(Sha256::digest(json.as_bytes())))
}

/// What storing a version did.
#[derive(Debug, PartialEq, Eq)]
pub enum Stored {
    New,
    Unchanged,
    /// The stored version of that number differs: refused.
    Changed,
}

/// Stores a version unless it is already there; never overwrites one.
pub fn store(
    conn: &mut Conn,
    inst: &Instrument,
    custom: bool,
    created_by: Option<&str>,
) -> Result<Stored, ApiError> {
    let digest = digest(inst)?;
    let stored: Option<String> = instruments::table
        .find((&inst.id, i64::from(inst.version)))
        .select(instruments::digest)
        .first(conn)
        .optional()?;
    match stored {
        Some(d) if d == digest => Ok(Stored::Unchanged),
        Some(_) => Ok(Stored::Changed),
        None => {
            diesel::insert_into(instruments::table)
                .values((
                    instruments::id.eq(&inst.id),
                    instruments::version.eq(i64::from(inst.version)),
                    instruments::kind.eq(inst.kind.as_str()),
                    instruments::definition
                        .eq(serde_json::to_string(inst).map_err(ApiError::internal)?),
                    instruments::digest.eq(&digest),
                    instruments::custom.eq(custom),
                    instruments::created_by.eq(created_by),
                    instruments::created_at.eq(db::now()),
                ))
                .execute(conn)?;
            Ok(Stored::New)
        }
    }
}

/// Checks the given files and stores their versions, all or none; the error names the file.
pub fn load_files(conn: &mut Conn, files: &[(&str, &str)]) -> anyhow::Result<usize> {
    let mut parsed = Vec::with_capacity(files.len());
    for (file, text) in files {
        parsed.push((*file, parse(file, text).map_err(anyhow::Error::msg)?));
    }
    let mut seen = std::collections::HashSet::new();
    for (file, inst) in &parsed {
        if !seen.insert((inst.id.as_str(), inst.version)) {
            anyhow::bail!(
                "{file}: id: instrument `{}` version {} is defined twice",
                inst.id,
                inst.version
            );
        }
    }
    let added = db::transaction(conn, |conn| {
        let mut added = 0;
        for (file, inst) in &parsed {
            match store(conn, inst, false, None)? {
                Stored::New => added += 1,
                Stored::Unchanged => {}
                Stored::Changed => {
                    return Err(ApiError::internal(format!(
                        "{file}: version: instrument `{}` version {} is published and this file differs \
                         from it; a published version never changes: give the file a new version",
                        inst.id, inst.version
                    )));
                }
            }
        }
        Ok(added)
    })
    .map_err(|e| anyhow::anyhow!("{e:#}"))?;
    Ok(added)
}

/// The shipped instruments, at start-up.
pub fn load_shipped(conn: &mut Conn) -> anyhow::Result<usize> {
    load_files(conn, FILES)
}

fn decode(definition: &str) -> Result<Instrument, ApiError> {
    serde_json::from_str(definition)
        .map_err(|e| ApiError::internal(format!("stored instrument does not parse: {e}")))
}

/// One version (the latest when `version` is none), or 404.
pub fn get(conn: &mut Conn, id: &str, version: Option<i32>) -> Result<Instrument, ApiError> {
    let mut q = instruments::table
        .filter(instruments::id.eq(id))
        .into_boxed();
    if let Some(v) = version {
        q = q.filter(instruments::version.eq(i64::from(v)));
    }
    let definition: String = q
        .order(instruments::version.desc())
        .select(instruments::definition)
        .first(conn)
        .optional()?
        .ok_or(ApiError::NotFound)?;
    decode(&definition)
}

/// Whether the id belongs to a shipped instrument.
pub fn is_shipped(conn: &mut Conn, id: &str) -> Result<bool, ApiError> {
    let n: i64 = instruments::table
        .filter(instruments::id.eq(id))
        .filter(instruments::custom.eq(false))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

/// The next version number of an id (1 for a new one).
pub fn next_version(conn: &mut Conn, id: &str) -> Result<i32, ApiError> {
    let latest: Option<i64> = instruments::table
        .filter(instruments::id.eq(id))
        .select(diesel::dsl::max(instruments::version))
        .first(conn)?;
    i32::try_from(latest.unwrap_or(0) + 1).map_err(ApiError::internal)
}

pub fn summary(inst: &Instrument, custom: bool) -> InstrumentSummary {
    InstrumentSummary {
        id: inst.id.clone(),
        version: inst.version,
        kind: inst.kind,
        title: inst.title.clone(),
        description: inst.description.clone(),
        source: inst.source.clone(),
        licence: inst.licence.clone(),
        attribution: inst.attribution.clone(),
        translation_note: inst.translation_note.clone(),
        exploratory: inst.exploratory,
        item_count: inst.sections.iter().map(|s| s.items.len() as u32).sum(),
        custom,
    }
}

/// The latest version of every instrument, shipped ones first, then by title.
pub fn list(conn: &mut Conn) -> Result<Vec<InstrumentSummary>, ApiError> {
    let rows: Vec<(String, i64, String, bool, String)> = instruments::table
        .order((instruments::id.asc(), instruments::version.desc()))
        .select((
            instruments::id,
            instruments::version,
            instruments::kind,
            instruments::custom,
            instruments::definition,
        ))
        .load(conn)?;
    let mut out: Vec<InstrumentSummary> = Vec::new();
    for (id, _, kind, custom, definition) in rows {
        if out.last().is_some_and(|s| s.id == id) {
            continue;
        }
        db::stored(InstrumentKind::parse(&kind), "instruments.kind", &kind)?;
        out.push(summary(&decode(&definition)?, custom));
    }
    out.sort_by(|a, b| (a.custom, &a.title.fr).cmp(&(b.custom, &b.title.fr)));
    Ok(out)
}

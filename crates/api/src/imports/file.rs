//! Reading an uploaded CSV: `text/csv` only, 2 MB and 5,000 data lines at most, `;` or `,` separated
//! (guessed from the header row), UTF-8 with or without a BOM.

use boussole_shared::Slug;
use boussole_shared::field_rules::FieldRule;
use std::collections::HashMap;

use actix_web::http::header::CONTENT_TYPE;
use actix_web::{HttpRequest, web};
use boussole_shared::imports::ImportLineError;
use futures_util::StreamExt;

use crate::error::ApiError;

pub const MAX_BYTES: usize = 2 << 20;
pub const MAX_LINES: usize = 5_000;

/// One data line: its number in the file and its cells by column name (empty cells left out).
pub struct Line {
    pub number: u32,
    pub cells: HashMap<String, String>,
}

pub fn error(
    line: u32,
    column: Option<&str>,
    rule: Option<FieldRule>,
    reason: impl Into<String>,
) -> ImportLineError {
    ImportLineError {
        line,
        column: column.map(str::to_string),
        reason: reason.into(),
        rule: rule.map(|r| r.as_str().to_string()),
    }
}

/// The first line of each value of a column that may appear once in a file.
#[derive(Default)]
pub struct FirstSeen(HashMap<String, u32>);

impl FirstSeen {
    /// The error of `line` when `value` was on an earlier line (`what`: "SIRET déjà présent").
    pub fn repeated(
        &mut self,
        line: u32,
        column: &str,
        value: Option<String>,
        what: &str,
    ) -> Option<ImportLineError> {
        let first = self.0.insert(value?, line)?;
        let reason = format!("{what} ligne {first}");
        Some(error(
            line,
            Some(column),
            Some(FieldRule::Duplicate),
            reason,
        ))
    }
}

/// The body, after the caller was authorised: 415 unless `text/csv` (or `text/plain`), 413 past 2 MB.
pub async fn read(req: &HttpRequest, mut payload: web::Payload) -> Result<String, ApiError> {
    let csv = req
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<mime::Mime>().ok())
        .is_some_and(|m| {
            m.type_() == mime::TEXT && (m.subtype() == "csv" || m.subtype() == mime::PLAIN)
        });
    if !csv {
        return Err(ApiError::UnsupportedMediaType);
    }
    let mut bytes = web::BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|e| ApiError::BadRequest(format!("corps illisible : {e}")))?;
        if bytes.len() + chunk.len() > MAX_BYTES {
            return Err(ApiError::PayloadTooLarge);
        }
        bytes.extend_from_slice(&chunk);
    }
    let text = String::from_utf8(bytes.to_vec())
        .map_err(|_| ApiError::BadRequest("le fichier doit être encodé en UTF-8".into()))?;
    Ok(text.trim_start_matches('\u{feff}').to_string())
}

/// The lines of `text` whose header names only `known` columns and all of `required`; a bad header
/// or a bad line is an error of its own, the other lines are still read.
pub fn parse(
    text: &str,
    known: &[&str],
    required: &[&str],
) -> Result<(Vec<Line>, Vec<ImportLineError>), ApiError> {
    let first = text.lines().next().unwrap_or_default();
    let delimiter = if first.matches(';').count() >= first.matches(',').count() {
        b';'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let mut errors = Vec::new();
    let header: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|c| c.to_lowercase()).collect(),
        Err(e) => {
            return Ok((
                vec![],
                vec![error(
                    1,
                    None,
                    Some(FieldRule::Format),
                    format!("en-tête illisible : {e}"),
                )],
            ));
        }
    };
    for column in &header {
        if !known.contains(&column.as_str()) {
            errors.push(error(
                1,
                Some(column),
                Some(FieldRule::Unknown),
                format!(
                    "colonne inconnue « {column} » (attendues : {})",
                    known.join(", ")
                ),
            ));
        }
    }
    for column in required {
        if !header.iter().any(|h| h == column) {
            errors.push(error(
                1,
                Some(column),
                Some(FieldRule::Required),
                format!("colonne « {column} » manquante"),
            ));
        }
    }
    let mut lines = Vec::new();
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line() as u32);
                let reason = format!("ligne illisible : {e}");
                errors.push(error(line, None, Some(FieldRule::Format), reason));
                continue;
            }
        };
        let number = record.position().map_or(0, |p| p.line() as u32);
        if lines.len() >= MAX_LINES {
            return Err(ApiError::Rule {
                slug: Slug::IMPORT_TOO_MANY_LINES,
                detail: format!("{MAX_LINES} lignes au plus par fichier : découpez-le."),
                missing: vec![],
            });
        }
        if record.len() != header.len() {
            errors.push(error(
                number,
                None,
                Some(FieldRule::Format),
                format!("{} champs au lieu de {}", record.len(), header.len()),
            ));
            continue;
        }
        let cells = header
            .iter()
            .zip(record.iter())
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, v)| (k.clone(), v.to_string()))
            .collect();
        lines.push(Line { number, cells });
    }
    Ok((lines, errors))
}

/// A field error map (`ApiError::Validation`) as the line's errors; any other error as one reason.
pub fn errors_of(line: u32, e: ApiError, column: impl Fn(&str) -> String) -> Vec<ImportLineError> {
    match e {
        ApiError::Validation(map) => map
            .into_iter()
            .flat_map(|(field, messages)| {
                let col = column(&field);
                messages
                    .into_iter()
                    .map(move |(rule, m)| error(line, Some(&col), Some(rule), m))
            })
            .collect(),
        ApiError::AlreadyExists { detail, .. } => {
            vec![error(line, None, Some(FieldRule::Taken), detail)]
        }
        other => vec![error(
            line,
            None,
            None,
            other.to_problem().detail.unwrap_or_default(),
        )],
    }
}

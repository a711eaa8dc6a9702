//! The ROME 4.0 occupations (France Travail, Licence Ouverte 2.0: "Source : France Travail, ROME 4.0"),
//! shipped in `crates/api/data/rome-metiers.json`, embedded in the binary and loaded in memory at
//! start-up: 1,584 codes are a few hundred kilobytes, searched faster in memory than through a table.

use std::collections::{BTreeMap, HashMap};

use actix_web::{HttpRequest, get, web};
use boussole_shared::Page;
use boussole_shared::projection::{RomeOccupation, RomeQuery, fold};

use crate::AppState;
use crate::auth::caller::Viewer;
use crate::error::ApiError;
use crate::paged::Paged;

const DATA: &str = include_str!("../../data/rome-metiers.json");

#[derive(serde::Deserialize)]
struct File {
    sectors: Vec<Sector>,
}

#[derive(serde::Deserialize)]
struct Sector {
    rome: Vec<Entry>,
}

#[derive(serde::Deserialize)]
struct Entry {
    code: String,
    libelle: String,
}

/// The occupations, sorted by code, with their folded titles for the search.
#[derive(Debug, Clone)]
pub struct Catalogue {
    items: Vec<(RomeOccupation, String)>,
    by_code: HashMap<String, usize>,
}

impl Catalogue {
    /// The shipped list; an error names the file (a broken build, caught at start-up).
    pub fn load() -> anyhow::Result<Catalogue> {
        Self::parse(DATA).map_err(|e| anyhow::anyhow!("crates/api/data/rome-metiers.json: {e}"))
    }

    fn parse(json: &str) -> anyhow::Result<Catalogue> {
        let file: File = serde_json::from_str(json)?;
        // A code can stand under several NAF divisions: one entry per code.
        let mut unique = BTreeMap::new();
        for entry in file.sectors.into_iter().flat_map(|s| s.rome) {
            let valid = entry.code.len() == 5 && entry.code.is_ascii();
            anyhow::ensure!(valid, "code {:?} is not a ROME code", entry.code);
            unique.entry(entry.code).or_insert(entry.libelle);
        }
        let items: Vec<(RomeOccupation, String)> = unique
            .into_iter()
            .map(|(code, title)| {
                let folded = fold(&title);
                (RomeOccupation { code, title }, folded)
            })
            .collect();
        let by_code = items
            .iter()
            .enumerate()
            .map(|(i, (o, _))| (o.code.clone(), i))
            .collect();
        Ok(Catalogue { items, by_code })
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The occupation of `code` (case ignored).
    pub fn get(&self, code: &str) -> Option<&RomeOccupation> {
        let i = self.by_code.get(&code.trim().to_ascii_uppercase())?;
        self.items.get(*i).map(|(o, _)| o)
    }

    /// Occupations whose code starts with `q`, or whose title holds every word of `q` (accents and
    /// case ignored), by code; all of them for an empty `q`.
    pub fn search(&self, q: &str) -> Vec<&RomeOccupation> {
        let code = q.trim().to_ascii_uppercase();
        let words: Vec<String> = fold(q)
            .split(' ')
            .filter(|w| !w.is_empty())
            .map(String::from)
            .collect();
        self.items
            .iter()
            .filter(|(o, folded)| {
                (!code.is_empty() && o.code.starts_with(&code))
                    || words.iter().all(|w| folded.contains(w.as_str()))
            })
            .map(|(o, _)| o)
            .collect()
    }
}

/// ROME 4.0 occupations by title or code (Source : France Travail, ROME 4.0 — Licence Ouverte 2.0).
#[utoipa::path(tag = "projection", params(RomeQuery),
    description = "Searches the ROME 4.0 occupations: `q` matches every word of the title (accents and case ignored) or the start of the code. Source : France Travail, ROME 4.0 (Licence Ouverte / Etalab 2.0).",
    responses((status = 200, description = "OK", body = Page<RomeOccupation>), crate::problems::List),
    security(("bearer" = [])))]
#[get("/rome")]
async fn search_rome(
    _viewer: Viewer,
    state: web::Data<AppState>,
    req: HttpRequest,
) -> Result<web::Json<Page<RomeOccupation>>, ApiError> {
    let paged = Paged::from_request(&req)?;
    let query = crate::json::query::<RomeQuery>(&req)?;
    let found = state.rome.search(query.q.as_deref().unwrap_or(""));
    let start = ((paged.page - 1) * paged.per_page) as usize;
    Ok(web::Json(Page {
        total: found.len() as i64,
        items: found
            .into_iter()
            .skip(start)
            .take(paged.per_page as usize)
            .cloned()
            .collect(),
        page: paged.page,
        per_page: paged.per_page,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_list_loads_with_one_entry_per_code() {
        let c = Catalogue::load().unwrap();
        assert_eq!(c.len(), 1584);
        assert!(c.get("m1805").is_some());
        assert!(c.get("Z9999").is_none());
    }

    #[test]
    fn search_ignores_accents_and_case_and_matches_codes() {
        let c = Catalogue::load().unwrap();
        let accents = c.search("EBENISTE");
        assert!(accents.iter().any(|o| o.title.contains("béniste")));
        assert_eq!(c.search("m180").first().map(|o| &o.code[..4]), Some("M180"));
        assert!(c.search("zzzz introuvable").is_empty());
    }
}

//! The destruction job (issue 12, item 4): at each pass, with the job's clock `now`,
//! - bilans past their follow-up period close, and their content is destroyed unless kept under
//!   agreement (`due::close_after_follow_up`), what the agreement does not name going at once;
//! - content kept under a retention agreement is destroyed when the agreed period ends
//!   (`due::destroy_expired_retention`);
//! - issued documents go when their rule says: the synthèse (content) with the bilan's content, or 3
//!   years after the end when a sending to the CEP operator reached them (with the copy kept apart
//!   then, `synthesis::sending::kept_key`); administrative documents (every
//!   kind that is not content) when their class's period after the end of the action has passed,
//!   with their signed originals and the signature requests' evidence.
//!
//! A pass that destroyed something, or an admin's "run now", is recorded as a destruction run
//! with one item per thing destroyed (what, which bilan, which rule, when — never the content).

use boussole_shared::bilans::BilanStatus;
use boussole_shared::documents::DocumentKind;
use boussole_shared::retention::{
    DestructionItem, DestructionRun, DestructionRunDetail, KeptDocument, RetentionClass, kept_label,
};
use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::bilans::model::BilanRow;
use crate::db::{self, Conn};
use crate::documents::store::{DocumentRow, storage_key};
use crate::error::ApiError;
use crate::journal::{self, Actor};
use crate::retention_rules::{self, RuleRow};
use crate::schema::{
    bilan_files, bilans, destruction_items, destruction_runs, issued_documents, signature_requests,
    signature_signers, syntheses, synthesis_sendings,
};
use crate::signatures::store::RequestRow;
use crate::storage::Storage;

/// Who started a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// The periodic job: recorded only when it destroyed something.
    Job,
    /// An admin's "run now": always recorded.
    Admin,
}

impl Source {
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Job => "job",
            Source::Admin => "admin",
        }
    }
}

/// What a pass destroyed in the database, and the stored objects to delete once it committed.
#[derive(Debug, Default)]
pub struct Pass {
    pub detail: Option<DestructionRunDetail>,
    /// Objects to delete one by one (issued documents, signed originals, files).
    pub keys: Vec<String>,
    /// Prefixes to delete (a destroyed bilan's stored files).
    pub prefixes: Vec<String>,
}

/// How the destruction record names a bilan: its CRM reference, or the start of its id.
pub fn bilan_reference(id: &str, external_ref: Option<&str>) -> String {
    match external_ref {
        Some(r) if !r.trim().is_empty() => r.to_string(),
        _ => format!(
            "B-{}",
            id.chars()
                .filter(|c| *c != '-')
                .take(8)
                .collect::<String>()
                .to_uppercase()
        ),
    }
}

fn reference(row: &BilanRow) -> String {
    bilan_reference(&row.id, row.external_ref.as_deref())
}

fn labels(parts: &[KeptDocument]) -> String {
    parts
        .iter()
        .map(|k| kept_label(*k))
        .collect::<Vec<_>>()
        .join(", ")
}

struct Item {
    what: String,
    class: RetentionClass,
    rule: String,
    bilan_reference: Option<String>,
}

/// The database part of a pass at `now`.
pub fn destroy(
    conn: &mut Conn,
    now: NaiveDateTime,
    source: Source,
    actor: &Actor,
) -> Result<Pass, ApiError> {
    let mut pass = Pass::default();
    let mut items: Vec<Item> = Vec::new();
    let content_rule = retention_rules::rule(conn, RetentionClass::BilanContent)?;
    let follow_rule = retention_rules::rule(conn, RetentionClass::FollowUpDocuments)?;

    // Bilans past their follow-up period: the end of the action runs for them.
    for closed in super::due::close_after_follow_up(conn, now)? {
        let row = load_bilan(conn, &closed.id)?;
        if closed.content_destroyed {
            items.push(Item {
                what: format!(
                    "Contenu du bilan {} (clé de chiffrement, notes, fichiers, résultats, messages)",
                    reference(&row)
                ),
                class: RetentionClass::BilanContent,
                rule: content_rule.describe(),
                bilan_reference: Some(reference(&row)),
            });
            pass.prefixes.push(format!("bilans/{}", row.id));
            continue;
        }
        let kept = retention_rules::agreement(conn, &row.id)?
            .map(|(_, k)| k)
            .unwrap_or_default();
        let others: Vec<KeptDocument> = KeptDocument::ALL
            .iter()
            .copied()
            .filter(|k| !kept.contains(k))
            .collect();
        if !others.is_empty() {
            items.push(Item {
                what: format!(
                    "Documents du bilan {} que l'accord de conservation ne retient pas : {}",
                    reference(&row),
                    labels(&others)
                ),
                class: RetentionClass::BilanContent,
                rule: content_rule.describe(),
                bilan_reference: Some(reference(&row)),
            });
            pass.keys.extend(destroyed_file_keys(conn, &row.id)?);
        }
    }

    // Content kept under agreement whose period ended.
    for id in super::due::destroy_expired_retention(conn, now)? {
        let row = load_bilan(conn, &id)?;
        let agreed = match retention_rules::agreement(conn, &id)? {
            Some((Some(months), _)) => format!("accord de conservation de {months} mois échu"),
            _ => "accord de conservation échu".to_string(),
        };
        items.push(Item {
            what: format!(
                "Documents conservés pour le suivi du bilan {} ({agreed})",
                reference(&row)
            ),
            class: RetentionClass::FollowUpDocuments,
            rule: follow_rule.describe(),
            bilan_reference: Some(reference(&row)),
        });
        pass.prefixes.push(format!("bilans/{id}"));
    }

    // Issued documents, then the record of the pass, in one transaction.
    db::transaction(conn, |conn| {
        documents(conn, now, &mut items, &mut pass.keys)?;
        if items.is_empty() && source == Source::Job {
            return Ok(());
        }
        pass.detail = Some(record(conn, now, source, actor, items)?);
        Ok(())
    })?;
    Ok(pass)
}

/// The stored objects of the bilan's files already destroyed (a partial destruction).
fn destroyed_file_keys(conn: &mut Conn, bilan_id: &str) -> Result<Vec<String>, ApiError> {
    let ids: Vec<String> = bilan_files::table
        .filter(bilan_files::bilan_id.eq(bilan_id))
        .filter(bilan_files::destroyed_at.is_not_null())
        .select(bilan_files::id)
        .load(conn)?;
    Ok(ids
        .iter()
        .map(|f| crate::bilans::files::storage_key(bilan_id, f))
        .collect())
}

fn load_bilan(conn: &mut Conn, id: &str) -> Result<BilanRow, ApiError> {
    Ok(bilans::table
        .find(id)
        .select(BilanRow::as_select())
        .first(conn)?)
}

/// When the bilan's action ended (closed or abandoned), if it did.
fn ended_at(row: &BilanRow) -> Option<NaiveDateTime> {
    matches!(
        BilanStatus::parse(&row.status),
        Some(BilanStatus::Closed | BilanStatus::Abandoned)
    )
    .then_some(row.status_changed_at)
}

fn after(end: NaiveDateTime, months: i64) -> NaiveDateTime {
    end.checked_add_months(chrono::Months::new(months.max(0) as u32))
        .unwrap_or(NaiveDateTime::MAX)
}

/// The class and rule under which `doc` is due for destruction at `now`, if it is.
fn due(
    conn: &mut Conn,
    doc: &DocumentRow,
    bilan: &BilanRow,
    now: NaiveDateTime,
) -> Result<Option<RuleRow>, ApiError> {
    // A kind this version does not know is left alone: nothing is destroyed on a guess.
    let Some(kind) = DocumentKind::parse(&doc.kind) else {
        return Ok(None);
    };
    let Some(end) = ended_at(bilan) else {
        return Ok(None);
    };
    if !kind.is_content() {
        let rule = retention_rules::rule(conn, RetentionClass::AdministrativeDocuments)?;
        return Ok((now >= after(end, rule.months_after_end)).then_some(rule));
    }
    // R6313-7's exception: the synthèse sent to the CEP operator at the beneficiary's request, as
    // the sending that reached them records it (not a guess from the agreement's wording).
    if kind == DocumentKind::Synthese && crate::synthesis::sending::sent_to_cep(conn, &doc.id)? {
        let rule = retention_rules::rule(conn, RetentionClass::SynthesisCep)?;
        return Ok((now >= after(end, rule.months_after_end)).then_some(rule));
    }
    if bilan.content_destroyed_at.is_some() {
        let class = match bilan.retention_until {
            Some(_) => RetentionClass::FollowUpDocuments,
            None => RetentionClass::BilanContent,
        };
        return Ok(Some(retention_rules::rule(conn, class)?));
    }
    let kept = retention_rules::agreement(conn, &bilan.id)?
        .map(|(_, k)| k)
        .unwrap_or_default();
    if bilan.retention_until.is_some() && !kept.contains(&KeptDocument::Synthese) {
        return Ok(Some(retention_rules::rule(
            conn,
            RetentionClass::BilanContent,
        )?));
    }
    Ok(None)
}

/// Deletes the issued documents due at `now` (rows, signature requests and their evidence), adding
/// an item for each and the stored objects to delete.
fn documents(
    conn: &mut Conn,
    now: NaiveDateTime,
    items: &mut Vec<Item>,
    keys: &mut Vec<String>,
) -> Result<(), ApiError> {
    let ended = [
        BilanStatus::Closed.as_str(),
        BilanStatus::Abandoned.as_str(),
    ];
    let over = bilans::table
        .filter(bilans::status.eq_any(ended))
        .select(bilans::id);
    let docs: Vec<DocumentRow> = issued_documents::table
        .filter(issued_documents::bilan_id.eq_any(over))
        .order((
            issued_documents::issued_at.asc(),
            issued_documents::id.asc(),
        ))
        .select(DocumentRow::as_select())
        .load(conn)?;
    let mut seen: std::collections::HashMap<String, BilanRow> = Default::default();
    for doc in docs {
        let bilan = match seen.get(&doc.bilan_id) {
            Some(b) => b.clone(),
            None => {
                let b = load_bilan(conn, &doc.bilan_id)?;
                seen.insert(b.id.clone(), b.clone());
                b
            }
        };
        let Some(rule) = due(conn, &doc, &bilan, now)? else {
            continue;
        };
        let requests: Vec<RequestRow> = signature_requests::table
            .filter(signature_requests::document_id.eq(&doc.id))
            .select(RequestRow::as_select())
            .load(conn)?;
        let request_ids: Vec<&str> = requests.iter().map(|r| r.id.as_str()).collect();
        diesel::delete(
            signature_signers::table
                .filter(signature_signers::request_id.eq_any(request_ids.clone())),
        )
        .execute(conn)?;
        diesel::delete(
            signature_requests::table.filter(signature_requests::id.eq_any(request_ids.clone())),
        )
        .execute(conn)?;
        // The synthèse row keeps its text's remains (none, once the content is destroyed) but no
        // longer points at the document; the sendings (who received it) go with it.
        diesel::update(syntheses::table.filter(syntheses::issued_document_id.eq(&doc.id)))
            .set(syntheses::issued_document_id.eq(None::<String>))
            .execute(conn)?;
        diesel::delete(
            synthesis_sendings::table.filter(synthesis_sendings::document_id.eq(&doc.id)),
        )
        .execute(conn)?;
        let gone = diesel::delete(issued_documents::table.find(&doc.id)).execute(conn)?;
        if gone == 0 {
            continue;
        }
        keys.push(storage_key(&doc.bilan_id, &doc.id));
        if rule.class()? == RetentionClass::SynthesisCep {
            keys.push(crate::synthesis::sending::kept_key(&doc.bilan_id, &doc.id));
        }
        let mut signed = 0;
        for r in &requests {
            if let Some(sha) = &r.signed_sha256 {
                keys.push(crate::signatures::complete::storage_key(r, sha));
                signed += 1;
            }
        }
        let title = DocumentKind::parse(&doc.kind)
            .map(|k| k.title().to_string())
            .unwrap_or_else(|| doc.title.clone());
        let reference = reference(&bilan);
        let mut what = format!("{title} v{} du bilan {reference}", doc.version);
        if signed > 0 {
            what.push_str(" et son original signé avec ses preuves de signature");
        }
        items.push(Item {
            what,
            class: rule.class()?,
            rule: rule.describe(),
            bilan_reference: Some(reference),
        });
    }
    Ok(())
}

/// Writes the run and its items, and journals it.
fn record(
    conn: &mut Conn,
    now: NaiveDateTime,
    source: Source,
    actor: &Actor,
    items: Vec<Item>,
) -> Result<DestructionRunDetail, ApiError> {
    let id = db::new_id();
    let by = actor.id.as_deref().filter(|_| actor.kind == "user");
    diesel::insert_into(destruction_runs::table)
        .values((
            destruction_runs::id.eq(&id),
            destruction_runs::ran_at.eq(now),
            destruction_runs::source.eq(source.as_str()),
            destruction_runs::ran_by.eq(by),
            destruction_runs::items.eq(items.len() as i64),
        ))
        .execute(conn)?;
    for (i, item) in items.iter().enumerate() {
        diesel::insert_into(destruction_items::table)
            .values((
                destruction_items::id.eq(db::new_id()),
                destruction_items::run_id.eq(&id),
                destruction_items::position.eq(i as i64 + 1),
                destruction_items::what.eq(&item.what),
                destruction_items::class.eq(item.class.as_str()),
                destruction_items::rule.eq(&item.rule),
                destruction_items::bilan_reference.eq(&item.bilan_reference),
                destruction_items::destroyed_at.eq(now),
            ))
            .execute(conn)?;
    }
    let classes: Vec<&str> = items.iter().map(|i| i.class.as_str()).collect();
    journal::record(
        conn,
        actor,
        "retention.destruction_run",
        "destruction_run",
        Some(&id),
        serde_json::json!({ "source": source.as_str(), "items": items.len(), "classes": classes }),
    )?;
    super::run_detail(conn, &id)
}

/// A whole pass: the database part, then the stored objects. A stored object that cannot be deleted
/// is logged (its row is gone; nothing serves it any more) and the pass goes on.
pub async fn run(
    pool: &db::Pool,
    storage: &Storage,
    now: NaiveDateTime,
    source: Source,
    actor: Actor,
) -> Result<Option<DestructionRunDetail>, ApiError> {
    let pass = db::run(pool, move |conn| destroy(conn, now, source, &actor)).await?;
    for prefix in &pass.prefixes {
        if let Err(e) = storage.delete_prefix(prefix).await {
            tracing::error!(error = ?e, %prefix, "stored files not deleted");
        }
    }
    for key in &pass.keys {
        if let Err(e) = storage.delete(key).await {
            tracing::error!(error = ?e, %key, "stored document not deleted");
        }
    }
    Ok(pass.detail)
}

/// The run as the API shows it.
pub fn run_dto(
    id: &str,
    ran_at: NaiveDateTime,
    source: String,
    items: i64,
) -> Result<DestructionRun, ApiError> {
    Ok(DestructionRun {
        id: db::uuid_of(id)?,
        ran_at: ran_at.and_utc(),
        trigger: source,
        items,
    })
}

pub fn item_dto(
    what: String,
    class: &str,
    rule: String,
    bilan_reference: Option<String>,
    destroyed_at: NaiveDateTime,
) -> Result<DestructionItem, ApiError> {
    Ok(DestructionItem {
        what,
        class: db::stored(
            RetentionClass::parse(class),
            "destruction_items.class",
            class,
        )?,
        rule,
        bilan_reference,
        destroyed_at: destroyed_at.and_utc(),
    })
}

//! The signed original: the issued PDF, untouched page for page, followed by an evidence page that
//! names the document and its SHA-256, then each signature with its time, IP, browser, identity
//! checks and the wording agreed to. The file as a whole gets its own SHA-256, which `verify` knows.

use boussole_shared::documents::OrganisationIdentity;
use boussole_shared::time::to_paris;
use lopdf::{Document, Object};

use super::store::SignerRow;
use crate::error::ApiError;
use crate::pdf::Writer;

/// What the evidence page says of the document signed.
pub struct Signed<'a> {
    pub org: &'a OrganisationIdentity,
    pub title: &'a str,
    pub document_id: &'a str,
    pub version: i64,
    pub sha256: &'a str,
    pub signers: &'a [SignerRow],
}

fn role_fr(role: &str) -> &'static str {
    match role {
        "beneficiary" => "bénéficiaire",
        "organisation" => "représentant de l'organisme",
        "employer" => "employeur",
        _ => "signataire",
    }
}

/// The evidence page alone, as a one-page PDF dated by the last signature.
fn evidence_page(s: &Signed<'_>) -> Result<Vec<u8>, ApiError> {
    let mut w = Writer::new("Preuve de signature électronique", s.org)?;
    w.title("Preuve de signature électronique");
    w.field("Document", &format!("{} — version {}", s.title, s.version));
    w.field("Identifiant", s.document_id);
    w.field("Empreinte SHA-256 du document signé", s.sha256);
    w.paragraph(
        "Signature électronique simple au sens de l'article 25 du règlement (UE) n° 910/2014 \
         (eIDAS) et des articles 1366 et 1367 du Code civil : chaque signataire a reçu un lien \
         personnel à usage unique, puis un code à usage unique valable 10 minutes, avant de lire le \
         document et d'accepter le texte ci-dessous. Les pages qui précèdent sont le document émis, \
         sans modification ; l'empreinte ci-dessus permet de le vérifier.",
    );
    let mut last = None;
    for signer in s.signers {
        let Some(at) = signer.signed_at else {
            continue;
        };
        last = Some(last.map_or(at, |l: chrono::NaiveDateTime| l.max(at)));
        w.heading(&format!(
            "Signataire {} — {}",
            signer.position,
            role_fr(&signer.role)
        ));
        w.field("Nom", &signer.name);
        w.field("Adresse électronique", &signer.email);
        w.field(
            "Signé le",
            &format!(
                "{} (heure de Paris) — {} UTC",
                to_paris(at).format("%d/%m/%Y à %H:%M:%S"),
                at.format("%Y-%m-%dT%H:%M:%SZ")
            ),
        );
        w.field("Adresse IP", signer.ip.as_deref().unwrap_or("inconnue"));
        w.field(
            "Navigateur",
            signer.user_agent.as_deref().unwrap_or("inconnu"),
        );
        w.field(
            "Vérifications d'identité",
            signer.identity_checks.as_deref().unwrap_or_default(),
        );
        w.field(
            "Texte accepté",
            signer.consent_text.as_deref().unwrap_or_default(),
        );
    }
    let at = last.ok_or_else(|| ApiError::internal("an evidence page without any signature"))?;
    w.finish(at.and_utc())
}

/// The signed original: `original`'s pages, then the evidence page.
pub fn signed_pdf(original: &[u8], s: &Signed<'_>) -> Result<Vec<u8>, ApiError> {
    let page = evidence_page(s)?;
    append_pages(original, &page)
}

/// `first` with the pages of `second` added at its end (the objects of `second` renumbered after
/// those of `first`; `first`'s own objects, metadata and language unchanged).
fn append_pages(first: &[u8], second: &[u8]) -> Result<Vec<u8>, ApiError> {
    let bad = |e: lopdf::Error| ApiError::internal(format!("PDF assembly: {e}"));
    let mut doc = Document::load_mem(first).map_err(bad)?;
    let mut extra = Document::load_mem(second).map_err(bad)?;
    extra.renumber_objects_with(doc.max_id + 1);
    let pages_id = doc
        .catalog()
        .and_then(|c| c.get(b"Pages"))
        .and_then(Object::as_reference)
        .map_err(bad)?;
    let new_pages: Vec<_> = extra.get_pages().into_values().collect();
    let extra_root = extra
        .catalog()
        .and_then(|c| c.get(b"Pages"))
        .and_then(Object::as_reference)
        .map_err(bad)?;
    let extra_catalog = extra
        .trailer
        .get(b"Root")
        .and_then(Object::as_reference)
        .ok();
    let extra_info = extra
        .trailer
        .get(b"Info")
        .and_then(Object::as_reference)
        .ok();
    doc.max_id = extra.max_id;
    for (id, object) in extra.objects {
        // The second file's catalog, page tree root and metadata are not carried over.
        if Some(id) == extra_catalog || id == extra_root || Some(id) == extra_info {
            continue;
        }
        doc.objects.insert(id, object);
    }
    for page in &new_pages {
        doc.get_dictionary_mut(*page)
            .map_err(bad)?
            .set("Parent", Object::Reference(pages_id));
    }
    let pages = doc.get_dictionary_mut(pages_id).map_err(bad)?;
    let mut kids = pages
        .get(b"Kids")
        .and_then(Object::as_array)
        .map_err(bad)?
        .clone();
    kids.extend(new_pages.iter().map(|p| Object::Reference(*p)));
    let count = kids.len() as i64;
    pages.set("Kids", Object::Array(kids));
    pages.set("Count", Object::Integer(count));
    let mut out = Vec::new();
    doc.save_to(&mut out)
        .map_err(|e| ApiError::internal(format!("PDF write: {e}")))?;
    Ok(out)
}

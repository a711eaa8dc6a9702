//! The demo's signatures: Nicolas Fontaine's tripartite convention signed by the three parties (its
//! signed original downloads with its evidence page and `verify` knows it), and Julie Roux's
//! individual contract waiting for her signature (her link is in the development mailbox).
//!
//! The demo's signatures are recorded directly, with evidence that says so ("données de
//! démonstration"), instead of through links and codes nobody is there to type.

use boussole_shared::documents::DocumentKind;
use boussole_shared::signatures::{NewSignatureRequest, NewSigner, SignerRole};
use diesel::prelude::*;

use super::store::{self, Mailing};
use crate::AppState;
use crate::auth::caller::Viewer;
use crate::db;
use crate::documents::store::DocumentRow;
use crate::journal::Actor;
use crate::schema::{
    beneficiary_profiles, bilans, issued_documents, signature_signers as s, users,
};

fn signer(role: SignerRole, name: &str, email: &str) -> NewSigner {
    NewSigner {
        role,
        name: Some(name.into()),
        email: Some(email.into()),
        phone: None,
    }
}

/// The beneficiary signs as their account names them.
fn the_beneficiary() -> NewSigner {
    NewSigner {
        role: SignerRole::Beneficiary,
        name: None,
        email: None,
        phone: None,
    }
}

fn bilan_of(conn: &mut db::Conn, email: &str) -> anyhow::Result<Option<(String, String)>> {
    Ok(users::table
        .inner_join(bilans::table.on(bilans::beneficiary_id.eq(users::id)))
        .filter(users::email.eq(email))
        .order(bilans::created_at.desc())
        .select((bilans::id, users::id))
        .first(conn)
        .optional()?)
}

/// Issues `kind` for the bilan and asks its parties to sign; returns the request's id.
async fn ask(
    state: &AppState,
    admin: &str,
    bilan: &str,
    beneficiary: &str,
    kind: DocumentKind,
    parties: Vec<NewSigner>,
) -> anyhow::Result<String> {
    let viewer = Viewer::Admin(admin.to_string());
    let issued =
        crate::documents::store::issue(state, bilan, kind, &viewer, &Actor::user(admin, None))
            .await
            .map_err(|e| anyhow::anyhow!("seed-demo: {}: {e}", kind.as_str()))?;
    let mut conn = state.pool.get()?;
    let doc: DocumentRow = issued_documents::table
        .find(issued.id.to_string())
        .select(DocumentRow::as_select())
        .first(&mut conn)?;
    let org = crate::settings::organisation(&mut conn)?;
    let mailing = Mailing {
        master: &state.config.master_key,
        public_url: &state.config.public_url,
        organisation: org.name.trim(),
        document_title: &doc.title,
    };
    let req = NewSignatureRequest { signers: parties };
    let now = state.config.clock.utc_now();
    let id = db::transaction(&mut conn, |conn| {
        store::create(conn, &doc, beneficiary, admin, &req, now, &mailing)
    })
    .map_err(|e| anyhow::anyhow!("seed-demo: signature request: {e}"))?;
    Ok(id)
}

pub async fn seed(state: &AppState) -> anyhow::Result<()> {
    let mut conn = state.pool.get()?;
    let admin = crate::accounts::find_by_email(&mut conn, "admin@boussole.test")?
        .ok_or_else(|| anyhow::anyhow!("seed-demo: the admin is missing"))?;
    let org = crate::settings::organisation(&mut conn)?;
    let representative = org.representative_name.trim().to_string();
    let nicolas = bilan_of(&mut conn, "nicolas.fontaine@boussole.test")?;
    let julie = bilan_of(&mut conn, "julie.roux@boussole.test")?;
    if let Some((_, who)) = &nicolas {
        // His record names his employer, which the convention prints (the story gave him none yet).
        let employer = (
            beneficiary_profiles::employer_name.eq("Transports Leroy"),
            beneficiary_profiles::employer_siret.eq("73282932000074"),
            beneficiary_profiles::employer_contact.eq("Mme Leroy, DRH"),
        );
        let updated = diesel::update(beneficiary_profiles::table.find(who))
            .set(employer)
            .execute(&mut conn)?;
        if updated == 0 {
            diesel::insert_into(beneficiary_profiles::table)
                .values((
                    beneficiary_profiles::user_id.eq(who),
                    beneficiary_profiles::situation.eq("employee_cdi"),
                    beneficiary_profiles::updated_at.eq(db::now()),
                    employer,
                ))
                .execute(&mut conn)?;
        }
    }
    drop(conn);
    if let Some((bilan, who)) = nicolas {
        let parties = vec![
            the_beneficiary(),
            signer(
                SignerRole::Organisation,
                &representative,
                "admin@boussole.test",
            ),
            signer(
                SignerRole::Employer,
                "Mme Leroy",
                "rh@transports-leroy.example",
            ),
        ];
        let id = ask(
            state,
            &admin.id,
            &bilan,
            &who,
            DocumentKind::TripartiteConvention,
            parties,
        )
        .await?;
        let mut conn = state.pool.get()?;
        let now = state.config.clock.utc_now();
        for (n, signer) in store::signers(&mut conn, &id)?.into_iter().enumerate() {
            diesel::update(s::table.find(&signer.id))
                .set((
                    s::invited_at.eq(now),
                    s::signed_at.eq(now + chrono::Duration::minutes(n as i64 + 1)),
                    s::ip.eq("127.0.0.1"),
                    s::user_agent.eq("seed-demo"),
                    s::identity_checks.eq("données de démonstration (aucune vérification réelle)"),
                    s::consent_text
                        .eq("Données de démonstration : signature enregistrée par seed-demo."),
                ))
                .execute(&mut conn)?;
        }
        drop(conn);
        super::complete::finish(state, &id)
            .await
            .map_err(|e| anyhow::anyhow!("seed-demo: signed convention: {e}"))?;
    }
    if let Some((bilan, who)) = julie {
        let parties = vec![
            the_beneficiary(),
            signer(
                SignerRole::Organisation,
                &representative,
                "admin@boussole.test",
            ),
        ];
        ask(
            state,
            &admin.id,
            &bilan,
            &who,
            DocumentKind::IndividualContract,
            parties,
        )
        .await?;
    }
    Ok(())
}

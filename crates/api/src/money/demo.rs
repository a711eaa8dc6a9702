//! Demo money (`seed-demo`, after the documents, whose identity the invoices print): a fictitious
//! OPCO and employer, and Nicolas Fontaine's bilan (employer plan, conclusion phase) funded by the OPCO
//! under subrogation with an employer top-up, both invoiced, half of the OPCO's invoice paid. Sandrine
//! Michel paid her own bilan (self-funded, over): her invoice, paid in full, is what a beneficiary sees.
//! Both invoices came from quotes: the OPCO's accepted on a signed copy the office recorded, Sandrine's
//! accepted by her online. Julie Roux, whose self-funded bilan is still a request, has a quote waiting
//! for her answer.
//! Camille Durand's bilan is paid through her CPF: the Caisse des Dépôts is invoiced through EDOF once
//! the service is declared done, so she has no invoice of her own yet.

use boussole_shared::money::{
    FundingStatus, NewAcceptance, NewInvoice, NewInvoiceLine, NewPayment, NewQuote, PayerKind,
    PaymentMethod, QuoteToInvoice,
};
use chrono::Days;
use diesel::prelude::*;

use super::fundings::FundingRow;
use super::invoices::{issue, rows};
use super::payers::PayerRow;
use super::quotes::answer as quotes;
use crate::AppState;
use crate::accounts;
use crate::auth::caller::Viewer;
use crate::db::{self, Conn};
use crate::journal::Actor;
use crate::schema::{bilans, fundings, payers};

/// Fictitious organisations; the SIRETs pass the Luhn check.
fn payer(
    kind: PayerKind,
    name: &str,
    siret: Option<&str>,
    address: &str,
    contact: &str,
    email: &str,
    user: Option<String>,
) -> PayerRow {
    let now = db::now();
    PayerRow {
        id: db::new_id(),
        kind: kind.as_str().into(),
        name: name.into(),
        siret: siret.map(Into::into),
        vat_number: None,
        address: address.into(),
        contact_name: contact.into(),
        email: email.into(),
        user_id: user,
        created_at: now,
        updated_at: now,
        external_ref: None,
    }
}

fn funding(
    bilan: &str,
    payer: &PayerRow,
    cents: i64,
    agreement: Option<&str>,
    subrogation: bool,
) -> FundingRow {
    let now = db::now();
    FundingRow {
        id: db::new_id(),
        bilan_id: bilan.into(),
        payer_id: payer.id.clone(),
        amount_cents: cents,
        agreement_number: agreement.map(Into::into),
        agreement_date: agreement.map(|_| now.date() - Days::new(90)),
        status: FundingStatus::Agreed.as_str().into(),
        subrogation,
        created_at: now,
        updated_at: now,
    }
}

fn bilan_of(conn: &mut Conn, email: &str) -> anyhow::Result<Option<(String, String)>> {
    let Some(user) = accounts::find_by_email(conn, email)? else {
        return Ok(None);
    };
    let id = bilans::table
        .filter(bilans::beneficiary_id.eq(&user.id))
        .order(bilans::created_at.desc())
        .select(bilans::id)
        .first(conn)
        .optional()?;
    Ok(id.map(|id| (id, user.id)))
}

fn one_line(bilan: &str, funding: &FundingRow, description: &str) -> NewInvoice {
    NewInvoice {
        bilan_id: uuid::Uuid::parse_str(bilan).unwrap_or_default(),
        funding_id: uuid::Uuid::parse_str(&funding.id).ok(),
        payer_id: None,
        lines: vec![NewInvoiceLine {
            description: description.into(),
            quantity: 1,
            unit_price_cents: funding.amount_cents,
        }],
        payment_days: Some(30),
        purchase_order: None,
    }
}

/// Adds the payers, funding lines, invoices and payments; nothing when the story's bilans are absent.
pub async fn seed(state: &AppState) -> anyhow::Result<()> {
    let mut conn = state.pool.get()?;
    let admin = accounts::find_by_email(&mut conn, "admin@boussole.test")?
        .ok_or_else(|| anyhow::anyhow!("seed-demo: the admin is missing"))?;
    let (Some((nicolas, _)), Some((sandrine, sandrine_user)), Some((julie, julie_user))) = (
        bilan_of(&mut conn, "nicolas.fontaine@boussole.test")?,
        bilan_of(&mut conn, "sandrine.michel@boussole.test")?,
        bilan_of(&mut conn, "julie.roux@boussole.test")?,
    ) else {
        return Ok(());
    };
    let opco = payer(
        PayerKind::Opco,
        "OPCO Avenir Compétences (fictif)",
        Some("85120364700017"),
        "Service des financements\n25 quai Perrache\n69002 Lyon",
        "Pôle financements",
        "financements@opco-avenir.example",
        None,
    );
    let employer = payer(
        PayerKind::Company,
        "Transports Garnier SAS (fictive)",
        Some("44123456700010"),
        "Zone industrielle des Îles\n38200 Vienne",
        "Mme Aline Garnier, DRH",
        "rh@transports-garnier.example",
        None,
    );
    let self_paid = payer(
        PayerKind::Beneficiary,
        "Sandrine Michel",
        None,
        "17 rue Victor Hugo\n69002 Lyon",
        "Sandrine Michel",
        "sandrine.michel@boussole.test",
        Some(sandrine_user),
    );
    let julie_pays = payer(
        PayerKind::Beneficiary,
        "Julie Roux",
        None,
        "4 rue des Tanneurs\n69001 Lyon",
        "Julie Roux",
        "julie.roux@boussole.test",
        Some(julie_user),
    );
    let by_opco = funding(&nicolas, &opco, 160_000, Some("AVC-2026-04187"), true);
    let top_up = funding(
        &nicolas,
        &employer,
        40_000,
        Some("Convention du 2 septembre"),
        false,
    );
    let own = funding(&sandrine, &self_paid, 144_000, None, false);
    conn.transaction(|conn| {
        for p in [&opco, &employer, &self_paid, &julie_pays] {
            diesel::insert_into(payers::table).values(p).execute(conn)?;
        }
        for f in [&by_opco, &top_up, &own] {
            diesel::insert_into(fundings::table)
                .values(f)
                .execute(conn)?;
        }
        Ok::<_, anyhow::Error>(())
    })?;
    drop(conn);
    let actor = Actor::user(&admin.id, None);
    let wanted = [
        (
            &nicolas,
            &by_opco,
            "Bilan de compétences – 22 heures d'accompagnement (prise en charge OPCO)",
            80_000,
        ),
        (
            &nicolas,
            &top_up,
            "Bilan de compétences – complément employeur",
            0,
        ),
        (
            &sandrine,
            &own,
            "Bilan de compétences – 16 heures d'accompagnement",
            144_000,
        ),
    ];
    for (bilan, line, description, paid) in wanted {
        let invoice = if paid == 0 {
            issue::invoice(
                state,
                one_line(bilan, line, description),
                &admin.id,
                actor.clone(),
            )
            .await
        } else {
            let signer = if line.id == own.id {
                Viewer::Beneficiary(self_paid.user_id.clone().unwrap_or_default())
            } else {
                Viewer::Admin(admin.id.clone())
            };
            through_quote(state, one_line(bilan, line, description), signer, &admin.id).await
        }
        .map_err(|e| anyhow::anyhow!("seed-demo: invoice: {e}"))?;
        if paid == 0 {
            continue;
        }
        let payment = NewPayment {
            amount_cents: paid,
            method: PaymentMethod::Transfer,
            paid_on: invoice.issue_date,
            reference: format!("VIR {}", invoice.number),
        };
        let (id, by, actor) = (invoice.id.to_string(), admin.id.clone(), actor.clone());
        let today = invoice.issue_date;
        db::tx(&state.pool, move |conn| {
            let row = rows::find(conn, &id)?;
            super::payments::record(conn, &row, &payment, today, &by, &actor)
        })
        .await
        .map_err(|e| anyhow::anyhow!("seed-demo: payment: {e}"))?;
    }
    let offer = NewQuote {
        bilan_id: uuid::Uuid::parse_str(&julie).unwrap_or_default(),
        funding_id: None,
        payer_id: uuid::Uuid::parse_str(&julie_pays.id).ok(),
        lines: vec![NewInvoiceLine {
            description: "Bilan de compétences – 20 heures d'accompagnement".into(),
            quantity: 1,
            unit_price_cents: 175_000,
        }],
        valid_days: Some(30),
    };
    quotes::create(state, offer, &admin.id, actor)
        .await
        .map_err(|e| anyhow::anyhow!("seed-demo: quote: {e}"))?;
    Ok(())
}

/// The invoice `new` issued the way an office works: a quote with the same lines, accepted (online
/// when `signer` is the beneficiary, else a signed copy recorded by the admin), then converted.
async fn through_quote(
    state: &AppState,
    new: NewInvoice,
    signer: Viewer,
    admin: &str,
) -> Result<boussole_shared::money::Invoice, crate::error::ApiError> {
    let actor = Actor::user(admin, None);
    let offer = NewQuote {
        bilan_id: new.bilan_id,
        funding_id: new.funding_id,
        payer_id: new.payer_id,
        lines: new.lines.clone(),
        valid_days: Some(30),
    };
    let quote = quotes::create(state, offer, admin, actor.clone()).await?;
    let (name, role) = match &signer {
        Viewer::Beneficiary(_) => (quote.buyer.name.clone(), None),
        _ => (
            quote.buyer.contact_name.clone(),
            Some("Signataire du payeur".to_string()),
        ),
    };
    let acceptance = NewAcceptance {
        signer_name: name,
        signer_role: role,
        signed_on: Some(quote.issue_date),
        agreed: true,
    };
    let signer_actor = Actor::user(signer.id(), None);
    quotes::accept(
        state,
        quote.id.to_string(),
        signer,
        acceptance,
        signer_actor,
    )
    .await?;
    let body = QuoteToInvoice {
        payment_days: new.payment_days,
        purchase_order: new.purchase_order,
    };
    quotes::to_invoice(state, quote.id.to_string(), body, admin, actor).await
}

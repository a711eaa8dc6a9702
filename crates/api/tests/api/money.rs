//! Money (issue 13): payers, funding lines, invoices with their gapless numbers and every mandatory
//! mention read back from the PDF, credit notes, payments, the self-funded rules, who sees what.
//! Each refusal asserts its 4xx and that nothing changed.

use boussole_shared::Page;
use boussole_shared::money::{
    Funding, FundingStatus, Invoice, InvoiceList, InvoiceStatus, NewCreditNote, NewFunding,
    NewInvoice, NewPayer, NewPayment, Payer, PayerKind, Payment, PaymentMethod, QuoteList,
};
use reqwest::Method;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::helpers::*;

on_both_backends!(
    payers_are_checked_and_listed,
    fundings_hide_amounts_from_consultants_when_the_organisation_asks,
    an_invoice_prints_every_mandatory_mention_and_is_never_edited,
    fifty_concurrent_invoices_take_fifty_consecutive_numbers,
    credit_notes_and_payments_keep_the_balance_and_refuse_what_breaks_it,
    a_self_funded_beneficiary_is_invoiced_after_the_withdrawal_period_and_30_percent_at_most,
    vat_is_charged_when_the_organisation_is_not_exempt,
    the_demo_has_an_opco_agreement_a_top_up_and_a_partial_payment,
    an_overdue_invoice_is_reminded_once_per_level,
);

/// Valid SIRETs (Luhn key) of fictitious establishments.
pub const COMPANY_SIRET: &str = "73282932000074";
pub const OPCO_SIRET: &str = "85120364700017";

pub async fn put_identity(app: &TestApp, admin: &str, identity: Value) {
    app.call(
        Method::PUT,
        "/api/v1/settings/organisation",
        Some(admin),
        Some(identity),
    )
    .await
    .expect(200);
}

pub fn demo_identity() -> Value {
    serde_json::to_value(boussole_api::documents::demo::identity()).unwrap()
}

/// A payer with a Lyon address and a contact.
pub fn payer(kind: PayerKind, name: &str, siret: Option<&str>) -> NewPayer {
    NewPayer {
        kind: Some(kind),
        name: name.into(),
        siret: siret.map(Into::into),
        address: "3 place Bellecour\n69002 Lyon".into(),
        contact_name: "Service formation".into(),
        email: "formation@example.com".into(),
        ..NewPayer::default()
    }
}

pub async fn new_payer(
    app: &TestApp,
    admin: &str,
    kind: PayerKind,
    name: &str,
    siret: Option<&str>,
) -> Payer {
    let body = payer(kind, name, siret);
    app.create_payer(admin, &body).await.ok(201)
}

/// An agreed funding line of `cents`, paid directly to the organisation (subrogation).
pub fn agreed(payer: &Payer, cents: i64) -> NewFunding {
    NewFunding {
        payer_id: payer.id,
        amount_cents: cents,
        agreement_number: Some("ACC-2026-117".into()),
        agreement_date: Some(days_ago(3)),
        status: FundingStatus::Agreed,
        subrogation: true,
    }
}

pub async fn new_funding(
    app: &TestApp,
    admin: &str,
    bilan: Uuid,
    payer: &Payer,
    cents: i64,
) -> Funding {
    let body = agreed(payer, cents);
    app.add_funding(admin, bilan, &body).await.ok(201)
}

fn invoice_body(bilan: Uuid, funding: &Funding, cents: i64) -> NewInvoice {
    NewInvoice {
        bilan_id: bilan,
        funding_id: Some(funding.id),
        payer_id: None,
        lines: vec![line("Bilan de compétences (24 heures)", 1, cents)],
        payment_days: None,
        purchase_order: Some("BC-4471".into()),
    }
}

pub async fn issue(app: &TestApp, admin: &str, body: &NewInvoice) -> Answer<Invoice> {
    app.issue_invoice(admin, body).await
}

fn invoice_of(answer: Answer<Invoice>) -> Invoice {
    answer.ok(201)
}

async fn invoices(app: &TestApp, token: &str, query: &str) -> InvoiceList {
    app.get_as(&format!("/api/v1/invoices{query}"), token)
        .await
        .ok(200)
}

async fn get_invoice(app: &TestApp, token: &str, id: &uuid::Uuid) -> Invoice {
    app.invoice(token, *id).await.ok(200)
}

/// The PDF's text, whitespace collapsed.
async fn pdf_text(app: &TestApp, token: &str, invoice: &Invoice) -> String {
    let res = app
        .client
        .get(format!("{}/api/v1/invoices/{}/pdf", app.base, invoice.id))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 200);
    assert_eq!(res.headers()["content-type"], "application/pdf");
    let bytes = res.bytes().await.unwrap();
    use sha2::Digest;
    assert_eq!(hex::encode(sha2::Sha256::digest(&bytes)), invoice.sha256);
    let doc = lopdf::Document::load_mem(&bytes).unwrap();
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    let text = doc.extract_text(&pages).unwrap();
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[track_caller]
pub fn has_all(text: &str, wanted: &[&str]) {
    for w in wanted {
        assert!(text.contains(w), "missing {w:?} in: {text}");
    }
}

pub fn count(app: &TestApp, table: &str) -> i64 {
    use diesel::RunQueryDsl;
    #[derive(diesel::QueryableByName)]
    struct N {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    diesel::sql_query(format!("SELECT COUNT(*) AS n FROM {table}"))
        .get_result::<N>(&mut app.conn())
        .unwrap()
        .n
}

/// A bilan of the demo beneficiary funded by an OPCO (agreed, subrogation), the identity saved.
pub async fn funded(app: &TestApp, admin: &str, cents: i64) -> (Uuid, Payer, Funding) {
    put_identity(app, admin, demo_identity()).await;
    let bilan = open_bilan(app, admin, FundingMode::Employer).await;
    let opco = new_payer(
        app,
        admin,
        PayerKind::Opco,
        "OPCO Horizon Compétences",
        Some(OPCO_SIRET),
    )
    .await;
    let funding = new_funding(app, admin, bilan, &opco, cents).await;
    (bilan, opco, funding)
}

async fn payers_are_checked_and_listed(backend: Backend) {
    let app = spawn_demo(backend).await;
    let admin = app.token(ADMIN).await;
    let consultant = app.token(CONSULTANT).await;
    let base = NewPayer {
        kind: Some(PayerKind::Company),
        name: "Boulangerie Lefèvre".into(),
        address: "1 rue Neuve\n69001 Lyon".into(),
        ..NewPayer::default()
    };
    let refused = app.create_payer(&admin, &base).await.expect(400);
    assert!(
        refused.body["errors"]["siret"].is_array(),
        "{}",
        refused.body
    );
    let bad = NewPayer {
        siret: Some("73282932000075".into()),
        email: "not-an-email".into(),
        ..base.clone()
    };
    let refused = app.create_payer(&admin, &bad).await.expect(400);
    assert!(
        refused.body["errors"]["siret"].is_array() && refused.body["errors"]["email"].is_array()
    );
    let refused = app
        .create_payer(&admin, &NewPayer::default())
        .await
        .expect(400);
    for f in ["kind", "name", "address"] {
        assert!(
            refused.body["errors"][f].is_array(),
            "{f}: {}",
            refused.body
        );
    }
    app.create_payer(&consultant, &base).await.expect(403);
    assert_eq!(count(&app, "payers"), 0, "nothing stored on refusal");

    let company = new_payer(
        &app,
        &admin,
        PayerKind::Company,
        "Boulangerie Lefèvre",
        Some("732 829 320 00074"),
    )
    .await;
    assert_eq!(company.siret.as_deref(), Some(COMPANY_SIRET));
    new_payer(
        &app,
        &admin,
        PayerKind::Opco,
        "OPCO Horizon Compétences",
        Some(OPCO_SIRET),
    )
    .await;
    let camille = app.user_id(&admin, BENEFICIARY).await;
    let me = NewPayer {
        kind: Some(PayerKind::Beneficiary),
        name: "Camille Durand".into(),
        address: "8 rue Paul Bert\n69003 Lyon".into(),
        user_id: Some(camille),
        ..NewPayer::default()
    };
    app.create_payer(&admin, &me).await.expect(201);
    let wrong_user = NewPayer {
        kind: Some(PayerKind::Opco),
        name: "X".into(),
        address: "Y".into(),
        siret: Some(OPCO_SIRET.into()),
        user_id: Some(camille),
        ..NewPayer::default()
    };
    app.create_payer(&admin, &wrong_user).await.expect(400);

    let payers = |query: &'static str| {
        let (app, admin) = (&app, &admin);
        async move {
            let path = format!("/api/v1/payers{query}");
            app.get_as::<Page<Payer>>(&path, admin).await.ok(200)
        }
    };
    assert_eq!(payers("?kind=opco").await.total, 1);
    let page = payers("?q=lef&per_page=1").await;
    assert_eq!((page.total, page.items[0].id), (1, company.id));
    assert_eq!(payers("?q=732829").await.total, 1);
    app.get("/api/v1/payers", &consultant).await.expect(403);
    app.get("/api/v1/payers?per_page=500", &admin)
        .await
        .expect(400);

    let changed = NewPayer {
        siret: Some(COMPANY_SIRET.into()),
        name: "Boulangerie Lefèvre & Fils".into(),
        ..base.clone()
    };
    let path = format!("/api/v1/payers/{}", company.id);
    let put: Payer = app.put_as(&path, &admin, &changed).await.ok(200);
    assert_eq!(put.name, "Boulangerie Lefèvre & Fils");
    let got: Payer = app.get_as(&path, &admin).await.ok(200);
    assert_eq!(got.created_at, company.created_at);
    app.get(&format!("/api/v1/payers/{}", uuid::Uuid::now_v7()), &admin)
        .await
        .expect(404);
}

async fn fundings_hide_amounts_from_consultants_when_the_organisation_asks(backend: Backend) {
    let app = spawn_demo(backend).await;
    let admin = app.token(ADMIN).await;
    let consultant = app.token(CONSULTANT).await;
    let beneficiary = app.token(BENEFICIARY).await;
    let (bilan, opco, funding) = funded(&app, &admin, 150_000).await;
    assert_eq!(
        (funding.amount_cents, funding.invoiced_cents),
        (Some(150_000), Some(0))
    );
    assert_eq!(funding.status, FundingStatus::Agreed);
    let path = format!("/api/v1/bilans/{bilan}/fundings");
    // Agreed, without an agreement number, date nor subrogation.
    let line = |payer_id, amount_cents| NewFunding {
        payer_id,
        amount_cents,
        agreement_number: None,
        agreement_date: None,
        status: FundingStatus::Agreed,
        subrogation: false,
    };
    for bad in [
        line(opco.id, -5),
        line(opco.id, 100_000_001),
        line(uuid::Uuid::now_v7(), 100),
    ] {
        app.add_funding(&admin, bilan, &bad).await.expect(400);
    }
    // An amount written as text: only raw JSON can send it.
    let text = json!({ "payer_id": opco.id, "amount_cents": "12,50", "status": "agreed" });
    app.post(&path, Some(&admin), text).await.expect(400);
    app.add_funding(&admin, uuid::Uuid::now_v7(), &line(opco.id, 100))
        .await
        .expect(404);
    app.post(&path, Some(&consultant), json!({}))
        .await
        .expect(403);
    assert_eq!(count(&app, "fundings"), 1, "nothing stored on refusal");

    let seen: Vec<Funding> = app.get_as(&path, &consultant).await.ok(200);
    assert_eq!(seen[0].amount_cents, Some(150_000));
    app.get(&path, &beneficiary).await.expect(403);
    let mut settings = app
        .get("/api/v1/settings/accounting", &admin)
        .await
        .expect(200)
        .body;
    assert_eq!(settings["sales_account"], "706000");
    settings["consultants_see_amounts"] = json!(false);
    app.call(
        Method::PUT,
        "/api/v1/settings/accounting",
        Some(&consultant),
        Some(settings.clone()),
    )
    .await
    .expect(403);
    settings["sales_journal"] = json!("");
    app.call(
        Method::PUT,
        "/api/v1/settings/accounting",
        Some(&admin),
        Some(settings.clone()),
    )
    .await
    .expect(400);
    settings["sales_journal"] = json!("VT");
    app.call(
        Method::PUT,
        "/api/v1/settings/accounting",
        Some(&admin),
        Some(settings),
    )
    .await
    .expect(200);
    let seen: Vec<Funding> = app.get_as(&path, &consultant).await.ok(200);
    assert_eq!(
        (seen[0].amount_cents, seen[0].invoiced_cents, seen[0].status),
        (None, None, FundingStatus::Agreed)
    );
    let seen: Vec<Funding> = app.get_as(&path, &admin).await.ok(200);
    assert_eq!(seen[0].amount_cents, Some(150_000));

    // Once invoiced, the line keeps its payer and cannot fall below what is invoiced.
    invoice_of(issue(&app, &admin, &invoice_body(bilan, &funding, 100_000)).await);
    let put = format!("{path}/{}", funding.id);
    let lower = line(opco.id, 90_000);
    let refused = app.put_as::<Funding>(&put, &admin, &lower).await;
    let refused = refused.expect(422);
    assert!(refused.problem_type().ends_with("funding-invoiced"));
    let raised = NewFunding {
        agreement_number: Some("ACC-2".into()),
        ..line(opco.id, 180_000)
    };
    let ok: Funding = app.put_as(&put, &admin, &raised).await.ok(200);
    assert_eq!(
        (ok.amount_cents, ok.invoiced_cents),
        (Some(180_000), Some(100_000))
    );
}

async fn an_invoice_prints_every_mandatory_mention_and_is_never_edited(backend: Backend) {
    let app = spawn_demo(backend).await;
    let admin = app.token(ADMIN).await;
    let consultant = app.token(CONSULTANT).await;
    let beneficiary = app.token(BENEFICIARY).await;
    // Without the organisation's identity: 422 naming what is missing, no number taken.
    let bilan = open_bilan(&app, &admin, FundingMode::Employer).await;
    let opco = new_payer(
        &app,
        &admin,
        PayerKind::Opco,
        "OPCO Horizon Compétences",
        Some(OPCO_SIRET),
    )
    .await;
    let funding = new_funding(&app, &admin, bilan, &opco, 180_000).await;
    let refused = issue(&app, &admin, &invoice_body(bilan, &funding, 150_000))
        .await
        .expect(422);
    assert!(refused.problem_type().ends_with("document-data-missing"));
    let missing = missing(&refused);
    for f in [
        "organisation.name",
        "organisation.siret",
        "organisation.nda",
        "organisation.legal_form",
    ] {
        assert!(missing.contains(&f.to_string()), "{missing:?}");
    }
    assert_eq!(count(&app, "invoices"), 0);
    put_identity(&app, &admin, demo_identity()).await;

    // Bad input: 400 and nothing issued.
    let base = NewInvoice {
        bilan_id: bilan,
        funding_id: Some(funding.id),
        payer_id: None,
        lines: vec![line("x", 1, 100)],
        payment_days: None,
        purchase_order: None,
    };
    let lines = |lines| NewInvoice {
        lines,
        ..base.clone()
    };
    for bad in [
        lines(vec![]),
        lines(vec![line("x", 1, -100)]),
        lines(vec![line("x", 0, 100)]),
        lines(vec![line("x", 1000, 100_000_000)]),
        NewInvoice {
            funding_id: None,
            ..base.clone()
        },
        NewInvoice {
            bilan_id: uuid::Uuid::now_v7(),
            ..base.clone()
        },
        NewInvoice {
            funding_id: None,
            payer_id: Some(uuid::Uuid::now_v7()),
            ..base.clone()
        },
        NewInvoice {
            payment_days: Some(400),
            ..base.clone()
        },
    ] {
        issue(&app, &admin, &bad).await.expect(400);
    }
    issue(&app, &consultant, &invoice_body(bilan, &funding, 100))
        .await
        .expect(403);
    issue(&app, &beneficiary, &invoice_body(bilan, &funding, 100))
        .await
        .expect(403);
    // More than the funding line holds: 422.
    let over = issue(&app, &admin, &invoice_body(bilan, &funding, 180_001))
        .await
        .expect(422);
    assert!(over.problem_type().ends_with("funding-exceeded"));
    assert_eq!(count(&app, "invoices"), 0, "nothing issued on refusal");

    let invoice = invoice_of(issue(&app, &admin, &invoice_body(bilan, &funding, 150_000)).await);
    let year = chrono::Utc::now().format("%Y").to_string();
    assert_eq!(invoice.number, format!("F-{year}-000001"));
    assert_eq!(
        (
            invoice.total_excl_vat_cents,
            invoice.vat_cents,
            invoice.total_cents
        ),
        (150_000, 0, 150_000)
    );
    assert_eq!(invoice.status, InvoiceStatus::Unpaid);
    assert_eq!(invoice.balance_cents, 150_000);
    assert_eq!(invoice.buyer.name, "OPCO Horizon Compétences");
    // The invoice is dated in Paris: between 23:00 and 24:00 UTC that is already tomorrow.
    let today = boussole_shared::time::paris_date(chrono::Utc::now().naive_utc());
    assert_eq!(invoice.issue_date, today);
    let text = pdf_text(&app, &admin, &invoice).await;
    let d = |day: chrono::NaiveDate| day.format("%d/%m/%Y").to_string();
    has_all(
        &text,
        &[
            "Facture n° ",
            &invoice.number,
            "Cap Horizons Conseil",
            "12 rue des Tanneurs",
            "SIREN 812345678",
            "SIRET 81234567800013",
            "SAS",
            "au capital de 10 000 €",
            "RCS Lyon 812345678",
            "Déclaration d'activité enregistrée sous le numéro 84691234569 auprès du préfet de région d'Auvergne-Rhône-Alpes. Cet enregistrement ne vaut pas agrément de l'État.",
            "OPCO Horizon Compétences",
            "3 place Bellecour",
            "SIREN du client : 851203647",
            "Bon de commande : BC-4471",
            &format!("Date d'émission : {}", d(invoice.issue_date)),
            "Date de la prestation",
            "Bilan de compétences de Camille Durand",
            "Bilan de compétences (24 heures)",
            "1 500,00 €",
            "Total HT : 1 500,00 €",
            "TVA : 0,00 €",
            "Total TTC : 1 500,00 €",
            "Exonération de TVA – article 261-4-4° a du CGI",
            &format!(
                "Date d'échéance : {}",
                d(today + chrono::Duration::days(30))
            ),
            "Escompte pour paiement anticipé : néant",
            "Pénalités de retard : trois fois le taux d'intérêt légal",
            "Indemnité forfaitaire pour frais de recouvrement : 40 €",
        ],
    );

    // Never edited: no PUT nor PATCH (405), and nothing changes.
    let path = format!("/api/v1/invoices/{}", invoice.id);
    for method in [Method::PUT, Method::PATCH, Method::DELETE] {
        let answer = app
            .call(
                method,
                &path,
                Some(&admin),
                Some(json!({ "total_cents": 1 })),
            )
            .await;
        assert_eq!(answer.status.as_u16(), 405);
    }
    assert_eq!(get_invoice(&app, &admin, &invoice.id).await, invoice);
    // Nor even from the database (the trigger).
    use diesel::RunQueryDsl;
    let tampered =
        diesel::sql_query("UPDATE invoices SET total_cents = 1").execute(&mut app.conn());
    assert!(tampered.is_err());

    // Readers: consultants never; the beneficiary not their employer's or a funder's invoice.
    app.get(&path, &consultant).await.expect(403);
    app.get(&path, &beneficiary).await.expect(404);
    app.get(&format!("{path}/pdf"), &beneficiary)
        .await
        .expect(404);
    assert_eq!(invoices(&app, &beneficiary, "").await.total, 0);
    let all = invoices(&app, &admin, &format!("?bilan_id={bilan}")).await;
    assert_eq!(
        (
            all.total,
            all.totals.invoiced_cents,
            all.totals.balance_cents
        ),
        (1, 150_000, 150_000)
    );
    app.get("/api/v1/invoices?status=nonsense", &admin)
        .await
        .expect(400);
}

async fn fifty_concurrent_invoices_take_fifty_consecutive_numbers(backend: Backend) {
    let app = spawn_demo(backend).await;
    let admin = app.token(ADMIN).await;
    let (bilan, _, funding) = funded(&app, &admin, 5_000_000).await;
    let body = invoice_body(bilan, &funding, 1_000);
    let answers = futures_util::future::join_all((0..50).map(|_| issue(&app, &admin, &body))).await;
    let mut seqs: Vec<i64> = answers
        .into_iter()
        .map(|a| {
            let number = invoice_of(a).number;
            number.rsplit('-').next().unwrap().parse().unwrap()
        })
        .collect();
    seqs.sort();
    assert_eq!(seqs, (1..=50).collect::<Vec<i64>>(), "no gap, no duplicate");
    // A refused issue takes no number: the next one is 51.
    issue(&app, &admin, &invoice_body(bilan, &funding, 5_000_000))
        .await
        .expect(422);
    let next = invoice_of(issue(&app, &admin, &invoice_body(bilan, &funding, 1_000)).await);
    assert!(next.number.ends_with("-000051"), "{}", next.number);
    // A retry with the same Idempotency-Key gets the first answer: no second invoice, no number taken.
    let send = || {
        app.client
            .post(format!("{}/api/v1/invoices", app.base))
            .bearer_auth(&admin)
            .header("Idempotency-Key", "invoice-retry-1")
            .json(&invoice_body(bilan, &funding, 1_000))
            .send()
    };
    let first: Invoice = send().await.unwrap().json().await.unwrap();
    let again = send().await.unwrap();
    assert_eq!(again.headers()["idempotent-replayed"], "true");
    let again: Invoice = again.json().await.unwrap();
    assert_eq!((again.id, again.number.clone()), (first.id, first.number));
    assert_eq!(count(&app, "invoices"), 52);
}

async fn credit_notes_and_payments_keep_the_balance_and_refuse_what_breaks_it(backend: Backend) {
    let app = spawn_demo(backend).await;
    let admin = app.token(ADMIN).await;
    let beneficiary = app.token(BENEFICIARY).await;
    let (bilan, _, funding) = funded(&app, &admin, 200_000).await;
    let invoice = invoice_of(issue(&app, &admin, &invoice_body(bilan, &funding, 120_000)).await);
    let pay = |amount_cents: i64, paid_on| NewPayment {
        amount_cents,
        method: PaymentMethod::Transfer,
        paid_on,
        reference: "VIR 0042".into(),
    };
    let notes = format!("/api/v1/invoices/{}/credit-notes", invoice.id);

    for (body, status, slug) in [
        (pay(0, days_ago(1)), 400, "validation"),
        (pay(-500, days_ago(1)), 400, "validation"),
        (pay(120_001, days_ago(1)), 422, "payment-exceeds-balance"),
        (pay(100, days_ago(-2)), 422, "payment-in-future"),
    ] {
        let refused = app.record_payment(&admin, invoice.id, &body).await;
        let refused = refused.expect(status);
        assert!(refused.problem_type().ends_with(slug), "{}", refused.body);
    }
    app.record_payment(&beneficiary, invoice.id, &pay(100, days_ago(1)))
        .await
        .expect(403);
    app.record_payment(&admin, uuid::Uuid::now_v7(), &pay(100, days_ago(1)))
        .await
        .expect(404);
    assert_eq!(count(&app, "payments"), 0, "nothing recorded on refusal");

    let paid = app
        .record_payment(&admin, invoice.id, &pay(50_000, days_ago(1)))
        .await
        .ok(201);
    assert_eq!(paid.amount_cents, 50_000);
    let now = get_invoice(&app, &admin, &invoice.id).await;
    assert_eq!(
        (now.paid_cents, now.balance_cents, now.status),
        (50_000, 70_000, InvoiceStatus::PartiallyPaid)
    );

    // A credit note larger than what the invoice holds: 422, nothing issued.
    let credit = |cents: i64, reason: &str| NewCreditNote {
        amount_cents: Some(cents),
        reason: reason.into(),
    };
    let too_big = app
        .post_as::<Invoice>(&notes, Some(&admin), &credit(120_001, "Erreur"))
        .await
        .expect(422);
    assert!(
        too_big
            .problem_type()
            .ends_with("credit-note-exceeds-invoice")
    );
    app.post_as::<Invoice>(&notes, Some(&admin), &credit(100, ""))
        .await
        .expect(400);
    app.post_as::<Invoice>(&notes, Some(&admin), &credit(-100, "x"))
        .await
        .expect(400);
    assert_eq!(count(&app, "invoices"), 1);

    let note = credit(20_000, "Deux heures non réalisées");
    let note: Invoice = app.post_as(&notes, Some(&admin), &note).await.ok(201);
    let year = chrono::Utc::now().format("%Y").to_string();
    assert_eq!(note.number, format!("A-{year}-000001"));
    assert_eq!(
        (note.total_cents, note.corrects_invoice_id),
        (-20_000, Some(invoice.id))
    );
    let text = pdf_text(&app, &admin, &note).await;
    has_all(
        &text,
        &[
            "Avoir n° ",
            &note.number,
            &invoice.number,
            "Deux heures non réalisées",
            "-200,00 €",
        ],
    );
    let now = get_invoice(&app, &admin, &invoice.id).await;
    assert_eq!((now.credited_cents, now.balance_cents), (20_000, 50_000));
    app.record_payment(&admin, note.id, &pay(100, days_ago(1)))
        .await
        .expect(422);

    // Paying the balance settles the invoice, and the funding line (all its invoices are paid).
    app.record_payment(&admin, invoice.id, &pay(50_000, days_ago(0)))
        .await
        .expect(201);
    let now = get_invoice(&app, &admin, &invoice.id).await;
    assert_eq!((now.balance_cents, now.status), (0, InvoiceStatus::Paid));
    let fundings = format!("/api/v1/bilans/{bilan}/fundings");
    let lines: Vec<Funding> = app.get_as(&fundings, &admin).await.ok(200);
    assert_eq!(
        (lines[0].status, lines[0].invoiced_cents),
        (FundingStatus::Paid, Some(100_000))
    );
    let payments = format!("/api/v1/invoices/{}/payments", invoice.id);
    let listed: Vec<Payment> = app.get_as(&payments, &admin).await.ok(200);
    assert_eq!(listed.len(), 2);

    // A second invoice, wholly credited: no payment on it any more.
    let second = invoice_of(issue(&app, &admin, &invoice_body(bilan, &funding, 30_000)).await);
    let lines: Vec<Funding> = app.get_as(&fundings, &admin).await.ok(200);
    assert_eq!(
        lines[0].status,
        FundingStatus::Agreed,
        "something is owed again"
    );
    let notes2 = format!("/api/v1/invoices/{}/credit-notes", second.id);
    let all_of_it = |reason: &str| NewCreditNote {
        amount_cents: None,
        reason: reason.into(),
    };
    app.post_as::<Invoice>(
        &notes2,
        Some(&admin),
        &all_of_it("Facture émise par erreur"),
    )
    .await
    .expect(201);
    assert_eq!(
        get_invoice(&app, &admin, &second.id).await.status,
        InvoiceStatus::Credited
    );
    let refused = app
        .record_payment(&admin, second.id, &pay(100, days_ago(0)))
        .await
        .expect(422);
    assert!(refused.problem_type().ends_with("invoice-credited"));
    app.post_as::<Invoice>(&notes2, Some(&admin), &all_of_it("encore"))
        .await
        .expect(422);
    assert_eq!(count(&app, "payments"), 2);

    // The list: totals over the whole selection, the status filter.
    let list = invoices(&app, &admin, "?per_page=1").await;
    assert_eq!((list.total, list.items.len()), (4, 1));
    assert_eq!(
        list.totals.invoiced_cents,
        120_000 + 30_000 - 20_000 - 30_000
    );
    assert_eq!(
        (list.totals.paid_cents, list.totals.balance_cents),
        (100_000, 0)
    );
    let credited = invoices(&app, &admin, "?status=credited&kind=invoice").await;
    assert_eq!(
        credited.items.iter().map(|i| i.id).collect::<Vec<_>>(),
        vec![second.id]
    );
}

async fn a_self_funded_beneficiary_is_invoiced_after_the_withdrawal_period_and_30_percent_at_most(
    backend: Backend,
) {
    let app = spawn_demo(backend).await;
    let admin = app.token(ADMIN).await;
    let beneficiary = app.token(BENEFICIARY).await;
    put_identity(&app, &admin, demo_identity()).await;
    let bilan = open_bilan(&app, &admin, FundingMode::SelfFunded).await;
    let camille = app.user_id(&admin, BENEFICIARY).await;
    let me = NewPayer {
        kind: Some(PayerKind::Beneficiary),
        name: "Camille Durand".into(),
        address: "8 rue Paul Bert\n69003 Lyon".into(),
        user_id: Some(camille),
        ..NewPayer::default()
    };
    let payer = app.create_payer(&admin, &me).await.ok(201);
    let body = |cents: i64| NewInvoice {
        bilan_id: bilan,
        funding_id: None,
        payer_id: Some(payer.id),
        lines: vec![line("Acompte sur le bilan de compétences", 1, cents)],
        payment_days: None,
        purchase_order: None,
    };

    // No contract signed: nothing may be invoiced.
    let refused = issue(&app, &admin, &body(10_000)).await.expect(422);
    assert!(refused.problem_type().ends_with("withdrawal-period"));
    // Signed five days ago: the 10-day withdrawal period still runs.
    let signed = FactKind::IndividualContractSigned;
    fact(&app, &admin, bilan, signed, days_ago(5)).await;
    let refused = issue(&app, &admin, &body(10_000)).await.expect(422);
    assert!(
        refused.problem_type().ends_with("withdrawal-period"),
        "{}",
        refused.body
    );
    assert_eq!(count(&app, "invoices"), 0);
    // Six days later the period is over; 30 % of the €1,800 price is €540.
    app.config
        .clock
        .advance(std::time::Duration::from_secs(6 * 86_400));
    let first = invoice_of(issue(&app, &admin, &body(50_000)).await);
    let refused = issue(&app, &admin, &body(4_001)).await.expect(422);
    assert!(refused.problem_type().ends_with("advance-over-30-percent"));
    invoice_of(issue(&app, &admin, &body(4_000)).await);
    assert_eq!(count(&app, "invoices"), 2);

    // Camille sees her own invoices (and no indemnity for a consumer), not the others'.
    let text = pdf_text(&app, &beneficiary, &first).await;
    assert!(!text.contains("Indemnité forfaitaire"), "{text}");
    has_all(
        &text,
        &["Camille Durand", "Escompte pour paiement anticipé : néant"],
    );
    let theirs = invoices(&app, &beneficiary, "").await;
    assert_eq!((theirs.total, theirs.totals.invoiced_cents), (2, 54_000));
    let payments = format!("/api/v1/invoices/{}/payments", first.id);
    let listed: Vec<Payment> = app.get_as(&payments, &beneficiary).await.ok(200);
    assert!(listed.is_empty());
}

async fn vat_is_charged_when_the_organisation_is_not_exempt(backend: Backend) {
    let app = spawn_demo(backend).await;
    let admin = app.token(ADMIN).await;
    let (bilan, _, funding) = funded(&app, &admin, 200_000).await;
    let mut identity = demo_identity();
    identity["vat_exempt"] = json!(false);
    put_identity(&app, &admin, identity.clone()).await;
    let refused = issue(&app, &admin, &invoice_body(bilan, &funding, 150_000))
        .await
        .expect(422);
    assert_eq!(missing(&refused), vec!["organisation.vat_number"]);
    identity["vat_number"] = json!("FR32812345678");
    put_identity(&app, &admin, identity).await;
    let body = NewInvoice {
        bilan_id: bilan,
        funding_id: Some(funding.id),
        payer_id: None,
        lines: vec![
            line("Entretiens individuels", 12, 8_333),
            line("Tests", 1, 1),
        ],
        payment_days: Some(45),
        purchase_order: None,
    };
    let invoice = invoice_of(issue(&app, &admin, &body).await);
    // 12 × 83,33 € + 0,01 € = 999,97 € HT; 20 % is 199,994 €, rounded to the cent.
    assert_eq!(
        (
            invoice.total_excl_vat_cents,
            invoice.vat_rate_bp,
            invoice.vat_cents,
            invoice.total_cents
        ),
        (99_997, 2000, 19_999, 119_996)
    );
    assert_eq!(invoice.vat_mention, None);
    assert_eq!(invoice.lines[0].total_cents, 99_996);
    let text = pdf_text(&app, &admin, &invoice).await;
    has_all(
        &text,
        &[
            "TVA (20 %) : 199,99 €",
            "Total TTC : 1 199,96 €",
            "TVA intracommunautaire FR32812345678",
        ],
    );
    assert!(!text.contains("Exonération"));
}

async fn the_demo_has_an_opco_agreement_a_top_up_and_a_partial_payment(backend: Backend) {
    let app = spawn_demo(backend).await;
    boussole_api::seed::story::seed_demo_story(&mut app.conn(), &app.config).unwrap();
    let state = boussole_api::AppState::new(app.config.clone()).unwrap();
    boussole_api::documents::demo::seed(&state).await.unwrap();
    boussole_api::money::demo::seed(&state).await.unwrap();
    let admin = app.token(ADMIN).await;
    let all = invoices(&app, &admin, "").await;
    assert_eq!(all.total, 3);
    assert_eq!(all.totals.invoiced_cents, 160_000 + 40_000 + 144_000);
    assert_eq!(all.totals.paid_cents, 80_000 + 144_000);
    let statuses: Vec<InvoiceStatus> = all.items.iter().map(|i| i.status).collect();
    for s in [
        InvoiceStatus::PartiallyPaid,
        InvoiceStatus::Unpaid,
        InvoiceStatus::Paid,
    ] {
        assert!(statuses.contains(&s), "{statuses:?}");
    }
    let opco = all
        .items
        .iter()
        .find(|i| i.status == InvoiceStatus::PartiallyPaid)
        .unwrap();
    let lines: Vec<Funding> = app
        .get_as(
            &format!("/api/v1/bilans/{}/fundings", opco.bilan_id),
            &admin,
        )
        .await
        .ok(200);
    assert_eq!(lines.len(), 2);
    assert!(
        lines
            .iter()
            .any(|f| f.subrogation && f.payer.kind == PayerKind::Opco)
    );
    assert!(
        lines
            .iter()
            .any(|f| !f.subrogation && f.payer.kind == PayerKind::Company)
    );
    let text = pdf_text(&app, &admin, opco).await;
    has_all(
        &text,
        &[
            "OPCO Avenir Compétences",
            "Cap Horizons Conseil",
            "Indemnité forfaitaire",
        ],
    );
    // Sandrine paid her own bilan: she sees that invoice, paid; Camille (CPF) has none.
    let sandrine = app.token("sandrine.michel@boussole.test").await;
    let hers = invoices(&app, &sandrine, "").await;
    assert_eq!((hers.total, hers.items[0].status), (1, InvoiceStatus::Paid));
    let camille = app.token(BENEFICIARY).await;
    assert_eq!(invoices(&app, &camille, "").await.total, 0);

    // The OPCO's and Sandrine's invoices came from accepted quotes (a signed copy recorded; online);
    // Julie's quote waits for her answer, and she sees it.
    let quotes: QuoteList = app.get_as("/api/v1/quotes", &admin).await.ok(200);
    use boussole_shared::money::{AcceptanceMethod, QuoteStatus};
    let of = |invoice: &Invoice| {
        quotes
            .items
            .iter()
            .find(|q| q.invoice_id == Some(invoice.id))
            .map(|q| (q.status, q.acceptance.as_ref().map(|a| a.method)))
    };
    assert_eq!(
        of(opco),
        Some((QuoteStatus::Invoiced, Some(AcceptanceMethod::Recorded)))
    );
    assert_eq!(
        of(&hers.items[0]),
        Some((QuoteStatus::Invoiced, Some(AcceptanceMethod::Online)))
    );
    let julie = app.token("julie.roux@boussole.test").await;
    let waiting: QuoteList = app.get_as("/api/v1/quotes", &julie).await.ok(200);
    assert_eq!(
        (waiting.total, waiting.items[0].status),
        (1, QuoteStatus::Pending)
    );
}

async fn an_overdue_invoice_is_reminded_once_per_level(backend: Backend) {
    let app = spawn_demo(backend).await;
    let admin = app.token(ADMIN).await;
    let (bilan, _, funding) = funded(&app, &admin, 100_000).await;
    let body = NewInvoice {
        payment_days: Some(0),
        ..invoice_body(bilan, &funding, 60_000)
    };
    let invoice = invoice_of(issue(&app, &admin, &body).await);
    let paid = invoice_of(issue(&app, &admin, &invoice_body(bilan, &funding, 1_000)).await);
    let pay = NewPayment {
        amount_cents: 1_000,
        method: PaymentMethod::Cheque,
        paid_on: days_ago(0),
        reference: String::new(),
    };
    app.record_payment(&admin, paid.id, &pay).await.expect(201);
    let remind = |days: u64| {
        let today = invoice.issue_date + chrono::Days::new(days);
        boussole_api::money::reminders::send_overdue(&mut app.conn(), today).unwrap()
    };
    let outbox = count(&app, "outbox");
    assert_eq!(remind(0), 0, "due today: not late yet");
    assert_eq!(remind(1), 1);
    assert_eq!(remind(2), 0, "level 1 is sent once");
    assert_eq!(remind(40), 1, "a month late: the last level only");
    assert_eq!(remind(41), 0);
    assert_eq!(count(&app, "outbox"), outbox + 2);
    let overdue = invoices(&app, &admin, "?status=overdue").await;
    assert_eq!(
        overdue.items.len(),
        0,
        "not overdue by the server's date yet"
    );
}

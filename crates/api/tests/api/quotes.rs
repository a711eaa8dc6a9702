//! Quotes (issue 13, item 3): issued with their PDF and never edited, accepted online by the
//! beneficiary buyer or recorded as signed by an admin, declined, expired, and turned into exactly one
//! invoice even under concurrent conversions. Each refusal asserts its 4xx and that nothing changed.

use boussole_shared::money::{
    AcceptanceMethod, Invoice, NewAcceptance, NewInvoiceLine, NewPayer, NewQuote, PayerKind, Quote,
    QuoteList, QuoteStatus, QuoteToInvoice,
};
use chrono::NaiveDate;
use reqwest::Method;
use serde_json::json;

use crate::helpers::*;
use crate::money::{count, demo_identity, funded, has_all, put_identity};

on_both_backends!(
    a_self_funded_quote_is_accepted_online_by_its_beneficiary_only,
    a_recorded_acceptance_becomes_one_invoice_under_concurrent_conversions,
    bad_expired_and_declined_quotes_are_refused_and_change_nothing,
);

fn lines() -> Vec<NewInvoiceLine> {
    vec![
        line("Bilan de compétences (24 heures)", 1, 180_000),
        line("Entretien de suivi à six mois", 2, 7_550),
    ]
}

/// A "bon pour accord" with the box ticked.
fn agreed(signer_name: &str, signed_on: Option<NaiveDate>) -> NewAcceptance {
    NewAcceptance {
        signer_name: signer_name.into(),
        signer_role: None,
        signed_on,
        agreed: true,
    }
}

async fn quotes(app: &TestApp, token: &str, query: &str) -> QuoteList {
    app.get_as(&format!("/api/v1/quotes{query}"), token)
        .await
        .ok(200)
}

async fn pdf_text(app: &TestApp, token: &str, quote: &Quote) -> String {
    let res = app
        .client
        .get(format!("{}/api/v1/quotes/{}/pdf", app.base, quote.id))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 200);
    let bytes = res.bytes().await.unwrap();
    use sha2::Digest;
    assert_eq!(hex::encode(sha2::Sha256::digest(&bytes)), quote.sha256);
    let doc = lopdf::Document::load_mem(&bytes).unwrap();
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    let text = doc.extract_text(&pages).unwrap();
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

async fn get_quote(app: &TestApp, token: &str, quote: &Quote) -> Quote {
    app.quote(token, quote.id).await.ok(200)
}

async fn accept(app: &TestApp, token: &str, quote: &Quote, body: &NewAcceptance) -> Answer<Quote> {
    app.accept_quote(token, quote.id, body).await
}

async fn a_self_funded_quote_is_accepted_online_by_its_beneficiary_only(backend: Backend) {
    let app = spawn_demo(backend).await;
    let admin = app.token(ADMIN).await;
    let camille = app.token(BENEFICIARY).await;
    let consultant = app.token(CONSULTANT).await;
    let lucas = app.token("lucas.moreau@boussole.test").await;
    put_identity(&app, &admin, demo_identity()).await;
    let bilan = open_bilan(&app, &admin, FundingMode::SelfFunded).await;
    let camille_id = app.user_id(&admin, BENEFICIARY).await;
    let payer = NewPayer {
        kind: Some(PayerKind::Beneficiary),
        name: "Camille Durand".into(),
        address: "8 rue Paul Bert\n69003 Lyon".into(),
        user_id: Some(camille_id),
        ..NewPayer::default()
    };
    let payer = app.create_payer(&admin, &payer).await.ok(201);
    let body = NewQuote {
        bilan_id: bilan,
        funding_id: None,
        payer_id: Some(payer.id),
        lines: lines(),
        valid_days: Some(15),
    };
    let quote = app.issue_quote(&admin, &body).await.ok(201);
    assert_eq!(quote.status, QuoteStatus::Pending);
    assert_eq!(quote.total_excl_vat_cents, 180_000 + 2 * 7_550);
    assert_eq!(
        quote.total_cents, quote.total_excl_vat_cents,
        "exempt: no VAT"
    );
    assert_eq!((quote.valid_until - quote.issue_date).num_days(), 15);
    assert!(quote.number.starts_with("D-") && quote.number.ends_with("-000001"));

    // The PDF names the offer, its prices, validity and the "bon pour accord" the buyer signs.
    let text = pdf_text(&app, &camille, &quote).await;
    has_all(
        &text,
        &[
            &format!("Devis n° {}", quote.number),
            "Camille Durand",
            "Valable jusqu'au",
            "Bon pour accord",
            "1 951,00 €",
            "151,00 €",
            "Bilan de compétences de Camille Durand",
        ],
    );

    // Who reads it: the organisation and Camille; a consultant is refused, another beneficiary sees nothing.
    app.get("/api/v1/quotes", &consultant).await.expect(403);
    app.quote(&lucas, quote.id).await.expect(404);
    let hers = quotes(&app, &camille, "").await;
    assert_eq!((hers.total, hers.totals.pending_cents), (1, 195_100));
    assert_eq!(quotes(&app, &lucas, "").await.total, 0);
    accept(&app, &lucas, &quote, &agreed("Lucas Moreau", None))
        .await
        .expect(404);
    accept(&app, &consultant, &quote, &agreed("X", None))
        .await
        .expect(403);

    // The box must be ticked and a name typed; nothing moves until then.
    let unticked = NewAcceptance {
        agreed: false,
        ..agreed(" ", None)
    };
    let refused = accept(&app, &camille, &quote, &unticked).await.expect(400);
    assert!(
        refused.body["errors"]["agreed"].is_array()
            && refused.body["errors"]["signer_name"].is_array()
    );
    assert_eq!(
        get_quote(&app, &admin, &quote).await.status,
        QuoteStatus::Pending
    );

    let accepted = accept(&app, &camille, &quote, &agreed("Camille Durand", None))
        .await
        .ok(200);
    assert_eq!(accepted.status, QuoteStatus::Accepted);
    let a = accepted.acceptance.clone().unwrap();
    assert_eq!(
        (a.method, a.signer_name.as_str()),
        (AcceptanceMethod::Online, "Camille Durand")
    );
    assert_eq!(
        (a.signed_on, a.sha256.as_str()),
        (quote.issue_date, quote.sha256.as_str())
    );
    // A second answer is a conflict, and the offer itself never changes.
    accept(&app, &camille, &quote, &agreed("Camille Durand", None))
        .await
        .expect(409);
    app.decline_quote(&camille, quote.id, "trop cher")
        .await
        .expect(409);
    app.call(
        Method::PUT,
        &format!("/api/v1/quotes/{}", quote.id),
        Some(&admin),
        Some(json!({})),
    )
    .await
    .expect(405);
    // The acceptance is journaled (with where it came from, kept under the journal's IP retention).
    let journal = app
        .get("/api/v1/audit?action=quote.accept", &app.token(ADMIN).await)
        .await
        .expect(200);
    assert_eq!(journal.body["total"], 1, "{}", journal.body);

    // Converting a self-funded quote follows the invoice rules: no contract signed, no invoice, and
    // the quote stays accepted.
    let refused = app
        .invoice_quote(&admin, quote.id, &QuoteToInvoice::default())
        .await
        .expect(422);
    assert!(
        refused.problem_type().ends_with("withdrawal-period"),
        "{}",
        refused.body
    );
    assert_eq!(count(&app, "invoices"), 0);
    assert_eq!(
        get_quote(&app, &admin, &quote).await.status,
        QuoteStatus::Accepted
    );
}

async fn a_recorded_acceptance_becomes_one_invoice_under_concurrent_conversions(backend: Backend) {
    let app = spawn_demo(backend).await;
    let admin = app.token(ADMIN).await;
    let (bilan, opco, funding) = funded(&app, &admin, 300_000).await;
    let body = NewQuote {
        bilan_id: bilan,
        funding_id: Some(funding.id),
        payer_id: None,
        lines: lines(),
        valid_days: None,
    };
    let quote = app.issue_quote(&admin, &body).await.ok(201);
    assert_eq!(quote.buyer.id, opco.id);
    assert_eq!(quote.funding_id, Some(funding.id));
    // Not accepted yet: nothing to invoice.
    let refused = app
        .invoice_quote(&admin, quote.id, &QuoteToInvoice::default())
        .await
        .expect(422);
    assert!(refused.problem_type().ends_with("quote-not-accepted"));

    // A signed copy came back: the admin records who signed and when (not in the future).
    let tomorrow = quote.issue_date + chrono::Days::new(1);
    let refused = accept(
        &app,
        &admin,
        &quote,
        &agreed("Claire Martin", Some(tomorrow)),
    )
    .await
    .expect(400);
    assert!(refused.body["errors"]["signed_on"].is_array());
    accept(&app, &admin, &quote, &agreed("Claire Martin", None))
        .await
        .expect(400);
    let signed = NewAcceptance {
        signer_role: Some("Responsable formation".into()),
        ..agreed("Claire Martin", Some(quote.issue_date))
    };
    let accepted = accept(&app, &admin, &quote, &signed).await.ok(200);
    let a = accepted.acceptance.unwrap();
    assert_eq!(a.method, AcceptanceMethod::Recorded);
    assert_eq!(a.signer_role.as_deref(), Some("Responsable formation"));

    // Five conversions at once: one invoice, four conflicts, one number taken.
    let convert = QuoteToInvoice {
        payment_days: Some(45),
        purchase_order: Some("BC-88".into()),
    };
    let answers = futures_util::future::join_all(
        (0..5).map(|_| app.invoice_quote(&admin, quote.id, &convert)),
    )
    .await;
    let mut statuses: Vec<u16> = answers.iter().map(|a| a.status.as_u16()).collect();
    statuses.sort();
    assert_eq!(statuses, vec![201, 409, 409, 409, 409]);
    let created = answers.into_iter().find(|a| a.status.as_u16() == 201);
    let invoice: Invoice = created.unwrap().into_body();
    assert!(invoice.number.ends_with("-000001"), "{}", invoice.number);
    assert_eq!(count(&app, "invoices"), 1);
    assert_eq!(
        (invoice.total_cents, invoice.lines.clone()),
        (quote.total_cents, quote.lines.clone())
    );
    assert_eq!(
        (invoice.funding_id, invoice.buyer.id),
        (Some(funding.id), opco.id)
    );
    assert_eq!((invoice.due_date - invoice.issue_date).num_days(), 45);
    assert_eq!(invoice.purchase_order.as_deref(), Some("BC-88"));
    let now = get_quote(&app, &admin, &quote).await;
    assert_eq!(
        (now.status, now.invoice_id),
        (QuoteStatus::Invoiced, Some(invoice.id))
    );
    let invoiced = quotes(&app, &admin, "?status=invoiced").await;
    assert_eq!(
        (invoiced.total, invoiced.totals.invoiced_cents),
        (1, quote.total_cents)
    );
}

async fn bad_expired_and_declined_quotes_are_refused_and_change_nothing(backend: Backend) {
    let app = spawn_demo(backend).await;
    let admin = app.token(ADMIN).await;
    let (bilan, _, funding) = funded(&app, &admin, 300_000).await;
    let good = NewQuote {
        bilan_id: bilan,
        funding_id: Some(funding.id),
        payer_id: None,
        lines: lines(),
        valid_days: Some(1),
    };
    let before = count(&app, "quotes");
    let with_lines = |lines| NewQuote {
        lines,
        ..good.clone()
    };
    let valid_for = |days| NewQuote {
        valid_days: Some(days),
        ..good.clone()
    };
    for (body, field) in [
        (with_lines(vec![]), "lines"),
        (valid_for(0), "valid_days"),
        (valid_for(181), "valid_days"),
        (
            with_lines(vec![line("x", 1, -5)]),
            "lines[0].unit_price_cents",
        ),
        (with_lines(vec![line("", 0, 100)]), "lines[0].quantity"),
        (
            NewQuote {
                funding_id: None,
                ..good.clone()
            },
            "funding_id",
        ),
        (
            NewQuote {
                bilan_id: uuid::Uuid::now_v7(),
                ..good.clone()
            },
            "bilan_id",
        ),
    ] {
        let refused = app.issue_quote(&admin, &body).await.expect(400);
        assert!(
            refused.body["errors"][field].is_array(),
            "{field}: {}",
            refused.body
        );
    }
    assert_eq!(count(&app, "quotes"), before);

    // Ten quotes at once take ten consecutive numbers.
    let made =
        futures_util::future::join_all((0..10).map(|_| app.issue_quote(&admin, &good))).await;
    let mut seqs: Vec<i64> = made
        .into_iter()
        .map(|a| {
            a.ok(201)
                .number
                .rsplit('-')
                .next()
                .unwrap()
                .parse()
                .unwrap()
        })
        .collect();
    seqs.sort();
    assert_eq!(seqs, (1..=10).collect::<Vec<i64>>());

    let list = quotes(&app, &admin, "?per_page=3").await;
    assert_eq!((list.total, list.items.len()), (10, 3));
    assert_eq!(list.totals.pending_cents, 10 * 195_100);
    let first = list.items[0].clone();
    let second = list.items[1].clone();

    // The organisation withdraws one: declined, then no acceptance.
    app.decline_quote(&admin, first.id, "").await.expect(400);
    let declined = app
        .decline_quote(&admin, first.id, "Tarif révisé")
        .await
        .ok(200);
    assert_eq!(
        (declined.status, declined.decline_reason.as_deref()),
        (QuoteStatus::Declined, Some("Tarif révisé"))
    );
    let signed = |quote: &Quote| agreed("Claire Martin", Some(quote.issue_date));
    accept(&app, &admin, &first, &signed(&first))
        .await
        .expect(409);

    // Two days later the others have expired: listed as such, no longer acceptable.
    app.config
        .clock
        .advance(std::time::Duration::from_secs(2 * 86_400));
    assert_eq!(
        get_quote(&app, &admin, &second).await.status,
        QuoteStatus::Expired
    );
    let refused = accept(&app, &admin, &second, &signed(&second))
        .await
        .expect(422);
    assert!(refused.problem_type().ends_with("quote-expired"));
    let expired = quotes(&app, &admin, "?status=expired").await;
    assert_eq!((expired.total, expired.totals.pending_cents), (9, 0));

    // The offer is fixed in the database too: a direct UPDATE of its total is refused.
    use diesel::RunQueryDsl;
    let tampered = diesel::sql_query(format!(
        "UPDATE quotes SET total_cents = 1, total_excl_vat_cents = 1 WHERE id = '{}'",
        second.id
    ))
    .execute(&mut app.conn());
    assert!(tampered.is_err());
    assert_eq!(get_quote(&app, &admin, &second).await.total_cents, 195_100);
}

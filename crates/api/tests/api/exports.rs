//! The accounting exports (issue 13, items 6 and 8) over HTTP: an OPCO's invoice, an employer's top-up
//! and a partial payment give a CSV journal and a FEC that balance, with the totals computed here by
//! hand; an empty period is the header alone; bad periods, missing SIRET and callers without the scope
//! are refused. The OPCO's invoice, as downloaded, passes the independent Factur-X validator.

use crate::helpers::*;
use crate::money::{
    COMPANY_SIRET, OPCO_SIRET, demo_identity, issue, new_funding, new_payer, put_identity,
};
use boussole_shared::auth::ApiScope;
use boussole_shared::documents::OrganisationIdentity;
use boussole_shared::money::{InvoiceList, NewInvoice, NewPayment, PayerKind, PaymentMethod};

on_both_backends!(
    the_journal_and_the_fec_balance_and_read_back,
    exports_refuse_bad_periods_missing_identity_and_wrong_callers
);

/// The body of an export, its content type and its attachment's file name.
async fn export(app: &TestApp, token: &str, path: &str, status: u16) -> (Vec<u8>, String, String) {
    let res = app
        .client
        .get(format!("{}{path}", app.base))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    let header = |name: &str| {
        res.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string()
    };
    let (ct, cd) = (header("content-type"), header("content-disposition"));
    assert_eq!(res.status().as_u16(), status, "{path}");
    (res.bytes().await.unwrap().to_vec(), ct, cd)
}

fn cents(field: &str) -> i64 {
    if field.is_empty() {
        return 0;
    }
    let (e, c) = field.split_once(',').unwrap_or((field, "0"));
    e.parse::<i64>().unwrap() * 100 + format!("{c:0<2}").parse::<i64>().unwrap()
}

/// (sum of debits, sum of credits) of `rows`, with the debit and credit at these columns.
fn sums(rows: &[Vec<String>], debit: usize, credit: usize) -> (i64, i64) {
    rows.iter().fold((0, 0), |(d, c), r| {
        (d + cents(&r[debit]), c + cents(&r[credit]))
    })
}

async fn the_journal_and_the_fec_balance_and_read_back(backend: Backend) {
    let app = spawn_demo(backend).await;
    let admin = app.token(ADMIN).await;
    put_identity(&app, &admin, demo_identity()).await;
    let bilan = open_bilan(&app, &admin, FundingMode::Employer).await;
    let opco = new_payer(
        &app,
        &admin,
        PayerKind::Opco,
        "OPCO Horizon Compétences",
        Some(OPCO_SIRET),
    )
    .await;
    let company = new_payer(
        &app,
        &admin,
        PayerKind::Company,
        "Ateliers Rhône SAS",
        Some(COMPANY_SIRET),
    )
    .await;
    let by_opco = new_funding(&app, &admin, bilan, &opco, 150_000).await;
    let top_up = new_funding(&app, &admin, bilan, &company, 30_000).await;
    let mut invoices = Vec::new();
    for (funding, amount) in [(&by_opco, 150_000), (&top_up, 30_000)] {
        let body = NewInvoice {
            bilan_id: bilan,
            funding_id: Some(funding.id),
            payer_id: None,
            lines: vec![line("Bilan de compétences", 1, amount)],
            payment_days: None,
            purchase_order: None,
        };
        invoices.push(issue(&app, &admin, &body).await.ok(201));
    }
    let opco_invoice = invoices[0].id;
    let payment = NewPayment {
        amount_cents: 100_000,
        method: PaymentMethod::Transfer,
        paid_on: days_ago(0),
        reference: "VIR-OPCO-1".into(),
    };
    app.record_payment(&admin, opco_invoice, &payment)
        .await
        .expect(201);
    let year = invoices[0].issue_date.format("%Y").to_string();

    // A business buyer's invoice, as downloaded, is Factur-X: the `factur-x` package finds its XML at
    // the EN 16931 level and the XSD and the EN 16931 rules accept it (scripts/check-facturx.py).
    let (pdf, ct, _) = export(
        &app,
        &admin,
        &format!("/api/v1/invoices/{opco_invoice}/pdf"),
        200,
    )
    .await;
    assert_eq!(ct, "application/pdf");
    assert_eq!(
        {
            use sha2::Digest;
            hex::encode(sha2::Sha256::digest(&pdf))
        },
        invoices[0].sha256,
        "the hash listed is the file's, XML included"
    );
    facturx_check(&pdf);

    // The journal of the year: the two invoices (411 debited 1 500 + 300 €, exempt so no VAT) and the
    // payment (512 debited 1 000 €): 2 800 € on each side.
    let (body, ct, cd) = export(
        &app,
        &admin,
        &format!("/api/v1/exports/accounting.csv?from={year}-01-01&to={year}-12-31"),
        200,
    )
    .await;
    assert!(ct.starts_with("text/csv"), "{ct}");
    assert!(cd.contains("attachment"), "{cd}");
    let text = String::from_utf8(body).unwrap();
    let text = text
        .strip_prefix('\u{feff}')
        .expect("a byte-order mark for spreadsheets");
    let rows: Vec<Vec<String>> = text
        .split("\r\n")
        .filter(|l| !l.is_empty())
        .map(|l| l.split(';').map(str::to_string).collect())
        .collect();
    assert_eq!(rows[0].len(), 11, "{:?}", rows[0]);
    assert!(
        rows.iter().all(|r| r.len() == 11),
        "every row has every column"
    );
    assert_eq!(sums(&rows[1..], 8, 9), (280_000, 280_000));
    assert!(
        text.contains("OPCO Horizon Compétences"),
        "UTF-8 names: {text}"
    );

    // The FEC of the year: named after the SIREN, 18 fields, ISO 8859-15, the same balance.
    let (body, ct, cd) = export(
        &app,
        &admin,
        &format!("/api/v1/exports/fec?year={year}"),
        200,
    )
    .await;
    assert!(ct.starts_with("text/plain"), "{ct}");
    assert!(cd.contains(&format!("812345678FEC{year}1231.txt")), "{cd}");
    assert!(
        body.windows(2).any(|w| w == [b'p', 0xE9]),
        "é is one ISO 8859-15 byte (Compétences)"
    );
    assert!(
        !body.windows(2).any(|w| w == [0xC3, 0xA9]),
        "no UTF-8 in the FEC"
    );
    let text: String = body.iter().map(|b| char::from(*b)).collect();
    let rows: Vec<Vec<String>> = text
        .lines()
        .filter(|l| !l.is_empty())
        .map(|l| l.split('|').map(str::to_string).collect())
        .collect();
    assert_eq!(rows[0][0], "JournalCode");
    assert_eq!(rows[0][17], "Idevise");
    assert!(rows.iter().all(|r| r.len() == 18));
    assert_eq!(sums(&rows[1..], 11, 12), (280_000, 280_000));
    let entries: std::collections::BTreeSet<&str> =
        rows[1..].iter().map(|r| r[2].as_str()).collect();
    assert_eq!(entries.len(), 3, "one entry per invoice and per payment");

    // A period without entries: the header line alone.
    let (body, _, _) = export(
        &app,
        &admin,
        "/api/v1/exports/accounting.csv?from=2001-01-01&to=2001-12-31",
        200,
    )
    .await;
    let text = String::from_utf8(body).unwrap();
    assert_eq!(text.trim_end().lines().count(), 1, "{text}");
}

async fn exports_refuse_bad_periods_missing_identity_and_wrong_callers(backend: Backend) {
    let app = spawn_demo(backend).await;
    let admin = app.token(ADMIN).await;
    for (path, field) in [
        (
            "/api/v1/exports/accounting.csv?from=2026-03-01&to=2026-02-01",
            "to",
        ),
        (
            "/api/v1/exports/accounting.csv?from=2020-01-01&to=2026-01-01",
            "to",
        ),
        ("/api/v1/exports/fec?year=1999", "year"),
    ] {
        let refused = app.get(path, &admin).await.expect(400);
        assert!(
            refused.body["errors"][field].is_array(),
            "{path}: {}",
            refused.body
        );
    }
    app.get("/api/v1/exports/accounting.csv?from=2026-01-01", &admin)
        .await
        .expect(400);
    app.get("/api/v1/exports/fec?year=abc", &admin)
        .await
        .expect(400);

    // The FEC is named after the SIREN: without a SIRET it cannot be made.
    let blank = OrganisationIdentity {
        siret: String::new(),
        ..boussole_api::documents::demo::identity()
    };
    put_identity(&app, &admin, to_json(&blank)).await;
    let refused = app
        .get("/api/v1/exports/fec?year=2026", &admin)
        .await
        .expect(422);
    assert!(
        refused.body.to_string().contains("organisation.siret"),
        "{}",
        refused.body
    );

    // The accounting tool's key pulls the journal; a key for another purpose and the staff cannot.
    let key = |scope: ApiScope| {
        let (app, admin) = (&app, admin.clone());
        async move { app.api_key(&admin, "compta", &[scope]).await }
    };
    let accounting = key(ApiScope::AccountingRead).await;
    let users = key(ApiScope::UsersRead).await;
    let period = "/api/v1/exports/accounting.csv?from=2026-01-01&to=2026-12-31";
    export(&app, &accounting, period, 200).await;
    app.get(period, &users).await.expect(403);
    let consultant = app.token(CONSULTANT).await;
    app.get(period, &consultant).await.expect(403);
    let beneficiary = app.token(BENEFICIARY).await;
    app.get(period, &beneficiary).await.expect(403);
    // The CRM's key reads invoices with `invoices:read` (as the organisation would), not with another scope.
    let invoices = key(ApiScope::InvoicesRead).await;
    let listed = app.get_as::<InvoiceList>("/api/v1/invoices", &invoices);
    listed.await.ok(200);
    app.get("/api/v1/invoices", &accounting).await.expect(403);
    app.get(period, &invoices).await.expect(403);
}

/// Runs the independent Factur-X validator on `pdf`; fails the test when it refuses it. Outside CI a
/// missing validator is a loud skip (scripts/test-api.sh installs it); under CI=true, a failure.
fn facturx_check(pdf: &[u8]) {
    let python = python();
    let present = std::process::Command::new(&python)
        .args(["-c", "import facturx, saxonche"])
        .status()
        .is_ok_and(|s| s.success());
    if !present {
        assert_ne!(
            std::env::var("CI").as_deref(),
            Ok("true"),
            "the factur-x validator is missing ({python})"
        );
        eprintln!(
            "######## SKIPPING the Factur-X check of the issued invoice: no factur-x in {python} ########"
        );
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("facture.pdf");
    std::fs::write(&path, pdf).unwrap();
    let script = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../scripts/check-facturx.py"
    );
    let out = std::process::Command::new(&python)
        .arg(script)
        .arg(&path)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "Factur-X refused: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

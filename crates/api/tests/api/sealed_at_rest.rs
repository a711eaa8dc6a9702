//! What the database keeps in clear: neither a TOTP secret (a copy of the database would make codes)
//! nor a document's name or the hash of its clear bytes (they would outlive the bilan's destruction).
//! Rows written in clear by earlier versions are sealed at start-up.

use boussole_api::schema::{bilan_files, users};
use boussole_shared::bilans::BilanFile;
use diesel::prelude::*;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::files::{PDF, upload};
use crate::helpers::*;
use crate::totp::{challenge, code_at, enrol};

on_both_backends!(
    a_copy_of_the_database_holds_no_totp_secret_and_clear_ones_are_sealed_at_start_up,
    document_names_and_clear_hashes_do_not_survive_destruction,
    documents_named_in_clear_are_sealed_at_start_up,
);

fn stored_secret(app: &TestApp, email: &str) -> String {
    users::table
        .filter(users::email.eq(email))
        .select(users::totp_secret.assume_not_null())
        .first(&mut app.conn())
        .unwrap()
}

/// A second server on the same database and configuration, as after an upgrade and a restart.
fn restart(app: &TestApp) {
    let second = boussole_api::Application::build(app.config.clone()).unwrap();
    actix_web::rt::spawn(second.run_until_stopped());
}

async fn a_copy_of_the_database_holds_no_totp_secret_and_clear_ones_are_sealed_at_start_up(
    backend: Backend,
) {
    let app = spawn_demo(backend).await;
    let (secret, codes) = enrol(&app, BENEFICIARY).await;
    let stored = stored_secret(&app, BENEFICIARY);
    assert!(
        stored.starts_with("v1:") && !stored.contains(&secret),
        "{stored}"
    );

    // An earlier version wrote it in clear: start-up seals it, and codes still work.
    diesel::update(users::table.filter(users::email.eq(BENEFICIARY)))
        .set(users::totp_secret.eq(&secret))
        .execute(&mut app.conn())
        .unwrap();
    restart(&app);
    let resealed = stored_secret(&app, BENEFICIARY);
    assert!(resealed.starts_with("v1:") && !resealed.contains(&secret));
    let c = challenge(&app, BENEFICIARY).await;
    app.totp_login(&c, &code_at(&secret, 30)).await.expect(200);

    // A secret that no longer opens (a master key changed by mistake) leaves the recovery codes.
    diesel::update(users::table.filter(users::email.eq(BENEFICIARY)))
        .set(users::totp_secret.eq("v1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"))
        .execute(&mut app.conn())
        .unwrap();
    let c = challenge(&app, BENEFICIARY).await;
    app.totp_login(&c, &codes[0]).await.expect(200);
}

/// Name, sealed name, SHA-256, destruction, size.
type FileState = (
    String,
    Option<Vec<u8>>,
    String,
    Option<chrono::NaiveDateTime>,
    i64,
);

fn file_state(app: &TestApp, id: &str) -> FileState {
    bilan_files::table
        .find(id)
        .select((
            bilan_files::name,
            bilan_files::name_sealed,
            bilan_files::sha256,
            bilan_files::destroyed_at,
            bilan_files::size,
        ))
        .first(&mut app.conn())
        .unwrap()
}

fn on_disk(app: &TestApp, bilan: Uuid, file: &str) -> Vec<u8> {
    let path = app
        .config
        .data_dir
        .join("files/bilans")
        .join(bilan.to_string())
        .join(file);
    std::fs::read(path).unwrap()
}

fn hex_sha256(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// Downloads the file: its name (from Content-Disposition) and its bytes.
async fn download(app: &TestApp, token: &str, bilan: Uuid, file: &str) -> (String, Vec<u8>) {
    let res = app
        .client
        .get(format!("{}/api/v1/bilans/{bilan}/files/{file}", app.base))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let disposition = res.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_string();
    (disposition, res.bytes().await.unwrap().to_vec())
}

const NAME: &str = "Bulletin de salaire Dupont.pdf";

async fn files(app: &TestApp, token: &str, bilan: Uuid) -> Answer<Vec<BilanFile>> {
    app.get_as(&format!("/api/v1/bilans/{bilan}/files"), token)
        .await
}

async fn document_names_and_clear_hashes_do_not_survive_destruction(backend: Backend) {
    let app = spawn_demo(backend).await;
    let admin = app.token(ADMIN).await;
    let consultant = app.token(CONSULTANT).await;
    let beneficiary = app.token(BENEFICIARY).await;
    let bilan = open_bilan(&app, &admin, FundingMode::Cpf).await;
    let up = upload(&app, &beneficiary, bilan, NAME, PDF.to_vec())
        .await
        .ok(201);
    let file = up.id.to_string();
    assert_eq!(up.name, NAME);

    // At rest: no name, a sealed one, and the hash of the stored ciphertext only.
    let (name, sealed, sha256, _, _) = file_state(&app, &file);
    assert_eq!(name, "");
    assert!(!sealed.unwrap().windows(6).any(|w| w == b"Dupont"));
    assert_ne!(sha256, hex_sha256(PDF));
    assert_eq!(sha256, hex_sha256(&on_disk(&app, bilan, &file)));
    assert_eq!(up.sha256, sha256);

    // Those allowed still see the name, in the list and on download.
    let list = files(&app, &consultant, bilan).await.ok(200);
    assert_eq!(list[0].name, NAME);
    let (disposition, bytes) = download(&app, &consultant, bilan, &file).await;
    assert!(disposition.contains("Dupont"), "{disposition}");
    assert_eq!(bytes, PDF);

    // Destruction leaves nothing that names or identifies the file.
    abandon(&app, &consultant, bilan, "Fin").await;
    let after = files(&app, &beneficiary, bilan).await.ok(200);
    assert!(
        after.is_empty(),
        "listed no more, and the list still answers: {after:?}"
    );
    let (name, sealed, sha256, destroyed, size) = file_state(&app, &file);
    assert!(destroyed.is_some());
    assert_eq!(
        (name.as_str(), sealed, sha256.as_str(), size),
        ("", None, "", 0)
    );
    let journal: Vec<String> = boussole_api::schema::audit_log::table
        .select(boussole_api::schema::audit_log::details)
        .load(&mut app.conn())
        .unwrap();
    assert!(
        !journal
            .iter()
            .any(|d| d.contains("Dupont") || d.contains(&hex_sha256(PDF)))
    );
}

async fn documents_named_in_clear_are_sealed_at_start_up(backend: Backend) {
    let app = spawn_demo(backend).await;
    let admin = app.token(ADMIN).await;
    let beneficiary = app.token(BENEFICIARY).await;
    let bilan = open_bilan(&app, &admin, FundingMode::Cpf).await;
    let mut ids = Vec::new();
    for name in [NAME, "ancien.pdf"] {
        let up = upload(&app, &beneficiary, bilan, name, PDF.to_vec())
            .await
            .ok(201);
        ids.push(up.id.to_string());
    }
    // As an earlier version left them: a live document and a destroyed one, named in clear, with the
    // hash of the clear bytes.
    let clear = |id: &str, name: &str| {
        diesel::update(bilan_files::table.find(id))
            .set((
                bilan_files::name.eq(name),
                bilan_files::name_sealed.eq(None::<Vec<u8>>),
                bilan_files::sha256.eq(hex_sha256(PDF)),
            ))
            .execute(&mut app.conn())
            .unwrap();
    };
    clear(&ids[0], NAME);
    clear(&ids[1], "ancien.pdf");
    diesel::update(bilan_files::table.find(&ids[1]))
        .set(bilan_files::destroyed_at.eq(boussole_api::db::now()))
        .execute(&mut app.conn())
        .unwrap();
    // Still readable meanwhile.
    let (disposition, bytes) = download(&app, &beneficiary, bilan, &ids[0]).await;
    assert!(disposition.contains("Dupont") && bytes == PDF);

    restart(&app);
    let (name, sealed, sha256, _, size) = file_state(&app, &ids[1]);
    assert_eq!(
        (name.as_str(), sealed, sha256.as_str(), size),
        ("", None, "", 0),
        "destroyed: blanked"
    );
    let sealed = eventually(10, || {
        let state = file_state(&app, &ids[0]);
        state.1.is_some().then_some(state)
    })
    .await;
    let (name, _, sha256, _, _) = sealed.expect("the live document is sealed in the background");
    assert_eq!(name, "");
    assert_eq!(sha256, hex_sha256(&on_disk(&app, bilan, &ids[0])));
    let (disposition, bytes) = download(&app, &beneficiary, bilan, &ids[0]).await;
    assert!(disposition.contains("Dupont") && bytes == PDF);
    let list = files(&app, &beneficiary, bilan).await.ok(200);
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].name, NAME);
}

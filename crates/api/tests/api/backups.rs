//! Crypto-destruction reaches backups (issue 10, item 16): a copy of the database taken while a bilan
//! was open holds its key wrapped under a wrapping key; once the bilan is destroyed, the keys rotated
//! and the backup retention window past, that old copy opened with the current keys yields nothing.

use boussole_api::db::{self, AnyConnection};
use boussole_api::jobs::trust::run_once;
use boussole_api::keyring::Keyring;
use boussole_api::schema::{bilan_keys, bilan_notes, wrapping_keys};
use chrono::Duration;
use diesel::prelude::*;
use uuid::Uuid;

use crate::helpers::*;
use boussole_shared::bilans::{NewNote, Note, Phase};

on_both_backends!(an_old_backup_reveals_nothing_of_a_destroyed_bilan_once_its_wrapping_key_is_gone);

type KeyRow = (String, Option<Vec<u8>>, Option<String>);
type NoteRow = (String, String, Option<Vec<u8>>);

/// The rows a backup holds: bilan keys and notes.
fn rows(conn: &mut AnyConnection) -> (Vec<KeyRow>, Vec<NoteRow>) {
    (
        bilan_keys::table
            .select((
                bilan_keys::bilan_id,
                bilan_keys::wrapped,
                bilan_keys::wrapping_key_id,
            ))
            .load(conn)
            .unwrap(),
        bilan_notes::table
            .select((bilan_notes::id, bilan_notes::bilan_id, bilan_notes::body))
            .load(conn)
            .unwrap(),
    )
}

async fn write_note(app: &TestApp, token: &str, bilan: Uuid, body: &str) {
    let note = NewNote {
        phase: Phase::Investigation,
        session_id: None,
        body: body.into(),
        shared_with_beneficiary: false,
    };
    app.add_note(token, bilan, &note).await.expect(201);
}

async fn an_old_backup_reveals_nothing_of_a_destroyed_bilan_once_its_wrapping_key_is_gone(
    backend: Backend,
) {
    let app = spawn_demo(backend).await;
    let admin = app.token(ADMIN).await;
    let consultant = app.token(CONSULTANT).await;
    let destroyed = open_bilan(&app, &admin, FundingMode::SelfFunded).await;
    let kept = open_bilan(&app, &admin, FundingMode::SelfFunded).await;
    write_note(
        &app,
        &consultant,
        destroyed,
        "Secret : reconversion en ébénisterie",
    )
    .await;
    write_note(&app, &consultant, kept, "Piste : formation de luthier").await;
    // The database and the keyring name bilans by their id as text.
    let (destroyed_id, destroyed, kept) = (destroyed, destroyed.to_string(), kept.to_string());
    let mut conn = app.conn();

    // The backup, taken while both bilans are open: the SQLite file itself, or PostgreSQL's rows.
    let backup_file = app.config.data_dir.join("backup.db");
    let backup_rows = match &mut conn {
        AnyConnection::Sqlite(_) => {
            diesel::sql_query(format!("VACUUM INTO '{}'", backup_file.display()))
                .execute(&mut conn)
                .unwrap();
            None
        }
        AnyConnection::Postgresql(_) => Some(rows(&mut conn)),
    };

    abandon(&app, &consultant, destroyed_id, "Déménagement").await;

    // A rotation, then the retention window passes and the retired wrapping key is destroyed.
    let now = db::now();
    let rotation = Duration::days(app.config.key_rotation_days + 1);
    let window = Duration::days(app.config.backup_retention_days + 1);
    run_once(&mut conn, &app.config, now + rotation);
    let retired: Vec<String> = wrapping_keys::table
        .filter(wrapping_keys::retired_at.is_not_null())
        .select(wrapping_keys::id)
        .load(&mut conn)
        .unwrap();
    assert_eq!(retired.len(), 1, "the first wrapping key retired");
    run_once(&mut conn, &app.config, now + rotation + window);
    let destroyed_keys: i64 = wrapping_keys::table
        .filter(wrapping_keys::destroyed_at.is_not_null())
        .count()
        .get_result(&mut conn)
        .unwrap();
    assert_eq!(destroyed_keys, 1);

    // The kept bilan was rewrapped under the new key and still reads.
    let notes: Vec<Note> = app
        .get_as(&format!("/api/v1/bilans/{kept}/notes"), &consultant)
        .await
        .ok(200);
    assert!(
        notes.iter().any(|n| n.body.contains("luthier")),
        "{notes:?}"
    );

    // The old copy, opened with every key there is now: the master key and the wrapping keys left.
    let (keys, notes) = match backup_rows {
        Some(rows) => rows,
        None => {
            let url = format!("sqlite://{}", backup_file.display());
            rows(&mut db::connect(&url).unwrap())
        }
    };
    let keyring = Keyring::new(&app.config.master_key, &app.config.key_dir);
    let live: Vec<String> = wrapping_keys::table
        .filter(wrapping_keys::destroyed_at.is_null())
        .select(wrapping_keys::id)
        .load(&mut conn)
        .unwrap();
    let (_, wrapped, under) = keys.iter().find(|(b, _, _)| *b == destroyed).unwrap();
    let wrapped = wrapped.as_ref().expect("the backup holds the wrapped key");
    assert!(
        under
            .as_deref()
            .is_some_and(|k| retired.contains(&k.to_string())),
        "wrapped under the retired key"
    );
    assert!(
        keyring
            .unwrap(&destroyed, under.as_deref(), wrapped)
            .is_err()
    );
    assert!(
        keyring.unwrap(&destroyed, None, wrapped).is_err(),
        "not the master key"
    );
    for id in &live {
        assert!(keyring.unwrap(&destroyed, Some(id), wrapped).is_err());
    }
    let sealed_note = notes.iter().find(|(_, b, _)| *b == destroyed).unwrap();
    assert!(sealed_note.2.is_some(), "the backup holds the ciphertext");
    assert!(
        !String::from_utf8_lossy(sealed_note.2.as_ref().unwrap()).contains("ébénisterie"),
        "and only the ciphertext"
    );
    // The kept bilan's key in that same old copy also needed the destroyed key: backups older than
    // the window are meant to be gone by then (BOUSSOLE_BACKUP_RETENTION_DAYS).
    let (_, kept_wrapped, kept_under) = keys.iter().find(|(b, _, _)| *b == kept).unwrap();
    assert!(
        keyring
            .unwrap(&kept, kept_under.as_deref(), kept_wrapped.as_ref().unwrap())
            .is_err()
    );
}

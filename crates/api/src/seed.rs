//! Demo data (`boussole seed-demo`), the first admin (`boussole create-admin`), and the large data set
//! the load benchmark runs against (`boussole seed-bench`).

use boussole_shared::users::{Civility, Locale, NewInvitation, Role};
use diesel::prelude::*;

use crate::accounts::{self, UserRow};
use crate::db::{self, AnyConnection, Conn};
use crate::journal::{self, Actor, AuditRow};
use crate::schema::{audit_log, users};
use crate::{AppState, auth};

mod appointments;
mod steps;
pub mod story;

pub const DEMO_PASSWORD: &str = "boussole-demo";

/// The demo consultants' titles and qualifications, printed with their names on the pre-contract
/// information, the conventions and the contract (L6353-8, R6313-8).
pub const KARIM_QUALIFICATION: &str = "Psychologue du travail (master de psychologie sociale et du \
     travail), 12 ans d'expérience en bilan de compétences et en accompagnement des transitions \
     professionnelles";
pub const SOPHIE_QUALIFICATION: &str = "Consultante en bilan de compétences, titre RNCP « \
     Conseiller en insertion professionnelle », ancienne responsable des ressources humaines, 8 ans \
     d'expérience en orientation et reconversion";

/// Creates the demo organisation when the database has no account yet; returns false when it had one.
pub fn seed_demo(conn: &mut Conn) -> anyhow::Result<bool> {
    let count: i64 = users::table.count().get_result(conn)?;
    if count > 0 {
        return Ok(false);
    }
    let hash = auth::password::hash(DEMO_PASSWORD).map_err(|e| anyhow::anyhow!("{e}"))?;
    let people = [
        (
            "admin@boussole.test",
            Role::Admin,
            Civility::Mme,
            "Agnès",
            "Martin",
        ),
        (
            "consultant@boussole.test",
            Role::Consultant,
            Civility::M,
            "Karim",
            "Benali",
        ),
        (
            "consultante2@boussole.test",
            Role::Consultant,
            Civility::Mme,
            "Sophie",
            "Lefèvre",
        ),
        (
            "beneficiaire@boussole.test",
            Role::Beneficiary,
            Civility::Mme,
            "Camille",
            "Durand",
        ),
        (
            "lucas.moreau@boussole.test",
            Role::Beneficiary,
            Civility::M,
            "Lucas",
            "Moreau",
        ),
        (
            "ines.garcia@boussole.test",
            Role::Beneficiary,
            Civility::Mme,
            "Inès",
            "Garcia",
        ),
        (
            "thomas.petit@boussole.test",
            Role::Beneficiary,
            Civility::M,
            "Thomas",
            "Petit",
        ),
    ];
    conn.transaction(|conn| {
        for (email, role, civility, first, last) in people {
            let mut row = UserRow::new(
                email,
                role,
                Some(civility),
                first,
                last,
                None,
                Locale::Fr,
                Some(hash.clone()),
            );
            row.email_verified_at = Some(row.created_at);
            row.qualification = match email {
                "consultant@boussole.test" => Some(KARIM_QUALIFICATION.into()),
                "consultante2@boussole.test" => Some(SOPHIE_QUALIFICATION.into()),
                _ => None,
            };
            accounts::insert(conn, &row)?;
            journal::record(
                conn,
                &Actor::system(),
                "user.seed_demo",
                "user",
                Some(&row.id),
                serde_json::json!({ "role": role.as_str() }),
            )
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        }
        Ok::<_, anyhow::Error>(())
    })?;
    Ok(true)
}

/// The demo consultants receive Monday to Friday, mornings on site or remote, afternoons remote.
pub fn seed_demo_availability(conn: &mut Conn) -> anyhow::Result<()> {
    use crate::schema::availabilities;
    use boussole_shared::appointments::{AvailabilityMode, AvailabilityRule};
    let time = |h, m| chrono::NaiveTime::from_hms_opt(h, m, 0).unwrap_or(chrono::NaiveTime::MIN);
    for email in ["consultant@boussole.test", "consultante2@boussole.test"] {
        let Some(consultant) = accounts::find_by_email(conn, email)? else {
            continue;
        };
        let mut av = crate::appointments::availability::default_availability();
        for weekday in 1..=5 {
            av.rules.push(AvailabilityRule {
                weekday,
                start: time(9, 0),
                end: time(12, 30),
                mode: AvailabilityMode::Either,
                place: Some("12 rue de la République, 69002 Lyon".into()),
            });
            av.rules.push(AvailabilityRule {
                weekday,
                start: time(14, 0),
                end: time(18, 0),
                mode: AvailabilityMode::Remote,
                place: None,
            });
        }
        diesel::insert_into(availabilities::table)
            .values((
                availabilities::consultant_id.eq(&consultant.id),
                availabilities::document.eq(serde_json::to_string(&av)?),
                availabilities::updated_at.eq(db::now()),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// The demo's bilan: Lucas Moreau's, CPF-funded, with Karim Benali. Its history is the lawful one
/// (sessions are held only once a bilan runs): information given, the CPF file accepted, Lucas's
/// consent to start, then the preliminary phase, a few weeks ago, so that the portfolio and the bilan
/// file have something real to show and the consultant can hold and record sessions at once.
pub fn seed_demo_bilan(conn: &mut Conn, master_key: &[u8; 32]) -> anyhow::Result<()> {
    use crate::bilans::model::BilanRow;
    use crate::schema::{bilan_consents, bilan_consultants, bilan_facts, bilan_keys, bilans};
    let Some(beneficiary) = accounts::find_by_email(conn, "lucas.moreau@boussole.test")? else {
        return Ok(());
    };
    let Some(consultant) = accounts::find_by_email(conn, "consultant@boussole.test")? else {
        return Ok(());
    };
    let Some(admin) = accounts::find_by_email(conn, "admin@boussole.test")? else {
        return Ok(());
    };
    let now = db::now();
    let ago = |days: i64| now - chrono::Duration::days(days);
    let row = BilanRow {
        id: db::new_id(),
        beneficiary_id: beneficiary.id.clone(),
        status: "preliminary".into(),
        funding: "cpf".into(),
        format: "mixed".into(),
        planned_minutes: 20 * 60,
        abandon_reason: None,
        status_changed_at: ago(24),
        content_destroyed_at: None,
        retention_until: None,
        created_at: ago(30),
        updated_at: ago(24),
        planned_end_on: Some(now.date() + chrono::Duration::days(60)),
        external_ref: None,
    };
    let _ = master_key; // bilan keys are wrapped by the connection's keyring
    let keyring =
        db::keyring(conn).ok_or_else(|| anyhow::anyhow!("no keyring on this connection"))?;
    conn.transaction(|conn| {
        diesel::insert_into(bilans::table)
            .values(&row)
            .execute(conn)?;
        let (wrapped, wrapping_key) = keyring
            .new_bilan_key(conn, &row.id)
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        diesel::insert_into(bilan_keys::table)
            .values((
                bilan_keys::bilan_id.eq(&row.id),
                bilan_keys::wrapped.eq(Some(wrapped)),
                bilan_keys::wrapping_key_id.eq(Some(wrapping_key)),
            ))
            .execute(conn)?;
        diesel::insert_into(bilan_consultants::table)
            .values((
                bilan_consultants::id.eq(db::new_id()),
                bilan_consultants::bilan_id.eq(&row.id),
                bilan_consultants::consultant_id.eq(&consultant.id),
                bilan_consultants::assigned_by.eq(&admin.id),
                bilan_consultants::assigned_at.eq(ago(30)),
            ))
            .execute(conn)?;
        for (kind, days) in [("pre_contract_info", 28), ("cpf_file_accepted", 26)] {
            diesel::insert_into(bilan_facts::table)
                .values((
                    bilan_facts::id.eq(db::new_id()),
                    bilan_facts::bilan_id.eq(&row.id),
                    bilan_facts::kind.eq(kind),
                    bilan_facts::occurred_on.eq(ago(days).date()),
                    bilan_facts::recorded_by.eq(&admin.id),
                    bilan_facts::recorded_at.eq(ago(days)),
                ))
                .execute(conn)?;
        }
        diesel::insert_into(bilan_consents::table)
            .values((
                bilan_consents::id.eq(db::new_id()),
                bilan_consents::bilan_id.eq(&row.id),
                bilan_consents::kind.eq("start"),
                bilan_consents::statement.eq(boussole_shared::bilans::START_STATEMENT),
                bilan_consents::given_by.eq(&beneficiary.id),
                bilan_consents::given_at.eq(ago(25)),
            ))
            .execute(conn)?;
        let events = [
            (
                ago(30),
                "created",
                &admin.id,
                serde_json::json!({ "funding": "cpf" }),
            ),
            (
                ago(28),
                "fact",
                &admin.id,
                serde_json::json!({ "kind": "pre_contract_info" }),
            ),
            (
                ago(26),
                "fact",
                &admin.id,
                serde_json::json!({ "kind": "cpf_file_accepted" }),
            ),
            (
                ago(25),
                "consent",
                &beneficiary.id,
                serde_json::json!({ "kind": "start" }),
            ),
            (
                ago(24),
                "transition",
                &consultant.id,
                serde_json::json!({ "from": "request", "to": "preliminary" }),
            ),
        ];
        for (at, kind, by, details) in events {
            diesel::insert_into(crate::schema::bilan_events::table)
                .values((
                    crate::schema::bilan_events::id.eq(db::new_id()),
                    crate::schema::bilan_events::bilan_id.eq(&row.id),
                    crate::schema::bilan_events::at.eq(at),
                    crate::schema::bilan_events::kind.eq(kind),
                    crate::schema::bilan_events::actor_id.eq(Some(by)),
                    crate::schema::bilan_events::details.eq(details.to_string()),
                    crate::schema::bilan_events::content.eq(false),
                ))
                .execute(conn)?;
        }
        // Karim opened the notes and the documents: Lucas's "who read my file" has something to show.
        use crate::schema::bilan_access_log as log;
        for (what, minutes_ago) in [("notes", 50), ("files", 45)] {
            diesel::insert_into(log::table)
                .values((
                    log::id.eq(db::new_id()),
                    log::bilan_id.eq(&row.id),
                    log::reader_id.eq(&consultant.id),
                    log::reader_role.eq("consultant"),
                    log::what.eq(what),
                    log::at.eq(now - chrono::Duration::minutes(minutes_ago)),
                ))
                .execute(conn)?;
        }
        crate::projection::demo::seed(conn, master_key, &row.id, &consultant.id, &beneficiary.id)
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        journal::record(
            conn,
            &Actor::system(),
            "bilan.seed_demo",
            "bilan",
            Some(&row.id),
            serde_json::json!({ "status": "preliminary" }),
        )
        .map_err(|e| anyhow::anyhow!("{e}"))?;
        Ok::<_, anyhow::Error>(())
    })?;
    crate::assessments::demo::seed(conn, master_key)
}

/// Creates an admin without a password and returns the link where they choose one.
pub fn create_admin(
    conn: &mut Conn,
    state: &AppState,
    email: &str,
    first: &str,
    last: &str,
) -> anyhow::Result<String> {
    let body = NewInvitation {
        email: email.to_string(),
        role: Role::Admin,
        civility: None,
        first_name: first.to_string(),
        last_name: last.to_string(),
    };
    validator::Validate::validate(&body)?;
    let (_, link) = conn
        .transaction(|conn| {
            crate::users::admin::invite(
                conn,
                state,
                &Actor::system(),
                "L'installation de Boussole",
                &body,
            )
        })
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok(link)
}

/// Adds `beneficiaries` accounts and `audit_rows` chained journal entries, in batches.
pub fn seed_bench(conn: &mut Conn, beneficiaries: usize, audit_rows: usize) -> anyhow::Result<()> {
    let hash = auth::password::hash(DEMO_PASSWORD).map_err(|e| anyhow::anyhow!("{e}"))?;
    for chunk in (0..beneficiaries).collect::<Vec<_>>().chunks(1000) {
        let rows: Vec<UserRow> = chunk
            .iter()
            .map(|i| {
                let mut row = UserRow::new(
                    &format!("beneficiaire{i}@bench.test"),
                    Role::Beneficiary,
                    None,
                    &format!("Prénom{i}"),
                    &format!("Nom{i}"),
                    None,
                    Locale::Fr,
                    Some(hash.clone()),
                );
                row.email_verified_at = Some(row.created_at);
                row
            })
            .collect();
        batch_insert_users(conn, &rows)?;
    }
    let last: Option<(i64, String)> = audit_log::table
        .order(audit_log::seq.desc())
        .select((audit_log::seq, audit_log::hash))
        .first(conn)
        .optional()?;
    let (mut seq, mut prev) = last.unwrap_or((0, journal::GENESIS.to_string()));
    let key =
        db::audit_key(conn).ok_or_else(|| anyhow::anyhow!("no audit key on this connection"))?;
    let mut done = 0;
    while done < audit_rows {
        let n = (audit_rows - done).min(2000);
        let mut rows = Vec::with_capacity(n);
        for _ in 0..n {
            seq += 1;
            let row = AuditRow {
                seq,
                at: db::now(),
                actor_kind: "system".into(),
                actor_id: None,
                action: "bench.event".into(),
                entity_type: "bench".into(),
                entity_id: Some(seq.to_string()),
                ip: None,
                details: "{}".into(),
                prev_hash: prev.clone(),
                hash: String::new(),
                chain_version: 2,
                ip_mac: None,
            }
            .sealed(&key);
            prev = row.hash.clone();
            rows.push(row);
        }
        batch_insert_audit(conn, &rows)?;
        done += n;
    }
    // The signed head moves to the last bench entry.
    journal::seal(conn).map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok(())
}

// MultiConnection cannot batch-insert (STACK.md §5.1): go to the backend's own connection.
fn batch_insert_users(conn: &mut Conn, rows: &[UserRow]) -> QueryResult<usize> {
    match conn {
        AnyConnection::Postgresql(c) => diesel::insert_into(users::table).values(rows).execute(c),
        AnyConnection::Sqlite(c) => diesel::insert_into(users::table).values(rows).execute(c),
    }
}

fn batch_insert_audit(conn: &mut Conn, rows: &[AuditRow]) -> QueryResult<usize> {
    match conn {
        AnyConnection::Postgresql(c) => diesel::insert_into(audit_log::table)
            .values(rows)
            .execute(c),
        AnyConnection::Sqlite(c) => diesel::insert_into(audit_log::table)
            .values(rows)
            .execute(c),
    }
}

/// The demo accounts have a published password: on a server that looks like production (an https
/// public URL, or real email) they would be open doors, so seeding needs `--force` there.
pub fn refuse_in_production(config: &crate::Config, force: bool) -> anyhow::Result<()> {
    if !force && (config.public_url.starts_with("https://") || config.smtp.is_some()) {
        anyhow::bail!(
            "seed-demo: BOUSSOLE_PUBLIC_URL is https or SMTP is configured, so this looks like \
             production, and the demo accounts have a published password; add --force to seed anyway"
        );
    }
    Ok(())
}

/// Load-test bilans: `total` of them over the seeded beneficiaries, the first `mine` assigned to the
/// demo consultant and the others to the second one, each with two sessions, a fact and consent to
/// start, so that listing them reads every related table. Inserted a few hundred rows per statement.
pub fn seed_bench_bilans(conn: &mut Conn, total: usize, mine: usize) -> anyhow::Result<()> {
    use crate::bilans::model::BilanRow;
    use crate::schema::{bilan_consents, bilan_consultants, bilan_facts, bilan_sessions, bilans};
    let find = |conn: &mut Conn, email: &str| {
        accounts::find_by_email(conn, email)?
            .map(|u| u.id)
            .ok_or_else(|| anyhow::anyhow!("seed-demo first: {email} is missing"))
    };
    let consultant = find(conn, "consultant@boussole.test")?;
    let other = find(conn, "consultante2@boussole.test")?;
    let beneficiaries: Vec<String> = users::table
        .filter(users::role.eq("beneficiary"))
        .order(users::id.asc())
        .select(users::id)
        .load(conn)?;
    anyhow::ensure!(
        !beneficiaries.is_empty(),
        "no beneficiary to open bilans for"
    );
    let now = db::now();
    // Oldest first: ids are UUIDv7, so the ids' order is the creation order, as in real use.
    for chunk in (0..total).rev().collect::<Vec<_>>().chunks(500) {
        let mut rows = Vec::with_capacity(chunk.len());
        let mut assigned = Vec::with_capacity(chunk.len());
        let mut sessions = Vec::with_capacity(2 * chunk.len());
        let mut facts = Vec::with_capacity(chunk.len());
        let mut consents = Vec::with_capacity(chunk.len());
        for &i in chunk {
            // Distinct creation times, so that the newest-first order is the seeding order reversed.
            let created = now - chrono::Duration::seconds(i64::try_from(i)?);
            let row = BilanRow {
                id: db::new_id(),
                beneficiary_id: beneficiaries[i % beneficiaries.len()].clone(),
                status: "preliminary".into(),
                funding: "cpf".into(),
                format: "mixed".into(),
                planned_minutes: 20 * 60,
                abandon_reason: None,
                status_changed_at: created,
                content_destroyed_at: None,
                retention_until: None,
                created_at: created,
                updated_at: created,
                planned_end_on: None,
                external_ref: None,
            };
            let by = if i < mine { &consultant } else { &other };
            assigned.push((
                bilan_consultants::id.eq(db::new_id()),
                bilan_consultants::bilan_id.eq(row.id.clone()),
                bilan_consultants::consultant_id.eq(by.clone()),
                bilan_consultants::assigned_at.eq(created),
            ));
            for (kind, hours) in [("accompaniment", 2), ("personal_work", 1)] {
                sessions.push((
                    bilan_sessions::id.eq(db::new_id()),
                    bilan_sessions::bilan_id.eq(row.id.clone()),
                    bilan_sessions::kind.eq(kind),
                    bilan_sessions::phase.eq("preliminary"),
                    bilan_sessions::mode.eq("on_site"),
                    bilan_sessions::starts_at.eq(created),
                    bilan_sessions::ends_at.eq(created + chrono::Duration::hours(hours)),
                    bilan_sessions::minutes.eq(hours * 60),
                    bilan_sessions::created_by.eq(by.clone()),
                    bilan_sessions::created_at.eq(created),
                ));
            }
            facts.push((
                bilan_facts::id.eq(db::new_id()),
                bilan_facts::bilan_id.eq(row.id.clone()),
                bilan_facts::kind.eq("needs_analysis"),
                bilan_facts::occurred_on.eq(created.date()),
                bilan_facts::recorded_by.eq(by.clone()),
                bilan_facts::recorded_at.eq(created),
            ));
            consents.push((
                bilan_consents::id.eq(db::new_id()),
                bilan_consents::bilan_id.eq(row.id.clone()),
                bilan_consents::kind.eq("start"),
                bilan_consents::statement.eq("J'accepte de commencer mon bilan."),
                bilan_consents::given_by.eq(row.beneficiary_id.clone()),
                bilan_consents::given_at.eq(created),
            ));
            rows.push(row);
        }
        crate::on_backend!(&mut *conn, |c| {
            c.transaction(|c| {
                diesel::insert_into(bilans::table)
                    .values(&rows)
                    .execute(c)?;
                diesel::insert_into(bilan_consultants::table)
                    .values(&assigned)
                    .execute(c)?;
                diesel::insert_into(bilan_sessions::table)
                    .values(&sessions)
                    .execute(c)?;
                diesel::insert_into(bilan_facts::table)
                    .values(&facts)
                    .execute(c)?;
                diesel::insert_into(bilan_consents::table)
                    .values(&consents)
                    .execute(c)
            })
        })?;
    }
    // Fresh statistics after a bulk load, as PostgreSQL's autovacuum takes them in real use: without
    // them it plans the page's related rows as if the tables were empty (a scan of the wrong index).
    // SQLite gathers none unless asked, so its bench runs without, as a real deployment does.
    if db::is_postgres(conn) {
        diesel::sql_query("ANALYZE").execute(conn)?;
    }
    Ok(())
}

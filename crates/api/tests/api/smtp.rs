//! The outbox against a real SMTP server process (aiosmtpd, from PyPI): a send that fails is retried,
//! and neither a second process nor a restart sends a message twice.

use std::process::{Child, Command, Stdio};

use chrono::Duration;
use diesel::prelude::*;

use crate::helpers::*;
use boussole_shared::bilans::SessionMode;

on_both_backends!(delivery_is_retried_and_never_doubled);

/// An aiosmtpd server writing what it receives into a Maildir; killed on drop.
struct SmtpServer {
    child: Child,
}

impl SmtpServer {
    fn start(port: u16, maildir: &std::path::Path) -> SmtpServer {
        let child = Command::new(python())
            .args([
                "-m",
                "aiosmtpd",
                "-n",
                "-l",
                &format!("127.0.0.1:{port}"),
                "-c",
                "aiosmtpd.handlers.Mailbox",
            ])
            .arg(maildir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| {
                panic!(
                    "aiosmtpd ({}) is needed for the smtp:: tests: {e}",
                    python()
                )
            });
        SmtpServer { child }
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn delivered(maildir: &std::path::Path) -> Vec<String> {
    std::fs::read_dir(maildir.join("new"))
        .map(|d| {
            d.filter_map(|e| std::fs::read_to_string(e.ok()?.path()).ok())
                .collect()
        })
        .unwrap_or_default()
}

/// The delivered appointment emails (opening the bilan emailed both too, without a calendar).
fn confirmations(maildir: &std::path::Path) -> Vec<String> {
    delivered(maildir)
        .into_iter()
        .filter(|m| m.contains("text/calendar"))
        .collect()
}

fn statuses(app: &TestApp) -> Vec<(String, String, i64)> {
    use boussole_api::schema::outbox;
    outbox::table
        // The appointment's confirmations (the bilan's opening was notified too).
        .filter(outbox::kind.like("appointment%"))
        .order(outbox::created_at.asc())
        .select((outbox::recipient, outbox::status, outbox::attempts))
        .load(&mut app.conn())
        .unwrap()
}

async fn delivery_is_retried_and_never_doubled(backend: Backend) {
    let port = free_port();
    let smtp = [("BOUSSOLE_SMTP_URL", format!("smtp://127.0.0.1:{port}"))];
    let app = spawn_demo_with(backend, &smtp).await;
    let s = setup(&app).await;
    app.book(
        &s.consultant,
        &s.booking(in_minutes(3 * 24 * 60), SessionMode::Remote, None),
    )
    .await
    .expect(201);

    // No server yet: both confirmations fail, stay pending and say why.
    let failed = eventually(15, || {
        let rows = statuses(&app);
        (rows.len() == 2 && rows.iter().all(|r| r.1 == "pending" && r.2 >= 1)).then_some(rows)
    })
    .await;
    assert!(failed.is_some(), "{:?}", statuses(&app));
    use boussole_api::schema::outbox;
    let errors: Vec<Option<String>> = outbox::table
        .select(outbox::last_error)
        .load(&mut app.conn())
        .unwrap();
    assert!(errors.iter().flatten().any(|e| !e.is_empty()));

    // The server comes up: the retries deliver each message once.
    let tmp = tempfile::tempdir().unwrap();
    // Python's Maildir creates its tmp/new/cur folders only when the folder itself is new.
    let maildir = tmp.path().join("maildir");
    let _server = SmtpServer::start(port, &maildir);
    let sent = eventually(30, || {
        statuses(&app).iter().all(|r| r.1 == "sent").then_some(())
    })
    .await;
    let why: Vec<Option<String>> = outbox::table
        .select(outbox::last_error)
        .load(&mut app.conn())
        .unwrap();
    assert!(sent.is_some(), "{:?} {why:?}", statuses(&app));
    // The confirmations (the bilan's opening, notified by email too, carries no calendar).
    let mails = confirmations(&maildir);
    assert_eq!(mails.len(), 2);
    for m in &mails {
        assert!(
            m.contains("Subject: =?utf-8?") || m.contains("Subject: Rendez-vous"),
            "{m}"
        );
        assert!(m.contains("text/calendar"), "an .ics part: {m}");
        assert!(m.contains("BEGIN:VCALENDAR"), "{m}");
    }
    let to: Vec<bool> = [BENEFICIARY, CONSULTANT]
        .iter()
        .map(|a| mails.iter().any(|m| m.contains(&format!("To: {a}"))))
        .collect();
    assert_eq!(to, vec![true, true]);

    // A second process on the same database (as after a restart) sends nothing again; a message
    // left `sending` by a process that died mid-send is marked failed, not sent twice.
    let stale = boussole_api::db::now() - Duration::hours(1);
    diesel::update(
        outbox::table
            .filter(outbox::recipient.eq(BENEFICIARY))
            .filter(outbox::kind.eq("appointment_confirmed")),
    )
    .set((outbox::status.eq("sending"), outbox::updated_at.eq(stale)))
    .execute(&mut app.conn())
    .unwrap();
    let second = boussole_api::Application::build(app.config.clone()).unwrap();
    actix_web::rt::spawn(second.run_until_stopped());
    let marked = eventually(10, || {
        statuses(&app).iter().any(|r| r.1 == "failed").then_some(())
    })
    .await;
    assert!(marked.is_some(), "{:?}", statuses(&app));
    actix_web::rt::time::sleep(std::time::Duration::from_millis(1500)).await;
    assert_eq!(confirmations(&maildir).len(), 2);

    // An admin retries it: delivered once more, on purpose.
    let list = app.outbox(&s.admin, "?status=failed").await.ok(200);
    assert_eq!(list.total, 1);
    let id = list.items[0].id;
    app.retry_outbox(&s.admin, id).await.expect(200);
    let again = eventually(15, || (confirmations(&maildir).len() == 3).then_some(())).await;
    assert!(again.is_some());
    app.retry_outbox(&s.admin, id).await.expect(409);
}

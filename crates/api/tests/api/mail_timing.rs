//! Account enumeration by timing: the forgotten-password and resend-verification answers take as long
//! for an address with an account as for one without, even when the mail server is slow, and the mail
//! still arrives afterwards.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::json;

use crate::helpers::*;

on_both_backends!(a_slow_mail_server_does_not_tell_which_addresses_have_an_account);

/// A real SMTP server on loopback that waits `delay` before each of its replies and keeps what it
/// receives (the whole DATA of each message). Each connection has its own thread.
struct SlowSmtp {
    port: u16,
    received: Arc<Mutex<Vec<String>>>,
}

impl SlowSmtp {
    fn start(delay: Duration) -> SlowSmtp {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let received = Arc::new(Mutex::new(Vec::new()));
        let store = received.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { return };
                let store = store.clone();
                std::thread::spawn(move || {
                    let _ = converse(stream, delay, &store);
                });
            }
        });
        SlowSmtp { port, received }
    }

    fn received(&self) -> Vec<String> {
        self.received.lock().unwrap().clone()
    }
}

fn converse(
    stream: std::net::TcpStream,
    delay: Duration,
    store: &Mutex<Vec<String>>,
) -> std::io::Result<()> {
    let mut out = stream.try_clone()?;
    let mut reply = |text: &str| {
        std::thread::sleep(delay);
        out.write_all(text.as_bytes())
    };
    reply("220 slow.test ESMTP\r\n")?;
    let mut lines = BufReader::new(stream).lines();
    while let Some(line) = lines.next() {
        let line = line?;
        let verb = line.get(..4).unwrap_or_default().to_ascii_uppercase();
        match verb.as_str() {
            "EHLO" => reply("250-slow.test\r\n250 8BITMIME\r\n")?,
            "HELO" => reply("250 slow.test\r\n")?,
            "DATA" => {
                reply("354 go ahead\r\n")?;
                let mut message = String::new();
                for line in lines.by_ref() {
                    let line = line?;
                    if line == "." {
                        break;
                    }
                    message.push_str(&line);
                    message.push('\n');
                }
                store.lock().unwrap().push(message);
                reply("250 queued\r\n")?;
            }
            "QUIT" => {
                reply("221 bye\r\n")?;
                return Ok(());
            }
            _ => reply("250 OK\r\n")?,
        }
    }
    Ok(())
}

/// How long the answer to a POST of `{email}` to `path` takes (it must be 202).
async fn timed(app: &TestApp, path: &str, email: &str) -> Duration {
    let start = Instant::now();
    app.post(path, None, json!({ "email": email }))
        .await
        .expect(202);
    start.elapsed()
}

async fn a_slow_mail_server_does_not_tell_which_addresses_have_an_account(backend: Backend) {
    // Half a second a reply: a whole SMTP conversation takes 3 s or more.
    let smtp = SlowSmtp::start(Duration::from_millis(500));
    let url = [(
        "BOUSSOLE_SMTP_URL",
        format!("smtp://127.0.0.1:{}", smtp.port),
    )];
    let app = spawn_demo_with(backend, &url).await;
    // An account that waits for its verification (registering sends its mail either way).
    let unverified = "nouvelle.personne@example.org";
    app.post(
        "/api/v1/auth/register",
        None,
        json!({ "email": unverified, "password": "une lune verte sur le toit", "first_name": "Nina", "last_name": "Essai" }),
    )
    .await
    .expect(202);

    let to = |address: &str| {
        let header = format!("To: {address}");
        smtp.received()
            .iter()
            .filter(|m| m.lines().any(|l| l == header))
            .count()
    };
    for (path, known) in [
        ("/api/v1/auth/password/forgot", BENEFICIARY),
        ("/api/v1/auth/verify-email/resend", unverified),
    ] {
        let before = to(known);
        // A first call to warm the connection pools, then the two measured ones.
        timed(&app, path, "personne@example.org").await;
        let unknown = timed(&app, path, "inconnu@example.org").await;
        let existing = timed(&app, path, known).await;
        // The answer for the account came before its mail reached the server: it did not wait for
        // the conversation (at least 3 s with this server), which is what would tell the two apart.
        // (Comparing the two durations to a few milliseconds is flaky on a loaded machine; this is not.)
        assert_eq!(to(known), before, "{path}: answered only after sending");
        for (who, took) in [("an account", existing), ("no account", unknown)] {
            assert!(
                took < Duration::from_millis(2_000),
                "{path}: {took:?} for {who}: the answer waited for the mail server"
            );
        }
        // The message for the account still arrives, after the answer.
        let delivered = eventually(20, || (to(known) > before).then_some(())).await;
        assert!(delivered.is_some(), "{path}: no mail to {known}");
    }
    // Nothing went to the addresses without an account.
    assert_eq!(to("inconnu@example.org") + to("personne@example.org"), 0);
}

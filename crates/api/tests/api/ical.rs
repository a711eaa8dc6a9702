//! The iCalendar feed, parsed by an independent parser (Python's `icalendar`), and its revocation.

use std::process::Command;

use boussole_shared::appointments::{AppointmentChange, CalendarFeed};
use boussole_shared::bilans::SessionMode;
use chrono::Duration;
use serde_json::{Value, json};

use crate::helpers::*;

on_both_backends!(the_feed_is_valid_icalendar_and_revocable);

const PARSE: &str = r#"
import json, sys
from icalendar import Calendar
cal = Calendar.from_ical(open(sys.argv[1], 'rb').read())
out = []
for e in cal.walk('VEVENT'):
    out.append({"uid": str(e['UID']), "start": e.decoded('DTSTART').strftime('%Y-%m-%dT%H:%M:%S%z'),
                "end": e.decoded('DTEND').strftime('%Y-%m-%dT%H:%M:%S%z'), "status": str(e.get('STATUS')),
                "summary": str(e['SUMMARY'])})
print(json.dumps({"version": str(cal['VERSION']), "prodid": str(cal['PRODID']), "events": out}))
"#;

async fn the_feed_is_valid_icalendar_and_revocable(backend: Backend) {
    let app = spawn_demo(backend).await;
    let s = setup(&app).await;
    let first = in_minutes(2 * 24 * 60);
    let second = first + Duration::hours(4);
    let a = s.booking(first, SessionMode::Remote, Some(60));
    let a = app.book(&s.consultant, &a).await.ok(201);
    let b = s.booking(second, SessionMode::OnSite, Some(90));
    let b = app.book(&s.consultant, &b).await.ok(201);
    let cancel = AppointmentChange::Cancel { reason: None };
    app.change_appointment(&s.consultant, b.id, &cancel)
        .await
        .expect(200);

    let feed: CalendarFeed = app
        .post_as("/api/v1/me/calendar", Some(&s.beneficiary), &json!({}))
        .await
        .ok(201);
    let url = feed.url;
    let path = url
        .strip_prefix("http://boussole.test")
        .unwrap()
        .to_string();
    let res = app
        .client
        .get(format!("{}{path}", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert!(
        res.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/calendar")
    );
    let text = res.text().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("feed.ics");
    std::fs::write(&file, &text).unwrap();
    let out = Command::new(python())
        .args(["-c", PARSE])
        .arg(&file)
        .output()
        .unwrap_or_else(|e| panic!("python {}: {e}", python()));
    assert!(
        out.status.success(),
        "{}\n{text}",
        String::from_utf8_lossy(&out.stderr)
    );
    let parsed: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(parsed["version"], "2.0");
    let events = parsed["events"].as_array().unwrap();
    assert_eq!(events.len(), 2, "{parsed}");
    let utc = |t: chrono::NaiveDateTime| t.format("%Y-%m-%dT%H:%M:%S+0000").to_string();
    assert_eq!(events[0]["uid"], format!("{}@boussole", a.id));
    assert_eq!(events[0]["start"], utc(first));
    assert_eq!(events[0]["end"], utc(first + Duration::minutes(60)));
    assert_eq!(events[0]["status"], "CONFIRMED");
    assert!(
        events[0]["summary"]
            .as_str()
            .unwrap()
            .contains("Karim Benali")
    );
    assert_eq!(events[1]["status"], "CANCELLED");
    assert_eq!(events[1]["end"], utc(second + Duration::minutes(90)));

    // A new URL revokes the old one; deleting revokes the new one.
    let renewed: CalendarFeed = app
        .post_as("/api/v1/me/calendar", Some(&s.beneficiary), &json!({}))
        .await
        .ok(201);
    let old = app
        .client
        .get(format!("{}{path}", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(old.status(), 404);
    let new_path = renewed
        .url
        .strip_prefix("http://boussole.test")
        .unwrap()
        .to_string();
    assert_eq!(
        app.client
            .get(format!("{}{new_path}", app.base))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    app.call(
        reqwest::Method::DELETE,
        "/api/v1/me/calendar",
        Some(&s.beneficiary),
        None,
    )
    .await
    .expect(204);
    assert_eq!(
        app.client
            .get(format!("{}{new_path}", app.base))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
}

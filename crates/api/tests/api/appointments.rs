//! Appointments: booking free slots, the database's guarantee against double booking, bad input,
//! the 24-hour cap, attendance feeding the hours, reminders dropped on cancellation, video rooms.

use chrono::{Duration, NaiveDateTime, Timelike, Utc};
use diesel::prelude::*;
use serde_json::{Value, json};

use crate::bilans::start_bilan;
use crate::helpers::*;

on_both_backends!(
    a_beneficiary_books_a_free_slot_and_both_are_told,
    fifty_concurrent_bookings_of_one_slot_leave_exactly_one,
    bad_input_gets_a_clear_answer_and_changes_nothing,
    booked_sessions_count_towards_the_24_hours,
    both_signatures_hold_the_session_and_feed_the_hours,
    on_site_the_beneficiary_signs_with_the_code_the_consultant_shows,
    guessing_the_on_site_code_is_throttled_and_journaled,
    cancelling_drops_the_reminders_and_tells_both,
    both_parties_get_the_same_room_with_their_own_token,
    video_presence_is_recorded_only_while_the_room_is_open,
);

pub async fn id_of(app: &TestApp, admin: &str, email: &str) -> String {
    let found = app
        .get(&format!("/api/v1/users?q={email}"), admin)
        .await
        .expect(200);
    found.body["items"][0]["id"].as_str().unwrap().to_string()
}

/// A UTC instant as the API takes and sends it (RFC 3339, `Z`).
pub fn fmt(t: NaiveDateTime) -> String {
    t.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// A timestamp of an answer, which must carry its offset.
fn instant(v: &serde_json::Value) -> NaiveDateTime {
    serde_json::from_value::<chrono::DateTime<Utc>>(v.clone())
        .unwrap()
        .naive_utc()
}

/// The next 5-minute boundary at least `minutes` from now (UTC).
pub fn in_minutes(minutes: i64) -> NaiveDateTime {
    let t = Utc::now().naive_utc() + Duration::minutes(minutes);
    let t = t.with_second(0).unwrap().with_nanosecond(0).unwrap();
    t + Duration::minutes((5 - i64::from(t.minute()) % 5) % 5)
}

pub struct Setup {
    pub admin: String,
    pub consultant: String,
    pub beneficiary: String,
    pub consultant_id: String,
    pub bilan: String,
}

/// A CPF bilan of the demo beneficiary and consultant, started (sessions are booked only once it runs).
pub async fn setup(app: &TestApp) -> Setup {
    let admin = app.token(ADMIN).await;
    let bilan = start_bilan(app, &admin, "cpf").await;
    Setup {
        consultant_id: id_of(app, &admin, CONSULTANT).await,
        consultant: app.token(CONSULTANT).await,
        beneficiary: app.token(BENEFICIARY).await,
        admin,
        bilan,
    }
}

fn setup_tokens(s: &Setup) -> Setup {
    Setup {
        admin: s.admin.clone(),
        consultant: s.consultant.clone(),
        beneficiary: s.beneficiary.clone(),
        consultant_id: s.consultant_id.clone(),
        bilan: s.bilan.clone(),
    }
}

pub async fn book(
    app: &TestApp,
    token: &str,
    s: &Setup,
    start: NaiveDateTime,
    mode: &str,
    extra: Value,
) -> Answer {
    let mut body = json!({
        "bilan_id": s.bilan, "consultant_id": s.consultant_id, "kind": "bilan_session",
        "starts_at": fmt(start), "mode": mode,
    });
    if let (Some(b), Some(e)) = (body.as_object_mut(), extra.as_object()) {
        b.extend(e.clone());
    }
    app.post("/api/v1/appointments", Some(token), body).await
}

async fn free_slots(app: &TestApp, token: &str, s: &Setup) -> Vec<Value> {
    let today = Utc::now().date_naive();
    let path = format!(
        "/api/v1/consultants/{}/slots?from={}&to={}",
        s.consultant_id,
        today,
        today + Duration::days(14)
    );
    app.get(&path, token)
        .await
        .expect(200)
        .body
        .as_array()
        .unwrap()
        .clone()
}

fn count(app: &TestApp, table: &str) -> i64 {
    #[derive(QueryableByName)]
    struct N {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    let mut conn = app.conn();
    diesel::sql_query(format!("SELECT COUNT(*) AS n FROM {table}"))
        .get_result::<N>(&mut conn)
        .unwrap()
        .n
}

fn outbox_rows(app: &TestApp) -> Vec<(String, String, String, String)> {
    use boussole_api::schema::outbox;
    let mut conn = app.conn();
    outbox::table
        .order(outbox::created_at.asc())
        .select((
            outbox::kind,
            outbox::recipient,
            outbox::status,
            outbox::channel,
        ))
        .load(&mut conn)
        .unwrap()
}

async fn a_beneficiary_books_a_free_slot_and_both_are_told(backend: Backend) {
    let app = spawn_demo(backend).await;
    let s = setup(&app).await;
    let slots = free_slots(&app, &s.beneficiary, &s).await;
    assert!(
        !slots.is_empty(),
        "the demo consultant receives on weekdays"
    );
    // The minimum notice (24 h) is respected.
    let first = instant(&slots[0]["starts_at"]);
    assert!(first >= Utc::now().naive_utc() + Duration::hours(24));
    // Far enough that the day-before reminder is not due while the test runs.
    let far = Utc::now().naive_utc() + Duration::hours(26);
    let slot = slots
        .iter()
        .find(|x| x["mode"] == "either" && instant(&x["starts_at"]) > far)
        .expect("an either slot");
    let start = instant(&slot["starts_at"]);

    let booked = book(&app, &s.beneficiary, &s, start, "remote", json!({}))
        .await
        .expect(201);
    assert_eq!(booked.body["status"], "booked");
    assert_eq!(booked.body["beneficiary"]["first_name"], "Camille");
    assert_eq!(booked.body["changeable"], true);
    // 120 minutes, the consultant's setting for bilan sessions.
    let ends = instant(&booked.body["ends_at"]);
    assert_eq!(ends - start, Duration::minutes(120));
    let id = booked.body["id"].as_str().unwrap().to_string();

    // The slot is gone for everyone, and booking it again is a conflict.
    let after = free_slots(&app, &s.beneficiary, &s).await;
    assert!(after.iter().all(|x| x["starts_at"] != slot["starts_at"]));
    let again = book(&app, &s.beneficiary, &s, start, "remote", json!({}))
        .await
        .expect(409);
    assert_eq!(again.problem_type(), "urn:boussole:problem:slot-taken");

    // The consultant sees it in their list; the confirmation reaches both, with an .ics.
    let list = app
        .get("/api/v1/appointments", &s.consultant)
        .await
        .expect(200);
    assert_eq!(list.body["total"], 1);
    assert_eq!(list.body["items"][0]["id"], id.as_str());
    let mails = eventually(15, || {
        let m: Vec<_> = app
            .mailbox_now()
            .into_iter()
            .filter(|m| m.subject.starts_with("Rendez-vous confirmé"))
            .collect();
        (m.len() == 2).then_some(m)
    })
    .await
    .expect("both confirmations delivered to the development mailbox");
    let to: Vec<&str> = mails.iter().map(|m| m.to.as_str()).collect();
    assert!(
        to.contains(&BENEFICIARY) && to.contains(&CONSULTANT),
        "{to:?}"
    );
    for m in &mails {
        let ics = m.ics.as_deref().expect("an .ics attached");
        assert!(ics.contains(&format!("UID:{id}@boussole")), "{ics}");
        // The link opens the SPA's appointment page (`/rendez-vous/:id` in crates/web/src/app.rs).
        assert!(
            m.text
                .contains(&format!("http://boussole.test/rendez-vous/{id}")),
            "{}",
            m.text
        );
        assert!(
            ics.contains(&format!("DTSTART:{}Z", start.format("%Y%m%dT%H%M%S"))),
            "{ics}"
        );
    }
    // The day-before and two-hours-before reminders wait in the outbox.
    let reminders: Vec<_> = outbox_rows(&app)
        .into_iter()
        .filter(|r| r.0.starts_with("reminder"))
        .collect();
    assert_eq!(reminders.len(), 2, "{reminders:?}");
    assert!(
        reminders
            .iter()
            .all(|r| r.2 == "pending" && r.1 == BENEFICIARY)
    );

    // Another beneficiary cannot see it, nor the consultant's slots.
    let other = app.token("ines.garcia@boussole.test").await;
    app.get(&format!("/api/v1/appointments/{id}"), &other)
        .await
        .expect(404);
    let path = format!(
        "/api/v1/consultants/{}/slots?from=2026-01-01&to=2026-01-02",
        s.consultant_id
    );
    app.get(&path, &other).await.expect(403);
}

async fn fifty_concurrent_bookings_of_one_slot_leave_exactly_one(backend: Backend) {
    let app = spawn_demo(backend).await;
    let s = setup(&app).await;
    let start = in_minutes(3 * 24 * 60);
    let calls = (0..50).map(|_| {
        book(
            &app,
            &s.consultant,
            &s,
            start,
            "remote",
            json!({ "duration_minutes": 60 }),
        )
    });
    let answers = futures_util::future::join_all(calls).await;
    let created = answers.iter().filter(|a| a.status == 201).count();
    let conflicts = answers.iter().filter(|a| a.status == 409).count();
    assert_eq!(
        (created, conflicts),
        (1, 49),
        "{:?}",
        answers.iter().map(|a| a.status).collect::<Vec<_>>()
    );
    assert_eq!(count(&app, "appointments"), 1);
    // The consultant holds 60 minutes plus the 15-minute buffer (15 cells of 5 minutes), the
    // beneficiary the 60 minutes (12 cells).
    assert_eq!(count(&app, "appointment_cells"), 27);
    // An overlapping booking (30 minutes later) is refused too; one after the buffer is not.
    book(
        &app,
        &s.consultant,
        &s,
        start + Duration::minutes(30),
        "remote",
        json!({ "duration_minutes": 60 }),
    )
    .await
    .expect(409);
    book(
        &app,
        &s.consultant,
        &s,
        start + Duration::minutes(75),
        "remote",
        json!({ "duration_minutes": 60 }),
    )
    .await
    .expect(201);

    // The beneficiary cannot be in two places at once either: a second bilan with another consultant.
    let other_id = id_of(&app, &s.admin, "consultante2@boussole.test").await;
    let body = json!({
        "beneficiary_id": id_of(&app, &s.admin, BENEFICIARY).await, "consultant_id": other_id,
        "funding": "self_funded", "format": "remote", "planned_hours": 20,
    });
    let second = app
        .post("/api/v1/bilans", Some(&s.admin), body)
        .await
        .expect(201);
    let second = second.body["id"].as_str().unwrap().to_string();
    crate::bilans::start(&app, &s.admin, &second, "self_funded").await;
    let other = app.token("consultante2@boussole.test").await;
    let elsewhere = Setup {
        consultant_id: other_id,
        bilan: second,
        ..setup_tokens(&s)
    };
    let thirty = json!({ "duration_minutes": 30 });
    let busy = book(
        &app,
        &other,
        &elsewhere,
        start + Duration::minutes(15),
        "remote",
        thirty.clone(),
    )
    .await
    .expect(409);
    assert!(
        busy.body["detail"]
            .as_str()
            .unwrap()
            .contains("bénéficiaire"),
        "{}",
        busy.body
    );
    book(
        &app,
        &other,
        &elsewhere,
        start - Duration::minutes(60),
        "remote",
        thirty,
    )
    .await
    .expect(201);
}

async fn bad_input_gets_a_clear_answer_and_changes_nothing(backend: Backend) {
    let app = spawn_demo(backend).await;
    let s = setup(&app).await;
    let av_path = format!("/api/v1/consultants/{}/availability", s.consultant_id);
    let before = app.get(&av_path, &s.consultant).await.expect(200).body;
    let rule = |weekday: u8, start: &str, end: &str| json!({ "weekday": weekday, "start": start, "end": end, "mode": "remote", "place": null });
    let with_rules = |rules: Vec<Value>| {
        let mut av = before.clone();
        av["rules"] = Value::Array(rules);
        av
    };
    // Inverted, overlapping, off the grid: 400 naming the rule; the availability is unchanged.
    let inverted = app
        .call(
            reqwest::Method::PUT,
            &av_path,
            Some(&s.consultant),
            Some(with_rules(vec![rule(1, "12:00", "09:00")])),
        )
        .await
        .expect(400);
    assert!(
        inverted.body["errors"]["rules[0].end"].is_array(),
        "{}",
        inverted.body
    );
    let overlapping = with_rules(vec![rule(2, "09:00", "12:00"), rule(2, "11:00", "13:00")]);
    let answer = app
        .call(
            reqwest::Method::PUT,
            &av_path,
            Some(&s.consultant),
            Some(overlapping),
        )
        .await
        .expect(400);
    assert!(
        answer.body["errors"]["rules[1]"].is_array(),
        "{}",
        answer.body
    );
    app.call(
        reqwest::Method::PUT,
        &av_path,
        Some(&s.consultant),
        Some(with_rules(vec![rule(3, "09:02", "10:00")])),
    )
    .await
    .expect(400);
    assert_eq!(
        app.get(&av_path, &s.consultant).await.expect(200).body,
        before
    );
    // Someone else's availability.
    let other_consultant = app.token("consultante2@boussole.test").await;
    app.call(
        reqwest::Method::PUT,
        &av_path,
        Some(&other_consultant),
        Some(before.clone()),
    )
    .await
    .expect(403);
    app.call(
        reqwest::Method::PUT,
        &av_path,
        Some(&s.beneficiary),
        Some(before.clone()),
    )
    .await
    .expect(403);

    // A slot in the past, off the 5-minute grid, a local time that does not exist or exists twice.
    book(
        &app,
        &s.consultant,
        &s,
        in_minutes(-60),
        "remote",
        json!({}),
    )
    .await
    .expect(422);
    book(
        &app,
        &s.consultant,
        &s,
        in_minutes(120) + Duration::minutes(2),
        "remote",
        json!({}),
    )
    .await
    .expect(400);
    let local = |t: &str| json!({ "starts_at": null, "local_start": t });
    let gap = book(
        &app,
        &s.consultant,
        &s,
        in_minutes(120),
        "remote",
        local("2027-03-28T02:30:00"),
    )
    .await
    .expect(400);
    assert!(
        gap.body["errors"]["local_start"][0]
            .as_str()
            .unwrap()
            .contains("heure d'été"),
        "{}",
        gap.body
    );
    let twice = book(
        &app,
        &s.consultant,
        &s,
        in_minutes(120),
        "remote",
        local("2027-10-31T02:30:00"),
    )
    .await
    .expect(400);
    assert!(
        twice.body["errors"]["local_start"][0]
            .as_str()
            .unwrap()
            .contains("deux fois"),
        "{}",
        twice.body
    );
    // Booking with a consultant who is not this bilan's.
    let wrong =
        json!({ "consultant_id": id_of(&app, &s.admin, "consultante2@boussole.test").await });
    book(
        &app,
        &s.beneficiary,
        &s,
        in_minutes(3 * 24 * 60),
        "remote",
        wrong,
    )
    .await
    .expect(403);
    // A beneficiary cannot pick a time that is not a free slot (Sunday 3:00 is never offered).
    let sunday = local("2027-01-03T03:00:00");
    book(&app, &s.beneficiary, &s, in_minutes(0), "remote", sunday)
        .await
        .expect(422);
    // Slots over more than 93 days, or backwards.
    let path = |from: &str, to: &str| {
        format!(
            "/api/v1/consultants/{}/slots?from={from}&to={to}",
            s.consultant_id
        )
    };
    app.get(&path("2027-01-01", "2027-06-01"), &s.consultant)
        .await
        .expect(400);
    app.get(&path("2027-01-05", "2027-01-01"), &s.consultant)
        .await
        .expect(400);
    assert_eq!(count(&app, "appointments"), 0);

    // Moving after the cut-off (24 h before) is refused to the beneficiary, allowed to the consultant.
    let soon = book(
        &app,
        &s.consultant,
        &s,
        in_minutes(180),
        "remote",
        json!({}),
    )
    .await
    .expect(201);
    let id = soon.body["id"].as_str().unwrap();
    let move_to = json!({ "action": "move", "starts_at": fmt(in_minutes(4 * 24 * 60)) });
    let late = app
        .patch(
            &format!("/api/v1/appointments/{id}"),
            &s.beneficiary,
            move_to.clone(),
        )
        .await
        .expect(422);
    assert!(
        late.body["detail"].as_str().unwrap().contains("Trop tard"),
        "{}",
        late.body
    );
    let unchanged = app
        .get(&format!("/api/v1/appointments/{id}"), &s.beneficiary)
        .await
        .expect(200);
    assert_eq!(unchanged.body["starts_at"], soon.body["starts_at"]);
    assert_eq!(unchanged.body["changeable"], false);
    let moved = app
        .patch(
            &format!("/api/v1/appointments/{id}"),
            &s.consultant,
            move_to,
        )
        .await
        .expect(200);
    assert_ne!(moved.body["starts_at"], soon.body["starts_at"]);
    // Malformed change.
    app.patch(
        &format!("/api/v1/appointments/{id}"),
        &s.consultant,
        json!({ "action": "teleport" }),
    )
    .await
    .expect(400);
}

async fn booked_sessions_count_towards_the_24_hours(backend: Backend) {
    let app = spawn_demo(backend).await;
    let s = setup(&app).await;
    let day = in_minutes(2 * 24 * 60);
    // 11 sessions of 2 hours: 22 hours booked.
    for i in 0..11 {
        book(
            &app,
            &s.consultant,
            &s,
            day + Duration::hours(3 * i),
            "remote",
            json!({ "duration_minutes": 120 }),
        )
        .await
        .expect(201);
    }
    let over = book(
        &app,
        &s.consultant,
        &s,
        day + Duration::hours(40),
        "remote",
        json!({ "duration_minutes": 150 }),
    )
    .await
    .expect(422);
    assert!(
        over.body["detail"].as_str().unwrap().contains("24 heures"),
        "{}",
        over.body
    );
    assert_eq!(count(&app, "appointments"), 11);
    // Exactly 24 hours is allowed; an information interview needs the request stage, long past.
    book(
        &app,
        &s.consultant,
        &s,
        day + Duration::hours(40),
        "remote",
        json!({ "duration_minutes": 120 }),
    )
    .await
    .expect(201);
    book(
        &app,
        &s.consultant,
        &s,
        day + Duration::hours(44),
        "remote",
        json!({ "kind": "information", "duration_minutes": 45 }),
    )
    .await
    .expect(422);
}

async fn both_signatures_hold_the_session_and_feed_the_hours(backend: Backend) {
    let app = spawn_demo(backend).await;
    let s = setup(&app).await;
    // A remote session starting in 10 minutes: the signing window (15 min before) is open.
    let remote = book(
        &app,
        &s.consultant,
        &s,
        in_minutes(10),
        "remote",
        json!({ "duration_minutes": 60 }),
    )
    .await
    .expect(201);
    let id = remote.body["id"].as_str().unwrap();
    let path = format!("/api/v1/appointments/{id}/attendance");
    let sign = json!({ "action": "sign", "code": null });
    // Neither an admin nor another beneficiary signs.
    app.post(&path, Some(&s.admin), sign.clone())
        .await
        .expect(403);
    let other = app.token("ines.garcia@boussole.test").await;
    app.post(&path, Some(&other), sign.clone())
        .await
        .expect(404);

    let first = app
        .post(&path, Some(&s.beneficiary), sign.clone())
        .await
        .expect(200);
    assert_eq!(first.body["status"], "booked");
    assert_eq!(first.body["signatures"][0]["party"], "beneficiary");
    assert_eq!(first.body["signatures"][0]["method"], "click");
    app.post(&path, Some(&s.beneficiary), sign.clone())
        .await
        .expect(409);
    let before = app
        .get(&format!("/api/v1/bilans/{}", s.bilan), &s.consultant)
        .await
        .expect(200);
    assert_eq!(before.body["accompaniment_minutes"], 0);
    let both = app
        .post(&path, Some(&s.consultant), sign.clone())
        .await
        .expect(200);
    assert_eq!(both.body["status"], "held");
    assert!(both.body["session_id"].is_string());
    let after = app
        .get(&format!("/api/v1/bilans/{}", s.bilan), &s.consultant)
        .await
        .expect(200);
    assert_eq!(after.body["accompaniment_minutes"], 60);
    // The admin sees the sheet (proof for funders) without the IP addresses.
    let sheet = app.get(&path, &s.admin).await.expect(200);
    assert_eq!(sheet.body["signatures"].as_array().unwrap().len(), 2);
    assert!(sheet.body["signatures"][0]["ip"].is_null());
}

async fn on_site_the_beneficiary_signs_with_the_code_the_consultant_shows(backend: Backend) {
    let app = spawn_demo(backend).await;
    let s = setup(&app).await;
    let sign = json!({ "action": "sign", "code": null });
    // Three hours ahead: the window is not open yet.
    let ahead = book(
        &app,
        &s.consultant,
        &s,
        in_minutes(180),
        "on_site",
        json!({ "duration_minutes": 30 }),
    )
    .await
    .expect(201);
    let path = format!(
        "/api/v1/appointments/{}/attendance",
        ahead.body["id"].as_str().unwrap()
    );
    app.post(&path, Some(&s.consultant), sign.clone())
        .await
        .expect(422);
    assert!(app.get(&path, &s.consultant).await.expect(200).body["code"].is_null());

    let now = book(
        &app,
        &s.consultant,
        &s,
        in_minutes(5),
        "on_site",
        json!({ "duration_minutes": 30 }),
    )
    .await
    .expect(201);
    let path = format!(
        "/api/v1/appointments/{}/attendance",
        now.body["id"].as_str().unwrap()
    );
    assert!(app.get(&path, &s.beneficiary).await.expect(200).body["code"].is_null());
    let code = app.get(&path, &s.consultant).await.expect(200).body["code"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(code.len(), 6);
    let wrong = if code == "000000" { "111111" } else { "000000" };
    app.post(
        &path,
        Some(&s.beneficiary),
        json!({ "action": "sign", "code": wrong }),
    )
    .await
    .expect(400);
    app.post(&path, Some(&s.beneficiary), sign.clone())
        .await
        .expect(400);
    let signed = app
        .post(
            &path,
            Some(&s.beneficiary),
            json!({ "action": "sign", "code": code }),
        )
        .await
        .expect(200);
    assert_eq!(signed.body["signatures"][0]["method"], "code");
    assert_eq!(signed.body["status"], "booked");
    // A no-show is recorded only after the start, and only by the consultant.
    app.post(
        &path,
        Some(&s.consultant),
        json!({ "action": "no_show", "absent": "beneficiary" }),
    )
    .await
    .expect(422);
    app.post(
        &path,
        Some(&s.beneficiary),
        json!({ "action": "no_show", "absent": "consultant" }),
    )
    .await
    .expect(403);
}

async fn guessing_the_on_site_code_is_throttled_and_journaled(backend: Backend) {
    let app = spawn_demo(backend).await;
    let s = setup(&app).await;
    let booked = book(
        &app,
        &s.consultant,
        &s,
        in_minutes(5),
        "on_site",
        json!({ "duration_minutes": 30 }),
    )
    .await
    .expect(201);
    let id = booked.body["id"].as_str().unwrap().to_string();
    let path = format!("/api/v1/appointments/{id}/attendance");
    let code = app.get(&path, &s.consultant).await.expect(200).body["code"]
        .as_str()
        .unwrap()
        .to_string();
    // Six digits: five wrong guesses, then even the right code waits fifteen minutes.
    let wrong: Vec<String> = (0..10)
        .map(|d: u32| d.to_string().repeat(6))
        .filter(|c| *c != code)
        .take(5)
        .collect();
    for guess in &wrong {
        app.post(
            &path,
            Some(&s.beneficiary),
            json!({ "action": "sign", "code": guess }),
        )
        .await
        .expect(400);
    }
    let right = json!({ "action": "sign", "code": code });
    let blocked = app
        .post(&path, Some(&s.beneficiary), right.clone())
        .await
        .expect(429);
    assert!(blocked.headers.get("retry-after").is_some());
    assert_eq!(count(&app, "attendance_signatures"), 0);
    // The lockout is in the journal, once, against the appointment.
    let journal = app
        .get(
            &format!("/api/v1/audit?action=appointment.code_lockout&entity_id={id}"),
            &s.admin,
        )
        .await
        .expect(200);
    assert_eq!(journal.body["total"], 1, "{}", journal.body);
    assert_eq!(journal.body["items"][0]["details"]["attempts"], 5);
    // Fifteen minutes later on the server's clock, the code shown now signs.
    app.config
        .clock
        .advance(std::time::Duration::from_secs(15 * 60 + 1));
    let code = app.get(&path, &s.consultant).await.expect(200).body["code"]
        .as_str()
        .unwrap()
        .to_string();
    let signed = app
        .post(
            &path,
            Some(&s.beneficiary),
            json!({ "action": "sign", "code": code }),
        )
        .await
        .expect(200);
    assert_eq!(signed.body["signatures"][0]["method"], "code");
}

async fn cancelling_drops_the_reminders_and_tells_both(backend: Backend) {
    let app = spawn_demo(backend).await;
    let s = setup(&app).await;
    let booked = book(
        &app,
        &s.consultant,
        &s,
        in_minutes(3 * 24 * 60),
        "on_site",
        json!({}),
    )
    .await
    .expect(201);
    let id = booked.body["id"].as_str().unwrap();
    let pending = |app: &TestApp| {
        outbox_rows(app)
            .into_iter()
            .filter(|r| r.0.starts_with("reminder") && r.2 == "pending")
            .count()
    };
    assert_eq!(pending(&app), 2);
    let reason = "x".repeat(501);
    app.patch(
        &format!("/api/v1/appointments/{id}"),
        &s.beneficiary,
        json!({ "action": "cancel", "reason": reason }),
    )
    .await
    .expect(400);
    let cancelled = app
        .patch(
            &format!("/api/v1/appointments/{id}"),
            &s.beneficiary,
            json!({ "action": "cancel", "reason": "Empêchement" }),
        )
        .await
        .expect(200);
    assert_eq!(cancelled.body["status"], "cancelled");
    assert_eq!(pending(&app), 0);
    let dropped = outbox_rows(&app)
        .into_iter()
        .filter(|r| r.0.starts_with("reminder") && r.2 == "cancelled")
        .count();
    assert_eq!(dropped, 2);
    let told = eventually(15, || {
        let m: Vec<_> = app
            .mailbox_now()
            .into_iter()
            .filter(|m| m.subject.starts_with("Rendez-vous annulé"))
            .collect();
        (m.len() == 2).then_some(m)
    })
    .await
    .expect("both told of the cancellation");
    assert!(told.iter().all(|m| {
        m.ics
            .as_deref()
            .is_some_and(|i| i.contains("STATUS:CANCELLED"))
    }));
    // The time is free again; a cancelled appointment cannot be cancelled twice.
    assert_eq!(count(&app, "appointment_cells"), 0);
    app.patch(
        &format!("/api/v1/appointments/{id}"),
        &s.consultant,
        json!({ "action": "cancel", "reason": null }),
    )
    .await
    .expect(409);
}

async fn both_parties_get_the_same_room_with_their_own_token(backend: Backend) {
    let app = spawn_demo_with(
        backend,
        &[
            ("BOUSSOLE_JITSI_URL", "https://visio.example.org".into()),
            ("BOUSSOLE_JITSI_APP_ID", "boussole".into()),
            ("BOUSSOLE_JITSI_APP_SECRET", "jitsi-test-secret".into()),
        ],
    )
    .await;
    let s = setup(&app).await;
    let start = in_minutes(2 * 24 * 60);
    let booked = book(
        &app,
        &s.consultant,
        &s,
        start,
        "remote",
        json!({ "duration_minutes": 60 }),
    )
    .await
    .expect(201);
    let id = booked.body["id"].as_str().unwrap();
    let path = format!("/api/v1/appointments/{id}");
    let mine = app.get(&path, &s.beneficiary).await.expect(200).body["video"].clone();
    let theirs = app.get(&path, &s.consultant).await.expect(200).body["video"].clone();
    let room = mine["room"].as_str().unwrap();
    assert_eq!(room, theirs["room"].as_str().unwrap());
    assert!(room.len() >= 32, "unguessable: {room}");
    assert!(
        mine["url"]
            .as_str()
            .unwrap()
            .starts_with(&format!("https://visio.example.org/{room}?jwt="))
    );
    // Admins see the appointment, not the room.
    assert!(app.get(&path, &s.admin).await.expect(200).body["video"].is_null());

    let decode = |jwt: &str| {
        let mut v = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::HS256);
        v.set_audience(&["jitsi"]);
        v.validate_nbf = false;
        let key = jsonwebtoken::DecodingKey::from_secret(b"jitsi-test-secret").unwrap();
        jsonwebtoken::decode::<Value>(jwt, &key, &v).unwrap().claims
    };
    let b = decode(mine["jwt"].as_str().unwrap());
    let c = decode(theirs["jwt"].as_str().unwrap());
    for claims in [&b, &c] {
        assert_eq!(claims["iss"], "boussole");
        assert_eq!(claims["sub"], "visio.example.org");
        assert_eq!(claims["room"], room);
        assert_eq!(
            claims["nbf"],
            (start - Duration::minutes(30)).and_utc().timestamp()
        );
        assert_eq!(
            claims["exp"],
            (start + Duration::minutes(60 + 120)).and_utc().timestamp()
        );
    }
    assert_eq!(b["context"]["user"]["email"], BENEFICIARY);
    assert_eq!(b["context"]["user"]["moderator"], false);
    assert_eq!(c["context"]["user"]["email"], CONSULTANT);
    assert_eq!(c["context"]["user"]["moderator"], true);
    // A wrong secret does not verify.
    let wrong = jsonwebtoken::DecodingKey::from_secret(b"another-secret").unwrap();
    let mut v = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::HS256);
    v.set_audience(&["jitsi"]);
    assert!(jsonwebtoken::decode::<Value>(mine["jwt"].as_str().unwrap(), &wrong, &v).is_err());
}

async fn video_event(app: &TestApp, token: &str, path: &str, name: &str) -> Answer {
    let body = json!({ "event": name });
    app.call(reqwest::Method::POST, path, Some(token), Some(body))
        .await
}

async fn video_presence_is_recorded_only_while_the_room_is_open(backend: Backend) {
    let app = spawn_demo(backend).await;
    let s = setup(&app).await;
    // Two days ahead: a "join" now would be false evidence of attendance.
    let later = book(
        &app,
        &s.consultant,
        &s,
        in_minutes(2 * 24 * 60),
        "remote",
        json!({ "duration_minutes": 60 }),
    )
    .await
    .expect(201);
    let later = format!(
        "/api/v1/appointments/{}",
        later.body["id"].as_str().unwrap()
    );
    video_event(&app, &s.beneficiary, &format!("{later}/video"), "join")
        .await
        .expect(422);
    assert_eq!(count(&app, "video_events"), 0);

    // Starting in ten minutes: the room is open; join and leave are recorded for the parties only.
    let soon = book(
        &app,
        &s.consultant,
        &s,
        in_minutes(10),
        "remote",
        json!({ "duration_minutes": 60 }),
    )
    .await
    .expect(201);
    let path = format!("/api/v1/appointments/{}", soon.body["id"].as_str().unwrap());
    let video = format!("{path}/video");
    video_event(&app, &s.beneficiary, &video, "join")
        .await
        .expect(204);
    video_event(&app, &s.admin, &video, "join")
        .await
        .expect(403);
    video_event(&app, &s.beneficiary, &video, "dance")
        .await
        .expect(400);
    assert_eq!(count(&app, "video_events"), 1);
    let sheet = app
        .get(&format!("{path}/attendance"), &s.consultant)
        .await
        .expect(200);
    assert_eq!(sheet.body["video_events"][0]["party"], "beneficiary");
    assert_eq!(sheet.body["video_events"][0]["event"], "join");
}

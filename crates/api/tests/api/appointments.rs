//! Appointments: booking free slots, the database's guarantee against double booking, bad input,
//! the 24-hour cap, attendance feeding the hours, reminders dropped on cancellation, video rooms.

use boussole_shared::Page;
use boussole_shared::appointments::{
    Appointment, AppointmentChange, AppointmentKind, AppointmentStatus, AttendanceAction,
    AvailabilityMode, NewAppointment, Party, Slot, VideoEvent,
};
use boussole_shared::bilans::{Bilan, BilanFormat, NewBilan, SessionMode};
use chrono::{Duration, NaiveDateTime, Utc};
use diesel::prelude::*;
use serde_json::{Value, json};

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

/// A bilan session booked by `token` (201 expected).
async fn booked(
    app: &TestApp,
    token: &str,
    s: &Setup,
    start: NaiveDateTime,
    mode: SessionMode,
    minutes: Option<i64>,
) -> Appointment {
    let booking = s.booking(start, mode, minutes);
    app.book(token, &booking).await.ok(201)
}

async fn free_slots(app: &TestApp, token: &str, s: &Setup) -> Vec<Slot> {
    let today = Utc::now().date_naive();
    app.slots(token, s.consultant_id, today, today + Duration::days(14))
        .await
        .ok(200)
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
    assert!(slots[0].starts_at >= Utc::now() + Duration::hours(24));
    // Far enough that the day-before reminder is not due while the test runs.
    let far = Utc::now() + Duration::hours(26);
    let slot = slots
        .iter()
        .find(|x| x.mode == AvailabilityMode::Either && x.starts_at > far)
        .expect("an either slot");
    let start = slot.starts_at.naive_utc();

    let booking = s.booking(start, SessionMode::Remote, None);
    // Reading `ends_at` as a `DateTime<Utc>` checks that it carries its offset.
    let booked = app.book(&s.beneficiary, &booking).await.ok(201);
    assert_eq!(booked.status, AppointmentStatus::Booked);
    assert_eq!(booked.beneficiary.first_name, "Camille");
    assert!(booked.changeable);
    // 120 minutes, the consultant's setting for bilan sessions.
    assert_eq!(booked.ends_at - slot.starts_at, Duration::minutes(120));
    let id = booked.id;

    // The slot is gone for everyone, and booking it again is a conflict.
    let after = free_slots(&app, &s.beneficiary, &s).await;
    assert!(after.iter().all(|x| x.starts_at != slot.starts_at));
    let again = app.book(&s.beneficiary, &booking).await.expect(409);
    assert_eq!(again.problem_type(), "urn:boussole:problem:slot-taken");

    // The consultant sees it in their list; the confirmation reaches both, with an .ics.
    let list: Page<Appointment> = app
        .get_as("/api/v1/appointments", &s.consultant)
        .await
        .ok(200);
    assert_eq!(list.total, 1);
    assert_eq!(list.items[0].id, id);
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
    app.appointment(&other, id).await.expect(404);
    let (from, to) = (date("2026-01-01"), date("2026-01-02"));
    app.slots(&other, s.consultant_id, from, to)
        .await
        .expect(403);
}

async fn fifty_concurrent_bookings_of_one_slot_leave_exactly_one(backend: Backend) {
    let app = spawn_demo(backend).await;
    let s = setup(&app).await;
    let start = in_minutes(3 * 24 * 60);
    let booking = s.booking(start, SessionMode::Remote, Some(60));
    let calls = (0..50).map(|_| app.book(&s.consultant, &booking));
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
    app.book(
        &s.consultant,
        &s.booking(start + Duration::minutes(30), SessionMode::Remote, Some(60)),
    )
    .await
    .expect(409);
    app.book(
        &s.consultant,
        &s.booking(start + Duration::minutes(75), SessionMode::Remote, Some(60)),
    )
    .await
    .expect(201);

    // The beneficiary cannot be in two places at once either: a second bilan with another consultant.
    let other_id = app.user_id(&s.admin, "consultante2@boussole.test").await;
    let beneficiary_id = app.user_id(&s.admin, BENEFICIARY).await;
    let body = NewBilan {
        format: BilanFormat::Remote,
        ..new_bilan(beneficiary_id, other_id, FundingMode::SelfFunded)
    };
    let second = app.create_bilan(&s.admin, &body).await.ok(201).id;
    crate::helpers::start(&app, &s.admin, second, FundingMode::SelfFunded).await;
    let other = app.token("consultante2@boussole.test").await;
    let elsewhere = Setup {
        consultant_id: other_id,
        bilan: second,
        ..s.clone()
    };
    let at = start + Duration::minutes(15);
    let busy = app
        .book(
            &other,
            &elsewhere.booking(at, SessionMode::Remote, Some(30)),
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
    let at = start - Duration::minutes(60);
    booked(&app, &other, &elsewhere, at, SessionMode::Remote, Some(30)).await;
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
    app.book(
        &s.consultant,
        &s.booking(in_minutes(-60), SessionMode::Remote, None),
    )
    .await
    .expect(422);
    app.book(
        &s.consultant,
        &s.booking(
            in_minutes(120) + Duration::minutes(2),
            SessionMode::Remote,
            None,
        ),
    )
    .await
    .expect(400);
    // Paris wall-clock time instead of a UTC instant.
    let local = |t: &str| NewAppointment {
        starts_at: None,
        local_start: Some(t.parse().unwrap()),
        ..s.booking(in_minutes(120), SessionMode::Remote, None)
    };
    let gap = app
        .book(&s.consultant, &local("2027-03-28T02:30:00"))
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
    let twice = app
        .book(&s.consultant, &local("2027-10-31T02:30:00"))
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
    let wrong = NewAppointment {
        consultant_id: app.user_id(&s.admin, "consultante2@boussole.test").await,
        ..s.booking(in_minutes(3 * 24 * 60), SessionMode::Remote, None)
    };
    app.book(&s.beneficiary, &wrong).await.expect(403);
    // A beneficiary cannot pick a time that is not a free slot (Sunday 3:00 is never offered).
    let sunday = local("2027-01-03T03:00:00");
    app.book(&s.beneficiary, &sunday).await.expect(422);
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
    let soon = app
        .book(
            &s.consultant,
            &s.booking(in_minutes(180), SessionMode::Remote, None),
        )
        .await
        .expect(201);
    let soon = soon.into_body();
    let id = soon.id;
    let move_to = AppointmentChange::Move {
        starts_at: Some(in_minutes(4 * 24 * 60).and_utc()),
        local_start: None,
    };
    let late = app
        .change_appointment(&s.beneficiary, id, &move_to)
        .await
        .expect(422);
    assert!(
        late.body["detail"].as_str().unwrap().contains("Trop tard"),
        "{}",
        late.body
    );
    let unchanged = app.appointment(&s.beneficiary, id).await.ok(200);
    assert_eq!(unchanged.starts_at, soon.starts_at);
    assert!(!unchanged.changeable);
    let moved = app
        .change_appointment(&s.consultant, id, &move_to)
        .await
        .ok(200);
    assert_ne!(moved.starts_at, soon.starts_at);
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
        app.book(
            &s.consultant,
            &s.booking(day + Duration::hours(3 * i), SessionMode::Remote, Some(120)),
        )
        .await
        .expect(201);
    }
    let over = app
        .book(
            &s.consultant,
            &s.booking(day + Duration::hours(40), SessionMode::Remote, Some(150)),
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
    app.book(
        &s.consultant,
        &s.booking(day + Duration::hours(40), SessionMode::Remote, Some(120)),
    )
    .await
    .expect(201);
    let information = NewAppointment {
        kind: AppointmentKind::Information,
        ..s.booking(day + Duration::hours(44), SessionMode::Remote, Some(45))
    };
    app.book(&s.consultant, &information).await.expect(422);
}

/// Signing without a code (in one's own session).
const SIGN: AttendanceAction = AttendanceAction::Sign { code: None };

fn sign_with(code: &str) -> AttendanceAction {
    AttendanceAction::Sign {
        code: Some(code.into()),
    }
}

async fn both_signatures_hold_the_session_and_feed_the_hours(backend: Backend) {
    let app = spawn_demo(backend).await;
    let s = setup(&app).await;
    // A remote session starting in 10 minutes: the signing window (15 min before) is open.
    let id = booked(
        &app,
        &s.consultant,
        &s,
        in_minutes(10),
        SessionMode::Remote,
        Some(60),
    )
    .await
    .id;
    // Neither an admin nor another beneficiary signs.
    app.attend(&s.admin, id, &SIGN).await.expect(403);
    let other = app.token("ines.garcia@boussole.test").await;
    app.attend(&other, id, &SIGN).await.expect(404);

    let first = app.attend(&s.beneficiary, id, &SIGN).await.ok(200);
    assert_eq!(first.status, AppointmentStatus::Booked);
    assert_eq!(first.signatures[0].party, Party::Beneficiary);
    assert_eq!(first.signatures[0].method, "click");
    app.attend(&s.beneficiary, id, &SIGN).await.expect(409);
    let before = app.bilan(&s.consultant, s.bilan).await.ok(200);
    assert_eq!(before.accompaniment_minutes, 0);
    let both = app.attend(&s.consultant, id, &SIGN).await.ok(200);
    assert_eq!(both.status, AppointmentStatus::Held);
    assert!(both.session_id.is_some());
    let after: Bilan = app.bilan(&s.consultant, s.bilan).await.ok(200);
    assert_eq!(after.accompaniment_minutes, 60);
    // The admin sees the sheet (proof for funders) without the IP addresses.
    let sheet = app.attendance(&s.admin, id).await.ok(200);
    assert_eq!(sheet.signatures.len(), 2);
    assert!(sheet.signatures[0].ip.is_none());
}

async fn on_site_the_beneficiary_signs_with_the_code_the_consultant_shows(backend: Backend) {
    let app = spawn_demo(backend).await;
    let s = setup(&app).await;
    // Three hours ahead: the window is not open yet.
    let on_site = |start| {
        booked(
            &app,
            &s.consultant,
            &s,
            start,
            SessionMode::OnSite,
            Some(30),
        )
    };
    let ahead = on_site(in_minutes(180)).await.id;
    app.attend(&s.consultant, ahead, &SIGN).await.expect(422);
    let sheet = app.attendance(&s.consultant, ahead).await.ok(200);
    assert!(sheet.code.is_none());

    let id = on_site(in_minutes(5)).await.id;
    let theirs = app.attendance(&s.beneficiary, id).await.ok(200);
    assert!(theirs.code.is_none());
    let code = app
        .attendance(&s.consultant, id)
        .await
        .ok(200)
        .code
        .unwrap();
    assert_eq!(code.len(), 6);
    let wrong = if code == "000000" { "111111" } else { "000000" };
    app.attend(&s.beneficiary, id, &sign_with(wrong))
        .await
        .expect(400);
    app.attend(&s.beneficiary, id, &SIGN).await.expect(400);
    let signed = app
        .attend(&s.beneficiary, id, &sign_with(&code))
        .await
        .ok(200);
    assert_eq!(signed.signatures[0].method, "code");
    assert_eq!(signed.status, AppointmentStatus::Booked);
    // A no-show is recorded only after the start, and only by the consultant.
    let absent = |absent| AttendanceAction::NoShow { absent };
    app.attend(&s.consultant, id, &absent(Party::Beneficiary))
        .await
        .expect(422);
    app.attend(&s.beneficiary, id, &absent(Party::Consultant))
        .await
        .expect(403);
}

async fn guessing_the_on_site_code_is_throttled_and_journaled(backend: Backend) {
    let app = spawn_demo(backend).await;
    let s = setup(&app).await;
    let id = booked(
        &app,
        &s.consultant,
        &s,
        in_minutes(5),
        SessionMode::OnSite,
        Some(30),
    )
    .await
    .id;
    let code = app
        .attendance(&s.consultant, id)
        .await
        .ok(200)
        .code
        .unwrap();
    // Six digits: five wrong guesses, then even the right code waits fifteen minutes.
    let wrong: Vec<String> = (0..10)
        .map(|d: u32| d.to_string().repeat(6))
        .filter(|c| *c != code)
        .take(5)
        .collect();
    for guess in &wrong {
        app.attend(&s.beneficiary, id, &sign_with(guess))
            .await
            .expect(400);
    }
    let blocked = app
        .attend(&s.beneficiary, id, &sign_with(&code))
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
    let code = app
        .attendance(&s.consultant, id)
        .await
        .ok(200)
        .code
        .unwrap();
    let signed = app
        .attend(&s.beneficiary, id, &sign_with(&code))
        .await
        .ok(200);
    assert_eq!(signed.signatures[0].method, "code");
}

async fn cancelling_drops_the_reminders_and_tells_both(backend: Backend) {
    let app = spawn_demo(backend).await;
    let s = setup(&app).await;
    let id = booked(
        &app,
        &s.consultant,
        &s,
        in_minutes(3 * 24 * 60),
        SessionMode::OnSite,
        None,
    )
    .await
    .id;
    let pending = |app: &TestApp| {
        outbox_rows(app)
            .into_iter()
            .filter(|r| r.0.starts_with("reminder") && r.2 == "pending")
            .count()
    };
    assert_eq!(pending(&app), 2);
    let cancel = |reason: Option<String>| AppointmentChange::Cancel { reason };
    app.change_appointment(&s.beneficiary, id, &cancel(Some("x".repeat(501))))
        .await
        .expect(400);
    let cancelled = app
        .change_appointment(&s.beneficiary, id, &cancel(Some("Empêchement".into())))
        .await
        .ok(200);
    assert_eq!(cancelled.status, AppointmentStatus::Cancelled);
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
    app.change_appointment(&s.consultant, id, &cancel(None))
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
    let id = booked(
        &app,
        &s.consultant,
        &s,
        start,
        SessionMode::Remote,
        Some(60),
    )
    .await
    .id;
    let mine = app.appointment(&s.beneficiary, id).await.ok(200).video;
    let theirs = app.appointment(&s.consultant, id).await.ok(200).video;
    let (mine, theirs) = (mine.unwrap(), theirs.unwrap());
    let room = mine.room.as_str();
    assert_eq!(room, theirs.room);
    assert!(room.len() >= 32, "unguessable: {room}");
    assert!(
        mine.url
            .starts_with(&format!("https://visio.example.org/{room}?jwt="))
    );
    // Admins see the appointment, not the room.
    assert!(app.appointment(&s.admin, id).await.ok(200).video.is_none());

    let decode = |jwt: &str| {
        let mut v = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::HS256);
        v.set_audience(&["jitsi"]);
        v.validate_nbf = false;
        let key = jsonwebtoken::DecodingKey::from_secret(b"jitsi-test-secret").unwrap();
        jsonwebtoken::decode::<Value>(jwt, &key, &v).unwrap().claims
    };
    let b = decode(mine.jwt.as_deref().unwrap());
    let c = decode(theirs.jwt.as_deref().unwrap());
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
    assert!(jsonwebtoken::decode::<Value>(mine.jwt.as_deref().unwrap(), &wrong, &v).is_err());
}

async fn video_event(app: &TestApp, token: &str, path: &str, name: &str) -> Answer<()> {
    let body = VideoEvent { event: name.into() };
    app.post_as(path, Some(token), &body).await
}

async fn video_presence_is_recorded_only_while_the_room_is_open(backend: Backend) {
    let app = spawn_demo(backend).await;
    let s = setup(&app).await;
    // Two days ahead: a "join" now would be false evidence of attendance.
    let remote = |start| {
        booked(
            &app,
            &s.consultant,
            &s,
            start,
            SessionMode::Remote,
            Some(60),
        )
    };
    let later = remote(in_minutes(2 * 24 * 60)).await.id;
    let later = format!("/api/v1/appointments/{later}");
    video_event(&app, &s.beneficiary, &format!("{later}/video"), "join")
        .await
        .expect(422);
    assert_eq!(count(&app, "video_events"), 0);

    // Starting in ten minutes: the room is open; join and leave are recorded for the parties only.
    let soon = remote(in_minutes(10)).await.id;
    let video = format!("/api/v1/appointments/{soon}/video");
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
    let sheet = app.attendance(&s.consultant, soon).await.ok(200);
    assert_eq!(sheet.video_events[0].party, Party::Beneficiary);
    assert_eq!(sheet.video_events[0].event, "join");
}

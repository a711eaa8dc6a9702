//! Issue 15, item 5: webhooks. A real receiver on the loopback (a plain TCP server answering with a
//! script of statuses) takes the deliveries; the signatures are checked with an HMAC computed here.

use std::collections::{BTreeSet, HashMap, VecDeque};
use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use boussole_api::Application;
use boussole_api::schema::webhook_deliveries as d;
use boussole_shared::Page;
use boussole_shared::auth::ApiScope;
use boussole_shared::bilans::{BeneficiaryProfile, NewBeneficiary};
use boussole_shared::documents::DocumentKind;
use boussole_shared::integrations::{
    NewWebhookEndpoint, UpdateWebhookEndpoint, WebhookDelivery, WebhookDeliveryStatus,
    WebhookEndpoint, WebhookEventKind, WebhookSecret,
};
use diesel::prelude::*;
use hmac::{Hmac, KeyInit, Mac};
use reqwest::Method;
use serde_json::{Value, json};

use crate::documents::{demo_identity, issue, put_identity};
use crate::helpers::*;

on_both_backends!(
    a_delivery_failing_twice_then_succeeding_is_delivered_once_and_never_resent_after_a_restart,
    an_endpoint_failing_again_and_again_is_disabled_and_the_admins_are_told,
    only_admins_and_keys_with_webhooks_manage_reach_the_webhook_routes,
    payloads_carry_ids_and_administrative_facts_only,
    a_bad_url_or_no_events_is_refused_and_nothing_is_stored,
    the_demo_shows_a_disabled_endpoint_with_its_delivery_log,
);

/// What the receiver got: the headers (lower-case names) and the body.
#[derive(Debug, Clone)]
struct Hit {
    headers: HashMap<String, String>,
    body: String,
}

impl Hit {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap()
    }
}

struct Receiver {
    url: String,
    hits: Arc<Mutex<Vec<Hit>>>,
}

impl Receiver {
    /// Answers each request with the next status of `script`, then `then` for ever.
    fn start(script: &[u16], then: u16) -> Receiver {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!(
            "http://127.0.0.1:{}/hooks/boussole",
            listener.local_addr().unwrap().port()
        );
        let hits = Arc::new(Mutex::new(Vec::new()));
        let (seen, mut script) = (
            hits.clone(),
            script.iter().copied().collect::<VecDeque<_>>(),
        );
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                stream
                    .set_read_timeout(Some(Duration::from_secs(5)))
                    .unwrap();
                let Some(hit) = read_request(&mut stream) else {
                    continue;
                };
                seen.lock().unwrap().push(hit);
                let status = script.pop_front().unwrap_or(then);
                let answer = format!(
                    "HTTP/1.1 {status} Scripted\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"
                );
                let _ = stream.write_all(answer.as_bytes());
            }
        });
        Receiver { url, hits }
    }

    fn hits(&self) -> Vec<Hit> {
        self.hits.lock().unwrap().clone()
    }

    async fn wait_for(&self, n: usize) -> Vec<Hit> {
        eventually(30, || (self.hits().len() >= n).then(|| self.hits()))
            .await
            .unwrap_or_else(|| panic!("expected {n} requests, got {:?}", self.hits()))
    }
}

fn read_request(stream: &mut std::net::TcpStream) -> Option<Hit> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        let n = stream.read(&mut chunk).ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).to_string();
    let headers: HashMap<String, String> = head
        .lines()
        .skip(1)
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let length: usize = headers
        .get("content-length")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    while buf.len() < head_end + length {
        let n = stream.read(&mut chunk).ok()?;
        if n == 0 {
            break;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    let body = String::from_utf8_lossy(&buf[head_end..]).to_string();
    Some(Hit { headers, body })
}

/// The signature checked as a receiver would: HMAC-SHA256 of `t.body` keyed with the secret.
fn verifies(secret: &str, hit: &Hit) -> bool {
    let header = &hit.headers["boussole-signature"];
    let mut parts = header.split(',');
    let t = parts.next().unwrap().strip_prefix("t=").unwrap();
    let v1 = parts.next().unwrap().strip_prefix("v1=").unwrap();
    let age = chrono::Utc::now().timestamp() - t.parse::<i64>().unwrap();
    let mut mac = Hmac::<sha2_11::Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(format!("{t}.{}", hit.body).as_bytes());
    (0..300).contains(&age) && hex::encode(mac.finalize().into_bytes()) == v1
}

const FAST: [(&str, &str); 2] = [
    ("BOUSSOLE_WEBHOOK_INTERVAL_MS", "100"),
    ("BOUSSOLE_WEBHOOK_RETRY_SECS", "1"),
];

fn settings(extra: &[(&'static str, &str)]) -> Vec<(&'static str, String)> {
    FAST.iter()
        .chain(extra)
        .map(|(k, v)| (*k, v.to_string()))
        .collect()
}

/// Registers `url` for `events`; the endpoint's id and its secret.
async fn register(
    app: &TestApp,
    token: &str,
    url: &str,
    events: &[WebhookEventKind],
) -> (String, String) {
    let body = NewWebhookEndpoint {
        url: url.into(),
        description: Some("CRM de test".into()),
        events: events.to_vec(),
    };
    let created: WebhookSecret = app
        .post_as("/api/v1/webhooks", Some(token), &body)
        .await
        .ok(201);
    assert!(created.secret.starts_with("whsec_"));
    (created.endpoint.id.to_string(), created.secret)
}

/// Waits until `endpoint` has `n` deliveries in `status` (read from the database).
async fn settled(app: &TestApp, endpoint: &str, status: &str, n: i64) {
    let mut conn = app.conn();
    let mut count = || {
        d::table
            .filter(d::endpoint_id.eq(endpoint))
            .filter(d::status.eq(status))
            .count()
            .get_result::<i64>(&mut conn)
            .unwrap()
    };
    let done = eventually(20, || (count() >= n).then_some(())).await;
    assert!(done.is_some(), "{n} deliveries {status} on {endpoint}");
}

async fn deliveries(app: &TestApp, token: &str, endpoint: &str) -> Vec<WebhookDelivery> {
    let path = format!("/api/v1/webhooks/{endpoint}/deliveries?per_page=100");
    let page: Page<WebhookDelivery> = app.get_as(&path, token).await.ok(200);
    page.items
}

async fn webhook(app: &TestApp, token: &str, endpoint: &str) -> Answer<WebhookEndpoint> {
    app.get_as(&format!("/api/v1/webhooks/{endpoint}"), token)
        .await
}

async fn a_delivery_failing_twice_then_succeeding_is_delivered_once_and_never_resent_after_a_restart(
    backend: Backend,
) {
    let app = spawn_demo_with(backend, &settings(&[])).await;
    let admin = app.token(ADMIN).await;
    let receiver = Receiver::start(&[500, 500], 200);
    let (endpoint, secret) = register(
        &app,
        &admin,
        &receiver.url,
        &[WebhookEventKind::BilanCreated],
    )
    .await;
    let bilan = open_bilan(&app, &admin, FundingMode::Employer).await;

    let hits = receiver.wait_for(3).await;
    settled(&app, &endpoint, "delivered", 1).await;
    let log = deliveries(&app, &admin, &endpoint).await;
    assert_eq!(log.len(), 1, "one delivery: {log:?}");
    let delivery = &log[0];
    assert_eq!(delivery.status, WebhookDeliveryStatus::Delivered);
    let codes: Vec<Option<i32>> = delivery.attempts.iter().map(|a| a.status_code).collect();
    assert_eq!(codes, [Some(500), Some(500), Some(200)]);
    assert!(delivery.delivered_at.is_some() && delivery.next_attempt_at.is_none());
    // Backoff: the second attempt waited about the retry unit, the third about five of them.
    let gap = |i: usize| (delivery.attempts[i].at - delivery.attempts[i - 1].at).num_milliseconds();
    assert!(gap(1) >= 900 && gap(2) >= 4_500, "{:?}", delivery.attempts);

    // The same event, with the same id, each time, each signed with the secret.
    let event_id = delivery.event_id.to_string();
    for hit in &hits {
        assert!(verifies(&secret, hit), "signature of {hit:?}");
        assert_eq!(hit.headers["boussole-event-id"], event_id);
        assert_eq!(hit.headers["boussole-event-type"], "bilan.created");
        let body = hit.json();
        assert_eq!(body["id"], event_id);
        assert_eq!(body["type"], "bilan.created");
        assert_eq!(body["data"]["bilan_id"], bilan.to_string());
        assert!(body["created_at"].as_str().unwrap().ends_with('Z'));
    }
    assert!(hits.windows(2).all(|w| w[0].body == w[1].body));
    let endpoint_now = webhook(&app, &admin, &endpoint).await.ok(200);
    assert_eq!(endpoint_now.consecutive_failures, 0);
    assert!(endpoint_now.last_delivery_at.is_some());

    // A process stopped while it was sending a delivery: another process never sends it again.
    let mut conn = app.conn();
    let crashed = uuid::Uuid::now_v7().to_string();
    let an_hour_ago = boussole_api::db::now() - chrono::Duration::hours(1);
    diesel::insert_into(d::table)
        .values((
            d::id.eq(&crashed),
            d::endpoint_id.eq(&endpoint),
            d::event_id.eq(&event_id),
            d::status.eq("sending"),
            d::attempts.eq("[]"),
            d::attempt_count.eq(0i64),
            d::next_attempt_at.eq(Some(an_hour_ago)),
            d::claimed_at.eq(Some(an_hour_ago)),
            d::created_at.eq(an_hour_ago),
            d::updated_at.eq(an_hour_ago),
        ))
        .execute(&mut conn)
        .unwrap();
    // Restart: a new instance on the same database (the first one keeps running too).
    let restarted = Application::build(app.config.clone()).unwrap();
    actix_web::rt::spawn(restarted.run_until_stopped());
    let failed = eventually(20, || {
        let status: String = d::table
            .find(&crashed)
            .select(d::status)
            .first(&mut conn)
            .unwrap();
        (status == "failed").then_some(())
    })
    .await;
    assert!(
        failed.is_some(),
        "the interrupted delivery is marked failed"
    );
    actix_web::rt::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(
        receiver.hits().len(),
        3,
        "nothing sent twice after the restart"
    );
    let log = deliveries(&app, &admin, &endpoint).await;
    let interrupted = log.iter().find(|x| x.id.to_string() == crashed).unwrap();
    assert_eq!(interrupted.status, WebhookDeliveryStatus::Failed);
    assert!(
        interrupted.attempts[0]
            .error
            .as_deref()
            .unwrap()
            .contains("Interrompu")
    );
    let first = log.iter().find(|x| x.id == delivery.id).unwrap();
    assert_eq!(first.attempts.len(), 3);

    // A replay is a new delivery of the same event, sent with the same event id.
    let replay: WebhookDelivery = app
        .post_as(
            &format!("/api/v1/webhook-deliveries/{}/replay", delivery.id),
            Some(&admin),
            &json!({}),
        )
        .await
        .ok(202);
    assert_eq!(replay.replay_of, Some(delivery.id));
    assert_eq!(replay.event_id, delivery.event_id);
    assert_eq!(replay.status, WebhookDeliveryStatus::Pending);
    let hits = receiver.wait_for(4).await;
    assert_eq!(hits[3].headers["boussole-event-id"], event_id);
    assert_eq!(hits[3].body, hits[0].body);
    assert!(verifies(&secret, &hits[3]));
    settled(&app, &endpoint, "delivered", 2).await;
    let log = deliveries(&app, &admin, &endpoint).await;
    let done = log.iter().find(|x| x.id == replay.id).unwrap();
    assert_eq!(done.status, WebhookDeliveryStatus::Delivered);
}

async fn an_endpoint_failing_again_and_again_is_disabled_and_the_admins_are_told(backend: Backend) {
    let extra = [
        ("BOUSSOLE_WEBHOOK_MAX_ATTEMPTS", "1"),
        ("BOUSSOLE_WEBHOOK_DISABLE_AFTER", "2"),
    ];
    let app = spawn_demo_with(backend, &settings(&extra)).await;
    let admin = app.token(ADMIN).await;
    let receiver = Receiver::start(&[], 503);
    let (endpoint, secret) = register(
        &app,
        &admin,
        &receiver.url,
        &[WebhookEventKind::BilanCreated],
    )
    .await;
    open_bilan(&app, &admin, FundingMode::Employer).await;
    receiver.wait_for(1).await;
    open_bilan(&app, &admin, FundingMode::Employer).await;
    receiver.wait_for(2).await;
    settled(&app, &endpoint, "failed", 2).await;
    let now = webhook(&app, &admin, &endpoint).await.ok(200);
    assert!(!now.enabled, "{now:?}");
    assert_eq!(now.consecutive_failures, 2);
    let reason = now.disabled_reason.unwrap();
    assert!(reason.contains("2 livraisons"), "{reason}");
    let log = deliveries(&app, &admin, &endpoint).await;
    assert!(
        log.iter()
            .all(|x| x.status == WebhookDeliveryStatus::Failed && x.attempts.len() == 1)
    );
    assert_eq!(log[0].attempts[0].status_code, Some(503));

    // Every admin is told, without the secret or the URL's path.
    let outbox = app.outbox(&admin, "?per_page=100").await.ok(200);
    let told: Vec<_> = outbox
        .items
        .iter()
        .filter(|m| m.kind == "webhook_disabled")
        .collect();
    assert_eq!(told.len(), 1, "one admin in the demo: {told:?}");
    assert_eq!(told[0].recipient, ADMIN);
    let mail = app.outbox_message(&admin, told[0].id).await.ok(200);
    let text = mail.body.unwrap();
    assert!(
        text.contains("CRM de test") && text.contains(&endpoint),
        "{text}"
    );
    assert!(!text.contains(&secret) && !text.contains("/hooks/boussole"));

    // Disabled: new events are not queued for it. Enabled again: the count starts over.
    open_bilan(&app, &admin, FundingMode::Employer).await;
    actix_web::rt::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(deliveries(&app, &admin, &endpoint).await.len(), 2);
    let update = UpdateWebhookEndpoint {
        url: receiver.url.clone(),
        description: Some("CRM de test".into()),
        events: vec![WebhookEventKind::BilanCreated],
        enabled: true,
    };
    let enabled: WebhookEndpoint = app
        .put_as(&format!("/api/v1/webhooks/{endpoint}"), &admin, &update)
        .await
        .ok(200);
    assert!(enabled.enabled);
    assert_eq!(enabled.consecutive_failures, 0);
    assert!(enabled.disabled_reason.is_none());
}

async fn only_admins_and_keys_with_webhooks_manage_reach_the_webhook_routes(backend: Backend) {
    let app = spawn_demo(backend).await;
    let admin = app.token(ADMIN).await;
    let without = [ApiScope::BilansRead, ApiScope::BeneficiariesWrite];
    let without = app.api_key(&admin, "CRM", &without).await;
    let with = app
        .api_key(&admin, "CRM", &[ApiScope::WebhooksManage])
        .await;
    let (endpoint, _) = register(
        &app,
        &with,
        "https://localhost:9/hooks",
        &[WebhookEventKind::BilanCreated],
    )
    .await;
    open_bilan(&app, &admin, FundingMode::Employer).await;
    let delivery = deliveries(&app, &with, &endpoint).await[0].id.to_string();
    let update = to_json(&UpdateWebhookEndpoint {
        url: "https://localhost:9/v2".into(),
        description: None,
        events: vec![WebhookEventKind::BilanCompleted],
        enabled: true,
    });
    let create = to_json(&NewWebhookEndpoint {
        url: "https://localhost:9/2".into(),
        description: None,
        events: vec![WebhookEventKind::BilanCreated],
    });
    let routes: Vec<(Method, String, Option<Value>)> = vec![
        (Method::GET, "/api/v1/webhooks".into(), None),
        (Method::POST, "/api/v1/webhooks".into(), Some(create)),
        (Method::GET, format!("/api/v1/webhooks/{endpoint}"), None),
        (
            Method::PUT,
            format!("/api/v1/webhooks/{endpoint}"),
            Some(update),
        ),
        (
            Method::POST,
            format!("/api/v1/webhooks/{endpoint}/secret"),
            None,
        ),
        (
            Method::GET,
            format!("/api/v1/webhooks/{endpoint}/deliveries"),
            None,
        ),
        (
            Method::POST,
            format!("/api/v1/webhook-deliveries/{delivery}/replay"),
            None,
        ),
        (Method::DELETE, format!("/api/v1/webhooks/{endpoint}"), None),
    ];
    let consultant = app.token(CONSULTANT).await;
    for (method, path, body) in &routes {
        let refused = app
            .call(method.clone(), path, Some(&without), body.clone())
            .await
            .expect(403);
        assert_eq!(
            refused.problem_type(),
            "urn:boussole:problem:missing-scope",
            "{method} {path}"
        );
        app.call(method.clone(), path, Some(&consultant), body.clone())
            .await
            .expect(403);
    }
    for (method, path, body) in &routes {
        let answer = app
            .call(method.clone(), path, Some(&with), body.clone())
            .await;
        assert!(
            answer.status.is_success(),
            "{method} {path}: {}",
            answer.body
        );
    }
    webhook(&app, &with, &endpoint).await.expect(404);
    // Creation, changes, rotation, replay and deletion are journaled.
    let journal = app
        .get("/api/v1/audit?per_page=100", &admin)
        .await
        .expect(200)
        .body
        .to_string();
    for action in [
        "webhook.create",
        "webhook.update",
        "webhook.rotate_secret",
        "webhook.replay",
        "webhook.delete",
    ] {
        assert!(journal.contains(action), "{action} journaled");
    }
}

async fn payloads_carry_ids_and_administrative_facts_only(backend: Backend) {
    let app = spawn_demo_with(backend, &settings(&[])).await;
    let admin = app.token(ADMIN).await;
    let receiver = Receiver::start(&[], 204);
    let events = [
        WebhookEventKind::BilanStatusChanged,
        WebhookEventKind::BeneficiaryCreated,
        WebhookEventKind::BilanCompleted,
        WebhookEventKind::DocumentIssued,
    ];
    let (_, secret) = register(&app, &admin, &receiver.url, &events).await;
    let bilan = start_bilan(&app, &admin, FundingMode::Employer).await;
    let hits = receiver.wait_for(1).await;
    let changed = hits
        .iter()
        .map(Hit::json)
        .find(|b| b["type"] == "bilan.status_changed")
        .unwrap();
    let keys = |v: &Value| {
        v.as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect::<BTreeSet<_>>()
    };
    let expected: BTreeSet<String> = ["id", "type", "created_at", "data"]
        .map(String::from)
        .into();
    assert_eq!(keys(&changed), expected);
    let data_keys: BTreeSet<String> = [
        "bilan_id",
        "beneficiary_id",
        "external_ref",
        "from",
        "to",
        "changed_at",
        "automatic",
    ]
    .map(String::from)
    .into();
    assert_eq!(keys(&changed["data"]), data_keys);
    assert_eq!(changed["data"]["bilan_id"], bilan.to_string());
    assert_eq!(
        (
            changed["data"]["from"].as_str(),
            changed["data"]["to"].as_str()
        ),
        (Some("request"), Some("preliminary"))
    );
    assert!(hits.iter().all(|h| verifies(&secret, h)));

    let lea = NewBeneficiary {
        first_name: "Léa".into(),
        last_name: "Fontaine".into(),
        date_of_birth: Some(date("1990-05-02")),
        current_job: Some("Comptable".into()),
        ..new_beneficiary("lea.fontaine@example.org", Some("crm-77"))
    };
    app.post_as::<BeneficiaryProfile>("/api/v1/beneficiaries", Some(&admin), &lea)
        .await
        .expect(201);
    let created = eventually(20, || {
        receiver
            .hits()
            .iter()
            .map(Hit::json)
            .find(|b| b["type"] == "beneficiary.created")
    })
    .await
    .unwrap();
    let expected: BTreeSet<String> = ["beneficiary_id", "external_ref"].map(String::from).into();
    assert_eq!(keys(&created["data"]), expected);
    assert_eq!(created["data"]["external_ref"], "crm-77");
    // A document issued: its facts and hash, never its text nor its file name.
    put_identity(&app, &admin, demo_identity())
        .await
        .expect(200);
    let consultant = app.token(CONSULTANT).await;
    let doc = issue(&app, &consultant, bilan, DocumentKind::PreContractInfo)
        .await
        .ok(201);
    let issued = eventually(20, || {
        receiver
            .hits()
            .iter()
            .map(Hit::json)
            .find(|b| b["type"] == "document.issued")
    })
    .await
    .unwrap();
    let expected: BTreeSet<String> = [
        "document_id",
        "bilan_id",
        "kind",
        "version",
        "sha256",
        "issued_at",
    ]
    .map(String::from)
    .into();
    assert_eq!(keys(&issued["data"]), expected);
    assert_eq!(issued["data"]["document_id"], doc.id.to_string());
    assert_eq!(issued["data"]["kind"], "pre_contract_info");
    // Nothing personal anywhere in what was sent: no name, no address.
    let all: String = receiver.hits().iter().map(|h| h.body.clone()).collect();
    for personal in [
        "Fontaine",
        "lea.fontaine",
        "Durand",
        "Menuiserie",
        "Comptable",
    ] {
        assert!(!all.contains(personal), "{personal} sent");
    }
}

async fn a_bad_url_or_no_events_is_refused_and_nothing_is_stored(backend: Backend) {
    let app = spawn_demo(backend).await;
    let admin = app.token(ADMIN).await;
    // Raw JSON: an unknown event and a missing field are beyond what the DTO can say.
    let bad = [
        json!({ "url": "ftp://crm.example.org/h", "events": ["bilan.created"] }),
        json!({ "url": "http://crm.example.org/h", "events": ["bilan.created"] }),
        json!({ "url": "not a url", "events": ["bilan.created"] }),
        json!({ "url": "https://user:pw@crm.example.org/h", "events": ["bilan.created"] }),
        json!({ "url": "https://crm.example.org/h", "events": [] }),
        json!({ "url": "https://crm.example.org/h", "events": ["bilan.deleted"] }),
        json!({ "url": "https://crm.example.org/h" }),
        json!({ "url": "", "events": ["bilan.created"] }),
    ];
    for body in bad {
        let answer = app
            .post("/api/v1/webhooks", Some(&admin), body.clone())
            .await;
        assert_eq!(answer.status, 400, "{body}: {}", answer.body);
        answer.expect(400);
    }
    let list: Vec<WebhookEndpoint> = app.get_as("/api/v1/webhooks", &admin).await.ok(200);
    assert!(list.is_empty(), "{list:?}");
    // The OpenAPI document describes every event in its webhooks section.
    let doc = app
        .call(Method::GET, "/api/openapi.json", None, None)
        .await
        .expect(200)
        .body;
    let hooks = doc["webhooks"].as_object().unwrap();
    assert_eq!(hooks.len(), 13);
    let changed = &doc["webhooks"]["bilan.status_changed"]["post"];
    assert!(
        changed["parameters"]
            .to_string()
            .contains("Boussole-Signature")
    );
    assert_eq!(
        changed["requestBody"]["content"]["application/json"]["schema"]["properties"]["data"]["$ref"],
        "#/components/schemas/BilanStatusEvent"
    );
}

async fn the_demo_shows_a_disabled_endpoint_with_its_delivery_log(backend: Backend) {
    let app = spawn_demo(backend).await;
    let mut conn = app.conn();
    boussole_api::seed::seed_demo_bilan(&mut conn, &app.config.master_key).unwrap();
    boussole_api::webhooks::demo::seed(&mut conn, &app.config).unwrap();
    let admin = app.token(ADMIN).await;
    let list: Vec<WebhookEndpoint> = app.get_as("/api/v1/webhooks", &admin).await.ok(200);
    let endpoint = &list[0];
    assert_eq!(endpoint.description.as_deref(), Some("CRM HubSpot (démo)"));
    assert!(!endpoint.enabled, "the demo never sends anything");
    let log = deliveries(&app, &admin, &endpoint.id.to_string()).await;
    assert_eq!(log.len(), 2);
    assert!(
        log.iter()
            .all(|x| x.status == WebhookDeliveryStatus::Delivered)
    );
    assert_eq!(log[0].attempts.len(), 2, "the newest was retried once");
}

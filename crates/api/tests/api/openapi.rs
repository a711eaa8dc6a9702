use reqwest::Method;

use crate::helpers::*;

const COMMITTED: &str = include_str!("../../../../openapi/openapi.json");

#[test]
fn committed_openapi_matches_the_code() {
    let generated = boussole_api::openapi::document_json();
    assert!(
        generated == COMMITTED,
        "openapi/openapi.json is out of date with the handlers and DTOs: run `just openapi` and commit the diff"
    );
}

#[actix_web::test]
async fn served_openapi_is_the_committed_3_1_document() {
    let app = spawn_app(Backend::Sqlite).await;
    let served = app
        .call(Method::GET, "/api/openapi.json", None, None)
        .await
        .expect(200)
        .body;
    let committed: serde_json::Value = serde_json::from_str(COMMITTED).unwrap();
    assert_eq!(served, committed);
    assert!(served["openapi"].as_str().unwrap().starts_with("3.1"));
    for path in [
        "/api/v1/auth/login",
        "/api/v1/auth/register",
        "/api/v1/me",
        "/api/v1/users",
        "/api/v1/audit",
        "/healthz",
    ] {
        assert!(served["paths"].get(path).is_some(), "{path} is documented");
    }
}

/// The enums the document lists are the strings the API really sends and accepts (serde's), not
/// the Rust variant names.
#[test]
fn documented_enums_are_the_wire_strings() {
    use boussole_shared::{appointments as a, bilans as b, notifications as n};
    fn wire<T: serde::Serialize>(all: &[T]) -> Vec<String> {
        all.iter()
            .map(|v| {
                serde_json::to_value(v)
                    .unwrap()
                    .as_str()
                    .unwrap()
                    .to_string()
            })
            .collect()
    }
    let doc: serde_json::Value =
        serde_json::from_str(&boussole_api::openapi::document_json()).unwrap();
    let schemas = &doc["components"]["schemas"];
    let cases = [
        ("BilanStatus", wire(b::BilanStatus::ALL)),
        ("FundingMode", wire(b::FundingMode::ALL)),
        ("BilanFormat", wire(b::BilanFormat::ALL)),
        ("FactKind", wire(b::FactKind::ALL)),
        ("Phase", wire(b::Phase::ALL)),
        ("SessionKind", wire(b::SessionKind::ALL)),
        ("SessionMode", wire(b::SessionMode::ALL)),
        ("ConsentKind", wire(b::ConsentKind::ALL)),
        ("Situation", wire(b::Situation::ALL)),
        ("AppointmentKind", wire(a::AppointmentKind::ALL)),
        ("AvailabilityMode", wire(a::AvailabilityMode::ALL)),
        ("AppointmentStatus", wire(a::AppointmentStatus::ALL)),
        ("ExceptionKind", wire(a::ExceptionKind::ALL)),
        ("Party", wire(a::Party::ALL)),
        ("OutboxStatus", wire(a::OutboxStatus::ALL)),
        ("NotificationKind", wire(n::NotificationKind::ALL)),
        ("NotificationChannel", wire(n::NotificationChannel::ALL)),
    ];
    for (name, expected) in cases {
        let documented: Vec<String> = serde_json::from_value(schemas[name]["enum"].clone())
            .unwrap_or_else(|e| panic!("{name} has no enum in the document: {e}"));
        assert_eq!(documented, expected, "{name}");
    }
    assert!(wire(a::AppointmentKind::ALL).contains(&"bilan_session".to_string()));
}

/// Client generators (openapi-python-client, which a CRM's integrator runs) refuse an `allOf` over a
/// `oneOf` and drop the schema and every operation using it: a flattened enum must be documented as a
/// `oneOf` of whole objects, each with the common fields (the fuzzer checks real items against them).
#[test]
fn no_schema_takes_all_of_a_one_of() {
    let doc: serde_json::Value = serde_json::from_str(COMMITTED).unwrap();
    let schemas = doc["components"]["schemas"].as_object().unwrap();
    let is_one_of = |r: &serde_json::Value| {
        r["$ref"]
            .as_str()
            .and_then(|r| r.rsplit('/').next())
            .and_then(|name| schemas.get(name))
            .is_some_and(|s| s.get("oneOf").is_some())
            || r.get("oneOf").is_some()
    };
    let mut bad = Vec::new();
    for (name, schema) in schemas {
        let text = schema.to_string();
        let all_of = schema.get("allOf").and_then(|a| a.as_array());
        if all_of.is_some_and(|parts| parts.iter().any(is_one_of)) {
            bad.push(format!("{name}: {text:.120}"));
        }
    }
    assert!(bad.is_empty(), "allOf over a oneOf:\n{}", bad.join("\n"));

    let item = &schemas["Item"]["oneOf"];
    let kinds: Vec<&str> = item
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["properties"]["kind"]["enum"][0].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        [
            "likert",
            "single_choice",
            "multiple_choice",
            "ranking",
            "text",
            "number"
        ]
    );
    for o in item.as_array().unwrap() {
        for field in ["id", "text", "kind"] {
            assert!(
                o["required"].as_array().unwrap().iter().any(|r| r == field),
                "{field} required in {o}"
            );
        }
        assert!(o["properties"]["comment_prompt"].is_object());
    }
}

/// OpenAPI requires each `operationId` once; client generators name their functions after it, and two
/// handlers of the same name in two modules (both `mark_read`) once made a document that fails validation.
#[test]
fn operation_ids_are_unique() {
    let doc: serde_json::Value = serde_json::from_str(COMMITTED).unwrap();
    let mut seen = std::collections::BTreeMap::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            if let Some(id) = op.get("operationId").and_then(|i| i.as_str()) {
                let here = format!("{} {path}", method.to_uppercase());
                if let Some(first) = seen.insert(id.to_string(), here.clone()) {
                    panic!("operationId {id} twice: {first} and {here}");
                }
            }
        }
    }
    assert!(seen.len() > 100, "{} operations", seen.len());
}

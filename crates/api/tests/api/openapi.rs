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

//! The authorization matrix: every route of the API, called as nobody, as each role and as an API key.
//! The table must list every operation of the OpenAPI document, so a new route cannot skip this test.

use std::collections::BTreeSet;

use reqwest::Method;
use serde_json::json;

use crate::helpers::*;

#[derive(Debug, Clone, Copy, PartialEq)]
enum Access {
    Public,
    AnyUser,
    Admin,
    /// Admins, or an API key with the right scope.
    AdminOrKey,
    /// Only these roles (bilan routes; `{id}` is a real bilan of the demo beneficiary and consultant).
    Roles(&'static [&'static str]),
}

const STAFF: Access = Roles(&["admin", "consultant"]);
const CONSULTANT_ONLY: Access = Roles(&["consultant"]);
const BENEFICIARY_ONLY: Access = Roles(&["beneficiary"]);
const CONTENT_READERS: Access = Roles(&["consultant", "beneficiary"]);

use Access::*;

const ROUTES: &[(&str, &str, Access)] = &[
    ("GET", "/healthz", Public),
    ("GET", "/readyz", Public),
    ("POST", "/api/v1/auth/register", Public),
    ("POST", "/api/v1/auth/verify-email", Public),
    ("POST", "/api/v1/auth/verify-email/resend", Public),
    ("POST", "/api/v1/auth/password/forgot", Public),
    ("POST", "/api/v1/auth/password/reset", Public),
    ("POST", "/api/v1/auth/login", Public),
    ("POST", "/api/v1/auth/totp", Public),
    ("POST", "/api/v1/auth/refresh", Public),
    ("POST", "/api/v1/invitations/accept", Public),
    ("POST", "/api/v1/auth/logout", AnyUser),
    ("POST", "/api/v1/auth/logout-all", AnyUser),
    ("GET", "/api/v1/me", AnyUser),
    ("PATCH", "/api/v1/me", AnyUser),
    ("POST", "/api/v1/me/password", AnyUser),
    ("GET", "/api/v1/me/sessions", AnyUser),
    ("DELETE", "/api/v1/me/sessions/{id}", AnyUser),
    ("POST", "/api/v1/me/totp/setup", AnyUser),
    ("POST", "/api/v1/me/totp/enable", AnyUser),
    ("POST", "/api/v1/me/totp/disable", AnyUser),
    ("POST", "/api/v1/me/totp/recovery-codes", AnyUser),
    ("GET", "/api/v1/users", AdminOrKey),
    ("GET", "/api/v1/users/{id}", AdminOrKey),
    ("PATCH", "/api/v1/users/{id}", Admin),
    ("POST", "/api/v1/invitations", Admin),
    ("GET", "/api/v1/api-keys", Admin),
    ("POST", "/api/v1/api-keys", Admin),
    ("DELETE", "/api/v1/api-keys/{id}", Admin),
    ("GET", "/api/v1/audit", AdminOrKey),
    ("GET", "/api/v1/audit/verify", Admin),
    ("GET", "/api/v1/settings/security", Admin),
    ("PATCH", "/api/v1/settings/security", Admin),
    ("POST", "/api/v1/bilans", Admin),
    ("GET", "/api/v1/bilans", AnyUser),
    ("GET", "/api/v1/bilans/{id}", AnyUser),
    ("POST", "/api/v1/bilans/{id}/assignments", Admin),
    ("POST", "/api/v1/bilans/{id}/transitions", STAFF),
    ("GET", "/api/v1/bilans/{id}/facts", AnyUser),
    ("POST", "/api/v1/bilans/{id}/facts", STAFF),
    ("GET", "/api/v1/bilans/{id}/sessions", AnyUser),
    ("POST", "/api/v1/bilans/{id}/sessions", CONSULTANT_ONLY),
    ("GET", "/api/v1/bilans/{id}/consents", AnyUser),
    ("POST", "/api/v1/bilans/{id}/consents", BENEFICIARY_ONLY),
    (
        "POST",
        "/api/v1/bilans/{id}/consents/{consent_id}/revoke",
        BENEFICIARY_ONLY,
    ),
    ("GET", "/api/v1/bilans/{id}/timeline", AnyUser),
    ("GET", "/api/v1/bilans/{id}/notes", CONTENT_READERS),
    ("POST", "/api/v1/bilans/{id}/notes", CONSULTANT_ONLY),
    ("GET", "/api/v1/bilans/{id}/files", CONTENT_READERS),
    ("POST", "/api/v1/bilans/{id}/files", CONTENT_READERS),
    (
        "GET",
        "/api/v1/bilans/{id}/files/{file_id}",
        CONTENT_READERS,
    ),
    ("GET", "/api/v1/beneficiaries", STAFF),
    ("GET", "/api/v1/beneficiaries/{id}", AnyUser),
    (
        "PUT",
        "/api/v1/beneficiaries/{id}",
        Roles(&["admin", "beneficiary"]),
    ),
    // `{id}` of /consultants is the demo consultant, who follows the matrix's bilan.
    ("GET", "/api/v1/consultants/{id}/availability", STAFF),
    ("PUT", "/api/v1/consultants/{id}/availability", STAFF),
    ("GET", "/api/v1/consultants/{id}/slots", AnyUser),
    ("POST", "/api/v1/appointments", AnyUser),
    ("GET", "/api/v1/appointments", AnyUser),
    ("GET", "/api/v1/appointments/{id}", AnyUser),
    ("PATCH", "/api/v1/appointments/{id}", AnyUser),
    ("GET", "/api/v1/appointments/{id}/attendance", AnyUser),
    ("POST", "/api/v1/appointments/{id}/attendance", AnyUser),
    ("POST", "/api/v1/appointments/{id}/video", AnyUser),
    ("POST", "/api/v1/me/calendar", AnyUser),
    ("DELETE", "/api/v1/me/calendar", AnyUser),
    ("GET", "/api/v1/calendar/{token}.ics", Public),
    ("GET", "/api/v1/outbox", Admin),
    ("GET", "/api/v1/outbox/{id}", Admin),
    ("POST", "/api/v1/outbox/{id}/retry", Admin),
];

#[test]
fn the_matrix_lists_every_documented_operation() {
    let doc: serde_json::Value =
        serde_json::from_str(&boussole_api::openapi::document_json()).unwrap();
    let mut documented = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            documented.insert((method.to_uppercase(), path.clone()));
        }
    }
    let listed: BTreeSet<(String, String)> = ROUTES
        .iter()
        .map(|(m, p, _)| (m.to_string(), p.to_string()))
        .collect();
    assert_eq!(
        documented, listed,
        "add the new route to ROUTES with who may call it"
    );
}

on_both_backends!(every_route_refuses_the_wrong_caller);

async fn every_route_refuses_the_wrong_caller(backend: Backend) {
    let app = spawn_demo(backend).await;
    let admin = app.token(ADMIN).await;
    let key = app
        .post(
            "/api/v1/api-keys",
            Some(&admin),
            json!({ "name": "matrix", "scopes": ["users:read", "audit:read"] }),
        )
        .await
        .expect(201)
        .body["key"]
        .as_str()
        .unwrap()
        .to_string();
    let bilan = crate::bilans::open_bilan(&app, &admin, "employer").await;
    let consultant = crate::appointments::id_of(&app, &admin, CONSULTANT).await;
    for (method, template, access) in ROUTES {
        let id = if template.starts_with("/api/v1/bilans/") {
            bilan.clone()
        } else if template.starts_with("/api/v1/consultants/") {
            consultant.clone()
        } else {
            uuid::Uuid::now_v7().to_string()
        };
        let path = template
            .replace("{id}", &id)
            .replace("{consent_id}", &uuid::Uuid::now_v7().to_string())
            .replace("{file_id}", &uuid::Uuid::now_v7().to_string())
            .replace("{token}", "not-a-token");
        let method = Method::from_bytes(method.as_bytes()).unwrap();
        let body = (method != Method::GET && method != Method::DELETE).then(|| json!({}));
        let call = |token: Option<String>| {
            let (method, path, body) = (method.clone(), path.clone(), body.clone());
            let app = &app;
            async move { app.call(method, &path, token.as_deref(), body).await }
        };
        let refused = |code: u16| code == 401 || code == 403;

        let nobody = call(None).await;
        assert!(
            nobody.status.as_u16() < 500,
            "{method} {path} as nobody: {}",
            nobody.status
        );
        if *access == Public {
            assert!(
                !refused(nobody.status.as_u16()),
                "{method} {path} is public: {}",
                nobody.body
            );
        } else {
            nobody.expect(401);
        }
        for (email, role) in [
            (BENEFICIARY, "beneficiary"),
            (CONSULTANT, "consultant"),
            (ADMIN, "admin"),
        ] {
            // A fresh session each time: some of these routes end the session they are called with.
            let token = app.token(email).await;
            let answer = call(Some(token)).await;
            let code = answer.status.as_u16();
            assert!(code < 500, "{method} {path} as {email}: {}", answer.body);
            let allowed = match access {
                Public | AnyUser => true,
                Admin | AdminOrKey => role == "admin",
                Roles(roles) => roles.contains(&role),
            };
            if allowed {
                assert!(
                    !refused(code),
                    "{method} {path} must accept {email}: {}",
                    answer.body
                );
            } else {
                assert_eq!(
                    code, 403,
                    "{method} {path} must refuse {email}: {}",
                    answer.body
                );
            }
        }
        let as_key = call(Some(key.clone())).await;
        let code = as_key.status.as_u16();
        assert!(
            code < 500,
            "{method} {path} with an API key: {}",
            as_key.body
        );
        match access {
            AdminOrKey => assert!(
                !refused(code),
                "{method} {path} accepts a scoped key: {}",
                as_key.body
            ),
            Admin | AnyUser | Roles(_) => assert_eq!(
                code, 403,
                "{method} {path} refuses API keys: {}",
                as_key.body
            ),
            Public => {}
        }
    }
}

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
}

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
    for (method, template, access) in ROUTES {
        let path = template.replace("{id}", &uuid::Uuid::now_v7().to_string());
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
        for (email, is_admin) in [(BENEFICIARY, false), (CONSULTANT, false), (ADMIN, true)] {
            // A fresh session each time: some of these routes end the session they are called with.
            let token = app.token(email).await;
            let answer = call(Some(token)).await;
            let code = answer.status.as_u16();
            assert!(code < 500, "{method} {path} as {email}: {}", answer.body);
            let allowed = matches!(access, Public | AnyUser) || is_admin;
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
            Admin | AnyUser => assert_eq!(
                code, 403,
                "{method} {path} refuses API keys: {}",
                as_key.body
            ),
            Public => {}
        }
    }
}

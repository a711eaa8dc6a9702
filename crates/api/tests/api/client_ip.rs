//! The client address recorded for sessions and the audit journal: a caller cannot choose it by
//! sending `X-Forwarded-For` or `Forwarded`; only the proxies named in `BOUSSOLE_TRUSTED_PROXIES` are
//! believed, and only about the hops to their left.

use std::collections::HashMap;

use serde_json::json;

use crate::helpers::*;

on_both_backends!(
    a_spoofed_forwarding_header_does_not_change_the_recorded_ip,
    behind_a_trusted_proxy_the_rightmost_untrusted_hop_is_recorded,
    metrics_for_the_machine_only_are_not_served_through_a_local_proxy,
);

/// Logs in as the beneficiary with these headers; answers the address of the new session.
async fn login_from(app: &TestApp, headers: &[(&str, &str)]) -> String {
    let mut req = app
        .client
        .post(format!("{}/api/v1/auth/login", app.base))
        .json(&json!({ "email": BENEFICIARY, "password": DEMO_PASSWORD }));
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let res = req.send().await.unwrap();
    assert_eq!(res.status(), 200);
    let token = res.json::<serde_json::Value>().await.unwrap()["access_token"]
        .as_str()
        .unwrap()
        .to_string();
    let sessions = app.get("/api/v1/me/sessions", &token).await.expect(200);
    let current = sessions
        .body
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["current"] == true);
    current.unwrap()["ip"].as_str().unwrap().to_string()
}

async fn a_spoofed_forwarding_header_does_not_change_the_recorded_ip(backend: Backend) {
    // The test client is the TCP peer 127.0.0.1, which nobody declared a proxy.
    let app = spawn_demo(backend).await;
    let ip = login_from(
        &app,
        &[
            ("x-forwarded-for", "6.6.6.6"),
            ("forwarded", "for=7.7.7.7"),
            ("x-real-ip", "8.8.8.8"),
        ],
    )
    .await;
    assert_eq!(ip, "127.0.0.1");
    // The audit journal got the same address.
    use boussole_api::schema::audit_log;
    use diesel::prelude::*;
    let ips: Vec<Option<String>> = audit_log::table
        .filter(audit_log::action.eq("auth.login"))
        .select(audit_log::ip)
        .load(&mut app.conn())
        .unwrap();
    assert!(!ips.is_empty());
    assert!(
        ips.iter().all(|i| i.as_deref() == Some("127.0.0.1")),
        "{ips:?}"
    );
}

async fn behind_a_trusted_proxy_the_rightmost_untrusted_hop_is_recorded(backend: Backend) {
    let app = spawn_demo_with(
        backend,
        &[("BOUSSOLE_TRUSTED_PROXIES", "127.0.0.1, 10.0.0.0/8".into())],
    )
    .await;
    // The client wrote 1.2.3.4 itself; the proxy saw 5.6.7.8.
    let xff = [("x-forwarded-for", "1.2.3.4, 5.6.7.8")];
    assert_eq!(login_from(&app, &xff).await, "5.6.7.8");
    // A chain of our own proxies is skipped.
    let chain = [("x-forwarded-for", "1.2.3.4, 5.6.7.8, 10.0.0.2, 10.3.0.1")];
    assert_eq!(login_from(&app, &chain).await, "5.6.7.8");
    // `Forwarded` from our proxy, when it sets no X-Forwarded-For.
    let fwd = [("forwarded", "for=1.2.3.4, for=\"[2001:db8::5]:443\"")];
    assert_eq!(login_from(&app, &fwd).await, "2001:db8::5");
    // No header from the proxy: the proxy is all we know.
    assert_eq!(login_from(&app, &[]).await, "127.0.0.1");
}

async fn metrics_for_the_machine_only_are_not_served_through_a_local_proxy(backend: Backend) {
    // No metrics token: /metrics answers the machine itself only. A proxy on this machine forwards
    // a stranger's request, which must not count as local.
    let app = spawn_app_with(backend, &[("BOUSSOLE_TRUSTED_PROXIES", "127.0.0.1".into())]).await;
    let url = format!("{}/metrics", app.base);
    let get = |xff: Option<&'static str>| {
        let mut req = app.client.get(&url);
        if let Some(xff) = xff {
            req = req.header("x-forwarded-for", xff);
        }
        async move { req.send().await.unwrap().status().as_u16() }
    };
    assert_eq!(get(Some("203.0.113.9")).await, 403);
    assert_eq!(get(None).await, 200, "the machine itself");
}

#[test]
fn the_old_boolean_is_refused_with_the_name_of_its_replacement() {
    let dir = tempfile::tempdir().unwrap();
    let env: HashMap<&str, String> = [
        ("BOUSSOLE_DATA_DIR", dir.path().display().to_string()),
        ("BOUSSOLE_INSECURE_KEY_LAYOUT", "1".to_string()),
        ("BOUSSOLE_TRUST_PROXY", "true".to_string()),
    ]
    .into();
    let err = boussole_api::Config::from_lookup(|k| env.get(k).cloned()).unwrap_err();
    assert_eq!(err.var, "BOUSSOLE_TRUST_PROXY");
    assert!(err.message.contains("BOUSSOLE_TRUSTED_PROXIES"), "{err}");
    let env: HashMap<&str, String> = [
        ("BOUSSOLE_DATA_DIR", dir.path().display().to_string()),
        ("BOUSSOLE_INSECURE_KEY_LAYOUT", "1".to_string()),
        (
            "BOUSSOLE_TRUSTED_PROXIES",
            "10.0.0.0/8, proxy.local".to_string(),
        ),
    ]
    .into();
    let err = boussole_api::Config::from_lookup(|k| env.get(k).cloned()).unwrap_err();
    assert!(err.message.contains("proxy.local"), "{err}");
}

//! Response headers that protect the browser side: the Content-Security-Policy the SPA and the API
//! docs run under, HSTS when the platform is served over https, `no-store` on every API answer (they
//! carry personal data), and the guard in front of `/metrics`.

use actix_web::http::header::{HeaderName, HeaderValue};
use base64::Engine;
use boussole_shared::Slug;
use sha2::{Digest, Sha256};

use crate::config::Config;
use crate::error::ApiError;

/// The policy for every response. Scripts come from this origin only (`'wasm-unsafe-eval'` lets the
/// browser compile the app's WebAssembly), plus the inline loader Trunk writes into `index.html`,
/// allowed by its hash and nothing else; the only frame is the Jitsi room; nobody may frame us.
/// Styles may be inline: the SPA sets `style` attributes, and injected CSS cannot run code.
pub fn content_security_policy(config: &Config) -> String {
    let index = std::fs::read_to_string(config.static_dir.join("index.html")).unwrap_or_default();
    let hashes: String = inline_script_hashes(&index)
        .iter()
        .map(|h| format!(" 'sha256-{h}'"))
        .collect();
    let jitsi = origin(&config.appointments.jitsi.base_url);
    format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'{hashes}; \
         style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; \
         frame-src {jitsi}; frame-ancestors 'none'; object-src 'none'; base-uri 'self'; \
         form-action 'self'"
    )
}

/// `Strict-Transport-Security` when the public URL is https (never over plain http, where browsers
/// ignore it and a development machine would be pinned to https by mistake).
pub fn strict_transport_security(config: &Config) -> Option<&'static str> {
    config
        .public_url
        .starts_with("https://")
        .then_some("max-age=31536000; includeSubDomains")
}

/// Base64 SHA-256 of the text of each `<script>` without `src` in `html`, as CSP hash sources.
pub fn inline_script_hashes(html: &str) -> Vec<String> {
    let mut hashes = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<script") {
        let after = &rest[start..];
        let Some(open_end) = after.find('>') else {
            break;
        };
        let tag = &after[..open_end];
        let body = &after[open_end + 1..];
        let Some(close) = body.find("</script>") else {
            break;
        };
        if !tag.contains(" src=") && !body[..close].is_empty() {
            let digest = Sha256::digest(&body.as_bytes()[..close]);
            hashes.push(base64::engine::general_purpose::STANDARD.encode(digest));
        }
        rest = &body[close..];
    }
    hashes
}

/// `scheme://host[:port]` of a URL, as a CSP source.
fn origin(url: &str) -> String {
    match url.find("://") {
        Some(s) => {
            let host_end = url[s + 3..].find('/').map_or(url.len(), |i| s + 3 + i);
            url[..host_end].to_string()
        }
        None => "'none'".into(),
    }
}

/// Whether this request may read `/metrics`: with `BOUSSOLE_METRICS_TOKEN` set, only with that bearer
/// token (compared in constant time); without it, only from the machine itself.
pub fn metrics_allowed(
    config: &Config,
    authorization: Option<&HeaderValue>,
    peer: Option<std::net::IpAddr>,
) -> Result<(), ApiError> {
    match &config.metrics_token {
        Some(expected) => {
            let given = authorization
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.strip_prefix("Bearer "))
                .unwrap_or_default();
            let same = given.len() == expected.len()
                && given
                    .bytes()
                    .zip(expected.bytes())
                    .fold(0u8, |acc, (a, b)| acc | (a ^ b))
                    == 0;
            if same {
                Ok(())
            } else {
                Err(ApiError::unauthorized(
                    Slug::INVALID_TOKEN,
                    "Les métriques demandent le jeton BOUSSOLE_METRICS_TOKEN.",
                ))
            }
        }
        None if peer.is_some_and(|ip| ip.is_loopback()) => Ok(()),
        None => Err(ApiError::forbidden(
            Slug::METRICS_LOCAL_ONLY,
            "Les métriques ne sont servies qu'à la machine elle-même (ou avec BOUSSOLE_METRICS_TOKEN).",
        )),
    }
}

pub const CACHE_CONTROL: HeaderName = actix_web::http::header::CACHE_CONTROL;
pub const NO_STORE: HeaderValue = HeaderValue::from_static("no-store");

/// Whether `path` is an API answer (JSON, documents, calendar feeds), which must not be stored by the
/// browser or a proxy: they hold personal data.
pub fn is_api_path(path: &str) -> bool {
    path.starts_with("/api/v1/") || path == "/metrics"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_scripts_are_hashed_and_external_ones_are_not() {
        let html =
            r#"<head><script src="/app.js"></script><script type="module">init()</script></head>"#;
        let hashes = inline_script_hashes(html);
        // echo -n 'init()' | openssl dgst -sha256 -binary | base64
        assert_eq!(
            hashes,
            vec!["w4ujnOpjBoH2vcasx+reJRUwYivG8Q3afx/XevGJod8=".to_string()]
        );
    }

    #[test]
    fn the_frame_source_is_the_jitsi_origin() {
        assert_eq!(origin("https://meet.jit.si"), "https://meet.jit.si");
        assert_eq!(
            origin("https://visio.example.org:8443/base/"),
            "https://visio.example.org:8443"
        );
    }
}

//! Who is calling: the bearer token, the session or API key behind it, the client's address. The
//! extractors that say who may call a handler are in `caller`.

use std::future::{Ready, ready};
use std::net::IpAddr;

use actix_web::dev::Payload;
use actix_web::http::header::HeaderMap;
use actix_web::{FromRequest, HttpRequest, web};
use boussole_shared::auth::ApiScope;
use boussole_shared::users::Role;
use diesel::prelude::*;

use crate::AppState;
use crate::audit::Actor;
use crate::auth::tokens::{self, ACCESS};
use crate::config::IpNet;
use crate::error::ApiError;
use crate::schema::{api_keys, sessions, users};
use crate::users::model::UserRow;

pub const API_KEY_PREFIX: &str = "bsl_";

/// The caller's address and browser, for the audit journal and the sessions list.
#[derive(Debug, Clone, Default)]
pub struct ClientInfo {
    pub ip: Option<String>,
    pub user_agent: Option<String>,
}

impl ClientInfo {
    pub fn of(req: &HttpRequest) -> ClientInfo {
        let trusted = req
            .app_data::<web::Data<AppState>>()
            .map(|s| s.config.trusted_proxies.as_slice())
            .unwrap_or_default();
        let ip = req
            .peer_addr()
            .map(|peer| client_ip(peer.ip(), req.headers(), trusted).to_string());
        let user_agent = req
            .headers()
            .get(actix_web::http::header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .map(|s| s.chars().take(300).collect());
        ClientInfo { ip, user_agent }
    }
}

/// The client's address: the TCP peer, unless the peer is one of our proxies; then the rightmost hop
/// of `X-Forwarded-For` that is not one of our proxies (the hops to its left were written by whoever
/// it was, so they prove nothing). `Forwarded` (RFC 7239) is read only when no `X-Forwarded-For`
/// came, and never from an untrusted peer.
pub fn client_ip(peer: IpAddr, headers: &HeaderMap, trusted: &[IpNet]) -> IpAddr {
    let is_trusted = |ip: IpAddr| trusted.iter().any(|net| net.contains(ip));
    if !is_trusted(peer) {
        return peer;
    }
    let joined = |name: &str| {
        let values: Vec<&str> = headers
            .get_all(name)
            .filter_map(|v| v.to_str().ok())
            .collect();
        (!values.is_empty()).then(|| values.join(","))
    };
    let hops: Vec<String> = if let Some(xff) = joined("x-forwarded-for") {
        xff.split(',').map(|h| h.trim().to_string()).collect()
    } else if let Some(fwd) = joined("forwarded") {
        fwd.split(',')
            .filter_map(|element| {
                element.split(';').find_map(|pair| {
                    let (k, v) = pair.split_once('=')?;
                    k.trim()
                        .eq_ignore_ascii_case("for")
                        .then(|| v.trim().to_string())
                })
            })
            .collect()
    } else {
        Vec::new()
    };
    let mut client = peer;
    for hop in hops.iter().rev() {
        // Something that is no address ("unknown", an obfuscated name): the hop we know is the client.
        let Some(ip) = parse_hop(hop) else { break };
        client = ip;
        if !is_trusted(ip) {
            break;
        }
    }
    client
}

/// `1.2.3.4`, `1.2.3.4:5678`, `"[2001:db8::1]:80"`, `2001:db8::1`.
fn parse_hop(hop: &str) -> Option<IpAddr> {
    let hop = hop.trim().trim_matches('"');
    if let Ok(ip) = hop.parse() {
        return Some(ip);
    }
    if let Some(rest) = hop.strip_prefix('[') {
        return rest.split(']').next()?.parse().ok();
    }
    hop.parse::<std::net::SocketAddr>().ok().map(|s| s.ip())
}

impl FromRequest for ClientInfo {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(Ok(ClientInfo::of(req)))
    }
}

/// A logged-in account with a live session.
#[derive(Debug, Clone)]
pub struct CurrentUser {
    pub user: UserRow,
    pub session_id: String,
    pub client: ClientInfo,
    /// The organisation requires TOTP for staff and this staff account has none yet.
    pub totp_enrolment_required: bool,
}

impl CurrentUser {
    pub fn actor(&self) -> Actor {
        Actor::user(&self.user.id, self.client.ip.clone())
    }
}

fn state(req: &HttpRequest) -> Result<web::Data<AppState>, ApiError> {
    req.app_data::<web::Data<AppState>>()
        .cloned()
        .ok_or_else(|| ApiError::internal("application state missing"))
}

pub(super) fn bearer(req: &HttpRequest) -> Result<String, ApiError> {
    let header = req
        .headers()
        .get(actix_web::http::header::AUTHORIZATION)
        .ok_or_else(|| {
            ApiError::unauthorized(
                "missing-token",
                "Connectez-vous pour accéder à cette ressource.",
            )
        })?;
    let value = header.to_str().unwrap_or_default();
    match value.split_once(' ') {
        Some((scheme, token))
            if scheme.eq_ignore_ascii_case("bearer") && !token.trim().is_empty() =>
        {
            Ok(token.trim().to_string())
        }
        _ => Err(ApiError::unauthorized(
            "invalid-token",
            "En-tête Authorization invalide.",
        )),
    }
}

/// Sessions recently found live, keyed by user, session and token version (see `crate::cache`).
pub type AuthCache = crate::cache::ReadCache<(UserRow, bool)>;

pub(super) async fn authenticate(req: HttpRequest) -> Result<CurrentUser, ApiError> {
    let token = bearer(&req)?;
    if token.starts_with(API_KEY_PREFIX) {
        return Err(ApiError::forbidden(
            "api-key-not-allowed",
            "Une clé d'API ne donne pas accès à cette ressource.",
        ));
    }
    let state = state(&req)?;
    let claims = state.keys.verify(&token, ACCESS)?;
    let client = ClientInfo::of(&req);
    let session_id = claims.sid.clone();
    let cache_key = format!("{}:{}:{}", claims.sub, claims.sid, claims.tv);
    let pool = state.pool.clone();
    let lookup = crate::db::run(&pool, move |conn| {
        let user: Option<UserRow> = users::table
            .inner_join(sessions::table)
            .filter(users::id.eq(&claims.sub))
            .filter(sessions::id.eq(&claims.sid))
            .filter(sessions::revoked_at.is_null())
            .filter(sessions::expires_at.gt(crate::db::now()))
            .filter(users::is_active.eq(true))
            .filter(users::token_version.eq(claims.tv))
            .select(UserRow::as_select())
            .first(conn)
            .optional()?;
        let Some(user) = user else {
            return Err(ApiError::unauthorized(
                "session-ended",
                "Session terminée : reconnectez-vous.",
            ));
        };
        let totp_required = user.role() != Role::Beneficiary
            && !user.totp_enabled()
            && crate::settings::security(conn)?.totp_required_for_staff;
        Ok((user, totp_required))
    });
    let (user, totp_required) = state.auth_cache.get_or_load(cache_key, lookup).await?;
    crate::spans::record_caller(&req, &user.id, user.role().as_str());
    Ok(CurrentUser {
        user,
        session_id,
        client,
        totp_enrolment_required: totp_required,
    })
}

/// The API key behind `token` (which starts with [`API_KEY_PREFIX`]): its id, scopes and the client.
pub(super) async fn key_caller(
    req: &HttpRequest,
    token: String,
) -> Result<(String, Vec<ApiScope>, ClientInfo), ApiError> {
    let state = state(req)?;
    let client = ClientInfo::of(req);
    let hash = tokens::sha256_hex(&token);
    let (id, scopes) = crate::db::run(&state.pool, move |conn| {
        let found: Option<(String, String, Option<chrono::NaiveDateTime>)> = api_keys::table
            .filter(api_keys::key_hash.eq(&hash))
            .filter(api_keys::revoked_at.is_null())
            .select((api_keys::id, api_keys::scopes, api_keys::last_used_at))
            .first(conn)
            .optional()?;
        let Some((id, scopes, last_used)) = found else {
            return Err(ApiError::unauthorized(
                "invalid-api-key",
                "Clé d'API inconnue ou révoquée.",
            ));
        };
        let now = crate::db::now();
        // "Last used" to the minute: one write a minute at most, not one per request.
        if last_used.is_none_or(|t| now - t > chrono::Duration::minutes(1)) {
            diesel::update(api_keys::table.find(&id))
                .set(api_keys::last_used_at.eq(now))
                .execute(conn)?;
        }
        Ok((id, crate::auth::api_keys::parse_scopes(&scopes)))
    })
    .await?;
    crate::spans::record_caller(req, &id, "api_key");
    Ok((id, scopes, client))
}

#[cfg(test)]
mod tests {
    use actix_web::http::header::{HeaderName, HeaderValue};

    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (k, v) in pairs {
            map.append(
                HeaderName::from_static(k),
                HeaderValue::from_str(v).unwrap(),
            );
        }
        map
    }

    fn nets(list: &[&str]) -> Vec<IpNet> {
        list.iter().map(|s| IpNet::parse(s).unwrap()).collect()
    }

    #[test]
    fn an_untrusted_peer_is_the_client_whatever_it_says() {
        let h = headers(&[("x-forwarded-for", "6.6.6.6"), ("forwarded", "for=7.7.7.7")]);
        assert_eq!(client_ip(ip("9.9.9.9"), &h, &[]), ip("9.9.9.9"));
        assert_eq!(
            client_ip(ip("9.9.9.9"), &h, &nets(&["10.0.0.0/8"])),
            ip("9.9.9.9")
        );
    }

    #[test]
    fn behind_trusted_proxies_the_rightmost_untrusted_hop_is_the_client() {
        let trusted = nets(&["10.0.0.0/8", "192.168.1.1"]);
        let h = headers(&[("x-forwarded-for", "1.2.3.4, 5.6.7.8, 192.168.1.1")]);
        assert_eq!(client_ip(ip("10.1.2.3"), &h, &trusted), ip("5.6.7.8"));
        // Two header lines are one list, in order.
        let h = headers(&[
            ("x-forwarded-for", "1.2.3.4"),
            ("x-forwarded-for", "5.6.7.8, 10.0.0.9"),
        ]);
        assert_eq!(client_ip(ip("10.1.2.3"), &h, &trusted), ip("5.6.7.8"));
        // Every hop is a proxy of ours: the leftmost is the best we know.
        let h = headers(&[("x-forwarded-for", "10.0.0.7, 10.0.0.8")]);
        assert_eq!(client_ip(ip("10.1.2.3"), &h, &trusted), ip("10.0.0.7"));
        // Garbage stops the walk at the last address known.
        let h = headers(&[("x-forwarded-for", "1.2.3.4, unknown, 10.0.0.8")]);
        assert_eq!(client_ip(ip("10.1.2.3"), &h, &trusted), ip("10.0.0.8"));
        // No header: the proxy itself.
        assert_eq!(
            client_ip(ip("10.1.2.3"), &HeaderMap::new(), &trusted),
            ip("10.1.2.3")
        );
    }

    #[test]
    fn forwarded_counts_only_from_a_trusted_peer_without_x_forwarded_for() {
        let trusted = nets(&["::1", "127.0.0.1"]);
        let h = headers(&[(
            "forwarded",
            "for=1.2.3.4;proto=https, for=\"[2001:db8::7]:4711\"",
        )]);
        assert_eq!(client_ip(ip("::1"), &h, &trusted), ip("2001:db8::7"));
        let both = headers(&[("forwarded", "for=1.2.3.4"), ("x-forwarded-for", "5.6.7.8")]);
        assert_eq!(client_ip(ip("127.0.0.1"), &both, &trusted), ip("5.6.7.8"));
        assert_eq!(client_ip(ip("8.8.8.8"), &h, &trusted), ip("8.8.8.8"));
    }

    #[test]
    fn ranges_hold_what_they_say() {
        let net = IpNet::parse("10.0.0.0/8").unwrap();
        assert!(net.contains(ip("10.255.0.1")));
        assert!(!net.contains(ip("11.0.0.1")));
        assert!(net.contains(ip("::ffff:10.0.0.1")), "IPv4-mapped peer");
        assert!(!net.contains(ip("::1")));
        assert!(IpNet::parse("0.0.0.0/0").unwrap().contains(ip("8.8.8.8")));
        assert!(
            IpNet::parse("2001:db8::/32")
                .unwrap()
                .contains(ip("2001:db8::1"))
        );
        assert!(IpNet::parse("10.0.0.0/33").is_none());
        assert!(IpNet::parse("proxy.local").is_none());
    }
}

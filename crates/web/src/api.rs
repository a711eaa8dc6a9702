//! The typed client: one async method per endpoint, with the DTOs of `boussole_shared`.
//!
//! The access token lives only in memory (the `session` signal); the refresh token is an HttpOnly
//! cookie the browser sends to `/api/v1/auth` by itself. A call answered 401 refreshes once and retries.

mod access;
mod appointments;
mod assessments;
mod beneficiaries;
mod cpf;
mod documents;
mod error;
mod integrations;
mod legal;
mod messages;
mod money;
mod notifications;
mod projection;
mod quotes;
mod resources;
mod sharing;
mod signatures;
mod synthesis;
mod upload;
mod value_de;

use std::{cell::RefCell, future::Future, pin::Pin};

use boussole_shared::{
    Page, PageQuery, Problem,
    audit::{AuditEntry, AuditFilter, AuditVerification},
    auth::*,
    bilans::{
        Bilan, BilanFilter, BilanSession, BilanStatus, Consent, Fact, NewAssignment, NewBilan,
        NewConsent, NewFact, NewNote, NewSession, Note, TimelineEvent, TransitionRequest,
    },
    documents::OrganisationIdentity,
    users::{
        AcceptInvitation, Invitation, MePatch, NewInvitation, SecuritySettings, User, UserFilter,
        UserPatch,
    },
};
use futures::future::{FutureExt, Shared};
use gloo_net::http::{Method, RequestBuilder, Response};
use leptos::prelude::*;
use serde::{Serialize, de::DeserializeOwned};
use uuid::Uuid;

pub use error::ApiError;
pub use integrations::Created;
pub use upload::Progress;

pub type ApiResult<T> = Result<T, ApiError>;

type RefreshFuture = Shared<Pin<Box<dyn Future<Output = ApiResult<TokenResponse>>>>>;

thread_local! {
    // The API ends a session whose refresh token is used twice, so parallel 401s must share one refresh.
    static REFRESHING: RefCell<Option<RefreshFuture>> = const { RefCell::new(None) };
}

/// One request, kept whole so that it can be sent again after a refresh.
struct Req {
    method: Method,
    path: String,
    /// `a=1&b=2`, from the shared query types (empty: none).
    query: String,
    body: Option<String>,
    /// The body is `text/csv` rather than JSON.
    csv: bool,
}

impl Req {
    fn new(method: Method, path: impl Into<String>) -> Self {
        Req {
            method,
            path: path.into(),
            query: String::new(),
            body: None,
            csv: false,
        }
    }

    fn json(mut self, body: &impl Serialize) -> Self {
        // Serialising our own DTOs cannot fail; an empty object would be refused loudly by the API anyway.
        self.body = Some(serde_json::to_string(body).unwrap_or_else(|_| "{}".into()));
        self
    }

    /// A CSV body (`text/csv`) instead of JSON.
    fn csv(mut self, text: String) -> Self {
        self.body = Some(text);
        self.csv = true;
        self
    }

    /// Adds the query parameters of `q`, one of the shared types the API reads its query with
    /// (`PageQuery`, `UserFilter`…): the client cannot ask for a parameter the API does not know.
    /// `None` fields are left out.
    fn query(mut self, q: &impl Serialize) -> Self {
        // Serialising flat structs of strings, numbers and enums cannot fail.
        let s = serde_urlencoded::to_string(q).unwrap_or_default();
        if !s.is_empty() {
            if !self.query.is_empty() {
                self.query.push('&');
            }
            self.query.push_str(&s);
        }
        self
    }

    /// `?page=&per_page=`.
    fn page(self, page: i64, per_page: i64) -> Self {
        self.query(&PageQuery {
            page: Some(page),
            per_page: Some(per_page),
        })
    }

    fn url(&self) -> String {
        match self.query.as_str() {
            "" => format!("/api/v1{}", self.path),
            q => format!("/api/v1{}?{q}", self.path),
        }
    }
}

/// The client and the logged-in session (None when logged out). Provided as context by `App`.
#[derive(Clone, Copy)]
pub struct Api {
    pub session: RwSignal<Option<TokenResponse>>,
}

impl Api {
    pub fn new() -> Self {
        Api {
            session: RwSignal::new(None),
        }
    }

    fn token(self) -> Option<String> {
        self.session
            .try_with_untracked(|s| s.as_ref().map(|s| s.access_token.clone()))
            .flatten()
    }

    async fn fetch(req: &Req, token: Option<&str>) -> ApiResult<Response> {
        let mut b = RequestBuilder::new(&req.url())
            .method(req.method.clone())
            .header("Accept-Language", crate::i18n::accept_language());
        if let Some(t) = token {
            b = b.header("Authorization", &format!("Bearer {t}"));
        }
        let request = match &req.body {
            Some(body) => b
                .header(
                    "Content-Type",
                    if req.csv {
                        "text/csv; charset=utf-8"
                    } else {
                        "application/json"
                    },
                )
                .body(body.as_str()),
            None => b.build(),
        };
        request
            .map_err(|_| ApiError::Network)?
            .send()
            .await
            .map_err(|_| ApiError::Network)
    }

    /// The answer, whatever its status, after one refresh on a 401.
    async fn send(self, req: &Req) -> ApiResult<Response> {
        let token = self.token();
        let mut resp = Self::fetch(req, token.as_deref()).await?;
        if resp.status() == 401 && token.is_some() {
            self.refresh().await?;
            resp = Self::fetch(req, self.token().as_deref()).await?;
        }
        Ok(resp)
    }

    /// The status and JSON of the answer, a problem included (for the few callers that read a
    /// problem's own members, such as `existing_id`).
    async fn send_value(self, req: Req) -> ApiResult<(u16, serde_json::Value)> {
        let resp = self.send(&req).await?;
        let status = resp.status();
        Ok((status, Self::read_value(resp).await?))
    }

    async fn execute(self, req: Req) -> ApiResult<Response> {
        let resp = self.send(&req).await?;
        if resp.ok() {
            return Ok(resp);
        }
        let status = resp.status();
        Err(Self::read::<Problem>(resp)
            .await
            .map(ApiError::Problem)
            .unwrap_or(ApiError::Unexpected(status)))
    }

    /// A response's JSON as a `T`, through the one `Value` parser (see `call_value`).
    async fn read<T: DeserializeOwned>(resp: Response) -> ApiResult<T> {
        let value = Self::read_value(resp).await?;
        // The API answered JSON that is not the DTO: a version mismatch, "unexpected".
        T::deserialize(value_de::ValueDe(value)).map_err(|_| ApiError::Unexpected(200))
    }

    async fn read_value(resp: Response) -> ApiResult<serde_json::Value> {
        let status = resp.status();
        let text = resp
            .text()
            .await
            .map_err(|_| ApiError::Unexpected(status))?;
        serde_json::from_str(&text).map_err(|_| ApiError::Unexpected(status))
    }

    /// The answer's JSON as a `Value`. Every typed call goes through this one function, and each DTO
    /// is then read from the `Value`: the wasm holds one JSON parser and one copy of this future instead
    /// of one per response type (the typed readers of `serde_json::from_str` inlined a parser into each
    /// loading future, ~10 % of the wasm).
    async fn call_value(self, req: Req) -> ApiResult<serde_json::Value> {
        Self::read_value(self.execute(req).await?).await
    }

    async fn call<T: DeserializeOwned>(self, req: Req) -> ApiResult<T> {
        let value = self.call_value(req).await?;
        // The API answered 2xx with JSON that is not the DTO: a version mismatch, "unexpected".
        T::deserialize(value_de::ValueDe(value)).map_err(|_| ApiError::Unexpected(200))
    }

    async fn call_empty(self, req: Req) -> ApiResult<()> {
        self.execute(req).await.map(|_| ())
    }

    fn start(self, tokens: &TokenResponse) {
        self.session.try_set(Some(tokens.clone()));
    }

    /// Replaces the user of the session after an edit of the profile.
    pub fn set_user(self, user: User) {
        self.session.try_update(|s| {
            if let Some(s) = s {
                s.user = user;
            }
        });
    }

    // ---- auth ----

    pub async fn login(self, body: &LoginRequest) -> ApiResult<LoginResponse> {
        let r: LoginResponse = self
            .call(Req::new(Method::POST, "/auth/login").json(body))
            .await?;
        if let LoginResponse::Tokens(t) = &r {
            self.start(t);
        }
        Ok(r)
    }

    pub async fn login_totp(self, body: &TotpLoginRequest) -> ApiResult<TokenResponse> {
        let t: TokenResponse = self
            .call(Req::new(Method::POST, "/auth/totp").json(body))
            .await?;
        self.start(&t);
        Ok(t)
    }

    /// New tokens from the refresh cookie; ends the in-memory session when the server refuses it.
    pub async fn refresh(self) -> ApiResult<TokenResponse> {
        let fut = REFRESHING.with(|r| {
            r.borrow_mut()
                .get_or_insert_with(|| {
                    let f: Pin<Box<dyn Future<Output = _>>> = Box::pin(async move {
                        let req = Req::new(Method::POST, "/auth/refresh")
                            .json(&RefreshRequest::default());
                        let out = Self::fetch(&req, None).await;
                        let out = match out {
                            Ok(r) if r.ok() => Self::read::<TokenResponse>(r).await,
                            Ok(r) => Err(ApiError::Unexpected(r.status())),
                            Err(e) => Err(e),
                        };
                        REFRESHING.with(|r| r.borrow_mut().take());
                        out
                    });
                    f.shared()
                })
                .clone()
        });
        let out = fut.await;
        match &out {
            Ok(t) => self.start(t),
            // A network blip is not a logout: only a refused refresh ends the in-memory session.
            Err(ApiError::Network) => {}
            Err(_) => {
                self.session.try_set(None);
            }
        }
        out
    }

    pub async fn logout(self) -> ApiResult<()> {
        let r = self
            .call_empty(Req::new(Method::POST, "/auth/logout"))
            .await;
        self.session.try_set(None);
        r
    }

    pub async fn logout_all(self) -> ApiResult<()> {
        let r = self
            .call_empty(Req::new(Method::POST, "/auth/logout-all"))
            .await;
        self.session.try_set(None);
        r
    }

    pub async fn register(self, body: &RegisterRequest) -> ApiResult<()> {
        self.call_empty(Req::new(Method::POST, "/auth/register").json(body))
            .await
    }

    pub async fn verify_email(self, token: String) -> ApiResult<()> {
        self.call_empty(Req::new(Method::POST, "/auth/verify-email").json(&TokenRequest { token }))
            .await
    }

    pub async fn resend_verification(self, email: String) -> ApiResult<()> {
        self.call_empty(
            Req::new(Method::POST, "/auth/verify-email/resend").json(&EmailRequest { email }),
        )
        .await
    }

    pub async fn forgot_password(self, email: String) -> ApiResult<()> {
        self.call_empty(
            Req::new(Method::POST, "/auth/password/forgot").json(&EmailRequest { email }),
        )
        .await
    }

    pub async fn reset_password(self, body: &ResetPasswordRequest) -> ApiResult<()> {
        self.call_empty(Req::new(Method::POST, "/auth/password/reset").json(body))
            .await
    }

    pub async fn accept_invitation(self, body: &AcceptInvitation) -> ApiResult<User> {
        self.call(Req::new(Method::POST, "/invitations/accept").json(body))
            .await
    }

    // ---- me ----

    pub async fn patch_me(self, body: &MePatch) -> ApiResult<User> {
        let user: User = self.call(Req::new(Method::PATCH, "/me").json(body)).await?;
        self.set_user(user.clone());
        Ok(user)
    }

    pub async fn change_password(self, body: &ChangePasswordRequest) -> ApiResult<()> {
        self.call_empty(Req::new(Method::POST, "/me/password").json(body))
            .await
    }

    pub async fn sessions(self) -> ApiResult<Vec<Session>> {
        self.call(Req::new(Method::GET, "/me/sessions")).await
    }

    pub async fn end_session(self, id: Uuid) -> ApiResult<()> {
        self.call_empty(Req::new(Method::DELETE, format!("/me/sessions/{id}")))
            .await
    }

    pub async fn totp_setup(self) -> ApiResult<TotpSetup> {
        self.call(Req::new(Method::POST, "/me/totp/setup")).await
    }

    pub async fn totp_enable(self, code: String) -> ApiResult<RecoveryCodes> {
        self.call(Req::new(Method::POST, "/me/totp/enable").json(&TotpCodeRequest { code }))
            .await
    }

    pub async fn totp_disable(self, body: &TotpDisableRequest) -> ApiResult<()> {
        self.call_empty(Req::new(Method::POST, "/me/totp/disable").json(body))
            .await
    }

    // ---- admin ----

    pub async fn users(self, page: i64, per_page: i64, f: &UserFilter) -> ApiResult<Page<User>> {
        let req = Req::new(Method::GET, "/users")
            .page(page, per_page)
            .query(f);
        self.call(req).await
    }

    pub async fn patch_user(self, id: Uuid, body: &UserPatch) -> ApiResult<User> {
        self.call(Req::new(Method::PATCH, format!("/users/{id}")).json(body))
            .await
    }

    pub async fn invite(self, body: &NewInvitation) -> ApiResult<Invitation> {
        self.call(Req::new(Method::POST, "/invitations").json(body))
            .await
    }

    pub async fn api_keys(self) -> ApiResult<Vec<ApiKey>> {
        self.call(Req::new(Method::GET, "/api-keys")).await
    }

    pub async fn create_api_key(self, body: &NewApiKey) -> ApiResult<CreatedApiKey> {
        self.call(Req::new(Method::POST, "/api-keys").json(body))
            .await
    }

    pub async fn revoke_api_key(self, id: Uuid) -> ApiResult<()> {
        self.call_empty(Req::new(Method::DELETE, format!("/api-keys/{id}")))
            .await
    }

    pub async fn audit(
        self,
        page: i64,
        per_page: i64,
        f: &AuditFilter,
    ) -> ApiResult<Page<AuditEntry>> {
        let req = Req::new(Method::GET, "/audit")
            .page(page, per_page)
            .query(f);
        self.call(req).await
    }

    pub async fn verify_audit(self) -> ApiResult<AuditVerification> {
        self.call(Req::new(Method::GET, "/audit/verify")).await
    }

    pub async fn security_settings(self) -> ApiResult<SecuritySettings> {
        self.call(Req::new(Method::GET, "/settings/security")).await
    }

    pub async fn patch_security_settings(
        self,
        body: &SecuritySettings,
    ) -> ApiResult<SecuritySettings> {
        self.call(Req::new(Method::PATCH, "/settings/security").json(body))
            .await
    }

    pub async fn organisation(self) -> ApiResult<OrganisationIdentity> {
        self.call(Req::new(Method::GET, "/settings/organisation"))
            .await
    }

    pub async fn put_organisation(
        self,
        body: &OrganisationIdentity,
    ) -> ApiResult<OrganisationIdentity> {
        self.call(Req::new(Method::PUT, "/settings/organisation").json(body))
            .await
    }

    // ---- bilans ----

    pub async fn bilans(
        self,
        page: i64,
        per_page: i64,
        status: Option<BilanStatus>,
    ) -> ApiResult<Page<Bilan>> {
        let f = BilanFilter {
            status,
            ..Default::default()
        };
        let req = Req::new(Method::GET, "/bilans")
            .page(page, per_page)
            .query(&f);
        self.call(req).await
    }

    pub async fn bilan(self, id: Uuid) -> ApiResult<Bilan> {
        self.call(Req::new(Method::GET, format!("/bilans/{id}")))
            .await
    }

    pub async fn create_bilan(self, body: &NewBilan) -> ApiResult<Bilan> {
        self.call(Req::new(Method::POST, "/bilans").json(body))
            .await
    }

    pub async fn transition(self, id: Uuid, body: &TransitionRequest) -> ApiResult<Bilan> {
        self.call(Req::new(Method::POST, format!("/bilans/{id}/transitions")).json(body))
            .await
    }

    pub async fn assign(self, id: Uuid, body: &NewAssignment) -> ApiResult<Bilan> {
        self.call(Req::new(Method::POST, format!("/bilans/{id}/assignments")).json(body))
            .await
    }

    pub async fn facts(self, id: Uuid) -> ApiResult<Vec<Fact>> {
        self.call(Req::new(Method::GET, format!("/bilans/{id}/facts")))
            .await
    }

    pub async fn create_fact(self, id: Uuid, body: &NewFact) -> ApiResult<Fact> {
        self.call(Req::new(Method::POST, format!("/bilans/{id}/facts")).json(body))
            .await
    }

    pub async fn bilan_sessions(self, id: Uuid) -> ApiResult<Vec<BilanSession>> {
        self.call(Req::new(Method::GET, format!("/bilans/{id}/sessions")))
            .await
    }

    pub async fn create_bilan_session(
        self,
        id: Uuid,
        body: &NewSession,
    ) -> ApiResult<BilanSession> {
        self.call(Req::new(Method::POST, format!("/bilans/{id}/sessions")).json(body))
            .await
    }

    pub async fn consents(self, id: Uuid) -> ApiResult<Vec<Consent>> {
        self.call(Req::new(Method::GET, format!("/bilans/{id}/consents")))
            .await
    }

    pub async fn give_consent(self, id: Uuid, body: &NewConsent) -> ApiResult<Consent> {
        self.call(Req::new(Method::POST, format!("/bilans/{id}/consents")).json(body))
            .await
    }

    pub async fn revoke_consent(self, id: Uuid, consent_id: Uuid) -> ApiResult<()> {
        self.call_empty(Req::new(
            Method::POST,
            format!("/bilans/{id}/consents/{consent_id}/revoke"),
        ))
        .await
    }

    pub async fn notes(self, id: Uuid) -> ApiResult<Vec<Note>> {
        self.call(Req::new(Method::GET, format!("/bilans/{id}/notes")))
            .await
    }

    pub async fn create_note(self, id: Uuid, body: &NewNote) -> ApiResult<Note> {
        self.call(Req::new(Method::POST, format!("/bilans/{id}/notes")).json(body))
            .await
    }

    pub async fn timeline(self, id: Uuid) -> ApiResult<Vec<TimelineEvent>> {
        self.call(Req::new(Method::GET, format!("/bilans/{id}/timeline")))
            .await
    }
}

/// A DTO from JSON text that did not come through `Api::call` (the live stream's events): the same one
/// `Value` parser and reader, rather than a typed parser instantiated for each type.
pub fn parse_json<T: DeserializeOwned>(text: &str) -> Option<T> {
    let value: serde_json::Value = serde_json::from_str(text).ok()?;
    from_value(value)
}

/// A DTO from a `Value` (see `value_de`).
pub fn from_value<T: DeserializeOwned>(value: serde_json::Value) -> Option<T> {
    T::deserialize(value_de::ValueDe(value)).ok()
}

/// The `Api` provided by `App`.
pub fn use_api() -> Api {
    expect_context::<Api>()
}

#[cfg(test)]
mod query_tests {
    use super::*;

    #[test]
    fn query_strings_come_from_the_shared_filter_types() {
        let at = chrono::NaiveDate::from_ymd_opt(2026, 12, 4)
            .and_then(|d| d.and_hms_opt(17, 30, 0))
            .unwrap()
            .and_utc();
        let f = AuditFilter {
            action: Some("user.login".into()),
            entity_id: Some("a b&c".into()),
            actor_id: Some(Uuid::nil()),
            from: Some(at),
            ..Default::default()
        };
        let req = Req::new(Method::GET, "/audit").page(2, 50).query(&f);
        // Unset filters are left out; values are escaped; every field has the API's own name.
        assert_eq!(
            req.url(),
            "/api/v1/audit?page=2&per_page=50&action=user.login&entity_id=a+b%26c\
             &actor_id=00000000-0000-0000-0000-000000000000&from=2026-12-04T17%3A30%3A00Z"
        );
        let back: AuditFilter = serde_urlencoded::from_str(&req.query).unwrap();
        assert_eq!(back.actor_id, f.actor_id);
        assert_eq!(back.from, f.from);
        assert_eq!(Req::new(Method::GET, "/me").url(), "/api/v1/me");
    }
}

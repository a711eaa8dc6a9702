//! The error responses of the OpenAPI document, as shared sets for `#[utoipa::path(responses(...))]`.
//!
//! Every error is an `application/problem+json` document (see `crate::error`), so each set declares that
//! content type and the `Problem` schema once, instead of a hand-typed tuple per status and handler.
//! A handler lists its success response, then the sets that fit it, e.g.
//! `responses((status = 200, body = Bilan), crate::problems::Read, crate::problems::Conflict)`;
//! a status that appears in two sets is the same response. The sets are only read by the derive, never
//! built.

use boussole_shared::Problem;
use utoipa::IntoResponses;

const PROBLEM: &str = "application/problem+json";

/// Any authenticated route: no or a bad token (401), or a caller who may not use it (403: wrong role, an
/// API key on a person's route or without the scope, a second factor still to enrol).
#[derive(IntoResponses)]
pub enum Caller {
    #[response(status = 401, description = "Not authenticated", content_type = PROBLEM,
        headers(("WWW-Authenticate" = String, description = "`Bearer`")))]
    Unauthorized(Problem),
    #[response(status = 403, description = "Not allowed for this caller", content_type = PROBLEM)]
    Forbidden(Problem),
}

/// An authenticated route on one resource: the caller errors, and 404 for a record that does not exist
/// or is not the caller's (the API never says which).
#[derive(IntoResponses)]
pub enum Read {
    #[response(status = 401, description = "Not authenticated", content_type = PROBLEM,
        headers(("WWW-Authenticate" = String, description = "`Bearer`")))]
    Unauthorized(Problem),
    #[response(status = 403, description = "Not allowed for this caller", content_type = PROBLEM)]
    Forbidden(Problem),
    #[response(status = 404, description = "Not found, or not yours", content_type = PROBLEM)]
    NotFound(Problem),
}

/// An authenticated list: the caller errors, and 400 for query parameters that do not parse or are out of
/// range (`errors` names the parameter).
#[derive(IntoResponses)]
pub enum List {
    #[response(status = 400, description = "Bad query parameters", content_type = PROBLEM)]
    BadRequest(Problem),
    #[response(status = 401, description = "Not authenticated", content_type = PROBLEM,
        headers(("WWW-Authenticate" = String, description = "`Bearer`")))]
    Unauthorized(Problem),
    #[response(status = 403, description = "Not allowed for this caller", content_type = PROBLEM)]
    Forbidden(Problem),
}

/// An authenticated route with a JSON body: the caller errors (checked before the body is read), then
/// the body's: 400 malformed or invalid (`errors`: field → messages), 413 too large, 415 not JSON.
#[derive(IntoResponses)]
pub enum Write {
    #[response(status = 400, description = "Malformed or invalid body", content_type = PROBLEM)]
    BadRequest(Problem),
    #[response(status = 401, description = "Not authenticated", content_type = PROBLEM,
        headers(("WWW-Authenticate" = String, description = "`Bearer`")))]
    Unauthorized(Problem),
    #[response(status = 403, description = "Not allowed for this caller", content_type = PROBLEM)]
    Forbidden(Problem),
    #[response(status = 413, description = "Body too large", content_type = PROBLEM)]
    PayloadTooLarge(Problem),
    #[response(status = 415, description = "Body not sent as JSON", content_type = PROBLEM)]
    UnsupportedMediaType(Problem),
}

/// A public route with a JSON body: 400 malformed or invalid, 413 too large, 415 not JSON.
#[derive(IntoResponses)]
pub enum PublicWrite {
    #[response(status = 400, description = "Malformed or invalid body", content_type = PROBLEM)]
    BadRequest(Problem),
    #[response(status = 413, description = "Body too large", content_type = PROBLEM)]
    PayloadTooLarge(Problem),
    #[response(status = 415, description = "Body not sent as JSON", content_type = PROBLEM)]
    UnsupportedMediaType(Problem),
}

/// A public route with a file body: 400 empty or unreadable, 413 too large.
#[derive(IntoResponses)]
pub enum PublicUpload {
    #[response(status = 400, description = "Empty or unreadable body", content_type = PROBLEM)]
    BadRequest(Problem),
    #[response(status = 413, description = "Body too large", content_type = PROBLEM)]
    PayloadTooLarge(Problem),
}

/// 400 on its own: bad query parameters, or a wrong code, on a route whose other sets do not say it.
#[derive(IntoResponses)]
pub enum BadRequest {
    #[response(status = 400, description = "Bad input", content_type = PROBLEM)]
    BadRequest(Problem),
}

/// 401 on its own, for public routes that check a credential of their own (a refresh token, a code).
#[derive(IntoResponses)]
pub enum Unauthorized {
    #[response(status = 401, description = "Credential refused", content_type = PROBLEM)]
    Unauthorized(Problem),
}

/// 403 on its own, for public routes that can refuse a known person (an account disabled, an email not
/// verified).
#[derive(IntoResponses)]
pub enum Forbidden {
    #[response(status = 403, description = "Not allowed", content_type = PROBLEM)]
    Forbidden(Problem),
}

/// 404: a record that does not exist or is not the caller's.
#[derive(IntoResponses)]
pub enum NotFound {
    #[response(status = 404, description = "Not found, or not yours", content_type = PROBLEM)]
    NotFound(Problem),
}

/// 409: the request conflicts with the record's current state (taken, already done, not a valid move);
/// the slug ending `type` says which, and `detail` in words.
#[derive(IntoResponses)]
pub enum Conflict {
    #[response(status = 409, description = "Conflicts with the current state", content_type = PROBLEM)]
    Conflict(Problem),
}

/// A 409 `already-exists` problem: the record is there already (an email, a CRM id), named by
/// `existing_id` when the caller may know it.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct ExistingProblem {
    /// `urn:boussole:problem:already-exists`.
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    /// 409.
    pub status: u16,
    pub detail: Option<String>,
    /// The id of the record that already exists (e.g. the beneficiary with this email or this
    /// `external_ref`): link to it rather than creating another.
    pub existing_id: Option<uuid::Uuid>,
}

/// 409: the record already exists; `existing_id` names it.
#[derive(IntoResponses)]
pub enum Duplicate {
    #[response(status = 409, description = "Already exists: `existing_id` names it (on a `POST`, also: a request with this Idempotency-Key still runs)", content_type = PROBLEM)]
    Duplicate(ExistingProblem),
}

/// A 422 `import-invalid` problem: the file has bad lines, listed in `errors`; nothing was created.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct ImportProblem {
    /// `urn:boussole:problem:import-invalid`.
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    /// 422.
    pub status: u16,
    pub detail: Option<String>,
    /// Every bad line, with its number and why (`import-invalid`; absent on the other 422 problems
    /// of the route: too many lines, an `Idempotency-Key` reused for another file).
    pub errors: Option<Vec<boussole_shared::imports::ImportLineError>>,
}

/// 422: an import refused for its bad lines (`errors`), or too many lines.
#[derive(IntoResponses)]
pub enum ImportInvalid {
    #[response(status = 422, description = "Bad lines (`import-invalid`, listed in `errors`; nothing created), or too many lines (`import-too-many-lines`)", content_type = PROBLEM)]
    ImportInvalid(ImportProblem),
}

/// 422: a well-formed request that breaks a business rule; the slug ending `type` says which, `detail`
/// in words, and `missing` lists what a gate still needs.
#[derive(IntoResponses)]
pub enum BusinessRule {
    #[response(status = 422, description = "Business rule broken", content_type = PROBLEM)]
    Unprocessable(Problem),
}

/// 429: too many attempts; `Retry-After` says when to try again.
#[derive(IntoResponses)]
pub enum TooManyRequests {
    #[response(status = 429, description = "Too many attempts", content_type = PROBLEM,
        headers(("Retry-After" = u32, description = "Seconds to wait")))]
    TooManyRequests(Problem),
}

/// 410: a personal link spent, expired, cancelled or locked; the problem's type says which.
#[derive(IntoResponses)]
pub enum Gone {
    #[response(status = 410, description = "The link no longer works", content_type = PROBLEM)]
    Gone(Problem),
}

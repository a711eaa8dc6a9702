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
    /// These roles, or an API key with the right scope (administrative reads: invoices).
    RolesOrKey(&'static [&'static str]),
}

const STAFF: Access = Roles(&["admin", "consultant"]);
/// Every person, each seeing what their role allows; API keys refused.
const PEOPLE: Access = Roles(&["admin", "consultant", "beneficiary"]);
const CONSULTANT_ONLY: Access = Roles(&["consultant"]);
const BENEFICIARY_ONLY: Access = Roles(&["beneficiary"]);
const CONTENT_READERS: Access = Roles(&["consultant", "beneficiary"]);
/// Invoices: the organisation, the beneficiary they are addressed to, or a key with `invoices:read`.
const INVOICE_READERS: Access = RolesOrKey(&["admin", "beneficiary"]);
/// Quotes: answered by the organisation or the beneficiary they are addressed to.
const QUOTE_ANSWERERS: Access = Roles(&["admin", "beneficiary"]);
/// Every person as their role allows, or a key with the scope (which sees what admins see).
const ANYONE_OR_KEY: Access = RolesOrKey(&["admin", "consultant", "beneficiary"]);
/// Staff, or a key with the scope acting as the organisation (never as a consultant).
const STAFF_OR_KEY: Access = RolesOrKey(&["admin", "consultant"]);

use Access::*;

/// The exact status each caller gets, in the order [nobody, beneficiary, consultant, admin, API key],
/// with `{}` as the body of writes and unknown ids where the route is not about the demo bilan.
type Codes = [u16; 5];

const ROUTES: &[(&str, &str, Access, Codes)] = &[
    ("GET", "/healthz", Public, [200, 200, 200, 200, 200]),
    ("GET", "/readyz", Public, [200, 200, 200, 200, 200]),
    (
        "POST",
        "/api/v1/auth/register",
        Public,
        [400, 400, 400, 400, 400],
    ),
    (
        "POST",
        "/api/v1/auth/verify-email",
        Public,
        [400, 400, 400, 400, 400],
    ),
    (
        "POST",
        "/api/v1/auth/verify-email/resend",
        Public,
        [400, 400, 400, 400, 400],
    ),
    (
        "POST",
        "/api/v1/auth/password/forgot",
        Public,
        [400, 400, 400, 400, 400],
    ),
    (
        "POST",
        "/api/v1/auth/password/reset",
        Public,
        [400, 400, 400, 400, 400],
    ),
    (
        "POST",
        "/api/v1/auth/login",
        Public,
        [400, 400, 400, 400, 400],
    ),
    (
        "POST",
        "/api/v1/auth/totp",
        Public,
        [400, 400, 400, 400, 400],
    ),
    // 200 even without a bearer: the test client holds the refresh cookie of the earlier logins.
    (
        "POST",
        "/api/v1/auth/refresh",
        Public,
        [200, 200, 200, 200, 200],
    ),
    (
        "POST",
        "/api/v1/invitations/accept",
        Public,
        [400, 400, 400, 400, 400],
    ),
    (
        "POST",
        "/api/v1/auth/logout",
        AnyUser,
        [401, 204, 204, 204, 403],
    ),
    (
        "POST",
        "/api/v1/auth/logout-all",
        AnyUser,
        [401, 204, 204, 204, 403],
    ),
    ("GET", "/api/v1/me", AnyUser, [401, 200, 200, 200, 403]),
    ("PATCH", "/api/v1/me", AnyUser, [401, 200, 200, 200, 403]),
    (
        "POST",
        "/api/v1/me/password",
        AnyUser,
        [401, 400, 400, 400, 403],
    ),
    (
        "GET",
        "/api/v1/me/sessions",
        AnyUser,
        [401, 200, 200, 200, 403],
    ),
    (
        "DELETE",
        "/api/v1/me/sessions/{id}",
        AnyUser,
        [401, 404, 404, 404, 403],
    ),
    (
        "POST",
        "/api/v1/me/totp/setup",
        AnyUser,
        [401, 200, 200, 200, 403],
    ),
    (
        "POST",
        "/api/v1/me/totp/enable",
        AnyUser,
        [401, 400, 400, 400, 403],
    ),
    (
        "POST",
        "/api/v1/me/totp/disable",
        AnyUser,
        [401, 400, 400, 400, 403],
    ),
    (
        "POST",
        "/api/v1/me/totp/recovery-codes",
        AnyUser,
        [401, 400, 400, 400, 403],
    ),
    (
        "GET",
        "/api/v1/users",
        AdminOrKey,
        [401, 403, 403, 200, 200],
    ),
    (
        "GET",
        "/api/v1/users/{id}",
        AdminOrKey,
        [401, 403, 403, 404, 404],
    ),
    (
        "PATCH",
        "/api/v1/users/{id}",
        Admin,
        [401, 403, 403, 404, 403],
    ),
    (
        "POST",
        "/api/v1/invitations",
        Admin,
        [401, 403, 403, 400, 403],
    ),
    ("GET", "/api/v1/api-keys", Admin, [401, 403, 403, 200, 403]),
    ("POST", "/api/v1/api-keys", Admin, [401, 403, 403, 400, 403]),
    (
        "DELETE",
        "/api/v1/api-keys/{id}",
        Admin,
        [401, 403, 403, 404, 403],
    ),
    (
        "GET",
        "/api/v1/audit",
        AdminOrKey,
        [401, 403, 403, 200, 200],
    ),
    (
        "GET",
        "/api/v1/audit/verify",
        Admin,
        [401, 403, 403, 200, 403],
    ),
    (
        "GET",
        "/api/v1/settings/security",
        Admin,
        [401, 403, 403, 200, 403],
    ),
    (
        "PATCH",
        "/api/v1/settings/security",
        Admin,
        [401, 403, 403, 200, 403],
    ),
    // Staff read the identity their documents print; `{}` saves a blank identity (blank is allowed).
    (
        "GET",
        "/api/v1/settings/organisation",
        STAFF,
        [401, 403, 200, 200, 403],
    ),
    (
        "PUT",
        "/api/v1/settings/organisation",
        Admin,
        [401, 403, 403, 200, 403],
    ),
    (
        "POST",
        "/api/v1/bilans",
        AdminOrKey,
        [401, 403, 403, 400, 400],
    ),
    // A key with `bilans:read` reads every bilan's administrative facts, as admins do.
    (
        "GET",
        "/api/v1/bilans",
        ANYONE_OR_KEY,
        [401, 200, 200, 200, 200],
    ),
    (
        "GET",
        "/api/v1/bilans/{id}",
        ANYONE_OR_KEY,
        [401, 200, 200, 200, 200],
    ),
    (
        "PATCH",
        "/api/v1/bilans/{id}",
        AdminOrKey,
        [401, 403, 403, 200, 200],
    ),
    (
        "POST",
        "/api/v1/bilans/{id}/assignments",
        AdminOrKey,
        [401, 403, 403, 400, 400],
    ),
    (
        "POST",
        "/api/v1/bilans/{id}/transitions",
        STAFF_OR_KEY,
        [401, 403, 400, 400, 400],
    ),
    (
        "GET",
        "/api/v1/bilans/{id}/facts",
        ANYONE_OR_KEY,
        [401, 200, 200, 200, 200],
    ),
    (
        "POST",
        "/api/v1/bilans/{id}/facts",
        STAFF_OR_KEY,
        [401, 403, 400, 400, 400],
    ),
    (
        "GET",
        "/api/v1/bilans/{id}/sessions",
        ANYONE_OR_KEY,
        [401, 200, 200, 200, 200],
    ),
    (
        "POST",
        "/api/v1/bilans/{id}/sessions",
        CONSULTANT_ONLY,
        [401, 403, 400, 403, 403],
    ),
    (
        "GET",
        "/api/v1/bilans/{id}/consents",
        AnyUser,
        [401, 200, 200, 200, 403],
    ),
    (
        "POST",
        "/api/v1/bilans/{id}/consents",
        BENEFICIARY_ONLY,
        [401, 400, 403, 403, 403],
    ),
    (
        "POST",
        "/api/v1/bilans/{id}/consents/{consent_id}/revoke",
        BENEFICIARY_ONLY,
        [401, 404, 403, 403, 403],
    ),
    (
        "GET",
        "/api/v1/bilans/{id}/timeline",
        AnyUser,
        [401, 200, 200, 200, 403],
    ),
    (
        "GET",
        "/api/v1/bilans/{id}/notes",
        CONTENT_READERS,
        [401, 200, 200, 403, 403],
    ),
    (
        "POST",
        "/api/v1/bilans/{id}/notes",
        CONSULTANT_ONLY,
        [401, 403, 400, 403, 403],
    ),
    (
        "GET",
        "/api/v1/bilans/{id}/files",
        CONTENT_READERS,
        [401, 200, 200, 403, 403],
    ),
    (
        "POST",
        "/api/v1/bilans/{id}/files",
        CONTENT_READERS,
        [401, 400, 400, 403, 403],
    ),
    (
        "GET",
        "/api/v1/bilans/{id}/files/{file_id}",
        CONTENT_READERS,
        [401, 404, 404, 403, 403],
    ),
    (
        "GET",
        "/api/v1/bilans/{id}/access",
        BENEFICIARY_ONLY,
        [401, 200, 403, 403, 403],
    ),
    (
        "POST",
        "/api/v1/bilans/{id}/access/{entry_id}/report",
        BENEFICIARY_ONLY,
        [401, 404, 403, 403, 403],
    ),
    // Beneficiaries: a key reads with `beneficiaries:read` and creates or updates with
    // `beneficiaries:write`, as admins do.
    (
        "GET",
        "/api/v1/beneficiaries",
        RolesOrKey(&["admin", "consultant"]),
        [401, 403, 200, 200, 200],
    ),
    (
        "POST",
        "/api/v1/beneficiaries",
        AdminOrKey,
        [401, 403, 403, 400, 400],
    ),
    (
        "GET",
        "/api/v1/beneficiaries/{id}",
        ANYONE_OR_KEY,
        [401, 404, 404, 404, 404],
    ),
    (
        "PUT",
        "/api/v1/beneficiaries/{id}",
        RolesOrKey(&["admin", "beneficiary"]),
        [401, 400, 403, 400, 400],
    ),
    // Imports (CSV bodies: `{}` as JSON is refused 415 once the caller is let in).
    (
        "POST",
        "/api/v1/imports/beneficiaries",
        AdminOrKey,
        [401, 403, 403, 415, 415],
    ),
    (
        "POST",
        "/api/v1/imports/companies",
        Admin,
        [401, 403, 403, 415, 403],
    ),
    (
        "GET",
        "/api/v1/imports/{kind}/template",
        AdminOrKey,
        [401, 403, 403, 200, 200],
    ),
    (
        "GET",
        "/api/v1/consultants/{id}/availability",
        STAFF,
        [401, 403, 200, 200, 403],
    ),
    (
        "PUT",
        "/api/v1/consultants/{id}/availability",
        STAFF,
        [401, 403, 400, 400, 403],
    ),
    (
        "GET",
        "/api/v1/consultants/{id}/slots",
        ANYONE_OR_KEY,
        [401, 400, 400, 400, 400],
    ),
    (
        "POST",
        "/api/v1/appointments",
        ANYONE_OR_KEY,
        [401, 400, 400, 400, 400],
    ),
    (
        "GET",
        "/api/v1/appointments",
        ANYONE_OR_KEY,
        [401, 200, 200, 200, 200],
    ),
    (
        "GET",
        "/api/v1/appointments/{id}",
        ANYONE_OR_KEY,
        [401, 404, 404, 404, 404],
    ),
    (
        "PATCH",
        "/api/v1/appointments/{id}",
        ANYONE_OR_KEY,
        [401, 400, 400, 400, 400],
    ),
    (
        "GET",
        "/api/v1/appointments/{id}/attendance",
        AnyUser,
        [401, 404, 404, 404, 403],
    ),
    (
        "POST",
        "/api/v1/appointments/{id}/attendance",
        AnyUser,
        [401, 400, 400, 400, 403],
    ),
    (
        "POST",
        "/api/v1/appointments/{id}/video",
        AnyUser,
        [401, 400, 400, 400, 403],
    ),
    (
        "POST",
        "/api/v1/me/calendar",
        AnyUser,
        [401, 201, 201, 201, 403],
    ),
    (
        "DELETE",
        "/api/v1/me/calendar",
        AnyUser,
        [401, 204, 204, 204, 403],
    ),
    (
        "GET",
        "/api/v1/calendar/{token}.ics",
        Public,
        [404, 404, 404, 404, 404],
    ),
    // The skills grid and the projection tools (bilan content; `{}` is a valid, empty action plan).
    ("GET", "/api/v1/rome", AnyUser, [401, 200, 200, 200, 403]),
    (
        "GET",
        "/api/v1/bilans/{id}/experiences",
        CONTENT_READERS,
        [401, 200, 200, 403, 403],
    ),
    (
        "POST",
        "/api/v1/bilans/{id}/experiences",
        CONTENT_READERS,
        [401, 400, 400, 403, 403],
    ),
    (
        "PUT",
        "/api/v1/bilans/{id}/experiences/{item_id}",
        CONTENT_READERS,
        [401, 400, 400, 403, 403],
    ),
    (
        "DELETE",
        "/api/v1/bilans/{id}/experiences/{item_id}",
        CONTENT_READERS,
        [401, 404, 404, 403, 403],
    ),
    (
        "GET",
        "/api/v1/bilans/{id}/skills",
        CONTENT_READERS,
        [401, 200, 200, 403, 403],
    ),
    (
        "POST",
        "/api/v1/bilans/{id}/skills",
        CONTENT_READERS,
        [401, 400, 400, 403, 403],
    ),
    (
        "PUT",
        "/api/v1/bilans/{id}/skills/{item_id}",
        CONTENT_READERS,
        [401, 400, 400, 403, 403],
    ),
    (
        "DELETE",
        "/api/v1/bilans/{id}/skills/{item_id}",
        CONTENT_READERS,
        [401, 404, 404, 403, 403],
    ),
    (
        "GET",
        "/api/v1/bilans/{id}/career-paths",
        CONTENT_READERS,
        [401, 200, 200, 403, 403],
    ),
    (
        "POST",
        "/api/v1/bilans/{id}/career-paths",
        CONTENT_READERS,
        [401, 400, 400, 403, 403],
    ),
    (
        "PUT",
        "/api/v1/bilans/{id}/career-paths/{item_id}",
        CONTENT_READERS,
        [401, 400, 400, 403, 403],
    ),
    (
        "DELETE",
        "/api/v1/bilans/{id}/career-paths/{item_id}",
        CONTENT_READERS,
        [401, 404, 404, 403, 403],
    ),
    (
        "GET",
        "/api/v1/bilans/{id}/decision-matrix",
        CONTENT_READERS,
        [401, 200, 200, 403, 403],
    ),
    (
        "PUT",
        "/api/v1/bilans/{id}/decision-matrix",
        CONTENT_READERS,
        [401, 400, 400, 403, 403],
    ),
    (
        "GET",
        "/api/v1/bilans/{id}/action-plan",
        CONTENT_READERS,
        [401, 200, 200, 403, 403],
    ),
    (
        "PUT",
        "/api/v1/bilans/{id}/action-plan",
        CONTENT_READERS,
        [401, 200, 200, 403, 403],
    ),
    ("GET", "/api/v1/outbox", Admin, [401, 403, 403, 200, 403]),
    (
        "GET",
        "/api/v1/outbox/{id}",
        Admin,
        [401, 403, 403, 404, 403],
    ),
    (
        "POST",
        "/api/v1/outbox/{id}/retry",
        Admin,
        [401, 403, 403, 404, 403],
    ),
    (
        "GET",
        "/api/v1/instruments",
        AnyUser,
        [401, 200, 200, 200, 403],
    ),
    (
        "POST",
        "/api/v1/instruments",
        STAFF,
        [401, 403, 400, 400, 403],
    ),
    (
        "GET",
        "/api/v1/instruments/{id}",
        AnyUser,
        [401, 404, 404, 404, 403],
    ),
    (
        "GET",
        "/api/v1/bilans/{id}/assessments",
        CONTENT_READERS,
        [401, 200, 200, 403, 403],
    ),
    (
        "POST",
        "/api/v1/bilans/{id}/assessments",
        CONSULTANT_ONLY,
        [401, 403, 400, 403, 403],
    ),
    (
        "GET",
        "/api/v1/assessments/{id}",
        CONTENT_READERS,
        [401, 404, 404, 403, 403],
    ),
    (
        "GET",
        "/api/v1/assessments/{id}/answers",
        CONTENT_READERS,
        [401, 404, 404, 403, 403],
    ),
    (
        "PUT",
        "/api/v1/assessments/{id}/answers",
        BENEFICIARY_ONLY,
        [401, 400, 403, 403, 403],
    ),
    (
        "POST",
        "/api/v1/assessments/{id}/submit",
        BENEFICIARY_ONLY,
        [401, 404, 403, 403, 403],
    ),
    (
        "GET",
        "/api/v1/assessments/{id}/results",
        CONTENT_READERS,
        [401, 404, 404, 403, 403],
    ),
    (
        "PUT",
        "/api/v1/assessments/{id}/interpretation",
        CONSULTANT_ONLY,
        [401, 403, 400, 403, 403],
    ),
    // Conversations: bilan threads (content: admins 403 on one) and direct threads between staff
    // (admins too). `{id}` is an unknown thread or message: 404 for every person.
    (
        "GET",
        "/api/v1/conversations",
        PEOPLE,
        [401, 200, 200, 200, 403],
    ),
    (
        "POST",
        "/api/v1/conversations",
        STAFF,
        [401, 403, 400, 400, 403],
    ),
    (
        "GET",
        "/api/v1/conversations/contacts",
        STAFF,
        [401, 403, 200, 200, 403],
    ),
    (
        "GET",
        "/api/v1/conversations/{id}/messages",
        PEOPLE,
        [401, 404, 404, 404, 403],
    ),
    (
        "POST",
        "/api/v1/conversations/{id}/messages",
        PEOPLE,
        [401, 404, 404, 404, 403],
    ),
    (
        "POST",
        "/api/v1/conversations/{id}/read",
        PEOPLE,
        [401, 404, 404, 404, 403],
    ),
    (
        "PATCH",
        "/api/v1/messages/{id}",
        PEOPLE,
        [401, 404, 404, 404, 403],
    ),
    (
        "POST",
        "/api/v1/messages/{id}/withdraw",
        PEOPLE,
        [401, 404, 404, 404, 403],
    ),
    // The live stream stays open: only its status is read. Admins get their notifications on it
    // (never bilan threads).
    ("GET", "/api/v1/events", AnyUser, [401, 200, 200, 200, 403]),
    // The resources library: everyone reads what they may see (`{id}` unknown: 404), staff curate.
    (
        "GET",
        "/api/v1/resources",
        PEOPLE,
        [401, 200, 200, 200, 403],
    ),
    (
        "POST",
        "/api/v1/resources",
        STAFF,
        [401, 403, 400, 400, 403],
    ),
    (
        "GET",
        "/api/v1/resources/accesses",
        STAFF,
        [401, 403, 200, 200, 403],
    ),
    (
        "GET",
        "/api/v1/resources/{id}",
        PEOPLE,
        [401, 404, 404, 404, 403],
    ),
    (
        "PATCH",
        "/api/v1/resources/{id}",
        STAFF,
        [401, 403, 404, 404, 403],
    ),
    (
        "DELETE",
        "/api/v1/resources/{id}",
        STAFF,
        [401, 403, 404, 404, 403],
    ),
    (
        "PUT",
        "/api/v1/resources/{id}/file",
        STAFF,
        [401, 403, 404, 404, 403],
    ),
    (
        "GET",
        "/api/v1/resources/{id}/file",
        PEOPLE,
        [401, 404, 404, 404, 403],
    ),
    (
        "POST",
        "/api/v1/resources/{id}/open",
        PEOPLE,
        [401, 404, 404, 404, 403],
    ),
    (
        "GET",
        "/api/v1/resources/{id}/shares",
        STAFF,
        [401, 403, 404, 404, 403],
    ),
    (
        "POST",
        "/api/v1/resources/{id}/shares",
        STAFF,
        [401, 403, 400, 400, 403],
    ),
    (
        "DELETE",
        "/api/v1/resources/{id}/shares/{beneficiary_id}",
        STAFF,
        [401, 403, 404, 404, 403],
    ),
    // The notification centre: each person's own (`{id}` unknown: 404 for everyone).
    (
        "GET",
        "/api/v1/notifications",
        AnyUser,
        [401, 200, 200, 200, 403],
    ),
    (
        "GET",
        "/api/v1/notifications/summary",
        AnyUser,
        [401, 200, 200, 200, 403],
    ),
    (
        "POST",
        "/api/v1/notifications/{id}/read",
        AnyUser,
        [401, 404, 404, 404, 403],
    ),
    (
        "POST",
        "/api/v1/notifications/read-all",
        AnyUser,
        [401, 200, 200, 200, 403],
    ),
    (
        "GET",
        "/api/v1/notifications/preferences",
        AnyUser,
        [401, 200, 200, 200, 403],
    ),
    (
        "PUT",
        "/api/v1/notifications/preferences",
        AnyUser,
        [401, 400, 400, 400, 403],
    ),
    // The synthèse: content (admins 403). The demo bilan has none saved: its consultant reads the
    // prefill, its beneficiary 404 until submitted; `{}` is no draft, comment nor approval (400);
    // nothing to submit (422) nor to issue (409).
    (
        "GET",
        "/api/v1/bilans/{id}/synthesis",
        CONTENT_READERS,
        [401, 404, 200, 403, 403],
    ),
    (
        "PUT",
        "/api/v1/bilans/{id}/synthesis",
        CONSULTANT_ONLY,
        [401, 403, 400, 403, 403],
    ),
    (
        "POST",
        "/api/v1/bilans/{id}/synthesis/submit",
        CONSULTANT_ONLY,
        [401, 403, 422, 403, 403],
    ),
    (
        "POST",
        "/api/v1/bilans/{id}/synthesis/comments",
        CONTENT_READERS,
        [401, 400, 400, 403, 403],
    ),
    (
        "POST",
        "/api/v1/bilans/{id}/synthesis/approve",
        BENEFICIARY_ONLY,
        [401, 400, 403, 403, 403],
    ),
    (
        "POST",
        "/api/v1/bilans/{id}/synthesis/issue",
        CONSULTANT_ONLY,
        [401, 403, 409, 403, 403],
    ),
    // Sending the issued synthèse to the recipient of a share agreement: content (admins 403); `{}`
    // names no agreement (400); no such sending (404).
    (
        "POST",
        "/api/v1/bilans/{id}/synthesis/sendings",
        CONSULTANT_ONLY,
        [401, 403, 400, 403, 403],
    ),
    (
        "GET",
        "/api/v1/bilans/{id}/synthesis/sendings",
        CONTENT_READERS,
        [401, 200, 200, 403, 403],
    ),
    (
        "POST",
        "/api/v1/bilans/{id}/synthesis/sendings/{sending_id}/cancel",
        CONSULTANT_ONLY,
        [401, 403, 404, 403, 403],
    ),
    // The recipient has no account: the link's token is the credential (none here: 404; `{}` is no
    // channel nor code: 400).
    (
        "GET",
        "/api/v1/shared/{token}",
        Public,
        [404, 404, 404, 404, 404],
    ),
    (
        "POST",
        "/api/v1/shared/{token}/code",
        Public,
        [400, 400, 400, 400, 400],
    ),
    (
        "POST",
        "/api/v1/shared/{token}/download",
        Public,
        [400, 400, 400, 400, 400],
    ),
    // Issued documents: administrative, so admins too; `verify` is public (400: no `sha256`).
    (
        "POST",
        "/api/v1/bilans/{id}/documents",
        STAFF,
        [401, 403, 400, 400, 403],
    ),
    (
        "GET",
        "/api/v1/bilans/{id}/documents",
        AnyUser,
        [401, 200, 200, 200, 403],
    ),
    (
        "GET",
        "/api/v1/documents/verify",
        Public,
        [400, 400, 400, 400, 400],
    ),
    (
        "GET",
        "/api/v1/documents/{id}",
        AnyUser,
        [401, 404, 404, 404, 403],
    ),
    (
        "GET",
        "/api/v1/documents/{id}/pdf",
        AnyUser,
        [401, 404, 404, 404, 403],
    ),
    // `verify` also takes the PDF itself (`{}` is a file Boussole never issued).
    (
        "POST",
        "/api/v1/documents/verify",
        Public,
        [200, 200, 200, 200, 200],
    ),
    // The règlement intérieur is acknowledged by the beneficiary (422: none issued for the demo bilan).
    (
        "POST",
        "/api/v1/bilans/{id}/reglement-interieur/acknowledgement",
        BENEFICIARY_ONLY,
        [401, 422, 403, 403, 403],
    ),
    // Document templates: admins only (`{kind}` is no document kind; `{}` no update).
    ("GET", "/api/v1/templates", Admin, [401, 403, 403, 200, 403]),
    (
        "GET",
        "/api/v1/templates/{kind}",
        Admin,
        [401, 403, 403, 404, 403],
    ),
    (
        "GET",
        "/api/v1/templates/{kind}/versions",
        Admin,
        [401, 403, 403, 404, 403],
    ),
    (
        "PUT",
        "/api/v1/templates/{kind}",
        Admin,
        [401, 403, 403, 404, 403],
    ),
    // Retention rules and destruction records: admins only (`{}` is no rule update; `{id}` no run).
    (
        "GET",
        "/api/v1/retention-rules",
        Admin,
        [401, 403, 403, 200, 403],
    ),
    (
        "PUT",
        "/api/v1/retention-rules/{class}",
        Admin,
        [401, 403, 403, 400, 403],
    ),
    (
        "GET",
        "/api/v1/destruction-runs",
        Admin,
        [401, 403, 403, 200, 403],
    ),
    (
        "POST",
        "/api/v1/destruction-runs",
        Admin,
        [401, 403, 403, 201, 403],
    ),
    (
        "GET",
        "/api/v1/destruction-runs/{id}",
        Admin,
        [401, 403, 403, 404, 403],
    ),
    (
        "GET",
        "/api/v1/destruction-runs/{id}/pdf",
        Admin,
        [401, 403, 403, 404, 403],
    ),
    // Signature requests: staff ask, remind, cancel; the bilan's people follow (the matrix's `{id}`
    // is no document nor request: 404 once the caller may ask; `{}` has no signers).
    (
        "POST",
        "/api/v1/documents/{id}/signature-requests",
        STAFF,
        [401, 403, 400, 400, 403],
    ),
    (
        "GET",
        "/api/v1/documents/{id}/signature-requests",
        AnyUser,
        [401, 404, 404, 404, 403],
    ),
    (
        "POST",
        "/api/v1/signature-requests/{id}/cancel",
        STAFF,
        [401, 403, 404, 404, 403],
    ),
    (
        "POST",
        "/api/v1/signature-requests/{id}/remind",
        STAFF,
        [401, 403, 404, 404, 403],
    ),
    (
        "GET",
        "/api/v1/signature-requests/{id}/pdf",
        AnyUser,
        [401, 404, 404, 404, 403],
    ),
    // The signer's side has no account: the link's token is the credential (none here: 404; `{}`
    // is not a code request nor a signature: 400).
    (
        "GET",
        "/api/v1/sign/{token}",
        Public,
        [404, 404, 404, 404, 404],
    ),
    (
        "GET",
        "/api/v1/sign/{token}/pdf",
        Public,
        [404, 404, 404, 404, 404],
    ),
    (
        "POST",
        "/api/v1/sign/{token}/code",
        Public,
        [400, 400, 400, 400, 400],
    ),
    (
        "POST",
        "/api/v1/sign/{token}",
        Public,
        [400, 400, 400, 400, 400],
    ),
    // CPF files: the matrix's bilan has none (404 to those who may read it); the office writes it,
    // and `{}` is not a file.
    (
        "GET",
        "/api/v1/bilans/{id}/cpf",
        AnyUser,
        [401, 404, 404, 404, 403],
    ),
    (
        "PUT",
        "/api/v1/bilans/{id}/cpf",
        Admin,
        [401, 403, 403, 400, 403],
    ),
    (
        "POST",
        "/api/v1/bilans/{id}/cpf/transitions",
        Admin,
        [401, 403, 403, 400, 403],
    ),
    (
        "GET",
        "/api/v1/cpf/alerts",
        Admin,
        [401, 403, 403, 200, 403],
    ),
    // Money (issue 13): admins; the bilan's staff read its funding lines; a beneficiary reads the
    // invoices addressed to them (404 for an unknown id), consultants never read invoices. `{}`
    // saves the default accounting settings.
    ("GET", "/api/v1/payers", Admin, [401, 403, 403, 200, 403]),
    ("POST", "/api/v1/payers", Admin, [401, 403, 403, 400, 403]),
    (
        "GET",
        "/api/v1/payers/{id}",
        Admin,
        [401, 403, 403, 404, 403],
    ),
    (
        "PUT",
        "/api/v1/payers/{id}",
        Admin,
        [401, 403, 403, 400, 403],
    ),
    (
        "GET",
        "/api/v1/bilans/{id}/fundings",
        STAFF,
        [401, 403, 200, 200, 403],
    ),
    (
        "POST",
        "/api/v1/bilans/{id}/fundings",
        Admin,
        [401, 403, 403, 400, 403],
    ),
    (
        "PUT",
        "/api/v1/bilans/{id}/fundings/{funding_id}",
        Admin,
        [401, 403, 403, 400, 403],
    ),
    (
        "GET",
        "/api/v1/settings/accounting",
        Admin,
        [401, 403, 403, 200, 403],
    ),
    (
        "PUT",
        "/api/v1/settings/accounting",
        Admin,
        [401, 403, 403, 200, 403],
    ),
    (
        "GET",
        "/api/v1/invoices",
        INVOICE_READERS,
        [401, 200, 403, 200, 200],
    ),
    ("POST", "/api/v1/invoices", Admin, [401, 403, 403, 400, 403]),
    (
        "GET",
        "/api/v1/invoices/{id}",
        INVOICE_READERS,
        [401, 404, 403, 404, 404],
    ),
    (
        "GET",
        "/api/v1/invoices/{id}/pdf",
        INVOICE_READERS,
        [401, 404, 403, 404, 404],
    ),
    (
        "POST",
        "/api/v1/invoices/{id}/credit-notes",
        Admin,
        [401, 403, 403, 400, 403],
    ),
    (
        "GET",
        "/api/v1/invoices/{id}/payments",
        INVOICE_READERS,
        [401, 404, 403, 404, 404],
    ),
    (
        "POST",
        "/api/v1/invoices/{id}/payments",
        Admin,
        [401, 403, 403, 400, 403],
    ),
    // Quotes: read like invoices; answered by the organisation or the beneficiary they are addressed
    // to (`{}` lacks the signatory or the reason: 400 before the unknown id); converted by admins (the
    // conversion's body is all optional: 404 for the unknown quote).
    (
        "GET",
        "/api/v1/quotes",
        INVOICE_READERS,
        [401, 200, 403, 200, 200],
    ),
    ("POST", "/api/v1/quotes", Admin, [401, 403, 403, 400, 403]),
    (
        "GET",
        "/api/v1/quotes/{id}",
        INVOICE_READERS,
        [401, 404, 403, 404, 404],
    ),
    (
        "GET",
        "/api/v1/quotes/{id}/pdf",
        INVOICE_READERS,
        [401, 404, 403, 404, 404],
    ),
    (
        "POST",
        "/api/v1/quotes/{id}/acceptance",
        QUOTE_ANSWERERS,
        [401, 400, 403, 400, 403],
    ),
    (
        "POST",
        "/api/v1/quotes/{id}/decline",
        QUOTE_ANSWERERS,
        [401, 400, 403, 400, 403],
    ),
    (
        "POST",
        "/api/v1/quotes/{id}/invoice",
        Admin,
        [401, 403, 403, 404, 403],
    ),
    // The accounting exports: admins, or a key with `accounting:read` (the matrix's key has it); 400
    // without the period.
    (
        "GET",
        "/api/v1/exports/accounting.csv",
        AdminOrKey,
        [401, 403, 403, 400, 400],
    ),
    (
        "GET",
        "/api/v1/exports/fec",
        AdminOrKey,
        [401, 403, 403, 400, 400],
    ),
    // Webhooks: admins, or a key with `webhooks:manage`.
    (
        "GET",
        "/api/v1/webhooks",
        AdminOrKey,
        [401, 403, 403, 200, 200],
    ),
    (
        "POST",
        "/api/v1/webhooks",
        AdminOrKey,
        [401, 403, 403, 400, 400],
    ),
    (
        "GET",
        "/api/v1/webhooks/{id}",
        AdminOrKey,
        [401, 403, 403, 404, 404],
    ),
    (
        "PUT",
        "/api/v1/webhooks/{id}",
        AdminOrKey,
        [401, 403, 403, 400, 400],
    ),
    (
        "DELETE",
        "/api/v1/webhooks/{id}",
        AdminOrKey,
        [401, 403, 403, 404, 404],
    ),
    (
        "POST",
        "/api/v1/webhooks/{id}/secret",
        AdminOrKey,
        [401, 403, 403, 404, 404],
    ),
    (
        "GET",
        "/api/v1/webhooks/{id}/deliveries",
        AdminOrKey,
        [401, 403, 403, 404, 404],
    ),
    (
        "POST",
        "/api/v1/webhook-deliveries/{id}/replay",
        AdminOrKey,
        [401, 403, 403, 404, 404],
    ),
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
        .map(|(m, p, _, _)| (m.to_string(), p.to_string()))
        .collect();
    assert_eq!(
        documented, listed,
        "add the new route to ROUTES with who may call it"
    );
}

on_both_backends!(
    every_route_answers_each_caller_exactly_as_listed,
    a_key_without_the_scope_gets_403_on_every_route_of_that_scope,
);

async fn every_route_answers_each_caller_exactly_as_listed(backend: Backend) {
    let app = spawn_demo(backend).await;
    let admin = app.token(ADMIN).await;
    let key = app
        .post(
            "/api/v1/api-keys",
            Some(&admin),
            json!({ "name": "matrix", "scopes": ALL_SCOPES }),
        )
        .await
        .expect(201)
        .body["key"]
        .as_str()
        .unwrap()
        .to_string();
    let bilan = open_bilan(&app, &admin, FundingMode::Employer).await;
    let consultant = app.user_id(&admin, CONSULTANT).await;
    let mut wrong = Vec::new();
    for (method, template, access, expected) in ROUTES {
        assert_policy(method, template, *access, expected);
        let id = if template.starts_with("/api/v1/bilans/") {
            bilan.to_string()
        } else if template.starts_with("/api/v1/consultants/") {
            consultant.to_string()
        } else {
            uuid::Uuid::now_v7().to_string()
        };
        let path = template
            .replace("{id}", &id)
            .replace("{consent_id}", &uuid::Uuid::now_v7().to_string())
            .replace("{sending_id}", &uuid::Uuid::now_v7().to_string())
            .replace("{file_id}", &uuid::Uuid::now_v7().to_string())
            .replace("{entry_id}", &uuid::Uuid::now_v7().to_string())
            .replace("{item_id}", &uuid::Uuid::now_v7().to_string())
            .replace("{beneficiary_id}", &uuid::Uuid::now_v7().to_string())
            .replace("{funding_id}", &uuid::Uuid::now_v7().to_string())
            .replace("{token}", "not-a-token")
            .replace("{kind}", "beneficiaries")
            .replace("{class}", "administrative_documents");
        let method = Method::from_bytes(method.as_bytes()).unwrap();
        let body = (method != Method::GET && method != Method::DELETE).then(|| json!({}));
        let mut got = [0u16; 5];
        for (slot, email) in [None, Some(BENEFICIARY), Some(CONSULTANT), Some(ADMIN), None]
            .into_iter()
            .enumerate()
        {
            // A fresh session each time: some of these routes end the session they are called with.
            let token = match (slot, email) {
                (4, _) => Some(key.clone()),
                (_, Some(email)) => Some(app.token(email).await),
                _ => None,
            };
            got[slot] = if *template == "/api/v1/events" {
                // A stream that stays open: its status, then the connection is dropped.
                let mut req = app.client.get(format!("{}{path}", app.base));
                if let Some(token) = &token {
                    req = req.bearer_auth(token);
                }
                req.send().await.unwrap().status().as_u16()
            } else {
                let answer = app
                    .call(method.clone(), &path, token.as_deref(), body.clone())
                    .await;
                answer.status.as_u16()
            };
        }
        if got != *expected {
            wrong.push(format!(
                "{method} {template}: expected {expected:?}, got {got:?}"
            ));
        }
    }
    assert!(
        wrong.is_empty(),
        "[nobody, beneficiary, consultant, admin, key]\n{}",
        wrong.join("\n")
    );
}

/// The expected codes must agree with who may call: a caller the policy refuses gets 401 (nobody) or
/// 403, one it accepts never does, so the table cannot quietly grant or refuse a role.
fn assert_policy(method: &str, path: &str, access: Access, codes: &Codes) {
    let refused = |c: u16| c == 401 || c == 403;
    let roles = ["beneficiary", "consultant", "admin"];
    let allowed = |role: &str| match access {
        Public | AnyUser => true,
        Admin | AdminOrKey => role == "admin",
        Roles(list) | RolesOrKey(list) => list.contains(&role),
    };
    if access == Public {
        assert!(!refused(codes[0]), "{method} {path} is public");
    } else {
        assert_eq!(codes[0], 401, "{method} {path} needs a caller");
    }
    for (i, role) in roles.iter().enumerate() {
        assert_eq!(
            refused(codes[i + 1]),
            !allowed(role),
            "{method} {path} as {role}: the code disagrees with the policy"
        );
    }
    match access {
        AdminOrKey | RolesOrKey(_) => {
            assert!(!refused(codes[4]), "{method} {path} accepts a scoped key")
        }
        Admin | AnyUser | Roles(_) => assert_eq!(codes[4], 403, "{method} {path} refuses keys"),
        Public => assert!(
            !refused(codes[4]),
            "{method} {path} is public, even with a key"
        ),
    }
    assert!(codes.iter().all(|c| *c < 500), "{method} {path}: no 5xx");
}

/// Every scope a key can hold.
pub const ALL_SCOPES: [&str; 11] = [
    "users:read",
    "audit:read",
    "invoices:read",
    "accounting:read",
    "beneficiaries:read",
    "beneficiaries:write",
    "bilans:read",
    "bilans:write",
    "appointments:read",
    "appointments:write",
    "webhooks:manage",
];

/// The scope each route that accepts a key asks for.
const SCOPED: &[(&str, &str, &str)] = &[
    ("GET", "/api/v1/users", "users:read"),
    ("GET", "/api/v1/users/{id}", "users:read"),
    ("GET", "/api/v1/audit", "audit:read"),
    ("GET", "/api/v1/invoices", "invoices:read"),
    ("GET", "/api/v1/invoices/{id}", "invoices:read"),
    ("GET", "/api/v1/invoices/{id}/pdf", "invoices:read"),
    ("GET", "/api/v1/invoices/{id}/payments", "invoices:read"),
    ("GET", "/api/v1/quotes", "invoices:read"),
    ("GET", "/api/v1/quotes/{id}", "invoices:read"),
    ("GET", "/api/v1/quotes/{id}/pdf", "invoices:read"),
    ("GET", "/api/v1/exports/accounting.csv", "accounting:read"),
    ("GET", "/api/v1/exports/fec", "accounting:read"),
    ("GET", "/api/v1/beneficiaries", "beneficiaries:read"),
    ("GET", "/api/v1/beneficiaries/{id}", "beneficiaries:read"),
    ("POST", "/api/v1/beneficiaries", "beneficiaries:write"),
    ("PUT", "/api/v1/beneficiaries/{id}", "beneficiaries:write"),
    ("GET", "/api/v1/bilans", "bilans:read"),
    ("GET", "/api/v1/bilans/{id}", "bilans:read"),
    ("GET", "/api/v1/bilans/{id}/facts", "bilans:read"),
    ("GET", "/api/v1/bilans/{id}/sessions", "bilans:read"),
    ("POST", "/api/v1/bilans", "bilans:write"),
    ("PATCH", "/api/v1/bilans/{id}", "bilans:write"),
    ("POST", "/api/v1/bilans/{id}/assignments", "bilans:write"),
    ("POST", "/api/v1/bilans/{id}/transitions", "bilans:write"),
    ("POST", "/api/v1/bilans/{id}/facts", "bilans:write"),
    ("GET", "/api/v1/consultants/{id}/slots", "appointments:read"),
    ("GET", "/api/v1/appointments", "appointments:read"),
    ("GET", "/api/v1/appointments/{id}", "appointments:read"),
    ("POST", "/api/v1/appointments", "appointments:write"),
    ("PATCH", "/api/v1/appointments/{id}", "appointments:write"),
    (
        "POST",
        "/api/v1/imports/beneficiaries",
        "beneficiaries:write",
    ),
    (
        "GET",
        "/api/v1/imports/{kind}/template",
        "beneficiaries:write",
    ),
    ("GET", "/api/v1/webhooks", "webhooks:manage"),
    ("POST", "/api/v1/webhooks", "webhooks:manage"),
    ("GET", "/api/v1/webhooks/{id}", "webhooks:manage"),
    ("PUT", "/api/v1/webhooks/{id}", "webhooks:manage"),
    ("DELETE", "/api/v1/webhooks/{id}", "webhooks:manage"),
    ("POST", "/api/v1/webhooks/{id}/secret", "webhooks:manage"),
    ("GET", "/api/v1/webhooks/{id}/deliveries", "webhooks:manage"),
    (
        "POST",
        "/api/v1/webhook-deliveries/{id}/replay",
        "webhooks:manage",
    ),
];

#[test]
fn each_route_open_to_keys_names_its_scope() {
    let open: BTreeSet<(&str, &str)> = ROUTES
        .iter()
        .filter(|(_, _, access, _)| matches!(access, AdminOrKey | RolesOrKey(_)))
        .map(|(m, p, _, _)| (*m, *p))
        .collect();
    let scoped: BTreeSet<(&str, &str)> = SCOPED.iter().map(|(m, p, _)| (*m, *p)).collect();
    assert_eq!(open, scoped, "add the route's scope to SCOPED");
    assert!(SCOPED.iter().all(|(_, _, s)| ALL_SCOPES.contains(s)));
}

/// For each scope, a key holding every other one: each route of that scope answers 403
/// `missing-scope`, before looking at the id or the body.
async fn a_key_without_the_scope_gets_403_on_every_route_of_that_scope(backend: Backend) {
    let app = spawn_demo(backend).await;
    let admin = app.token(ADMIN).await;
    let mut wrong = Vec::new();
    for scope in ALL_SCOPES {
        let others: Vec<&str> = ALL_SCOPES.into_iter().filter(|s| *s != scope).collect();
        let key = app
            .post(
                "/api/v1/api-keys",
                Some(&admin),
                json!({ "name": format!("without {scope}"), "scopes": others }),
            )
            .await
            .expect(201)
            .body["key"]
            .as_str()
            .unwrap()
            .to_string();
        for (method, template, _) in SCOPED.iter().filter(|(_, _, s)| *s == scope) {
            let path = template
                .replace("{id}", &uuid::Uuid::now_v7().to_string())
                .replace("{kind}", "beneficiaries");
            let method = Method::from_bytes(method.as_bytes()).unwrap();
            let body = (method != Method::GET).then(|| json!({}));
            let answer = app.call(method.clone(), &path, Some(&key), body).await;
            if answer.status != 403 || answer.problem_type() != "urn:boussole:problem:missing-scope"
            {
                wrong.push(format!(
                    "{method} {template} without {scope}: {}",
                    answer.body
                ));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

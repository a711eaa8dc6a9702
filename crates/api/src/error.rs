//! The one error type of the API, rendered as an RFC 9457 `application/problem+json` document.

use std::collections::BTreeMap;

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, ResponseError};
use boussole_shared::field_rules::FieldRule;
use boussole_shared::{Problem, Slug};
use diesel::result::{DatabaseErrorKind, Error as DieselError};

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// The request cannot be understood (malformed JSON, wrong types, bad query string).
    #[error("bad request: {0}")]
    BadRequest(String),
    /// Well-formed input that breaks field rules: field → the rule and its message, for each.
    #[error("validation failed")]
    Validation(FieldErrors),
    /// No valid credentials. The slug names why (`invalid-credentials`, `invalid-token`, …).
    #[error("unauthorized: {detail}")]
    Unauthorized { slug: Slug, detail: String },
    /// Authenticated, but not allowed.
    #[error("forbidden: {detail}")]
    Forbidden { slug: Slug, detail: String },
    /// Not found, or not yours: the API never says which.
    #[error("not found")]
    NotFound,
    /// The request conflicts with the current state (duplicate, taken, already used); the slug says
    /// which (`slot-taken`, `quote-already-invoiced`…).
    #[error("conflict ({slug}): {detail}")]
    Conflict { slug: Slug, detail: String },
    /// The record already exists (an email, a CRM id): 409 `already-exists` naming it in `existing_id`,
    /// so that an integration links to it instead of creating a duplicate.
    #[error("already exists: {detail}")]
    AlreadyExists {
        detail: String,
        existing_id: Option<String>,
    },
    #[error("payload too large")]
    PayloadTooLarge,
    #[error("unsupported media type")]
    UnsupportedMediaType,
    /// A valid request that breaks a business rule, named by its slug (`minimum-hours`,
    /// `bilan-not-running`…) so that a client can tell it from the others; `missing` lists what is
    /// missing or wrong.
    #[error("unprocessable ({slug}): {detail}")]
    Rule {
        slug: Slug,
        detail: String,
        missing: Vec<String>,
    },
    /// An import refused because of its bad lines (422 `import-invalid`, the lines in `errors`):
    /// nothing was created.
    #[error("import refused: {} bad lines", .0.len())]
    ImportInvalid(Vec<boussole_shared::imports::ImportLineError>),
    /// A link that worked once and no longer does (spent, expired, cancelled, locked): 410, the slug
    /// says which.
    #[error("gone ({slug}): {detail}")]
    Gone { slug: Slug, detail: String },
    /// Too many attempts: try again after this many seconds.
    #[error("too many requests")]
    TooManyRequests { retry_after_secs: i64 },
    #[error("service unavailable: {0}")]
    Unavailable(String),
    #[error(transparent)]
    Database(#[from] DieselError),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl ApiError {
    pub fn unauthorized(slug: Slug, detail: impl Into<String>) -> Self {
        ApiError::Unauthorized {
            slug,
            detail: detail.into(),
        }
    }

    pub fn forbidden(slug: Slug, detail: impl Into<String>) -> Self {
        ApiError::Forbidden {
            slug,
            detail: detail.into(),
        }
    }

    pub fn conflict(slug: Slug, detail: impl Into<String>) -> Self {
        ApiError::Conflict {
            slug,
            detail: detail.into(),
        }
    }

    /// A broken business rule with nothing to list in `missing`.
    pub fn rule(slug: Slug, detail: impl Into<String>) -> Self {
        ApiError::Rule {
            slug,
            detail: detail.into(),
            missing: Vec::new(),
        }
    }

    /// A 400 naming one field, the rule it breaks and a French message (which may be more specific
    /// than the rule: a limit, a date).
    pub fn field(field: &str, rule: FieldRule, message: impl Into<String>) -> Self {
        let mut errors = Fields::default();
        errors.add(field, rule, message);
        ApiError::Validation(errors.0)
    }

    pub fn internal(message: impl std::fmt::Display) -> Self {
        ApiError::Internal(anyhow::anyhow!("{message}"))
    }

    /// Whether the whole transaction may be run again (see `db::tx`).
    pub fn is_retryable(&self) -> bool {
        match self {
            ApiError::Database(DieselError::DatabaseError(kind, info)) => {
                matches!(kind, DatabaseErrorKind::SerializationFailure)
                    || (matches!(kind, DatabaseErrorKind::UniqueViolation)
                        && info.message().contains("audit_log"))
            }
            _ => false,
        }
    }

    fn parts(&self) -> (StatusCode, Slug, &'static str, Option<String>) {
        use StatusCode as S;
        match self {
            ApiError::BadRequest(d) => (
                S::BAD_REQUEST,
                Slug::BAD_REQUEST,
                "Requête invalide",
                Some(d.clone()),
            ),
            ApiError::Validation(_) => (
                S::BAD_REQUEST,
                Slug::VALIDATION,
                "Données invalides",
                Some("Un ou plusieurs champs sont invalides.".into()),
            ),
            ApiError::Unauthorized { slug, detail } => (
                S::UNAUTHORIZED,
                *slug,
                "Authentification requise",
                Some(detail.clone()),
            ),
            ApiError::Forbidden { slug, detail } => {
                (S::FORBIDDEN, *slug, "Accès refusé", Some(detail.clone()))
            }
            ApiError::NotFound => (S::NOT_FOUND, Slug::NOT_FOUND, "Introuvable", None),
            ApiError::Conflict { slug, detail } => {
                (S::CONFLICT, *slug, "Conflit", Some(detail.clone()))
            }
            ApiError::AlreadyExists { detail, .. } => (
                S::CONFLICT,
                Slug::ALREADY_EXISTS,
                "Existe déjà",
                Some(detail.clone()),
            ),
            ApiError::PayloadTooLarge => (
                S::PAYLOAD_TOO_LARGE,
                Slug::PAYLOAD_TOO_LARGE,
                "Requête trop volumineuse",
                None,
            ),
            ApiError::UnsupportedMediaType => (
                S::UNSUPPORTED_MEDIA_TYPE,
                Slug::UNSUPPORTED_MEDIA_TYPE,
                "Type de contenu non pris en charge",
                Some("Envoyez du JSON avec Content-Type: application/json.".into()),
            ),
            ApiError::Rule { slug, detail, .. } => (
                S::UNPROCESSABLE_ENTITY,
                *slug,
                "Règle métier non respectée",
                Some(detail.clone()),
            ),
            ApiError::ImportInvalid(errors) => (
                S::UNPROCESSABLE_ENTITY,
                Slug::IMPORT_INVALID,
                "Import refusé",
                Some(format!(
                    "{} erreur(s) dans le fichier : rien n'a été importé.",
                    errors.len()
                )),
            ),
            ApiError::Gone { slug, detail } => {
                (S::GONE, *slug, "Lien plus valable", Some(detail.clone()))
            }
            ApiError::TooManyRequests { .. } => (
                S::TOO_MANY_REQUESTS,
                Slug::TOO_MANY_REQUESTS,
                "Trop de tentatives",
                Some("Trop de tentatives : réessayez plus tard.".into()),
            ),
            ApiError::Unavailable(_) => (
                S::SERVICE_UNAVAILABLE,
                Slug::UNAVAILABLE,
                "Service indisponible",
                Some("Réessayez dans un instant.".into()),
            ),
            ApiError::Database(DieselError::NotFound) => {
                (S::NOT_FOUND, Slug::NOT_FOUND, "Introuvable", None)
            }
            ApiError::Database(DieselError::DatabaseError(
                DatabaseErrorKind::UniqueViolation,
                _,
            )) => (
                S::CONFLICT,
                Slug::CONFLICT,
                "Conflit",
                Some("Cet enregistrement existe déjà.".into()),
            ),
            // The database's own guards, for what the handlers did not check first (a row deleted
            // meanwhile, a value outside a CHECK list): the request breaks a rule, the server is fine.
            ApiError::Database(DieselError::DatabaseError(
                DatabaseErrorKind::ForeignKeyViolation,
                _,
            )) => (
                S::UNPROCESSABLE_ENTITY,
                Slug::BUSINESS_RULE,
                "Règle métier non respectée",
                Some("Cet enregistrement fait référence à un élément qui n'existe pas.".into()),
            ),
            ApiError::Database(DieselError::DatabaseError(
                DatabaseErrorKind::CheckViolation,
                _,
            )) => (
                S::UNPROCESSABLE_ENTITY,
                Slug::BUSINESS_RULE,
                "Règle métier non respectée",
                Some("Une valeur ne respecte pas les règles de l'enregistrement.".into()),
            ),
            ApiError::Database(_) | ApiError::Internal(_) => (
                S::INTERNAL_SERVER_ERROR,
                Slug::INTERNAL,
                "Erreur interne",
                Some("Une erreur inattendue s'est produite ; elle a été journalisée.".into()),
            ),
        }
    }

    pub fn to_problem(&self) -> Problem {
        let (status, slug, title, detail) = self.parts();
        Problem {
            kind: slug.uri(),
            title: title.to_string(),
            status: status.as_u16(),
            detail,
            errors: match self {
                ApiError::Validation(e) => Some(
                    e.iter()
                        .map(|(f, list)| (f.clone(), list.iter().map(|(_, m)| m.clone()).collect()))
                        .collect(),
                ),
                _ => None,
            },
            rules: match self {
                ApiError::Validation(e) => Some(
                    e.iter()
                        .map(|(f, list)| {
                            let codes = list.iter().map(|(r, _)| r.as_str().to_string());
                            (f.clone(), codes.collect())
                        })
                        .collect(),
                ),
                _ => None,
            },
            missing: match self {
                ApiError::Rule { missing, .. } if !missing.is_empty() => Some(missing.clone()),
                _ => None,
            },
        }
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        self.parts().0
    }

    fn error_response(&self) -> HttpResponse {
        let status = self.status_code();
        if status.is_server_error() {
            // The whole cause chain goes to the log; the caller gets an opaque message.
            tracing::error!(error = ?self, "request failed");
        }
        let mut response = HttpResponse::build(status);
        response.insert_header((
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        ));
        if let ApiError::TooManyRequests { retry_after_secs } = self {
            response.insert_header((header::RETRY_AFTER, retry_after_secs.max(&1).to_string()));
        }
        if let ApiError::Unauthorized { .. } = self {
            response.insert_header((header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer")));
        }
        let problem = self.to_problem();
        let body = match self {
            // The one problem with a member of its own (`crate::problems::ExistingProblem`).
            ApiError::AlreadyExists {
                existing_id: Some(id),
                ..
            } => serde_json::to_value(&problem).map(|mut v| {
                v["existing_id"] = serde_json::Value::String(id.clone());
                v.to_string()
            }),
            // `errors` lists the bad lines (`crate::problems::ImportProblem`).
            ApiError::ImportInvalid(errors) => serde_json::to_value(&problem).map(|mut v| {
                v["errors"] = serde_json::to_value(errors).unwrap_or_default();
                v.to_string()
            }),
            _ => serde_json::to_string(&problem),
        };
        response.body(body.unwrap_or_default())
    }
}

/// Field → (rule, message) pairs of a 400 `validation`, in the order they were found.
pub type FieldErrors = BTreeMap<String, Vec<(FieldRule, String)>>;

/// Field errors gathered before a 400, so that a whole form is answered at once.
#[derive(Debug, Default)]
pub struct Fields(FieldErrors);

impl Fields {
    pub fn add(&mut self, field: &str, rule: FieldRule, message: impl Into<String>) {
        self.0
            .entry(field.to_string())
            .or_default()
            .push((rule, message.into()));
    }

    /// `Ok` when nothing was added, else the 400 listing every field.
    pub fn done(self) -> Result<(), ApiError> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(ApiError::Validation(self.0))
        }
    }
}

impl From<validator::ValidationErrors> for ApiError {
    fn from(errors: validator::ValidationErrors) -> Self {
        let mut out = FieldErrors::new();
        collect(&errors, String::new(), &mut out);
        ApiError::Validation(out)
    }
}

fn collect(errors: &validator::ValidationErrors, prefix: String, out: &mut FieldErrors) {
    use validator::ValidationErrorsKind as K;
    for (field, kind) in errors.errors() {
        let name = if prefix.is_empty() {
            field.to_string()
        } else {
            format!("{prefix}.{field}")
        };
        match kind {
            K::Field(list) => {
                out.entry(name)
                    .or_default()
                    .extend(list.iter().map(|e| (rule_of(e), describe(e))));
            }
            K::Struct(inner) => collect(inner, name, out),
            K::List(items) => {
                for (i, inner) in items {
                    collect(inner, format!("{name}[{i}]"), out);
                }
            }
        }
    }
}

/// The rule of a validator error; a `length` one by the bound it breaks (`value` is what was sent:
/// a text, or a list).
fn rule_of(e: &validator::ValidationError) -> FieldRule {
    let min = e.params.get("min").and_then(serde_json::Value::as_u64);
    let len = e.params.get("value").and_then(|v| match v {
        serde_json::Value::String(s) => Some(s.chars().count() as u64),
        serde_json::Value::Array(a) => Some(a.len() as u64),
        _ => None,
    });
    FieldRule::of_validator(&e.code, min, len)
}

/// French messages for the validator codes we use (the SPA shows them next to the field).
fn describe(e: &validator::ValidationError) -> String {
    if let Some(message) = &e.message {
        return message.to_string();
    }
    let param = |k: &str| e.params.get(k).map(|v| v.to_string());
    match e.code.as_ref() {
        "email" => "adresse e-mail invalide".into(),
        "length" => match (param("min"), param("max")) {
            (Some(min), Some(max)) => format!("doit contenir entre {min} et {max} caractères"),
            (Some(min), None) => format!("doit contenir au moins {min} caractères"),
            (None, Some(max)) => format!("doit contenir au plus {max} caractères"),
            _ => "longueur invalide".into(),
        },
        "range" => "valeur hors limites".into(),
        other => format!("invalide ({other})"),
    }
}

impl From<actix_web::error::BlockingError> for ApiError {
    fn from(e: actix_web::error::BlockingError) -> Self {
        ApiError::Internal(anyhow::anyhow!("blocking task failed: {e}"))
    }
}

impl From<r2d2::Error> for ApiError {
    fn from(e: r2d2::Error) -> Self {
        tracing::error!(error = %e, "no database connection available");
        ApiError::Unavailable(e.to_string())
    }
}

/// Validates a DTO, turning the failures into field errors.
pub fn validate<T: validator::Validate>(value: &T) -> Result<(), ApiError> {
    value.validate().map_err(ApiError::from)
}

/// Malformed JSON, wrong types, a missing or wrong content type, an oversized body: a 4xx problem.
pub fn json_config(limit: usize) -> actix_web::web::JsonConfig {
    use actix_web::error::JsonPayloadError as E;
    actix_web::web::JsonConfig::default()
        .limit(limit)
        .error_handler(|err, _req| {
            let api = match &err {
                E::Overflow { .. } | E::OverflowKnownLength { .. } => ApiError::PayloadTooLarge,
                E::ContentType => ApiError::UnsupportedMediaType,
                E::Deserialize(e) if e.is_data() => {
                    ApiError::BadRequest(format!("JSON inattendu : {e}"))
                }
                E::Deserialize(e) => ApiError::BadRequest(format!("JSON mal formé : {e}")),
                other => ApiError::BadRequest(other.to_string()),
            };
            actix_web::error::InternalError::from_response(err, api.error_response()).into()
        })
}

pub fn path_config() -> actix_web::web::PathConfig {
    actix_web::web::PathConfig::default().error_handler(|err, _req| {
        // A path that does not parse (an id that is no UUID) names nothing that exists.
        actix_web::error::InternalError::from_response(err, ApiError::NotFound.error_response())
            .into()
    })
}

pub fn query_config() -> actix_web::web::QueryConfig {
    actix_web::web::QueryConfig::default().error_handler(|err, _req| {
        let api = ApiError::BadRequest(format!("paramètres invalides : {err}"));
        actix_web::error::InternalError::from_response(err, api.error_response()).into()
    })
}

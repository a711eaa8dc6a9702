//! `JsonBody<T>`: a JSON request body that is parsed only when the handler asks for it.
//!
//! actix polls a handler's extractors together, so with `web::Json` a malformed body could be answered
//! 400 before the authorization extractor had refused the caller. Reading the bytes here and parsing
//! them in the handler, after `Admin`/`AnyUser`/… have run, keeps the order the API promises:
//! 401/403 first, then 400/415 for the body.

use actix_web::dev::Payload;
use actix_web::http::header::CONTENT_TYPE;
use actix_web::{FromRequest, HttpRequest, web};
use futures_util::future::LocalBoxFuture;
use serde::de::DeserializeOwned;

use crate::error::ApiError;

pub struct JsonBody<T> {
    bytes: web::Bytes,
    is_json: bool,
    _type: std::marker::PhantomData<T>,
}

impl<T: DeserializeOwned> JsonBody<T> {
    /// The body, or 415 when it is not declared as JSON, 400 when it does not parse as a `T`.
    pub fn parse(self) -> Result<T, ApiError> {
        if !self.is_json {
            return Err(ApiError::UnsupportedMediaType);
        }
        serde_json::from_slice(&self.bytes).map_err(|e| match e.classify() {
            serde_json::error::Category::Data => {
                ApiError::BadRequest(format!("JSON inattendu : {e}"))
            }
            _ => ApiError::BadRequest(format!("JSON mal formé : {e}")),
        })
    }
}

impl<T: DeserializeOwned + validator::Validate> JsonBody<T> {
    /// The body, parsed and checked against the DTO's validation rules.
    pub fn validated(self) -> Result<T, ApiError> {
        let value = self.parse()?;
        crate::error::validate(&value)?;
        Ok(value)
    }
}

impl<T: 'static> FromRequest for JsonBody<T> {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let is_json = req
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<mime::Mime>().ok())
            .is_some_and(|m| m.subtype() == mime::JSON || m.suffix() == Some(mime::JSON));
        // `web::Bytes` honours the app's PayloadConfig limit.
        let bytes = web::Bytes::from_request(req, payload);
        Box::pin(async move {
            let bytes = bytes.await.map_err(|e| {
                if e.as_response_error().status_code()
                    == actix_web::http::StatusCode::PAYLOAD_TOO_LARGE
                {
                    ApiError::PayloadTooLarge
                } else {
                    ApiError::BadRequest(format!("corps de requête illisible : {e}"))
                }
            })?;
            Ok(JsonBody {
                bytes,
                is_json,
                _type: std::marker::PhantomData,
            })
        })
    }
}

/// The query string as a `T`, read inside the handler after the caller was authorised (a `web::Query`
/// extractor could answer 400 to someone who should have been told 401).
pub fn query<T: DeserializeOwned>(req: &HttpRequest) -> Result<T, ApiError> {
    web::Query::<T>::from_query(req.query_string())
        .map(web::Query::into_inner)
        .map_err(|e| ApiError::BadRequest(format!("paramètres invalides : {e}")))
}

//! The span every log line of a request belongs to: tracing-actix-web's (method, route, status and the
//! request id that the `x-request-id` header echoes) plus who called, by account id and role once the
//! caller is known. Never a name or an email: logs are kept longer than people's consent.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::{HttpMessage, HttpRequest};
use tracing::Span;
use tracing_actix_web::{DefaultRootSpanBuilder, RootSpan, RootSpanBuilder};

pub struct RequestSpan;

impl RootSpanBuilder for RequestSpan {
    fn on_request_start(request: &ServiceRequest) -> Span {
        tracing_actix_web::root_span!(
            request,
            caller_id = tracing::field::Empty,
            caller_role = tracing::field::Empty
        )
    }

    fn on_request_end<B: MessageBody>(
        span: Span,
        outcome: &Result<ServiceResponse<B>, actix_web::Error>,
    ) {
        DefaultRootSpanBuilder::on_request_end(span, outcome);
    }
}

/// Adds the caller to the request's span (an account id or an API key id, and the role or `api_key`).
pub fn record_caller(req: &HttpRequest, id: &str, role: &str) {
    if let Some(span) = req.extensions().get::<RootSpan>() {
        span.record("caller_id", id);
        span.record("caller_role", role);
    }
}

//! The `webhooks` section of the OpenAPI 3.1 document: one POST per event, with its payload and the
//! signature header. utoipa's derive has no attribute for it, so it is built here and added to the
//! generated document (`crate::openapi::document`).

use boussole_shared::integrations::WebhookEventKind;
use utoipa::openapi::path::{HttpMethod, OperationBuilder, ParameterBuilder, ParameterIn};
use utoipa::openapi::request_body::RequestBodyBuilder;
use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, SchemaFormat, Type};
use utoipa::openapi::{ContentBuilder, PathItem, Paths, Ref, Required, ResponseBuilder};

use super::events::data_schema;

fn summary(kind: WebhookEventKind) -> &'static str {
    use WebhookEventKind as K;
    match kind {
        K::BeneficiaryCreated => {
            "Un bénéficiaire a été créé (par l'organisme, une clé d'API ou son inscription)"
        }
        K::BilanCreated => "Un bilan a été ouvert",
        K::BilanStatusChanged => {
            "Un bilan a changé d'état (chaque changement, abandon et fin compris)"
        }
        K::BilanAbandoned => "Un bilan a été abandonné",
        K::BilanCompleted => "Un bilan a été terminé",
        K::AppointmentBooked => "Un rendez-vous a été pris",
        K::AppointmentMoved => "Un rendez-vous a été déplacé",
        K::AppointmentCancelled => "Un rendez-vous a été annulé",
        K::AppointmentAttendanceSigned => "Les deux parties ont émargé : le rendez-vous a eu lieu",
        K::DocumentIssued => {
            "Un document a été émis (certificat de réalisation, feuille d'émargement…)"
        }
        K::InvoiceIssued => "Une facture ou un avoir a été émis",
        K::PaymentRecorded => "Un paiement a été enregistré",
        K::QuoteAccepted => "Un devis a été accepté",
    }
}

const DESCRIPTION: &str = "Boussole POSTs this JSON to each enabled endpoint subscribed to the event. \
    Check `Boussole-Signature: t=<unix seconds>,v1=<hex>`: `v1` is HMAC-SHA256, keyed with the \
    endpoint's whole secret (`whsec_…`), of `<t>.<raw body>`; compare in constant time and refuse a `t` \
    more than 5 minutes old. Answer 2xx within 10 s; anything else is retried after 1 min, 5 min, \
    30 min, 2 h, then every 6 h (8 attempts), with the same event `id` every time (and on a replay): \
    use it to ignore duplicates. `data` holds ids and administrative facts, never content nor personal \
    data: read the record by id with an API key.";

fn string(format: Option<KnownFormat>, description: &str) -> ObjectBuilder {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .format(format.map(SchemaFormat::KnownFormat))
        .description(Some(description))
}

fn header(name: &str, description: &str) -> ParameterBuilder {
    ParameterBuilder::new()
        .name(name)
        .parameter_in(ParameterIn::Header)
        .required(Required::True)
        .description(Some(description))
        .schema(Some(ObjectBuilder::new().schema_type(Type::String)))
}

fn operation(kind: WebhookEventKind) -> OperationBuilder {
    let body = ObjectBuilder::new()
        .property(
            "id",
            string(
                Some(KnownFormat::Uuid),
                "The event's id: the same on every retry and replay.",
            ),
        )
        .required("id")
        .property(
            "type",
            string(None, "The event's type.").enum_values(Some([kind.as_str()])),
        )
        .required("type")
        .property(
            "created_at",
            string(Some(KnownFormat::DateTime), "When it happened (UTC)."),
        )
        .required("created_at")
        .property("data", Ref::from_schema_name(data_schema(kind)))
        .required("data");
    OperationBuilder::new()
        .operation_id(Some(format!("webhook_{}", kind.as_str().replace('.', "_"))))
        .summary(Some(summary(kind)))
        .description(Some(DESCRIPTION))
        .tag("webhooks")
        .parameter(header(
            super::sign::HEADER,
            "`t=<unix seconds>,v1=<hex HMAC-SHA256(secret, \"<t>.<body>\")>`",
        ))
        .parameter(header(
            "Boussole-Event-Id",
            "The event's id (as `id` in the body).",
        ))
        .parameter(header(
            "Boussole-Event-Type",
            "The event's type (as `type` in the body).",
        ))
        .parameter(header(
            "Boussole-Delivery-Id",
            "This delivery's id (a replay has its own).",
        ))
        .request_body(Some(
            RequestBodyBuilder::new()
                .required(Some(Required::True))
                .content(
                    "application/json",
                    ContentBuilder::new().schema(Some(body)).build(),
                )
                .build(),
        ))
        .response(
            "200",
            ResponseBuilder::new()
                .description("Any 2xx answer acknowledges the event; anything else is retried")
                .build(),
        )
}

/// Every event, named by its type.
pub fn section() -> Paths {
    let mut paths = Paths::new();
    for &kind in WebhookEventKind::ALL {
        paths.paths.insert(
            kind.as_str().to_string(),
            PathItem::new(HttpMethod::Post, operation(kind)),
        );
    }
    paths
}

//! The OpenAPI 3.1 document, generated from the handlers and DTOs, and the offline Swagger UI.

use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_actix_web::AppExt;
use utoipa_swagger_ui::SwaggerUi;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Boussole API",
        description = "API de Boussole, la plateforme des bilans de compétences. Erreurs : `application/problem+json` (RFC 9457). Listes : `?page=&per_page=` (100 au plus).",
        license(name = "AGPL-3.0-or-later")
    ),
    modifiers(&SecuritySchemes),
    // Enums that only query parameters use are not collected from the handlers, nor the problem
    // document that the shared error sets (`crate::problems`) refer to.
    components(schemas(boussole_shared::users::UserSort, boussole_shared::conditions::Condition, boussole_shared::Problem, crate::problems::ExistingProblem, crate::problems::ImportProblem, boussole_shared::imports::ImportLineError, boussole_shared::imports::ImportKind, boussole_shared::messages::MessageEvent, boussole_shared::notifications::NotificationEvent, boussole_shared::notifications::NotificationChannel,
        // The payloads of the webhooks section (`crate::webhooks::docs`).
        crate::webhooks::BeneficiaryEvent, crate::webhooks::BilanCreatedEvent, crate::webhooks::BilanStatusEvent,
        crate::webhooks::AppointmentEvent, crate::webhooks::DocumentEvent, crate::webhooks::InvoiceEvent,
        crate::webhooks::PaymentEvent, crate::webhooks::QuoteEvent)),
    tags(
        (name = "auth", description = "Inscription, connexion, jetons, mot de passe oublié"),
        (name = "me", description = "Son propre compte : profil, mot de passe, sessions, double authentification"),
        (name = "users", description = "Comptes et invitations (admins)"),
        (name = "api-keys", description = "Clés d'API des intégrations (admins)"),
        (name = "audit", description = "Journal d'audit chaîné"),
        (name = "settings", description = "Paramètres de l'organisme"),
        (name = "beneficiaries", description = "Dossiers des bénéficiaires"),
        (name = "bilans", description = "Bilans de compétences : parcours, heures, consentements, notes chiffrées"),
        (name = "appointments", description = "Rendez-vous : disponibilités, créneaux, réservation, émargement, visioconférence, agenda iCalendar"),
        (name = "outbox", description = "Messages à envoyer (e-mail, SMS) et leur état (admins)"),
        (name = "projection", description = "Grille d'analyse des compétences, pistes professionnelles (métiers du ROME — Source : France Travail, ROME 4.0, Licence Ouverte 2.0), matrice de décision, plan d'action"),
        (name = "messages", description = "Messagerie des bilans (textes chiffrés, lisibles des seuls participants) et fils directs entre membres de l'équipe, accusés de lecture, flux en direct (server-sent events)"),
        (name = "resources", description = "Bibliothèque de ressources (liens, fichiers chiffrés) partagées avec les bénéficiaires, journal des consultations (Qualiopi, indicateur 19)"),
        (name = "notifications", description = "Centre de notifications : la liste de chacun (lu, non lu, liens), ses choix de canaux par type (dans l'application, e-mail, SMS), événements `notification` du flux en direct"),
        (name = "documents", description = "Documents émis : certificat de réalisation, feuille d'émargement, information préalable, convention tripartite, contrat individuel, consentement et notice RGPD, convention de financement, règlement intérieur (et sa prise de connaissance), document de synthèse (contenu : bénéficiaire et consultants seulement) ; vérification par empreinte ou par le fichier"),
        (name = "synthesis", description = "Document de synthèse co-rédigé : brouillon prérempli depuis les résultats et la projection, révisions (409 si périmée), commentaires, approbation par le bénéficiaire, émission au seul bénéficiaire (L6313-4) ; contenu du bilan, jamais lisible des admins"),
        (name = "templates", description = "Modèles des documents (admins) : paragraphes modifiables avec champs de fusion, versionnés ; les mentions légales restent fixes"),
        (name = "signatures", description = "Signature électronique des conventions et contrats : signataires dans l'ordre, lien personnel et code à usage unique, page de preuve, original signé vérifiable"),
        (name = "retention", description = "Conservation et destruction (R6313-7) : règles de conservation par catégorie de documents, exécutions de la destruction et leur procès-verbal (admins)"),
        (name = "cpf", description = "Dossiers CPF (EDOF) : états, délais en jours ouvrés, plafond, participation du titulaire"),
        (name = "imports", description = "Imports CSV (bénéficiaires, entreprises) : essai à blanc ligne à ligne, puis import tout ou rien"),
        (name = "money", description = "Payeurs, financements, factures et avoirs (numérotation continue), paiements, paramètres comptables"),
        (name = "webhooks", description = "Webhooks : points de réception d'un CRM, événements signés, journal des livraisons, rejeu (admins ou clé `webhooks:manage`)"),
        (name = "operations", description = "Santé du service")
    )
)]
pub struct ApiDoc;

struct SecuritySchemes;

impl Modify for SecuritySchemes {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .build(),
            ),
        );
        components.add_security_scheme(
            "api_key",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("Clé d'API `bsl_…` créée par un admin"))
                    .build(),
            ),
        );
    }
}

/// The whole document, as served at `/api/openapi.json` and committed in `openapi/openapi.json`.
pub fn document() -> utoipa::openapi::OpenApi {
    let (_, doc) = actix_web::App::new()
        .into_utoipa_app()
        .openapi(ApiDoc::openapi())
        .configure(crate::routes)
        .split_for_parts();
    let mut doc = doc;
    document_idempotency(&mut doc);
    document_problem_types(&mut doc);
    document_codes(&mut doc);
    doc.webhooks = Some(crate::webhooks::docs::section());
    doc
}

/// The `Problem` schema's `type` lists every slug, from `Slug::ALL`: the list the API can send, kept
/// here rather than in a doc comment that would drift from it.
fn document_problem_types(doc: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::{RefOr, Schema};
    let slugs: Vec<String> = boussole_shared::Slug::ALL
        .iter()
        .map(|slug| format!("`{slug}`"))
        .collect();
    let problem = doc
        .components
        .as_mut()
        .and_then(|c| c.schemas.get_mut("Problem"));
    if let Some(RefOr::T(Schema::Object(problem))) = problem
        && let Some(RefOr::T(Schema::Object(kind))) = problem.properties.get_mut("type")
    {
        let described = kind.description.take().unwrap_or_default();
        kind.description = Some(format!("{described}\n\nThe slugs: {}.", slugs.join(", ")));
    }
}

/// The `Condition` schema says each code in French, from `Condition::french` (what the SPA shows), so
/// that a CRM can show the same words; the `FieldRule` schema each rule in English, from
/// `FieldRule::english` (the messages a request in English gets; French ones are more specific).
fn document_codes(doc: &mut utoipa::openapi::OpenApi) {
    use boussole_shared::{conditions::Condition, field_rules::FieldRule};
    let conditions = Condition::ALL.iter().map(|c| (c.as_str(), c.french()));
    list_codes(doc, "Condition", conditions);
    let rules = FieldRule::ALL.iter().map(|r| (r.as_str(), r.english()));
    list_codes(doc, "FieldRule", rules);
}

/// Adds one line per code, with its meaning, to the description of the enum schema `name`.
fn list_codes<'a>(
    doc: &mut utoipa::openapi::OpenApi,
    name: &str,
    codes: impl Iterator<Item = (&'a str, &'a str)>,
) {
    use utoipa::openapi::{RefOr, Schema};
    let said: Vec<String> = codes
        .map(|(code, meaning)| format!("- `{code}`: {meaning}"))
        .collect();
    let schema = doc
        .components
        .as_mut()
        .and_then(|c| c.schemas.get_mut(name));
    if let Some(RefOr::T(Schema::Object(schema))) = schema {
        let described = schema.description.take().unwrap_or_default();
        schema.description = Some(format!("{described}\n\n{}", said.join("\n")));
    }
}

/// Every `POST` outside `/api/v1/auth/` takes an optional `Idempotency-Key` header (`crate::idempotency`),
/// and may answer 400 (an unusable key), 409 (the first request still runs) and 422 (the key served
/// another request). Added here, once the routes are known, rather than on each handler.
fn document_idempotency(doc: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::path::{ParameterBuilder, ParameterIn};
    use utoipa::openapi::schema::{ObjectBuilder, Type};
    use utoipa::openapi::{ContentBuilder, Ref, Required, ResponseBuilder};
    let problem = |description: &str| {
        ResponseBuilder::new()
            .description(description)
            .content(
                "application/problem+json",
                ContentBuilder::new()
                    .schema(Some(Ref::from_schema_name("Problem")))
                    .build(),
            )
            .build()
    };
    for (path, item) in doc.paths.paths.iter_mut() {
        let Some(op) = item.post.as_mut() else {
            continue;
        };
        if path.starts_with("/api/v1/auth/") {
            continue;
        }
        op.parameters.get_or_insert_with(Vec::new).push(
            ParameterBuilder::new()
                .name(crate::idempotency::HEADER_NAME)
                .parameter_in(ParameterIn::Header)
                .required(Required::False)
                .description(Some(
                    "Une clé choisie par le client (1 à 255 caractères ASCII visibles) : la même requête \
                     renvoyée avec la même clé dans les 24 heures reçoit la première réponse, sans rien \
                     créer de plus (en-tête `Idempotent-Replayed: true`).",
                ))
                .schema(Some(
                    ObjectBuilder::new()
                        .schema_type(Type::String)
                        .min_length(Some(1))
                        .max_length(Some(255))
                        .pattern(Some("^[!-~]+$")),
                ))
                .build()
                .into(),
        );
        let responses = &mut op.responses.responses;
        for (status, what) in [
            (
                "400",
                "Malformed or invalid request (including an unusable Idempotency-Key)",
            ),
            (
                "409",
                "Conflicts with the current state (or a request with this Idempotency-Key still runs)",
            ),
            (
                "422",
                "Breaks a rule (or this Idempotency-Key served another request)",
            ),
        ] {
            responses
                .entry(status.to_string())
                .or_insert_with(|| problem(what).into());
        }
    }
}

/// The document as committed: pretty JSON with a final newline.
pub fn document_json() -> String {
    let mut json = document().to_pretty_json().unwrap_or_default();
    json.push('\n');
    json
}

/// The document as served: the committed `openapi/openapi.json`, which the drift test
/// (`committed_openapi_matches_the_code`) keeps equal to `document_json()`. Serving it as written
/// spares each start the building of the document's tree (tens of megabytes while it is built, which
/// the allocator then keeps as resident memory: 97 → 51 MB idle when it was built once instead of
/// three times, and nothing left to build now).
pub type Served = actix_web::web::Bytes;

pub fn served() -> Served {
    Served::from_static(include_bytes!("../../../openapi/openapi.json"))
}

/// `/api/openapi.json` (the document written once) and Swagger UI (our own copy of its files,
/// pointed at that URL).
pub fn serve(cfg: &mut actix_web::web::ServiceConfig, doc: Served) {
    use actix_web::{HttpResponse, web};
    cfg.route(
        "/api/openapi.json",
        web::get().to(move || {
            // A clone of `Bytes` shares the buffer: nothing is copied per request.
            let doc = doc.clone();
            async move {
                HttpResponse::Ok()
                    .content_type(mime::APPLICATION_JSON)
                    .body(doc)
            }
        }),
    )
    .service(
        SwaggerUi::new("/api/docs/{_:.*}")
            .config(utoipa_swagger_ui::Config::from("/api/openapi.json")),
    );
}

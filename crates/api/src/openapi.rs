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
    components(schemas(boussole_shared::users::UserSort, boussole_shared::Problem)),
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
        (name = "documents", description = "Documents émis : certificat de réalisation, feuille d'émargement, information préalable ; vérification par empreinte"),
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
    doc
}

/// The document as committed: pretty JSON with a final newline.
pub fn document_json() -> String {
    let mut json = document().to_pretty_json().unwrap_or_default();
    json.push('\n');
    json
}

pub fn serve(cfg: &mut actix_web::web::ServiceConfig, doc: utoipa::openapi::OpenApi) {
    cfg.service(SwaggerUi::new("/api/docs/{_:.*}").url("/api/openapi.json", doc));
}

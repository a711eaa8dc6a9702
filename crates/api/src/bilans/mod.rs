//! Bilans de compétences: the beneficiary's bilan modelled as the law defines it, with its workflow,
//! hours, consents, encrypted notes, timeline, and the destruction of content at the end (R6313-7).
//! The route that withdraws a consent is `synthesis::consents` (it also cancels the synthèse's
//! sendings); bilans gives it [`records::withdraw`] and [`records::after_withdrawal`].

pub mod access;
pub mod assignment;
pub mod files;
pub mod handlers;
pub mod hours;
pub mod lifecycle;
pub mod list;
pub mod model;
pub mod notes;
pub mod records;
pub mod related;
pub mod sealed_names;
pub mod workflow;

use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;

#[derive(Debug, serde::Deserialize, IntoParams)]
pub struct BilanPath {
    /// Bilan id.
    pub id: uuid::Uuid,
}

#[derive(Debug, serde::Deserialize, IntoParams)]
pub struct ConsentPath {
    /// Bilan id.
    pub id: uuid::Uuid,
    /// Consent id.
    pub consent_id: uuid::Uuid,
}

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(handlers::create_bilan)
        .service(handlers::list_bilans)
        .service(handlers::get_bilan)
        .service(handlers::update_bilan)
        .service(handlers::transition_bilan)
        .service(records::list_facts)
        .service(records::create_fact)
        .service(records::list_bilan_sessions)
        .service(records::create_bilan_session)
        .service(records::list_consents)
        .service(records::create_consent)
        .service(records::get_timeline)
        .service(notes::list_notes)
        .service(notes::create_note)
        .service(files::list_files)
        .service(files::upload_file)
        .service(files::download_file)
        .service(access::get_access)
        .service(access::report_access);
}

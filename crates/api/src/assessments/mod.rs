//! Assessments (issue 11): a questionnaire engine, the instruments as data, assigning them on a bilan,
//! answering, submitting, and the scored results. Answers, results and interpretations are bilan
//! content: sealed under the bilan's key, read only by its beneficiary and assigned consultants, each
//! read journaled, and destroyed with the content (R6313-7).

pub mod catalogue;
pub mod demo;
pub mod engine;
pub mod flow;
pub mod handlers;
pub mod instruments;
pub mod results;
pub mod store;
pub mod validate;

use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;

#[derive(Debug, serde::Deserialize, IntoParams)]
pub struct AssessmentPath {
    /// Assessment id.
    pub id: uuid::Uuid,
}

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(instruments::list_instruments)
        .service(instruments::get_instrument)
        .service(instruments::create_instrument)
        .service(handlers::assign_assessment)
        .service(handlers::list_assessments)
        .service(handlers::get_assessment)
        .service(handlers::get_answers)
        .service(handlers::save_answers)
        .service(handlers::submit_assessment)
        .service(handlers::get_results)
        .service(handlers::put_interpretation);
}

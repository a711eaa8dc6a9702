//! The shared resources library (issue 14, item 5; Qualiopi indicator 19): links and files that
//! admins and consultants curate, for every beneficiary or for those they share them with, and the
//! log of each time a beneficiary opened one — the organisation's evidence of which resources each
//! beneficiary used (`GET /resources/accesses`).
//!
//! Resources are organisation material, not bilan content: admins curate them like consultants. A
//! consultant changes the resources they created (an admin any), and shares any resource only with
//! the beneficiaries of the bilans assigned to them now. Files go through the encrypted storage under
//! a key derived from the master key; nothing is deleted (archived resources stay in the log).

pub mod demo;
pub mod files;
pub mod handlers;
pub mod shares;
pub mod store;

use boussole_shared::Slug;
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth::caller::Viewer;
use crate::error::ApiError;

#[derive(Debug, serde::Deserialize, IntoParams)]
pub struct ResourcePath {
    /// Resource id.
    pub id: uuid::Uuid,
}

/// Whether `viewer` (staff) may change the resource: an admin any, a consultant those they created.
pub fn may_edit(viewer: &Viewer, row: &store::ResourceRow) -> Result<(), ApiError> {
    match viewer {
        Viewer::Admin(_) => Ok(()),
        Viewer::Consultant(me) if *me == row.created_by => Ok(()),
        _ => Err(ApiError::forbidden(
            Slug::NOT_RESOURCE_CREATOR,
            "Seul le consultant qui a ajouté cette ressource, ou un admin, peut la modifier.",
        )),
    }
}

pub fn routes(cfg: &mut ServiceConfig) {
    // `accesses` before `{id}`, so that it is never read as a resource id.
    cfg.service(shares::list_resource_accesses)
        .service(handlers::list_resources)
        .service(handlers::create_resource)
        .service(handlers::get_resource)
        .service(handlers::update_resource)
        .service(handlers::archive_resource)
        .service(files::upload_resource_file)
        .service(files::download_resource_file)
        .service(files::open_resource)
        .service(shares::list_resource_shares)
        .service(shares::share_resource)
        .service(shares::unshare_resource);
}

//! The skills analysis grid and the projection tools (issue 11, items 6–7): experiences and skills,
//! career paths linked to ROME occupations with their gap lists, the weighted decision matrix and the
//! action plan. Bilan content: every record is encrypted under the bilan's key (`store`), written and
//! read by the beneficiary and the assigned consultants only (admins 403, API keys 403, others 404),
//! each read journaled in the access log, wiped by `bilans::lifecycle::destroy_content` (which writes the table itself: bilans does not import this module).

pub mod demo;
pub mod demo_story;
pub mod matrix;
pub mod paths;
pub mod rome;
pub mod skills;
pub mod store;

use boussole_shared::access::AccessKind;
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;
use zeroize::Zeroizing;

use crate::AppState;
use crate::auth::caller::Viewer;
use crate::bilans::{access, model};
use crate::db::{self, Conn};
use crate::error::ApiError;

#[derive(Debug, serde::Deserialize, IntoParams)]
pub struct ItemPath {
    /// Bilan id.
    pub id: uuid::Uuid,
    /// Record id (experience, skill or career path).
    pub item_id: uuid::Uuid,
}

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(rome::search_rome)
        .service(skills::list_experiences)
        .service(skills::create_experience)
        .service(skills::update_experience)
        .service(skills::delete_experience)
        .service(skills::list_skills)
        .service(skills::create_skill)
        .service(skills::update_skill)
        .service(skills::delete_skill)
        .service(paths::list_career_paths)
        .service(paths::create_career_path)
        .service(paths::update_career_path)
        .service(paths::delete_career_path)
        .service(matrix::get_decision_matrix)
        .service(matrix::put_decision_matrix)
        .service(matrix::get_action_plan)
        .service(matrix::put_action_plan);
}

/// The bilan's content key for a write by `viewer` (the beneficiary or an assigned consultant).
fn key_for_write(
    conn: &mut Conn,
    master: &[u8; 32],
    bilan_id: &str,
    viewer: &Viewer,
) -> Result<Zeroizing<Vec<u8>>, ApiError> {
    model::load_for_content(conn, bilan_id, viewer)?;
    model::content_key(conn, master, bilan_id)
}

/// The bilan's content key for a read by `viewer`, the read journaled as `what`.
fn key_for_read(
    conn: &mut Conn,
    master: &[u8; 32],
    bilan_id: &str,
    viewer: &Viewer,
    what: AccessKind,
) -> Result<Zeroizing<Vec<u8>>, ApiError> {
    access::read_content(conn, bilan_id, viewer, what, None)?;
    model::content_key(conn, master, bilan_id)
}

/// Runs `f` on the bilan's content, decrypted with its key, for a read by `viewer` journaled as `what`
/// (the beneficiary or an assigned consultant; admins 403, others 404). `f` gets the key and the
/// bilan's id.
pub async fn read<T, F>(
    state: &actix_web::web::Data<AppState>,
    bilan_id: uuid::Uuid,
    viewer: Viewer,
    what: AccessKind,
    f: F,
) -> Result<T, ApiError>
where
    F: FnOnce(&mut Conn, &[u8], &str) -> Result<T, ApiError> + Send + 'static,
    T: Send + 'static,
{
    let (id, st) = (bilan_id.to_string(), state.clone());
    db::run(&state.pool, move |conn| {
        let key = key_for_read(conn, &st.config.master_key, &id, &viewer, what)?;
        f(conn, &key, &id)
    })
    .await
}

/// Runs `f` in one transaction with the bilan's content key, for a write by `viewer`. `f` gets the
/// key, the bilan's id and the writer, and runs again when the transaction is retried.
pub async fn write<T, F>(
    state: &actix_web::web::Data<AppState>,
    bilan_id: uuid::Uuid,
    viewer: Viewer,
    mut f: F,
) -> Result<T, ApiError>
where
    F: FnMut(&mut Conn, &[u8], &str, &Viewer) -> Result<T, ApiError> + Send + 'static,
    T: Send + 'static,
{
    let (id, st) = (bilan_id.to_string(), state.clone());
    db::tx(&state.pool, move |conn| {
        let key = key_for_write(conn, &st.config.master_key, &id, &viewer)?;
        f(conn, &key, &id, &viewer)
    })
    .await
}

/// Refuses a caller who may not write the bilan's content before their body is read, so that an admin
/// hears 403 whatever they send (the write itself checks again, in its transaction).
pub async fn may_write(
    state: &crate::AppState,
    bilan_id: uuid::Uuid,
    viewer: &Viewer,
) -> Result<(), ApiError> {
    let (id, viewer) = (bilan_id.to_string(), viewer.clone());
    crate::db::run(&state.pool, move |conn| {
        model::load_for_content(conn, &id, &viewer).map(|_| ())
    })
    .await
}

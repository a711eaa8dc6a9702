//! Communication (issue 14), first part: one conversation per bilan between its beneficiary and the
//! consultants assigned now, direct threads between two staff members (`direct`), the live stream
//! and the email that says a message waits. A bilan's thread is bilan content:
//! message texts are encrypted under the bilan's key, read by the participants only (admins 403, API
//! keys refused by the `Viewer` extractor, others 404), each consultant's read journaled in the access
//! log, wiped by `bilans::lifecycle::destroy_content` (which writes the table itself: bilans does not
//! import this module).

pub mod demo;
pub mod demo_direct;
pub mod direct;
pub mod edits;
pub mod live;
pub mod notice;
pub mod store;
pub mod threads;

use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;

#[derive(Debug, serde::Deserialize, IntoParams)]
pub struct ConversationPath {
    /// Conversation id.
    pub id: uuid::Uuid,
}

#[derive(Debug, serde::Deserialize, IntoParams)]
pub struct MessagePath {
    /// Message id.
    pub id: uuid::Uuid,
}

pub fn routes(cfg: &mut ServiceConfig) {
    // `contacts` before the `{id}` routes' siblings, so that it is never read as a thread id.
    cfg.service(direct::list_contacts)
        .service(direct::create_conversation)
        .service(threads::list_conversations)
        .service(threads::list_messages)
        .service(threads::post_message)
        .service(threads::mark_read)
        .service(edits::edit_message)
        .service(edits::withdraw_message)
        .service(live::events);
}

//! The outbox as an admin reads it (the development mailbox page), typed.

use boussole_shared::Page;
use boussole_shared::appointments::OutboxMessage;
use serde_json::json;
use uuid::Uuid;

use super::{Answer, TestApp};

impl TestApp {
    /// `GET /api/v1/outbox{query}` (`query` empty or starting with `?`).
    pub async fn outbox(&self, token: &str, query: &str) -> Answer<Page<OutboxMessage>> {
        self.get_as(&format!("/api/v1/outbox{query}"), token).await
    }

    /// One message, with its text.
    pub async fn outbox_message(&self, token: &str, id: Uuid) -> Answer<OutboxMessage> {
        self.get_as(&format!("/api/v1/outbox/{id}"), token).await
    }

    /// Sends a failed message again.
    pub async fn retry_outbox(&self, token: &str, id: Uuid) -> Answer<OutboxMessage> {
        let path = format!("/api/v1/outbox/{id}/retry");
        self.post_as(&path, Some(token), &json!({})).await
    }
}

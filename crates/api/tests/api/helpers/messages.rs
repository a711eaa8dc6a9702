//! Conversations and notifications, typed: the calls the messages, direct threads, notifications,
//! resources and synthèse tests share.

use boussole_shared::Page;
use boussole_shared::messages::{
    ConversationList, EditMessage, Message, NewMessage, ReadReceipt, UnreadCounts,
};
use boussole_shared::notifications::Notification;
use uuid::Uuid;

use super::{Answer, TestApp};

impl TestApp {
    /// The caller's threads (listing creates the thread of each of their bilans).
    pub async fn conversations(&self, token: &str) -> Answer<ConversationList> {
        self.get_as("/api/v1/conversations", token).await
    }

    /// A thread's messages, newest first.
    pub async fn messages(&self, token: &str, conversation: Uuid) -> Answer<Page<Message>> {
        let path = format!("/api/v1/conversations/{conversation}/messages");
        self.get_as(&path, token).await
    }

    /// Writes `text` in a thread, without attachment.
    pub async fn send_message(
        &self,
        token: &str,
        conversation: Uuid,
        text: &str,
    ) -> Answer<Message> {
        let path = format!("/api/v1/conversations/{conversation}/messages");
        let body = NewMessage {
            body: text.into(),
            attachment_id: None,
        };
        self.post_as(&path, Some(token), &body).await
    }

    /// Marks a thread read up to a message.
    pub async fn mark_read(
        &self,
        token: &str,
        conversation: Uuid,
        up_to: Uuid,
    ) -> Answer<UnreadCounts> {
        let path = format!("/api/v1/conversations/{conversation}/read");
        self.post_as(&path, Some(token), &ReadReceipt { up_to })
            .await
    }

    /// Changes a message's text (its author, within the edit window).
    pub async fn edit_message(&self, token: &str, id: Uuid, text: &str) -> Answer<Message> {
        let body = EditMessage { body: text.into() };
        self.patch_as(&format!("/api/v1/messages/{id}"), token, &body)
            .await
    }

    /// `GET /api/v1/notifications{query}` (`query` empty or starting with `?`).
    pub async fn notifications(&self, token: &str, query: &str) -> Answer<Page<Notification>> {
        self.get_as(&format!("/api/v1/notifications{query}"), token)
            .await
    }
}

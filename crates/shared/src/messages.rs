//! Conversations (issue 14, item 1): one thread per bilan between its beneficiary and the consultants
//! assigned now — its message bodies are bilan content (encrypted under the bilan's key, never shown to
//! admins or API keys, destroyed with the bilan's content) — and direct threads between two staff
//! members (admins and consultants), encrypted under a key of their own.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;
use validator::Validate;

use crate::bilans::PersonRef;

/// The longest message, in characters.
pub const MAX_MESSAGE_CHARS: u64 = 10_000;

/// How long after sending its author may still change a message.
pub const EDIT_WINDOW_MINUTES: i64 = 10;

str_enum!(
    /// A bilan's thread, or a direct thread between two staff members.
    ConversationKind {
        Bilan = "bilan",
        Direct = "direct",
    }
);

/// One thread the caller takes part in.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConversationSummary {
    pub id: Uuid,
    pub kind: ConversationKind,
    /// The bilan the thread belongs to (`null` for a direct thread).
    pub bilan_id: Option<Uuid>,
    /// The other people of the thread now (a bilan's: the beneficiary and the consultants assigned
    /// now; a direct thread: the other staff member).
    pub with: Vec<PersonRef>,
    /// When the last message was sent (none yet: `null`).
    pub last_message_at: Option<DateTime<Utc>>,
    /// Messages of the others the caller has not read (withdrawn ones do not count).
    pub unread: i64,
}

/// `GET /api/v1/conversations`: the caller's threads, most recent first, and their unread total.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConversationList {
    pub items: Vec<ConversationSummary>,
    pub total_unread: i64,
}

/// `POST /api/v1/conversations` (admins and consultants): the direct thread with another active
/// staff member, created on the first call (201) and answered again afterwards (200).
#[derive(Debug, Clone, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewDirectConversation {
    /// The other admin or consultant.
    pub with: Uuid,
}

/// One message of a thread.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Message {
    pub id: Uuid,
    pub conversation_id: Uuid,
    pub author: PersonRef,
    /// The text; `null` once withdrawn.
    pub body: Option<String>,
    /// A document of the bilan attached to the message (read it through the bilan's files).
    pub attachment_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub edited_at: Option<DateTime<Utc>>,
    /// Set when the author withdrew it: the others see that a message was withdrawn, not what it said.
    pub withdrawn_at: Option<DateTime<Utc>>,
    /// Someone else of the thread has read it (read receipt).
    pub read_by_others: bool,
    /// Until when its author may edit or withdraw it.
    pub editable_until: DateTime<Utc>,
}

/// `POST /api/v1/conversations/{id}/messages`.
#[derive(Debug, Clone, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewMessage {
    /// 1 to 10 000 characters, not only spaces.
    #[validate(length(min = 1, max = 10000))]
    pub body: String,
    /// A document of the same bilan that the author may read.
    #[serde(default)]
    pub attachment_id: Option<Uuid>,
}

/// `PATCH /api/v1/messages/{id}` (its author, within the edit window).
#[derive(Debug, Clone, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EditMessage {
    #[validate(length(min = 1, max = 10000))]
    pub body: String,
}

/// `POST /api/v1/conversations/{id}/read`: everything up to this message (included) is read.
#[derive(Debug, Clone, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReadReceipt {
    pub up_to: Uuid,
}

/// What `POST …/read` answers: the caller's unread counts after it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UnreadCounts {
    pub conversation_id: Uuid,
    pub unread: i64,
    pub total_unread: i64,
}

str_enum!(
    /// What happened to a message, in a live event.
    MessageChange {
        Created = "created",
        Edited = "edited",
        Withdrawn = "withdrawn",
    }
);

/// The data of a `message` event of `GET /api/v1/events`: which message changed, never its text
/// (the client reads it through the API, which checks and journals the read).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MessageEvent {
    pub conversation_id: Uuid,
    pub message_id: Uuid,
    pub change: MessageChange,
    /// The receiver's unread count in that thread, and in all, when the event was sent.
    pub unread: i64,
    pub total_unread: i64,
}

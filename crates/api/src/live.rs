//! The events of this process that live streams (`GET /api/v1/events`, run by `messages::live`) pass
//! on, and the framing of server-sent events. No HTTP here: messages and notifications both publish
//! on the [`Hub`] and both frame their events, so it sits below the two.

use std::sync::Arc;

use actix_web::web::Bytes;
use boussole_shared::messages::MessageChange;
use chrono::NaiveDateTime;
use tokio::sync::broadcast;

/// Something that happened, for the streams of this process.
#[derive(Debug)]
pub enum Live {
    /// A message was sent, edited or withdrawn; `recipients` are the thread's people at that time.
    Message {
        recipients: Vec<String>,
        conversation_id: String,
        message_id: String,
        change: MessageChange,
        stamp: NaiveDateTime,
    },
    /// `user` read a thread (their other tabs update their counts).
    Read {
        user: String,
        conversation_id: String,
    },
    /// New notifications of these people were committed (`crate::notifications::tx`).
    Notified { users: Vec<String> },
    /// `user` read notifications (their other tabs update their bell).
    NotificationsRead { user: String },
}

/// The broadcast channel the writes publish on and each stream listens to.
#[derive(Debug, Clone)]
pub struct Hub {
    tx: broadcast::Sender<Arc<Live>>,
}

impl Default for Hub {
    fn default() -> Self {
        Hub {
            tx: broadcast::channel(1024).0,
        }
    }
}

impl Hub {
    /// Publishes after the transaction committed (nobody listening is fine).
    pub fn send(&self, event: Live) {
        let _ = self.tx.send(Arc::new(event));
    }

    /// A new stream's receiver.
    pub fn subscribe(&self) -> broadcast::Receiver<Arc<Live>> {
        self.tx.subscribe()
    }
}

/// An event id: a time in microseconds since 1970, one time line for messages and notifications.
pub fn stamp_id(t: NaiveDateTime) -> String {
    t.and_utc().timestamp_micros().to_string()
}

/// One server-sent event (`id` only where the client may resume from it).
pub fn frame(id: Option<&str>, event: &str, data: &impl serde::Serialize) -> Bytes {
    let data = serde_json::to_string(data).unwrap_or_else(|_| "{}".into());
    let id = id.map(|i| format!("id: {i}\n")).unwrap_or_default();
    Bytes::from(format!("{id}event: {event}\ndata: {data}\n\n"))
}

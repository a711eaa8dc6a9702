//! Autosave: each answer goes into a queue; after a short pause (or at once when the beneficiary
//! changes part or sends) the queue is sent in one `PUT …/answers`. One save at a time; a failed
//! save keeps its answers queued and says so, with a way to try again.

use std::time::Duration;

use boussole_shared::assessments::Answer;
use leptos::{prelude::*, task::spawn_local};
use uuid::Uuid;

use super::state::{Pending, SaveState};
use crate::api::{Api, ApiError};

/// The pause after a change before it is sent: clicks in a row go out together.
const PAUSE: Duration = Duration::from_millis(600);

#[derive(Clone, Copy)]
pub struct Autosave {
    api: Api,
    id: Uuid,
    queue: StoredValue<Pending>,
    timer: StoredValue<Option<TimeoutHandle>>,
    busy: StoredValue<bool>,
    pub state: RwSignal<SaveState>,
    pub error: RwSignal<Option<ApiError>>,
}

impl Autosave {
    pub fn new(api: Api, id: Uuid) -> Self {
        let this = Autosave {
            api,
            id,
            queue: StoredValue::new(Pending::default()),
            timer: StoredValue::new(None),
            busy: StoredValue::new(false),
            state: RwSignal::new(SaveState::Saved),
            error: RwSignal::new(None),
        };
        // Leaving the page sends what is still queued (without touching the page's signals after).
        on_cleanup(move || {
            if let Some(batch) = this.queue.try_update_value(Pending::take)
                && !batch.is_empty()
            {
                spawn_local(async move {
                    let _ = api.save_answers(id, batch).await;
                });
            }
        });
        this
    }

    /// Queues an answer and sends it after the pause.
    pub fn put(self, a: Answer) {
        self.queue.update_value(|q| q.put(a));
        self.state.set(SaveState::Pending);
        self.clear_timer();
        let handle = set_timeout_with_handle(move || self.flush(), PAUSE).ok();
        self.timer.set_value(handle);
    }

    fn clear_timer(self) {
        if let Some(Some(h)) = self.timer.try_update_value(Option::take) {
            h.clear();
        }
    }

    /// Sends the queue now (when a save is under way, the queue follows it).
    pub fn flush(self) {
        self.clear_timer();
        if self.busy.try_get_value().unwrap_or(true) {
            return;
        }
        let batch = self
            .queue
            .try_update_value(Pending::take)
            .unwrap_or_default();
        if batch.is_empty() {
            if self.state.try_get_untracked() != Some(SaveState::Failed) {
                self.state.try_set(SaveState::Saved);
            }
            return;
        }
        self.busy.set_value(true);
        self.state.set(SaveState::Saving);
        spawn_local(async move {
            let r = self.api.save_answers(self.id, batch.clone()).await;
            if self.busy.try_set_value(false).is_some() {
                return; // the page is gone
            }
            match r {
                Ok(_) => {
                    self.error.try_set(None);
                    self.state.try_set(SaveState::Saved);
                    if !self.queue.with_value(Pending::is_empty) {
                        self.flush();
                    }
                }
                Err(e) => {
                    self.queue.update_value(|q| q.restore(batch));
                    self.error.try_set(Some(e));
                    self.state.try_set(SaveState::Failed);
                }
            }
        });
    }
}

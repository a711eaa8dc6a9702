//! The live stream of `GET /api/v1/events`, read with `fetch`: the access token lives only in memory
//! and an `EventSource` cannot send it (a token in the URL would land in logs). When the stream ends
//! (the server closes it every few minutes, the network drops, the server restarts) it is opened again
//! after 3 s with the last event id, and the server replays what changed meanwhile.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use boussole_shared::messages::{MessageEvent, UnreadCounts};
use boussole_shared::notifications::{NotificationEvent, NotificationSummary};
use gloo_net::http::RequestBuilder;
use leptos::wasm_bindgen::{JsCast, JsValue};
use leptos::{prelude::*, task::spawn_local};

use crate::api::Api;

/// What the stream tells the pages, provided as context by `App`.
#[derive(Clone, Copy)]
pub struct Live {
    /// The caller's unread messages, in all their threads.
    pub total: RwSignal<i64>,
    /// The last message event (a thread page reloads when it is about its thread).
    pub last: RwSignal<Option<MessageEvent>>,
    /// Moves at every event: lists reload.
    pub tick: RwSignal<u64>,
    /// The caller's unread notifications (the bell).
    pub notifications: RwSignal<i64>,
}

pub fn use_live() -> Live {
    expect_context::<Live>()
}

/// One frame of the stream: its id, its event name and its data. Comments (`: ping`) give `None`.
pub fn parse_frame(frame: &str) -> Option<(Option<String>, String, String)> {
    let (mut id, mut event, mut data) = (None, String::from("message"), String::new());
    for line in frame.lines() {
        if let Some(v) = line.strip_prefix("id:") {
            id = Some(v.trim().to_string());
        } else if let Some(v) = line.strip_prefix("event:") {
            event = v.trim().to_string();
        } else if let Some(v) = line.strip_prefix("data:") {
            if !data.is_empty() {
                data.push('\n');
            }
            data.push_str(v.trim_start());
        }
    }
    (!data.is_empty()).then_some((id, event, data))
}

impl Live {
    /// Follows the session: a stream while someone is logged in (admins too: their notifications and
    /// their threads with colleagues), none when logged out.
    pub fn start(api: Api) -> Live {
        let live = Live {
            total: RwSignal::new(0),
            last: RwSignal::new(None),
            tick: RwSignal::new(0),
            notifications: RwSignal::new(0),
        };
        let who = Memo::new(move |_| {
            api.session
                .with(|s| s.as_ref().map(|s| (s.user.id, s.user.role)))
        });
        let generation = Rc::new(Cell::new(0_u64));
        let abort: Rc<RefCell<Option<web_sys::AbortController>>> = Rc::default();
        crate::components::effect(move |_| {
            let who = who.get();
            generation.set(generation.get() + 1);
            if let Some(c) = abort.borrow_mut().take() {
                c.abort();
            }
            live.total.set(0);
            live.notifications.set(0);
            if who.is_some() {
                spawn_local(run(
                    api,
                    live,
                    generation.get(),
                    generation.clone(),
                    abort.clone(),
                ));
            }
        });
        live
    }

    fn handle(self, event: &str, data: &str) {
        match event {
            "message" => {
                if let Some(e) = crate::api::parse_json::<MessageEvent>(data) {
                    self.total.set(e.total_unread);
                    self.last.set(Some(e));
                }
            }
            "notification" => {
                if let Some(e) = crate::api::parse_json::<NotificationEvent>(data) {
                    self.notifications.set(e.unread);
                }
            }
            // At the stream's opening, and when a read elsewhere (another tab) changed the count.
            "notification_summary" => {
                if let Some(s) = crate::api::parse_json::<NotificationSummary>(data) {
                    self.notifications.set(s.unread);
                }
            }
            "unread" => {
                if let Some(c) = crate::api::parse_json::<UnreadCounts>(data) {
                    self.total.set(c.total_unread);
                }
            }
            _ => return,
        }
        self.tick.update(|t| *t += 1);
    }
}

async fn run(
    api: Api,
    live: Live,
    mine: u64,
    current: Rc<Cell<u64>>,
    abort: Rc<RefCell<Option<web_sys::AbortController>>>,
) {
    let mut last_id: Option<String> = None;
    while current.get() == mine {
        // A refusal (403, `REFUSED`) will not change by retrying.
        if let Err(e) = stream_once(api, live, &mut last_id, &abort).await
            && e == REFUSED
        {
            return;
        }
        if current.get() != mine {
            return;
        }
        sleep(3000).await;
    }
}

/// What `stream_once` fails with when the server refuses the stream to this person.
const REFUSED: JsValue = JsValue::FALSE;

async fn stream_once(
    api: Api,
    live: Live,
    last_id: &mut Option<String>,
    abort: &Rc<RefCell<Option<web_sys::AbortController>>>,
) -> Result<(), JsValue> {
    let token = api.access_token().ok_or(JsValue::NULL)?;
    let controller = web_sys::AbortController::new()?;
    let mut req = RequestBuilder::new("/api/v1/events")
        .header("Authorization", &format!("Bearer {token}"))
        .abort_signal(Some(&controller.signal()));
    if let Some(id) = last_id.as_deref() {
        req = req.header("Last-Event-ID", id);
    }
    *abort.borrow_mut() = Some(controller);
    let resp = req.send().await.map_err(|_| JsValue::NULL)?;
    if resp.status() == 401 {
        // An expired access token: a new one, then the next attempt.
        let _ = api.refresh().await;
        return Err(JsValue::NULL);
    }
    if resp.status() == 403 {
        return Err(REFUSED);
    }
    if !resp.ok() {
        return Err(JsValue::NULL);
    }
    let reader: web_sys::ReadableStreamDefaultReader = resp
        .body()
        .ok_or(JsValue::NULL)?
        .get_reader()
        .unchecked_into();
    let mut buf = String::new();
    loop {
        let chunk = wasm_bindgen_futures::JsFuture::from(reader.read()).await?;
        if js_sys::Reflect::get(&chunk, &"done".into())?
            .as_bool()
            .unwrap_or(true)
        {
            return Ok(());
        }
        let bytes: js_sys::Uint8Array =
            js_sys::Reflect::get(&chunk, &"value".into())?.unchecked_into();
        buf.push_str(&String::from_utf8_lossy(&bytes.to_vec()));
        while let Some(end) = buf.find("\n\n") {
            let frame: String = buf.drain(..end + 2).collect();
            if let Some((id, event, data)) = parse_frame(&frame) {
                if id.is_some() {
                    *last_id = id;
                }
                live.handle(&event, &data);
            }
        }
    }
}

async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let _ = window().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_give_their_id_event_and_data_and_comments_nothing() {
        let got = parse_frame("id: 1733400000000000\nevent: message\ndata: {\"a\":1}\n\n");
        assert_eq!(
            got,
            Some((
                Some("1733400000000000".into()),
                "message".into(),
                "{\"a\":1}".into()
            ))
        );
        assert_eq!(parse_frame(": ping\n\n"), None);
        assert_eq!(parse_frame("retry: 3000\n\n"), None);
        let unnamed = parse_frame("data: x\ndata: y").unwrap();
        assert_eq!(
            (unnamed.1.as_str(), unnamed.2.as_str()),
            ("message", "x\ny")
        );
    }
}

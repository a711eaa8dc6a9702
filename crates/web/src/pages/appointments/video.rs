//! The video room of a remote appointment: a lobby first (nothing is loaded from the video server
//! until the person chooses to enter), then the Jitsi Meet room embedded in the page. Entering and
//! leaving are reported to the API, which keeps them as evidence of attendance.

use std::sync::{
    Arc,
    atomic::{AtomicBool, Ordering},
};

use leptos::{prelude::*, task::spawn_local};
use uuid::Uuid;

use crate::{
    api::{Api, use_api},
    components::*,
    i18n::use_i18n,
};

fn report(api: Api, id: Uuid, event: &'static str) {
    // Evidence only: a failed report must not keep the person out of the room.
    spawn_local(async move {
        let _ = api.video_event(id, event).await;
    });
}

#[component]
pub fn Video(id: Uuid, url: String, room: String) -> impl IntoView {
    let (i, api) = (use_i18n(), use_api());
    let joined = RwSignal::new(false);
    // Leaving the page leaves the room: the flag outlives the signals, which are gone at cleanup.
    let inside = Arc::new(AtomicBool::new(false));
    let on_leave_page = inside.clone();
    on_cleanup(move || {
        if on_leave_page.load(Ordering::Relaxed) {
            report(api, id, "leave");
        }
    });
    let (join_flag, leave_flag) = (inside.clone(), inside);
    let join = move |_| {
        join_flag.store(true, Ordering::Relaxed);
        joined.set(true);
        report(api, id, "join");
    };
    let leave = move |_| {
        leave_flag.store(false, Ordering::Relaxed);
        joined.set(false);
        report(api, id, "leave");
    };
    let frame_url = url.clone();
    view! {
        <section class="card" aria-labelledby="visio" data-testid="video" data-room=room>
            <h2 id="visio">{move || i.t().apt.video_title}</h2>
            <Show when=move || joined.get() fallback=move || view! {
                <p>{move || i.t().apt.video_lobby}</p>
                <p>
                    <a href=url.clone() target="_blank" rel="noopener noreferrer" data-testid="video-room-url">
                        {move || i.t().apt.video_open_tab}
                    </a>
                </p>
                <Button on_click=join.clone() testid="video-join">{move || i.t().apt.video_join}</Button>
            }>
                <iframe class="video-frame" src=frame_url.clone() title=move || i.t().apt.video_frame
                    allow="camera; microphone; fullscreen; display-capture" data-testid="video-frame"></iframe>
                <p>
                    <Button kind=ButtonKind::Secondary on_click=leave.clone() testid="video-leave">{move || i.t().apt.video_leave}</Button>
                </p>
            </Show>
        </section>
    }
}

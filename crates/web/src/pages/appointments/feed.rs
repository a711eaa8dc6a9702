//! On the profile: the secret iCalendar feed (made, shown once, copied, revoked) and the opt-in to
//! SMS reminders.

use boussole_shared::users::MePatch;
use leptos::{prelude::*, wasm_bindgen::prelude::*};

use super::action;

use crate::{
    api::{ApiError, use_api},
    components::*,
    i18n::use_i18n,
};

#[wasm_bindgen]
extern "C" {
    // `catch`: outside a secure context `navigator.clipboard` is undefined and the call throws.
    #[wasm_bindgen(catch, js_namespace = ["navigator", "clipboard"], js_name = writeText)]
    fn write_text(text: &str) -> Result<JsValue, JsValue>;
}

#[component]
pub fn Reminders() -> impl IntoView {
    view! {
        <CalendarFeed/>
        <SmsReminders/>
    }
}

#[component]
fn CalendarFeed() -> impl IntoView {
    let (i, api, toasts) = (use_i18n(), use_api(), use_toasts());
    let url = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<ApiError>);
    let create = action(move |_: &()| async move {
        error.set(None);
        match api.create_calendar_feed().await {
            Ok(f) => {
                url.set(Some(f.url));
                focus_later("feed-url");
            }
            Err(e) => error.set(Some(e)),
        }
    });
    let revoke = action(move |_: &()| async move {
        error.set(None);
        match api.revoke_calendar_feed().await {
            Ok(()) => {
                url.set(None);
                toasts.show(i.t().apt.feed_revoked);
            }
            Err(e) => error.set(Some(e)),
        }
    });
    let copy = move |_| {
        if let Some(u) = url.get_untracked()
            && write_text(&u).is_ok()
        {
            toasts.show(i.t().apt.feed_copied);
        }
    };
    view! {
        <section class="card" aria-labelledby="feed-title" data-testid="calendar-feed">
            <h2 id="feed-title">{move || i.t().apt.feed_title}</h2>
            <p>{move || i.t().apt.feed_text}</p>
            <FormError error testid="feed-error"/>
            {move || url.get().map(|u| view! {
                <div class="secret">
                    <p><strong>{i.t().apt.feed_once}</strong></p>
                    <div class="field">
                        <label for="feed-url">{i.t().apt.feed_url}</label>
                        <input id="feed-url" type="text" readonly value=u data-testid="feed-url"
                            on:focus=|ev| {
                                use leptos::wasm_bindgen::JsCast;
                                if let Some(el) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) {
                                    el.select();
                                }
                            }/>
                    </div>
                    <Button kind=ButtonKind::Secondary on_click=copy testid="feed-copy">{i.t().apt.feed_copy}</Button>
                </div>
            })}
            <div class="toolbar">
                <Button busy=create.pending() on_click=move |_| { create.dispatch(()); } testid="feed-create">
                    {move || i.t().apt.feed_create}
                </Button>
                <Button kind=ButtonKind::Danger busy=revoke.pending() on_click=move |_| { revoke.dispatch(()); } testid="feed-revoke">
                    {move || i.t().apt.feed_revoke}
                </Button>
            </div>
        </section>
    }
}

#[component]
fn SmsReminders() -> impl IntoView {
    let (i, api, toasts) = (use_i18n(), use_api(), use_toasts());
    let on = RwSignal::new(
        api.session
            .with_untracked(|s| s.as_ref().is_some_and(|s| s.user.sms_reminders)),
    );
    let error = RwSignal::new(None::<ApiError>);
    let save = action(move |_: &()| {
        let body = MePatch {
            sms_reminders: Some(on.get_untracked()),
            ..Default::default()
        };
        async move {
            error.set(None);
            match api.patch_me(&body).await {
                Ok(_) => toasts.show(i.t().saved),
                Err(e) => error.set(Some(e)),
            }
        }
    });
    // The API ties the opt-in to the phone number: its messages go under the checkbox.
    let field_msg = Signal::derive(move || {
        error.with(|e| {
            let e = e.as_ref()?;
            e.field("sms_reminders").or_else(|| e.field("phone"))
        })
    });
    view! {
        <section class="card" aria-labelledby="sms-title" data-testid="sms-reminders">
            <h2 id="sms-title">{move || i.t().apt.sms_title}</h2>
            <p class="hint" id="sms-aide">{move || i.t().apt.sms_hint}</p>
            <FormError error testid="sms-error"/>
            <Checkbox id="sms-reminders" label=move || i.t().apt.sms_label checked=on testid="sms-checkbox"/>
            {move || field_msg.get().map(|m| view! { <p class="field-error" data-testid="sms-field-error">{m}</p> })}
            <Button busy=save.pending() on_click=move |_| { save.dispatch(()); } testid="sms-save">{move || i.t().save}</Button>
        </section>
    }
}

//! `/beneficiaire/rendez-vous/nouveau`: the beneficiary picks a free slot of their consultant,
//! on site or remote when the slot offers both, confirms, and lands on the appointment page.

use boussole_shared::{
    appointments::{AppointmentKind, AvailabilityMode, NewAppointment, Slot},
    bilans::{Bilan, SessionMode},
};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use uuid::Uuid;

use super::{
    AData, AResource, action, kind_label, kinds_for, mode_label, range, resource,
    slots::SlotPicker, when,
};
use crate::{
    api::{ApiError, use_api},
    components::*,
    i18n::use_i18n,
    pages::bilans::{is_active, person},
};

#[component]
pub fn Book() -> impl IntoView {
    let (i, api) = (use_i18n(), use_api());
    let bilans: AResource =
        resource(move || async move { api.bilans(1, 100, None).await.map(AData::Bilans) });
    view! {
        <Page title=move || i.t().apt.book_title help="prendre-rendez-vous">
            <Loaded resource=bilans let:d>
                {match d {
                AData::Bilans(p) => {
                    // The newest bilan in progress (a beneficiary rarely has two).
                    let mut items = p.items;
                    items.sort_by_key(|b| std::cmp::Reverse(b.created_at));
                    match items.into_iter().find(|b| is_active(b.status) && !b.consultants.is_empty()) {
                        Some(bilan) => view! { <BookFor bilan/> }.into_any(),
                        None => view! { <EmptyState><p data-testid="book-no-bilan">{i.t().apt.book_no_bilan}</p></EmptyState> }.into_any(),
                    }
                }
                _ => ().into_any(),
                }}
            </Loaded>
        </Page>
    }
}

#[component]
fn BookFor(bilan: Bilan) -> impl IntoView {
    let (i, api, toasts) = (use_i18n(), use_api(), use_toasts());
    let navigate = use_navigate();
    let kinds = kinds_for(bilan.status);
    let kind = RwSignal::new(kinds.first().map_or("", |k| k.as_str()).to_string());
    let kind_sig = Signal::derive(move || {
        AppointmentKind::parse(&kind.get()).unwrap_or(AppointmentKind::BilanSession)
    });
    let people: Vec<(String, String)> = bilan
        .consultants
        .iter()
        .map(|c| (c.id.to_string(), person(c)))
        .collect();
    let consultant = RwSignal::new(people.first().map(|p| p.0.clone()).unwrap_or_default());
    let consultant_id = Signal::derive(move || Uuid::parse_str(&consultant.get()).ok());
    let selected = RwSignal::new(None::<Slot>);
    let refresh = RwSignal::new(0_u32);
    let mode = RwSignal::new(String::new());
    // The slot's own mode, unless it offers both: then the person chooses (remote first, the commoner).
    crate::components::effect(move |_| {
        if let Some(s) = selected.get() {
            mode.set(match s.mode {
                AvailabilityMode::OnSite => "on_site".into(),
                _ => "remote".into(),
            });
        }
    });
    let error = RwSignal::new(None::<ApiError>);
    let bilan_id = bilan.id;
    let book = action(move |_: &()| {
        let slot = selected.get_untracked();
        let body = slot
            .zip(consultant_id.get_untracked())
            .map(|(s, c)| NewAppointment {
                bilan_id,
                consultant_id: c,
                kind: kind_sig.get_untracked(),
                starts_at: Some(s.starts_at),
                local_start: None,
                mode: SessionMode::parse(&mode.get_untracked()).unwrap_or(SessionMode::Remote),
                duration_minutes: None,
            });
        let navigate = navigate.clone();
        async move {
            error.set(None);
            let Some(body) = body else { return };
            match api.book(&body).await {
                Ok(a) => {
                    toasts.show(i.t().apt.book_done);
                    navigate(&format!("/rendez-vous/{}", a.id), Default::default());
                }
                Err(e) => {
                    // Taken meanwhile: show the week as it is now.
                    if matches!(&e, ApiError::Problem(p) if p.status == 409) {
                        selected.set(None);
                        refresh.update(|r| *r += 1);
                    }
                    error.set(Some(e));
                }
            }
        }
    });
    let kind_options = kinds
        .into_iter()
        .map(|k| (k.as_str(), TextProp::from(move || kind_label(i.t().apt, k))))
        .collect::<Vec<_>>();
    let several = people.len() > 1;
    let names = people
        .iter()
        .map(|p| p.1.clone())
        .collect::<Vec<_>>()
        .join(", ");
    view! {
        <div class="filters">
            <SelectField id="book-kind" label=move || i.t().apt.kind value=kind options=kind_options testid="book-kind"/>
            {if several {
                view! { <ChoiceField id="book-consultant" label=move || i.t().apt.book_with value=consultant options=Signal::stored(people) testid="book-consultant"/> }.into_any()
            } else {
                view! { <p data-testid="book-consultant-name">{move || i.t().apt.book_with} " : " <strong>{names.clone()}</strong></p> }.into_any()
            }}
        </div>
        <SlotPicker consultant=consultant_id kind=kind_sig selected refresh/>
        <section class="card" aria-labelledby="confirmation" data-testid="book-confirmation">
            <h2 id="confirmation">{move || i.t().apt.book_confirm_title}</h2>
            <FormError error testid="book-error"/>
            {move || {
                let t = i.t().apt;
                match selected.get() {
                    None => view! { <p class="note">{t.book_pick_first}</p> }.into_any(),
                    Some(s) => view! {
                        <p data-testid="book-summary">
                            <strong>{kind_label(t, kind_sig.get())}</strong>
                            " — " {when(t, s.starts_at)} " (" {range(s.starts_at, s.ends_at)} ")"
                        </p>
                        {(s.mode == AvailabilityMode::Either).then(|| view! { <ModeChoice mode/> })}
                        {let place = s.place.clone();
                            move || place.clone().filter(|_| mode.get() == "on_site").map(|p| view! { <p>{t.place} " : " {p}</p> })}
                        <Button busy=book.pending() on_click=move |_| { book.dispatch(()); } testid="book-confirm">{t.book_confirm}</Button>
                    }.into_any(),
                }
            }}
        </section>
    }
}

/// On site or remote, as two radio buttons in a fieldset.
#[component]
fn ModeChoice(mode: RwSignal<String>) -> impl IntoView {
    let i = use_i18n();
    let t = i.t().apt;
    let radio = move |m: SessionMode| {
        let v = m.as_str();
        view! {
            <div class="field-check">
                <input type="radio" id=format!("mode-{v}") name="book-mode" value=v data-testid=format!("book-mode-{v}")
                    prop:checked=move || mode.get() == v on:change=move |_| mode.set(v.into())/>
                <label for=format!("mode-{v}")>{mode_label(t, m)}</label>
            </div>
        }
    };
    view! {
        <fieldset>
            <legend>{t.book_mode_choice}</legend>
            {radio(SessionMode::Remote)}
            {radio(SessionMode::OnSite)}
        </fieldset>
    }
}

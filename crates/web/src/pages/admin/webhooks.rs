//! `/admin/webhooks`: the addresses Boussole tells of events (a CRM's), each with its events and its
//! state (disabled, and why, after repeated failures); a new address shows its signing secret once.
//! `/admin/webhooks/:id`: one address — edit, enable or disable, rotate the secret, delete — and its
//! delivery log, each delivery with its attempts and a "Rejouer" button.

use boussole_shared::integrations::{
    NewWebhookEndpoint, UpdateWebhookEndpoint, WebhookDelivery, WebhookDeliveryStatus,
    WebhookEndpoint, WebhookEventKind,
};
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map};
use uuid::Uuid;

use super::shown_once::ShownOnce;
use crate::{
    api::{ApiError, use_api},
    components::*,
    dates::paris_fr,
    i18n::{IntegStrings, use_i18n},
    pages::no_reload,
};

const PER_PAGE: i64 = 20;

/// An event's checkbox id and French (or English) label.
pub fn event_text(t: &IntegStrings, e: WebhookEventKind) -> (&'static str, &'static str) {
    use WebhookEventKind::*;
    match e {
        BeneficiaryCreated => ("event-beneficiary-created", t.e_beneficiary_created),
        BilanCreated => ("event-bilan-created", t.e_bilan_created),
        BilanStatusChanged => ("event-bilan-status-changed", t.e_bilan_status_changed),
        BilanAbandoned => ("event-bilan-abandoned", t.e_bilan_abandoned),
        BilanCompleted => ("event-bilan-completed", t.e_bilan_completed),
        AppointmentBooked => ("event-appointment-booked", t.e_appointment_booked),
        AppointmentMoved => ("event-appointment-moved", t.e_appointment_moved),
        AppointmentCancelled => ("event-appointment-cancelled", t.e_appointment_cancelled),
        AppointmentAttendanceSigned => (
            "event-appointment-attendance-signed",
            t.e_appointment_attendance_signed,
        ),
        DocumentIssued => ("event-document-issued", t.e_document_issued),
        InvoiceIssued => ("event-invoice-issued", t.e_invoice_issued),
        PaymentRecorded => ("event-payment-recorded", t.e_payment_recorded),
        QuoteAccepted => ("event-quote-accepted", t.e_quote_accepted),
    }
}

fn events_label(t: &IntegStrings, events: &[WebhookEventKind]) -> String {
    events
        .iter()
        .map(|e| event_text(t, *e).1)
        .collect::<Vec<_>>()
        .join(", ")
}

fn state_badge(t: &IntegStrings, e: &WebhookEndpoint) -> impl IntoView + use<> {
    let reason = e.disabled_reason.clone();
    view! {
        {if e.enabled {
            view! { <StatusBadge tone=Tone::Ok label=t.hook_enabled/> }
        } else {
            view! { <StatusBadge tone=Tone::Warn label=t.hook_disabled/> }
        }}
        {reason.map(|r| view! { " " <span data-testid="webhook-reason">{r}</span> })}
    }
}

/// The endpoint's form fields: URL, description, events (one checkbox each).
#[derive(Clone, Copy)]
struct Fields {
    url: RwSignal<String>,
    description: RwSignal<String>,
    events: [(WebhookEventKind, RwSignal<bool>); 13],
    /// The form's own check (no event ticked), by field.
    local: RwSignal<Option<(&'static str, String)>>,
}

impl Fields {
    fn new() -> Self {
        Fields {
            url: RwSignal::new(String::new()),
            description: RwSignal::new(String::new()),
            events: std::array::from_fn(|n| {
                (
                    WebhookEventKind::ALL
                        .get(n)
                        .copied()
                        .unwrap_or(WebhookEventKind::BilanCreated),
                    RwSignal::new(false),
                )
            }),
            local: RwSignal::new(None),
        }
    }

    fn set(self, e: &WebhookEndpoint) {
        self.url.set(e.url.clone());
        self.description
            .set(e.description.clone().unwrap_or_default());
        for (k, on) in self.events {
            on.set(e.events.contains(&k));
        }
    }

    /// (url, description, events), or None when no event is ticked (then said by the field).
    fn read(self, t: &IntegStrings) -> Option<(String, Option<String>, Vec<WebhookEventKind>)> {
        let events: Vec<WebhookEventKind> = self
            .events
            .iter()
            .filter(|(_, on)| on.get_untracked())
            .map(|(k, _)| *k)
            .collect();
        let description =
            Some(self.description.get_untracked().trim().to_string()).filter(|d| !d.is_empty());
        self.local.set(
            events
                .is_empty()
                .then(|| ("events", t.hook_events_required.to_string())),
        );
        (!events.is_empty()).then(|| {
            (
                self.url.get_untracked().trim().to_string(),
                description,
                events,
            )
        })
    }
}

#[component]
fn EndpointFields(fields: Fields, error: RwSignal<Option<ApiError>>) -> impl IntoView {
    let i = use_i18n();
    let events_error = field_error_or_local(fields.local, error, "events");
    let boxes = fields
        .events
        .into_iter()
        .map(|(k, on)| {
            let id = event_text(i.t().integ, k).0;
            view! {
                <Checkbox id label=move || format!("{} ({})", event_text(i.t().integ, k).1, k.as_str()) checked=on testid=id/>
            }
        })
        .collect_view();
    view! {
        <TextField id="webhook-url" label=move || i.t().integ.hook_url value=fields.url kind="url" required=true
            error=field_error(error, "url") testid="webhook-url"/>
        <TextField id="webhook-description" label=move || i.t().integ.hook_description value=fields.description
            error=field_error(error, "description") testid="webhook-description"/>
        <fieldset aria-describedby=move || events_error.with(Option::is_some).then_some("events-erreur")>
            <legend>{move || i.t().integ.hook_events}</legend>
            {boxes}
            {move || events_error.get().map(|m| view! { <p class="field-error" id="events-erreur">{m}</p> })}
        </fieldset>
    }
}

#[component]
pub fn Webhooks() -> impl IntoView {
    let (i, api) = (use_i18n(), use_api());
    let list = crate::components::loader(move || async move { api.webhooks().await });
    let fields = Fields::new();
    let error = RwSignal::new(None::<ApiError>);
    let secret = RwSignal::new(None::<String>);
    let create = crate::components::act(move |_: &()| {
        let read = fields.read(i.t().integ);
        async move {
            let Some((url, description, events)) = read else {
                return;
            };
            error.set(None);
            let body = NewWebhookEndpoint {
                url,
                description,
                events,
            };
            match api.create_webhook(&body).await {
                Ok(s) => {
                    secret.set(Some(s.secret));
                    fields.url.set(String::new());
                    fields.description.set(String::new());
                    for (_, on) in fields.events {
                        on.set(false);
                    }
                    list.refetch();
                    focus_later("secret-webhook");
                }
                Err(e) => error.set(Some(e)),
            }
        }
    });
    let row = move |e: WebhookEndpoint| {
        let (t, it) = (i.t(), i.t().integ);
        view! {
            <tr data-testid="webhook-row">
                <th scope="row">
                    <a href=format!("/admin/webhooks/{}", e.id) class="wrap" aria-label=it.hook_open.replace("{url}", &e.url)
                        data-testid="webhook-link">{e.url.clone()}</a>
                    {e.description.clone().map(|d| view! { <br/><span class="hint">{d}</span> })}
                </th>
                <td data-label=it.hook_events>{events_label(it, &e.events)}</td>
                <td data-label=t.status data-testid="webhook-state">{state_badge(it, &e)}</td>
                <td data-label=it.hook_failures data-testid="webhook-failures">{e.consecutive_failures}</td>
                <td data-label=it.hook_last>{e.last_delivery_at.map(paris_fr).unwrap_or_else(|| "—".into())}</td>
            </tr>
        }
    };
    view! {
        <Page title=move || i.t().integ.hooks_title help="webhooks">
            <p class="note">{move || i.t().integ.hooks_intro}</p>
            <section aria-labelledby="new-webhook-title" class="card">
                <h2 id="new-webhook-title">{move || i.t().integ.hook_new}</h2>
                <form class="form" novalidate data-testid="webhook-form" on:submit=move |ev| {
                    no_reload(&ev);
                    create.dispatch(());
                }>
                    <FormError error testid="webhook-error"/>
                    <EndpointFields fields error/>
                    <Button submit=true busy=create.pending() testid="webhook-create">{move || i.t().integ.hook_create}</Button>
                </form>
                {move || secret.get().map(|s| view! {
                    <ShownOnce id="secret-webhook" message=Signal::derive(move || i.t().integ.hook_secret_once) value=s testid="webhook-secret"/>
                })}
            </section>
            <Loaded resource=list let:d>
                {match d {
                    l if l.is_empty() => view! { <EmptyState>{i.t().integ.hooks_empty}</EmptyState> }.into_any(),
                    l => {
                        let (t, it) = (i.t(), i.t().integ);
                        view! {
                            <div class="table-wrap table-cards" tabindex="0" role="region" aria-label=it.hooks_caption>
                                <table data-testid="webhooks-table">
                                    <caption>{it.hooks_caption}</caption>
                                    <thead><tr>
                                        <th scope="col">{it.hook_url}</th>
                                        <th scope="col">{it.hook_events}</th>
                                        <th scope="col">{t.status}</th>
                                        <th scope="col">{it.hook_failures}</th>
                                        <th scope="col">{it.hook_last}</th>
                                    </tr></thead>
                                    <tbody>{l.into_iter().map(row).collect_view()}</tbody>
                                </table>
                            </div>
                        }.into_any()
                    }
                }}
            </Loaded>
        </Page>
    }
}

#[component]
pub fn WebhookPage() -> impl IntoView {
    let (i, api) = (use_i18n(), use_api());
    let id = use_params_map()
        .with_untracked(|p| p.get("id").and_then(|s| Uuid::parse_str(&s).ok()))
        .unwrap_or_default();
    let endpoint = crate::components::loader(move || async move { api.webhook(id).await });
    view! {
        <Page title=move || i.t().integ.hooks_title help="webhooks">
            <p><a href="/admin/webhooks" data-testid="webhook-back">{move || i.t().integ.hook_back}</a></p>
            <Loaded resource=endpoint let:e>{view! { <EndpointDetail e/> }}</Loaded>
            <Deliveries id/>
        </Page>
    }
}

/// The endpoint's state and what can be done with it.
#[component]
fn EndpointDetail(e: WebhookEndpoint) -> impl IntoView {
    let (i, api, toasts) = (use_i18n(), use_api(), use_toasts());
    let id = e.id;
    let current = RwSignal::new(e);
    let fields = Fields::new();
    current.with_untracked(|e| fields.set(e));
    let error = RwSignal::new(None::<ApiError>);
    let secret = RwSignal::new(None::<String>);
    // Saves the form, with `enabled` None (unchanged) or the new state.
    let save = crate::components::act(move |enabled: &Option<bool>| {
        let enabled = enabled.unwrap_or_else(|| current.with_untracked(|e| e.enabled));
        let read = fields.read(i.t().integ);
        async move {
            let Some((url, description, events)) = read else {
                return;
            };
            error.set(None);
            let body = UpdateWebhookEndpoint {
                url,
                description,
                events,
                enabled,
            };
            match api.update_webhook(id, &body).await {
                Ok(e) => {
                    fields.set(&e);
                    current.set(e);
                    toasts.show(i.t().integ.hook_saved);
                }
                Err(e) => error.set(Some(e)),
            }
        }
    });
    let rotate = crate::components::act(move |_: &()| async move {
        error.set(None);
        match api.rotate_webhook_secret(id).await {
            Ok(s) => {
                secret.set(Some(s.secret));
                focus_later("secret-webhook");
            }
            Err(e) => error.set(Some(e)),
        }
    });
    let navigate = use_navigate();
    let delete = crate::components::act(move |_: &()| {
        let navigate = navigate.clone();
        async move {
            match api.delete_webhook(id).await {
                Ok(()) => {
                    toasts.show(i.t().integ.hook_deleted);
                    navigate("/admin/webhooks", Default::default());
                }
                Err(e) => error.set(Some(e)),
            }
        }
    });
    let confirm = move |msg: &'static str| {
        let url = current.with_untracked(|e| e.url.clone());
        window()
            .confirm_with_message(&msg.replace("{url}", &url))
            .unwrap_or(false)
    };
    view! {
        <section class="card" aria-labelledby="webhook-title" data-testid="webhook-detail">
            <h2 id="webhook-title" class="wrap">{move || current.with(|e| e.url.clone())}</h2>
            <p data-testid="webhook-detail-state">
                {move || current.with(|e| state_badge(i.t().integ, e))}
                " "
                {move || current.with(|e| format!("{} : {}", i.t().integ.hook_failures, e.consecutive_failures))}
            </p>
            <FormError error testid="webhook-detail-error"/>
            <div class="button-row">
                {move || if current.with(|e| e.enabled) {
                    view! { <Button kind=ButtonKind::Secondary busy=save.pending() testid="webhook-disable"
                        on_click=Callback::new(move |_| { save.dispatch(Some(false)); })>{i.t().integ.hook_disable}</Button> }
                } else {
                    view! { <Button kind=ButtonKind::Secondary busy=save.pending() testid="webhook-enable"
                        on_click=Callback::new(move |_| { save.dispatch(Some(true)); })>{i.t().integ.hook_enable}</Button> }
                }}
                <Button kind=ButtonKind::Secondary busy=rotate.pending() testid="webhook-rotate"
                    on_click=Callback::new(move |_| if confirm(i.t().integ.hook_rotate_confirm) { rotate.dispatch(()); })>
                    {move || i.t().integ.hook_rotate}
                </Button>
                <Button kind=ButtonKind::Danger busy=delete.pending() testid="webhook-delete"
                    on_click=Callback::new(move |_| if confirm(i.t().integ.hook_delete_confirm) { delete.dispatch(()); })>
                    {move || i.t().integ.hook_delete}
                </Button>
            </div>
            {move || secret.get().map(|s| view! {
                <ShownOnce id="secret-webhook" message=Signal::derive(move || i.t().integ.hook_secret_once) value=s testid="webhook-secret"/>
            })}
            <h3>{move || i.t().integ.hook_edit}</h3>
            <form class="form" novalidate data-testid="webhook-edit" on:submit=move |ev| {
                no_reload(&ev);
                save.dispatch(None);
            }>
                <EndpointFields fields error/>
                <Button submit=true busy=save.pending() testid="webhook-save">{move || i.t().save}</Button>
            </form>
        </section>
    }
}

fn delivery_badge(t: &IntegStrings, s: WebhookDeliveryStatus) -> impl IntoView + use<> {
    let (tone, label) = match s {
        WebhookDeliveryStatus::Pending => (Tone::Warn, t.d_pending),
        WebhookDeliveryStatus::Delivered => (Tone::Ok, t.d_delivered),
        WebhookDeliveryStatus::Failed => (Tone::Muted, t.d_failed),
    };
    view! { <StatusBadge tone label/> }
}

/// The delivery log, newest first, a page at a time.
#[component]
fn Deliveries(id: Uuid) -> impl IntoView {
    let (i, api, toasts) = (use_i18n(), use_api(), use_toasts());
    let page = RwSignal::new(1_i64);
    let list = crate::components::loader(move || {
        let p = page.get();
        async move { api.webhook_deliveries(id, p, PER_PAGE).await }
    });
    let error = RwSignal::new(None::<ApiError>);
    let replay = crate::components::act(move |d: &Uuid| {
        let d = *d;
        async move {
            error.set(None);
            match api.replay_delivery(d).await {
                Ok(_) => {
                    toasts.show(i.t().integ.delivery_replayed);
                    page.set(1);
                    list.refetch();
                }
                Err(e) => error.set(Some(e)),
            }
        }
    });
    let row = move |d: WebhookDelivery| {
        let it = i.t().integ;
        let attempts = if d.attempts.is_empty() {
            view! { <span>{it.attempt_none}</span> }.into_any()
        } else {
            view! {
                <ol class="attempts">
                    {d.attempts.into_iter().map(|a| {
                        let answer = match (a.status_code, a.error) {
                            (Some(code), Some(err)) => format!("HTTP {code} — {err}"),
                            (Some(code), None) => format!("HTTP {code}"),
                            (None, Some(err)) => err,
                            (None, None) => "—".into(),
                        };
                        view! { <li>{format!("{} — {answer} ({} ms)", paris_fr(a.at), a.duration_ms)}</li> }
                    }).collect_view()}
                </ol>
            }
            .into_any()
        };
        let next = d
            .next_attempt_at
            .map(|at| it.delivery_next.replace("{at}", &paris_fr(at)));
        let (event_label, replay_of) = (event_text(it, d.event).1, d.replay_of.is_some());
        let did = d.id;
        view! {
            <tr data-testid="delivery-row">
                <th scope="row">{paris_fr(d.created_at)}</th>
                <td data-label=it.delivery_event>
                    {event_label}" " <code>{d.event.as_str()}</code>
                    {replay_of.then(|| view! { <br/><span class="hint">{it.delivery_replay_of}</span> })}
                </td>
                <td data-label=i.t().status data-testid="delivery-status">
                    {delivery_badge(it, d.status)}
                    {next.map(|n| view! { <br/><span class="hint">{n}</span> })}
                </td>
                <td data-label=it.delivery_attempts>{attempts}</td>
                <td>
                    <button type="button" class="btn btn-secondary btn-small" data-testid="delivery-replay"
                        aria-label=format!("{} — {} {}", it.delivery_replay, event_label, paris_fr(d.created_at))
                        on:click=move |_| { replay.dispatch(did); }>{it.delivery_replay}</button>
                </td>
            </tr>
        }
    };
    view! {
        <section aria-labelledby="deliveries-title">
            <h2 id="deliveries-title">{move || i.t().integ.deliveries}</h2>
            <FormError error testid="deliveries-error"/>
            <Loaded resource=list let:list>
                <Paged list empty=move || i.t().integ.deliveries_empty page per_page=PER_PAGE children=move |p| {
                    let (t, it) = (i.t(), i.t().integ);
                    view! {
                        <div class="table-wrap table-cards" tabindex="0" role="region" aria-label=it.deliveries>
                            <table data-testid="deliveries-table">
                                <caption>{it.deliveries_caption.replace("{n}", &p.total.to_string())}</caption>
                                <thead><tr>
                                    <th scope="col">{t.created_on}</th>
                                    <th scope="col">{it.delivery_event}</th>
                                    <th scope="col">{t.status}</th>
                                    <th scope="col">{it.delivery_attempts}</th>
                                    <th scope="col">{t.actions}</th>
                                </tr></thead>
                                <tbody>{p.items.into_iter().map(row).collect_view()}</tbody>
                            </table>
                        </div>
                    }
                }/>
            </Loaded>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_event_has_its_own_checkbox_and_a_label_in_both_languages() {
        let mut ids: Vec<&str> = WebhookEventKind::ALL
            .iter()
            .map(|e| event_text(crate::i18n::FR.integ, *e).0)
            .collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), WebhookEventKind::ALL.len());
        // The form holds one checkbox per event.
        assert_eq!(WebhookEventKind::ALL.len(), 13);
        for e in WebhookEventKind::ALL {
            let (id, fr) = event_text(crate::i18n::FR.integ, *e);
            assert_eq!(id, format!("event-{}", e.as_str().replace(['.', '_'], "-")));
            assert!(!fr.is_empty() && !event_text(crate::i18n::EN.integ, *e).1.is_empty());
        }
    }
}

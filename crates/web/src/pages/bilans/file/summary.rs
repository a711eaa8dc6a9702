//! The summary tab: where the bilan stands, its administrative facts and hours, the next step and
//! what it still needs, and abandoning with a reason.

use boussole_shared::bilans::{Bilan, BilanStatus, FundingMode, TransitionRequest};
use boussole_shared::users::Role;
use leptos::prelude::*;
use uuid::Uuid;

use crate::pages::bilans::*;
use crate::{
    api::{ApiError, use_api},
    components::*,
    dates::*,
    i18n::{conditions::said, use_i18n},
    pages::{beneficiaries::records_base, no_reload},
};

#[component]
pub fn Summary(bilan: Memo<Option<Bilan>>, id: Uuid, version: RwSignal<u32>) -> impl IntoView {
    let (i, api, toasts) = (use_i18n(), use_api(), use_toasts());
    let role = api
        .session
        .with_untracked(|s| s.as_ref().map(|s| s.user.role));
    let step_error = RwSignal::new(None::<ApiError>);
    let abandon_error = RwSignal::new(None::<ApiError>);
    let abandon_open = RwSignal::new(false);
    let reason = RwSignal::new(String::new());
    // Both actions have the `()` input the other forms use: one Action type for the whole app.
    let go = move |req: TransitionRequest| {
        let abandoning = req.to == BilanStatus::Abandoned;
        async move {
            step_error.set(None);
            abandon_error.set(None);
            match api.transition(id, &req).await {
                Ok(b) => {
                    toasts.show(
                        i.t()
                            .moved_to
                            .replace("{status}", status_label(i.t(), b.status)),
                    );
                    abandon_open.set(false);
                    reason.set(String::new());
                    version.update(|v| *v += 1);
                }
                Err(e) if abandoning => abandon_error.set(Some(e)),
                Err(e) => step_error.set(Some(e)),
            }
        }
    };
    let transition = crate::components::act(move |_: &()| {
        let to = bilan
            .with_untracked(|b| b.as_ref().and_then(|b| next_status(b.status)))
            .unwrap_or(BilanStatus::Closed);
        go(TransitionRequest { to, reason: None })
    });
    let abandon = crate::components::act(move |_: &()| {
        go(TransitionRequest {
            to: BilanStatus::Abandoned,
            reason: Some(reason.get_untracked().trim().to_string()),
        })
    });
    let body = move || {
        bilan.get().map(|b| {
            let t = i.t();
            let alerts = alerts(t, &b, now_utc());
            let next = next_status(b.status);
            let status = b.status;
            let next_block = next.map(|n| {
                let label = status_label(t, n);
                let missing = b.next_step_missing.clone();
                view! {
                    <section class="card" aria-labelledby="etape-suivante">
                        <h2 id="etape-suivante">{t.move_to.replace("{status}", label)}</h2>
                        {if missing.is_empty() {
                            view! { <p class="success" data-testid="next-step-ready">{t.next_step_ready.replace("{status}", label)}</p> }.into_any()
                        } else {
                            view! {
                                <p>{t.next_step_needs.replace("{status}", label)}</p>
                                <ul data-testid="next-step-missing">
                                    {missing.iter().map(|m| view! { <li>{said(&t.conditions, m)}</li> }).collect_view()}
                                </ul>
                            }.into_any()
                        }}
                        <div class="toolbar">
                            <Button busy=transition.pending() testid="transition-next"
                                on_click=move |_| { transition.dispatch(()); }>
                                {t.move_to.replace("{status}", label)}
                            </Button>
                            {is_active(status).then(|| view! {
                                <Button kind=ButtonKind::Danger testid="abandon-open" on_click=move |_| {
                                    abandon_error.set(None);
                                    abandon_open.set(true);
                                }>{t.abandon}</Button>
                            })}
                        </div>
                    </section>
                }
            });
            view! {
                <StatusStepper status=b.status/>
                <dl class="facts-list" data-testid="bilan-summary">
                    <dt>{t.status}</dt>
                    <dd data-testid="bilan-status"><StatusBadge tone=status_tone(b.status) label=status_label(t, b.status)/></dd>
                    <dt>{t.bilan_beneficiary}</dt>
                    <dd>
                        <a href=format!("{}/{}", records_base(role), b.beneficiary.id) data-testid="bilan-beneficiary-record">
                            {person(&b.beneficiary)}
                        </a>
                    </dd>
                    <dt>{t.bilan_consultants}</dt>
                    <dd data-testid="bilan-consultants">{consultants(&b)}</dd>
                    <dt>{t.bilan_funding}</dt>
                    <dd>{funding_label(t, b.funding)}</dd>
                    <dt>{t.bilan_format}</dt>
                    <dd>{format_label(t, b.format)}</dd>
                    <dt>{t.bilan_planned_hours}</dt>
                    <dd>{format!("{} h", b.planned_hours)}</dd>
                    <dt>{t.planned_end}</dt>
                    <dd data-testid="bilan-planned-end">{b.planned_end_on.map(date_fr).unwrap_or_else(|| t.not_set.to_string())}</dd>
                </dl>
                <HoursBar id="bilan-heures" minutes=b.accompaniment_minutes/>
                <p class="note">{t.hours_personal_work.replace("{h}", &hours(b.personal_work_minutes))}</p>
                {(!alerts.is_empty()).then(|| view! {
                    <div class="notice" data-testid="bilan-alerts">
                        <p><strong>{t.bilan_alerts}</strong></p>
                        <ul>{alerts.into_iter().map(|(kind, a)| view! { <li data-alert=kind>{a}</li> }).collect_view()}</ul>
                    </div>
                })}
                {b.abandon_reason.clone().map(|r| view! { <p>{t.abandon_reason_shown.replace("{reason}", &r)}</p> })}
                {b.content_destroyed_at.map(|d| view! { <p class="notice">{t.content_destroyed.replace("{date}", &paris_fr(d))}</p> })}
                {b.retention_until.map(|d| view! { <p class="note">{t.retention_until.replace("{date}", &paris_fr(d))}</p> })}
                {next_block}
                {(b.funding == FundingMode::Cpf).then(|| {
                    view! { <CpfPanel bilan=id admin=role == Some(Role::Admin)/> }
                })}
            }
        })
    };
    let submit_abandon = move |ev: leptos::ev::SubmitEvent| {
        no_reload(&ev);
        abandon.dispatch(());
    };
    view! {
        {body}
        <StepError error=step_error testid="transition-error"/>
        <Dialog id="abandon" open=abandon_open title=move || i.t().abandon testid="abandon-dialog">
            <form class="form" on:submit=submit_abandon novalidate data-testid="abandon-form">
                <StepError error=abandon_error testid="abandon-error"/>
                <TextArea id="abandon-reason" label=move || i.t().abandon_reason value=reason required=true
                    hint=move || i.t().abandon_hint error=field_error(abandon_error, "reason") testid="abandon-reason"/>
                <Button submit=true kind=ButtonKind::Danger busy=abandon.pending() testid="abandon-submit">
                    {move || i.t().abandon_confirm}
                </Button>
            </form>
        </Dialog>
    }
}

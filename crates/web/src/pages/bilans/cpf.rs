//! The CPF file of a CPF-funded bilan (issue 13, item 2): its EDOF state, the working-day deadline,
//! the holder's participation and a warning on an earlier publicly funded bilan; admins open it,
//! correct it and record each move as it happened in EDOF. `CpfAlerts` lists the deadlines on the
//! admin's home page.

use boussole_shared::cpf::{CpfDeadline, CpfFile, CpfFileInput, CpfState, CpfTransition};
use boussole_shared::money::{format_cents, parse_euros};
use leptos::prelude::*;
use uuid::Uuid;

use crate::i18n::cpf::{duty_text, state_label};
use crate::pages::bilans::StepError;
use crate::{
    api::{ApiError, use_api},
    components::*,
    dates::{date_fr, date_iso, parse_date, today_paris},
    i18n::use_i18n,
    pages::{money::show_euros, no_reload},
};

fn deadline_text(t: &crate::i18n::CpfStrings, d: &CpfDeadline) -> String {
    let when = match d.working_days_left {
        0 => t.due_today.to_string(),
        n if n < 0 => t.overdue.replace("{n}", &(-n).to_string()),
        n => t.days_left.replace("{n}", &n.to_string()),
    };
    format!(
        "{} ({when})",
        duty_text(t, d.duty).replace("{date}", &date_fr(d.due_on))
    )
}

#[component]
pub fn CpfPanel(bilan: Uuid, admin: bool) -> impl IntoView {
    let (i, api, toasts) = (use_i18n(), use_api(), use_toasts());
    let file = crate::components::loader(move || async move { api.cpf_file(bilan).await });
    let (number, amount, exempt) = (
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(false),
    );
    let requested = RwSignal::new(date_iso(today_paris()));
    let (to, on) = (
        RwSignal::new(String::new()),
        RwSignal::new(date_iso(today_paris())),
    );
    let (save_error, move_error) = (
        RwSignal::new(None::<ApiError>),
        RwSignal::new(None::<ApiError>),
    );
    let amount_error = RwSignal::new(None::<String>);
    let save = crate::components::act(move |_: &()| async move {
        save_error.set(None);
        let Some(cents) = parse_euros(&amount.get_untracked()) else {
            amount_error.set(Some(i.t().cpf.amount_invalid.to_string()));
            return;
        };
        amount_error.set(None);
        let input = CpfFileInput {
            edof_number: number.get_untracked().trim().to_string(),
            amount_cents: cents,
            participation_exempt: exempt.get_untracked(),
            requested_on: parse_date(&requested.get_untracked()),
        };
        match api.save_cpf_file(bilan, &input).await {
            Ok(_) => {
                toasts.show(i.t().cpf.saved);
                file.refetch();
            }
            Err(e) => save_error.set(Some(e)),
        }
    });
    let step = crate::components::act(move |_: &()| async move {
        move_error.set(None);
        let Some(target) = CpfState::parse(&to.get_untracked()) else {
            return;
        };
        let Some(day) = parse_date(&on.get_untracked()) else {
            return;
        };
        match api
            .move_cpf_file(
                bilan,
                &CpfTransition {
                    to: target,
                    on: day,
                },
            )
            .await
        {
            Ok(_) => {
                toasts.show(i.t().cpf.moved);
                file.refetch();
            }
            Err(e) => move_error.set(Some(e)),
        }
    });
    // The form starts from the saved file, so that a correction changes only what is typed.
    crate::components::effect(move |_| {
        if let Some(Ok(Some(f))) = file.get() {
            number.set(f.edof_number.clone());
            amount.set(f.amount_cents.map(show_euros).unwrap_or_default());
            exempt.set(f.participation_exempt);
            to.set(
                f.state
                    .next()
                    .first()
                    .map(|s| s.as_str().to_string())
                    .unwrap_or_default(),
            );
        }
    });
    let form = move || {
        let t = i.t().cpf;
        view! {
            <form class="form" novalidate data-testid="cpf-form" on:submit=move |ev| { no_reload(&ev); save.dispatch(()); }>
                <StepError error=save_error testid="cpf-save-error"/>
                <TextField id="cpf-number" label=t.edof_number value=number required=true
                    error=field_error(save_error, "edof_number") testid="cpf-number"/>
                <TextField id="cpf-amount" label=t.amount value=amount required=true
                    error=Signal::derive(move || amount_error.get().or_else(|| field_error(save_error, "amount_cents").get()))
                    testid="cpf-amount"/>
                <Checkbox id="cpf-exempt" label=t.exempt checked=exempt testid="cpf-exempt"/>
                <TextField id="cpf-requested" label=t.requested_on value=requested kind="date"
                    error=field_error(save_error, "requested_on") testid="cpf-requested"/>
                <Button submit=true busy=save.pending() testid="cpf-save">{t.save}</Button>
            </form>
        }
    };
    let shown = move |f: CpfFile| {
        let t = i.t().cpf;
        let options: Vec<(&'static str, TextProp)> = f
            .state
            .next()
            .iter()
            .map(|s| (s.as_str(), TextProp::from(state_label(t, *s))))
            .collect();
        let closed = options.is_empty();
        view! {
            <dl class="facts-list" data-testid="cpf-file">
                <dt>{t.edof_number}</dt><dd>{f.edof_number.clone()}</dd>
                <dt>{t.state}</dt>
                <dd data-testid="cpf-state" data-state=f.state.as_str()>
                    {format!("{} — {}", state_label(t, f.state), t.since.replace("{date}", &date_fr(f.state_since)))}
                </dd>
                {f.amount_cents.map(|c| view! { <dt>{t.amount_shown}</dt><dd>{format_cents(c)}</dd> })}
                <dt>{t.participation}</dt>
                <dd>{if f.participation_exempt { t.participation_exempt.to_string() } else { format_cents(f.participation_cents) }}</dd>
            </dl>
            {f.deadline.as_ref().map(|d| {
                let late = d.working_days_left < 0;
                view! { <p class=if late { "notice" } else { "note" } data-testid="cpf-deadline">{deadline_text(t, d)}</p> }
            })}
            {f.earlier_public_bilans.first().map(|e| view! {
                <p class="notice" data-testid="cpf-earlier">{t.earlier.replace("{date}", &date_fr(e.opened_on))}</p>
            })}
            {(admin && closed).then(|| view! { <p class="note">{t.closed}</p> })}
            {(admin && !closed).then(|| view! {
                <form class="form" novalidate data-testid="cpf-move" on:submit=move |ev| { no_reload(&ev); step.dispatch(()); }>
                    <StepError error=move_error testid="cpf-move-error"/>
                    <SelectField id="cpf-to" label=t.move_to value=to options testid="cpf-to"/>
                    <TextField id="cpf-on" label=t.move_on value=on kind="date" error=field_error(move_error, "on") testid="cpf-on"/>
                    <Button submit=true busy=step.pending() testid="cpf-move-submit">{t.move_submit}</Button>
                </form>
            })}
            <details>
                <summary>{t.history}</summary>
                <ol data-testid="cpf-history">
                    {f.history.iter().map(|s| view! {
                        <li>{format!("{} — {}", date_fr(s.on), state_label(t, s.to))}</li>
                    }).collect_view()}
                </ol>
            </details>
        }
    };
    view! {
        <section class="panel" aria-labelledby="cpf-title" data-testid="cpf-panel">
            <h2 id="cpf-title">{move || i.t().cpf.title}</h2>
            <Loaded resource=file let:found>
                {match found {
                    Some(f) => view! { {shown(f)} {admin.then(form)} }.into_any(),
                    None => view! { <p>{i.t().cpf.none}</p> {admin.then(form)} }.into_any(),
                }}
            </Loaded>
        </section>
    }
}

/// The open CPF files with a deadline, soonest first (the admin's home page).
#[component]
pub fn CpfAlerts() -> impl IntoView {
    let (i, api) = (use_i18n(), use_api());
    let alerts = crate::components::loader(move || async move { api.cpf_alerts().await });
    view! {
        <section class="panel" aria-labelledby="cpf-alerts-title" data-testid="cpf-alerts">
            <h2 id="cpf-alerts-title">{move || i.t().cpf.alerts_title}</h2>
            <Loaded resource=alerts let:list>
                {alert_list(i.t().cpf, list)}
            </Loaded>
        </section>
    }
}

fn alert_list(
    t: &'static crate::i18n::CpfStrings,
    list: Vec<boussole_shared::cpf::CpfAlert>,
) -> AnyView {
    if list.is_empty() {
        return view! { <p>{t.alerts_none}</p> }.into_any();
    }
    view! {
                    <ul class="alert-list">
                        {list.into_iter().map(|a| {
                            let late = a.deadline.working_days_left < 0;
                            view! {
                                <li class=if late { "notice" } else { "" } data-testid="cpf-alert">
                                    <a href=format!("/bilans/{}", a.bilan_id)>{a.beneficiary_name.clone()}</a>
                                    {format!(" — {} ({}) : {}", a.edof_number, state_label(t, a.state), deadline_text(t, &a.deadline))}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
}

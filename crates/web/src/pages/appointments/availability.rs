//! `/consultant/disponibilites` (one's own) and `/admin/disponibilites` (any consultant's): weekly
//! time ranges, exceptions on dates, per-kind settings and the public-holidays switch. The whole
//! document is saved at once; the API's field errors (`rules[1]` …) show on their rows.
//!
//! Every field is a signal of its row (`av_rows.rs`): what is typed lives there only, and saving
//! reads the rows, never the page.

use boussole_shared::{
    appointments::{AppointmentKind, AvailabilityMode},
    users::{Role, UserFilter},
};
use leptos::prelude::*;
use uuid::Uuid;

use super::{
    AData, AResource, action,
    av_form::{Form, RangeText, build, name},
    av_rows::{RangeRow, RowCheck, RowInput, RowSelect, TypeRow},
    avail_mode_label, errors_under, kind_label, local_errors, resource, today,
};
use crate::{
    api::{ApiError, use_api},
    components::*,
    dates::date_iso,
    i18n::{AptStrings, use_i18n},
};

/// A row's fieldset, tied to its error message when there is one.
#[component]
fn RowSet(
    testid: &'static str,
    #[prop(into)] id: Signal<String>,
    #[prop(into)] legend: TextProp,
    #[prop(into)] error: Signal<Option<String>>,
    children: Children,
) -> impl IntoView {
    let err_id = move || format!("{}-erreur", id.get());
    view! {
        <fieldset class="range-row" data-testid=testid
            aria-describedby=move || error.with(Option::is_some).then(err_id)>
            <legend>{move || legend.get()}</legend>
            {children()}
            {move || error.get().map(|m| view! {
                <p class="field-error" id=err_id data-testid="av-row-error">{m}</p>
            })}
        </fieldset>
    }
}

/// The weekly rules (`dated: false`) or the exceptions, with their add button.
#[component]
fn Ranges(
    dated: bool,
    rows: RwSignal<Vec<RangeRow>>,
    error: RwSignal<Option<ApiError>>,
    next_key: StoredValue<u32>,
) -> impl IntoView {
    let i = use_i18n();
    let (list, p, testid) = if dated {
        ("exceptions", "e", "av-exception")
    } else {
        ("rules", "r", "av-rule")
    };
    let add_id = format!("av-add-{p}");
    let modes: Vec<(String, TextProp)> = AvailabilityMode::ALL
        .iter()
        .map(|m| {
            let m = *m;
            (
                m.as_str().to_string(),
                TextProp::from(move || avail_mode_label(i.t().apt, m)),
            )
        })
        .collect();
    let days: Vec<(String, TextProp)> = (1..=7)
        .map(|d| {
            (
                d.to_string(),
                TextProp::from(move || i.t().apt.weekdays[d - 1]),
            )
        })
        .collect();
    let exc_kinds: Vec<(String, TextProp)> = vec![
        ("off".into(), TextProp::from(move || i.t().apt.av_exc_off)),
        (
            "extra".into(),
            TextProp::from(move || i.t().apt.av_exc_extra),
        ),
    ];
    let focus_add = add_id.clone();
    let row = move |(n, r): (usize, RangeRow)| {
        let id = move |f: &str| name(p, n, f);
        let legend = move || {
            let a: &AptStrings = i.t().apt;
            if dated { a.av_exception_n } else { a.av_rule_n }.replace("{n}", &(n + 1).to_string())
        };
        let label = move |f: fn(&AptStrings) -> &'static str| TextProp::from(move || f(i.t().apt));
        let first = if dated {
            view! {
                <RowInput id=id("day") label=label(|a| a.av_date) value=r.day kind="date"/>
                <RowSelect id=id("kind") label=label(|a| a.av_exc_kind) value=r.kind options=exc_kinds.clone()/>
            }
            .into_any()
        } else {
            view! { <RowSelect id=id("day") label=label(|a| a.av_weekday) value=r.day options=days.clone()/> }.into_any()
        };
        let (focus_add, modes) = (focus_add.clone(), modes.clone());
        let remove = move |_| {
            rows.update(|v| v.retain(|x| x.key != r.key));
            // Row numbers moved: errors about the old rows no longer point at the right ones.
            error.set(None);
            focus_later(focus_add.clone());
        };
        view! {
            <RowSet testid id=id("row") legend
                error=Signal::derive(move || error.with(|e| errors_under(e, &format!("{list}[{n}]"))))>
                {first}
                <RowInput id=id("start") label=label(|a| a.av_start) value=r.start kind="time"/>
                <RowInput id=id("end") label=label(|a| a.av_end) value=r.end kind="time"/>
                <RowSelect id=id("mode") label=label(|a| a.mode) value=r.mode options=modes/>
                <RowInput id=id("place") label=label(|a| a.av_place) value=r.place kind="text"/>
                <button type="button" class="btn btn-secondary btn-small" data-testid="av-remove"
                    aria-label=move || format!("{} : {}", i.t().apt.av_remove, legend())
                    on:click=remove>
                    {move || i.t().apt.av_remove}
                </button>
            </RowSet>
        }
    };
    let add = move |_| {
        let key = next_key.get_value();
        next_key.set_value(key + 1);
        let text = if dated {
            RangeText {
                day: date_iso(today()),
                kind: "off".into(),
                mode: "either".into(),
                ..Default::default()
            }
        } else {
            RangeText {
                day: "1".into(),
                start: "09:00".into(),
                end: "12:00".into(),
                mode: "either".into(),
                ..Default::default()
            }
        };
        rows.update(|v| v.push(RangeRow::new(key, text)));
        error.set(None);
        focus_later(name(p, rows.with_untracked(Vec::len) - 1, "day"));
    };
    view! {
        // Keyed by position and row: a row whose number changed is drawn again with its new ids.
        <For each=move || rows.get().into_iter().enumerate() key=|(n, r)| (*n, r.key) children=row/>
        <button type="button" class="btn btn-secondary" id=add_id data-testid=format!("av-add-{p}") on:click=add>
            {move || if dated { i.t().apt.av_add_exception } else { i.t().apt.av_add_rule }}
        </button>
    }
}

/// The settings of one kind of appointment; `sent` maps it to the API's `types[j]` errors.
#[component]
fn TypeSet(
    t: TypeRow,
    error: RwSignal<Option<ApiError>>,
    sent: RwSignal<Vec<AppointmentKind>>,
) -> impl IntoView {
    let i = use_i18n();
    let k = t.kind.as_str();
    let id = move |f: &str| name("t", k, f);
    let label = move |f: fn(&AptStrings) -> &'static str| TextProp::from(move || f(i.t().apt));
    let err = Signal::derive(move || {
        let j = sent.with(|s| s.iter().position(|s| *s == t.kind))?;
        error.with(|e| errors_under(e, &format!("types[{j}]")))
    });
    view! {
        <RowSet testid="av-type" id=id("row") legend=move || kind_label(i.t().apt, t.kind) error=err>
            <RowCheck id=id("offered") label=label(|a| a.av_offered) checked=t.offered/>
            <RowInput id=id("duration") label=label(|a| a.av_duration) value=t.duration kind="number"/>
            <RowInput id=id("buffer") label=label(|a| a.av_buffer) value=t.buffer kind="number"/>
            <RowInput id=id("notice") label=label(|a| a.av_notice) value=t.notice_hours kind="number"/>
            <RowInput id=id("horizon") label=label(|a| a.av_horizon) value=t.horizon kind="number"/>
        </RowSet>
    }
}

#[component]
fn Editor(consultant: Uuid, form: Form) -> impl IntoView {
    let (i, api, toasts) = (use_i18n(), use_api(), use_toasts());
    let next_key = StoredValue::new(0_u32);
    let key = || {
        let k = next_key.get_value();
        next_key.set_value(k + 1);
        k
    };
    let rules = RwSignal::new(
        form.rules
            .into_iter()
            .map(|r| RangeRow::new(key(), r))
            .collect::<Vec<_>>(),
    );
    let exceptions = RwSignal::new(
        form.exceptions
            .into_iter()
            .map(|r| RangeRow::new(key(), r))
            .collect::<Vec<_>>(),
    );
    let types: Vec<TypeRow> = form.types.into_iter().map(TypeRow::new).collect();
    let holidays = RwSignal::new(form.holidays);
    let sent = RwSignal::new(Vec::<AppointmentKind>::new());
    let error = RwSignal::new(None::<ApiError>);
    let typed = {
        let types = types.clone();
        move || Form {
            rules: rules.with_untracked(|v| v.iter().map(RangeRow::text).collect()),
            exceptions: exceptions.with_untracked(|v| v.iter().map(RangeRow::text).collect()),
            types: types.iter().map(TypeRow::text).collect(),
            holidays: holidays.get_untracked(),
        }
    };
    let save = action(move |_: &()| {
        let f = typed();
        let built = build(
            &f.rules,
            &f.exceptions,
            &f.types,
            f.holidays,
            i.t().apt.av_bad_time,
        );
        async move {
            error.set(None);
            let (doc, kinds) = match built {
                Ok(x) => x,
                Err(errors) => return error.set(Some(local_errors(errors))),
            };
            sent.set(kinds);
            match api.put_availability(consultant, &doc).await {
                Ok(_) => toasts.show(i.t().apt.av_saved),
                Err(e) => error.set(Some(e)),
            }
        }
    });
    view! {
        <form class="form form-wide" novalidate data-testid="availability-form"
            on:submit=move |ev| {
                ev.prevent_default();
                save.dispatch(());
            }>
            <FormError error testid="availability-error"/>
            <section class="card" aria-labelledby="hebdo">
                <h2 id="hebdo">{move || i.t().apt.av_weekly}</h2>
                <p class="hint">{move || i.t().apt.av_weekly_hint}</p>
                <Ranges dated=false rows=rules error next_key/>
            </section>
            <section class="card" aria-labelledby="exceptions">
                <h2 id="exceptions">{move || i.t().apt.av_exceptions}</h2>
                <p class="hint">{move || i.t().apt.av_exceptions_hint}</p>
                <Ranges dated=true rows=exceptions error next_key/>
            </section>
            <section class="card" aria-labelledby="types">
                <h2 id="types">{move || i.t().apt.av_types}</h2>
                {types.into_iter().map(|t| view! { <TypeSet t error sent/> }).collect_view()}
                <RowCheck id="holidays".to_string() label=move || i.t().apt.av_holidays checked=holidays/>
            </section>
            <Button submit=true busy=save.pending() testid="availability-save">{move || i.t().save}</Button>
        </form>
    }
}

/// Loads and edits one consultant's availability.
#[component]
fn ForConsultant(consultant: Uuid) -> impl IntoView {
    let api = use_api();
    let doc: AResource =
        resource(
            move || async move { api.availability(consultant).await.map(AData::Availability) },
        );
    view! {
        <Loaded resource=doc let:d>
            {match d {
                AData::Availability(d) => Some(view! { <Editor consultant form=Form::of(&d)/> }),
                _ => None,
            }}
        </Loaded>
    }
}

#[component]
pub fn MyAvailability() -> impl IntoView {
    let (i, api) = (use_i18n(), use_api());
    let me = api
        .session
        .with_untracked(|s| s.as_ref().map(|s| s.user.id));
    view! {
        <Page title=move || i.t().apt.av_title help="disponibilites">
            {me.map(|consultant| view! { <ForConsultant consultant/> })}
        </Page>
    }
}

#[component]
pub fn AdminAvailability() -> impl IntoView {
    let (i, api) = (use_i18n(), use_api());
    let people: AResource = resource(move || async move {
        let f = UserFilter {
            role: Some(Role::Consultant),
            ..Default::default()
        };
        let p = api.users(1, 100, &f).await?;
        let people = p.items.into_iter().map(|u| {
            (
                u.id.to_string(),
                format!("{} {} ({})", u.first_name, u.last_name, u.email),
            )
        });
        Ok(AData::People(people.collect()))
    });
    let choices = Signal::derive(move || {
        let mut v = vec![(String::new(), String::from("—"))];
        if let Some(Ok(AData::People(p))) = people.get() {
            v.extend(p);
        }
        v
    });
    let picked = RwSignal::new(String::new());
    let id = Memo::new(move |_| Uuid::parse_str(&picked.get()).ok());
    view! {
        <Page title=move || i.t().apt.av_admin_title help="disponibilites">
            <div class="filters">
                <ChoiceField id="av-consultant" label=move || i.t().apt.av_pick value=picked options=choices testid="av-consultant"/>
            </div>
            {move || id.get().map(|consultant| view! { <ForConsultant consultant/> })}
        </Page>
    }
}

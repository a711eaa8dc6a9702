//! `/consultant/disponibilites` (one's own) and `/admin/disponibilites` (any consultant's): weekly
//! time ranges, exceptions on dates, per-kind settings and the public-holidays switch. The whole
//! document is saved at once; the API's field errors (`rules[1]` …) show on their rows.
//!
//! The fields are plain HTML (see `html.rs`) read back by name with `FormData` when a row is added
//! or removed and when saving.

use boussole_shared::{
    appointments::{AppointmentKind, AvailabilityMode},
    users::{Role, UserFilter},
};
use leptos::{html, prelude::*};
use uuid::Uuid;

use super::{
    AData, AResource, action,
    av_form::{Form, RangeText, build, name},
    avail_mode_label, errors_under,
    html::{clicked, esc, focus_id, loaded},
    kind_label, local_errors, resource, today,
};
use crate::{
    api::{ApiError, use_api},
    components::*,
    dates::date_iso,
    i18n::{Strings, use_i18n},
};

fn input(name: &str, label: &str, value: &str, kind: &str) -> String {
    format!(
        r#"<div class="field"><label for="{name}">{label}</label><input id="{name}" name="{name}" type="{kind}" value="{}"></div>"#,
        esc(value)
    )
}

fn select(name: &str, label: &str, value: &str, options: &[(&str, &str)]) -> String {
    let opts: String = options
        .iter()
        .map(|(v, l)| {
            let sel = if *v == value { " selected" } else { "" };
            format!(r#"<option value="{v}"{sel}>{l}</option>"#)
        })
        .collect();
    format!(
        r#"<div class="field"><label for="{name}">{label}</label><select id="{name}" name="{name}">{opts}</select></div>"#
    )
}

fn checkbox(name: &str, label: &str, on: bool) -> String {
    let checked = if on { " checked" } else { "" };
    format!(
        r#"<div class="field field-check"><input type="checkbox" id="{name}" name="{name}"{checked}><label for="{name}">{label}</label></div>"#
    )
}

/// A row's fieldset, tied to its error message when there is one.
fn fieldset(testid: &str, id: &str, legend: &str, fields: String, error: Option<String>) -> String {
    let (described, msg) = match error {
        Some(m) => (
            format!(r#" aria-describedby="{id}-erreur""#),
            format!(
                r#"<p class="field-error" id="{id}-erreur" data-testid="av-row-error">{}</p>"#,
                esc(&m)
            ),
        ),
        None => (String::new(), String::new()),
    };
    format!(
        r#"<fieldset class="range-row" data-testid="{testid}"{described}><legend>{legend}</legend>{fields}{msg}</fieldset>"#
    )
}

/// The weekly rules (`dated: false`) or the exceptions, with their add button.
fn ranges(t: &Strings, dated: bool, rows: &[RangeText], error: &Option<ApiError>) -> String {
    let a = t.apt;
    let (list, p, testid) = if dated {
        ("exceptions", "e", "av-exception")
    } else {
        ("rules", "r", "av-rule")
    };
    let modes: Vec<(&str, &str)> = AvailabilityMode::ALL
        .iter()
        .map(|m| (m.as_str(), avail_mode_label(a, *m)))
        .collect();
    let days: Vec<(String, &str)> = (1..=7)
        .map(|d| (d.to_string(), a.weekdays[d - 1]))
        .collect();
    let days: Vec<(&str, &str)> = days.iter().map(|(v, l)| (v.as_str(), *l)).collect();
    let html: String = rows
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let n = |f: &str| name(p, i, f);
            let legend = if dated { a.av_exception_n } else { a.av_rule_n }.replace("{n}", &(i + 1).to_string());
            let mut fields = if dated {
                input(&n("day"), a.av_date, &r.day, "date")
                    + &select(&n("kind"), a.av_exc_kind, &r.kind, &[("off", a.av_exc_off), ("extra", a.av_exc_extra)])
            } else {
                select(&n("day"), a.av_weekday, &r.day, &days)
            };
            fields += &input(&n("start"), a.av_start, &r.start, "time");
            fields += &input(&n("end"), a.av_end, &r.end, "time");
            fields += &select(&n("mode"), a.mode, &r.mode, &modes);
            fields += &input(&n("place"), a.av_place, &r.place, "text");
            fields += &format!(
                r#"<button type="button" class="btn btn-secondary btn-small" data-act="rm-{p}" data-i="{i}" aria-label="{} : {legend}" data-testid="av-remove">{}</button>"#,
                a.av_remove, a.av_remove
            );
            fieldset(testid, &n("row"), &legend, fields, errors_under(error, &format!("{list}[{i}]")))
        })
        .collect();
    let add = if dated {
        a.av_add_exception
    } else {
        a.av_add_rule
    };
    format!(
        r#"{html}<button type="button" class="btn btn-secondary" id="av-add-{p}" data-act="add-{p}" data-testid="av-add-{p}">{add}</button>"#
    )
}

fn form_html(t: &Strings, f: &Form, error: &Option<ApiError>, sent: &[AppointmentKind]) -> String {
    let a = t.apt;
    let types: String = f
        .types
        .iter()
        .map(|x| {
            let k = x.kind.as_str();
            let n = |f: &str| name("t", k, f);
            let fields = checkbox(&n("offered"), a.av_offered, x.offered)
                + &input(&n("duration"), a.av_duration, &x.duration, "number")
                + &input(&n("buffer"), a.av_buffer, &x.buffer, "number")
                + &input(&n("notice"), a.av_notice, &x.notice_hours, "number")
                + &input(&n("horizon"), a.av_horizon, &x.horizon, "number");
            let err = sent
                .iter()
                .position(|s| *s == x.kind)
                .and_then(|j| errors_under(error, &format!("types[{j}]")));
            fieldset("av-type", &n("row"), kind_label(a, x.kind), fields, err)
        })
        .collect();
    format!(
        r#"<section class="card" aria-labelledby="hebdo"><h2 id="hebdo">{}</h2><p class="hint">{}</p>{}</section><section class="card" aria-labelledby="exceptions"><h2 id="exceptions">{}</h2><p class="hint">{}</p>{}</section><section class="card" aria-labelledby="types"><h2 id="types">{}</h2>{types}{}</section>"#,
        a.av_weekly,
        a.av_weekly_hint,
        ranges(t, false, &f.rules, error),
        a.av_exceptions,
        a.av_exceptions_hint,
        ranges(t, true, &f.exceptions, error),
        a.av_types,
        checkbox("holidays", a.av_holidays, f.holidays)
    )
}

#[component]
fn Editor(consultant: Uuid, form: Form) -> impl IntoView {
    let (i, api, toasts) = (use_i18n(), use_api(), use_toasts());
    let node = NodeRef::<html::Form>::new();
    let state = RwSignal::new(form);
    let sent = RwSignal::new(Vec::<AppointmentKind>::new());
    let error = RwSignal::new(None::<ApiError>);
    // What the page's fields hold now (the signal only changes when rows are added or removed).
    let typed = move || {
        let current = state.get_untracked();
        let Some(data) = node
            .get_untracked()
            .and_then(|f| web_sys::FormData::new_with_form(&f).ok())
        else {
            return current;
        };
        current.read(|n| data.get(n).as_string())
    };
    let save = action(move |_: &()| {
        let f = typed();
        state.update_untracked(|s| *s = f.clone());
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
    let on_click = move |ev: leptos::ev::MouseEvent| {
        let Some(act) = clicked(&ev, "data-act") else {
            return;
        };
        let at = clicked(&ev, "data-i").and_then(|s| s.parse::<usize>().ok());
        let mut f = typed();
        let focus = match (act.as_str(), at) {
            ("add-r", _) => {
                f.rules.push(RangeText {
                    day: "1".into(),
                    start: "09:00".into(),
                    end: "12:00".into(),
                    mode: "either".into(),
                    ..Default::default()
                });
                name("r", f.rules.len() - 1, "day")
            }
            ("add-e", _) => {
                f.exceptions.push(RangeText {
                    day: date_iso(today()),
                    kind: "off".into(),
                    mode: "either".into(),
                    ..Default::default()
                });
                name("e", f.exceptions.len() - 1, "day")
            }
            ("rm-r", Some(n)) if n < f.rules.len() => {
                f.rules.remove(n);
                "av-add-r".into()
            }
            ("rm-e", Some(n)) if n < f.exceptions.len() => {
                f.exceptions.remove(n);
                "av-add-e".into()
            }
            _ => return,
        };
        // Row numbers moved: errors about the old rows no longer point at the right ones.
        error.set(None);
        state.set(f);
        focus_id(focus);
    };
    let html = move || form_html(i.t(), &state.get(), &error.get(), &sent.get());
    view! {
        // Typed values are kept as they are typed, so that redrawing (a language switch) loses none.
        <form node_ref=node class="form form-wide" novalidate data-testid="availability-form" on:click=on_click
            on:input=move |_| {
                let f = typed();
                state.update_untracked(|s| *s = f);
            }
            on:submit=move |ev| {
                ev.prevent_default();
                save.dispatch(());
            }>
            <FormError error testid="availability-error"/>
            <div class="form-wide" inner_html=html></div>
            <Button submit=true busy=save.pending() testid="availability-save">{move || i.t().save}</Button>
        </form>
    }
}

/// Loads and edits one consultant's availability.
#[component]
fn ForConsultant(consultant: Uuid) -> impl IntoView {
    let (i, api) = (use_i18n(), use_api());
    let doc: AResource =
        resource(
            move || async move { api.availability(consultant).await.map(AData::Availability) },
        );
    move || match doc.get() {
        Some(Ok(AData::Availability(d))) => {
            view! { <Editor consultant form=Form::of(&d)/> }.into_any()
        }
        other => {
            view! { <div inner_html=loaded(i.t(), other, |_| String::new())></div> }.into_any()
        }
    }
}

#[component]
pub fn MyAvailability() -> impl IntoView {
    let (i, api) = (use_i18n(), use_api());
    let me = api
        .session
        .with_untracked(|s| s.as_ref().map(|s| s.user.id));
    view! {
        <Page title=move || i.t().apt.av_title>
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
        <Page title=move || i.t().apt.av_admin_title>
            <div class="filters">
                <ChoiceField id="av-consultant" label=move || i.t().apt.av_pick value=picked options=choices testid="av-consultant"/>
            </div>
            {move || id.get().map(|consultant| view! { <ForConsultant consultant/> })}
        </Page>
    }
}

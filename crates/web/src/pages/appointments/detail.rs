//! `/rendez-vous/:id`: one appointment for its two parties (and admins): details, move or cancel
//! while it is still changeable, the video room of a remote appointment, the attendance sheet.

use boussole_shared::{
    appointments::{Appointment, AppointmentChange, AppointmentStatus, Party, Slot},
    users::Role,
};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use uuid::Uuid;

use super::{
    AData, AResource, action,
    attendance::Attendance,
    html::{esc, status_badge},
    kind_label, load_error, mode_label, party_label, range, resource,
    slots::SlotPicker,
    video::Video,
    when,
};
use crate::{
    api::{ApiError, use_api},
    components::*,
    dates::datetime_iso,
    i18n::{Strings, use_i18n},
    pages::bilans::person,
};
use boussole_shared::time::to_paris;

/// Which side of the appointment the caller is on.
fn party_of(a: &Appointment, me: Option<Uuid>) -> Option<Party> {
    match me {
        Some(m) if m == a.beneficiary.id => Some(Party::Beneficiary),
        Some(m) if m == a.consultant.id => Some(Party::Consultant),
        _ => None,
    }
}

#[component]
pub fn AppointmentPage() -> impl IntoView {
    let (i, api) = (use_i18n(), use_api());
    let params = use_params_map();
    let id =
        Memo::new(move |_| params.with(|p| p.get("id").and_then(|s| Uuid::parse_str(&s).ok())));
    let me = api
        .session
        .with_untracked(|s| s.as_ref().map(|s| (s.user.id, s.user.role)));
    let version = RwSignal::new(0_u32);
    let apt: AResource = resource(move || {
        version.track();
        let id = id.get();
        async move {
            match id {
                Some(id) => api.appointment(id).await.map(AData::Appointment),
                None => Err(ApiError::Unexpected(404)),
            }
        }
    });
    let current = Memo::new(move |_| match apt.get() {
        Some(Ok(AData::Appointment(a))) => Some(a),
        _ => None,
    });
    // The video and attendance panels only remount when what they are built on changes, so a
    // refetch (after signing, say) does not reload a running video call.
    let room = Memo::new(move |_| {
        current.with(|a| {
            let a = a
                .as_ref()
                .filter(|a| a.status == AppointmentStatus::Booked)?;
            a.video
                .as_ref()
                .map(|v| (a.id, v.url.clone(), v.room.clone()))
        })
    });
    let sheet_key = Memo::new(move |_| {
        current.with(|a| {
            let a = a
                .as_ref()
                .filter(|a| a.status != AppointmentStatus::Cancelled)?;
            Some((
                a.id,
                party_of(a, me.map(|m| m.0)),
                a.mode,
                a.starts_at,
                a.ends_at,
            ))
        })
    });
    let on_change = Callback::new(move |_: ()| version.update(|v| *v += 1));
    let title = move || {
        let t = i.t().apt;
        current.with(|a| match a {
            Some(a) => t.apt_title.replace("{when}", &when(t, a.starts_at)),
            None => t.list_title.to_string(),
        })
    };
    let back = match me.map(|m| m.1) {
        Some(Role::Consultant) => "/consultant/agenda",
        Some(Role::Beneficiary) => "/beneficiaire/rendez-vous",
        _ => "/",
    };
    view! {
        <Page title>
            <p><a href=back>{move || i.t().apt.apt_back}</a></p>
            {move || match apt.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(e)) => load_error(&e),
                Some(Ok(AData::Appointment(a))) => {
                    let party = party_of(&a, me.map(|m| m.0));
                    view! { <div inner_html=details_html(i.t(), &a)></div> <Changes a party on_change/> }.into_any()
                }
                Some(Ok(_)) => ().into_any(),
            }}
            {move || room.get().map(|(id, url, room)| view! { <Video id url room/> })}
            {move || sheet_key.get().map(|(id, party, mode, starts_at, ends_at)| view! {
                <Attendance id party mode starts_at ends_at on_change/>
            })}
        </Page>
    }
}

fn details_html(t: &Strings, a: &Appointment) -> String {
    let s = t.apt;
    let mut facts = format!(
        r#"<dt>{}</dt><dd>{}</dd><dt>{}</dt><dd data-testid="apt-when">{} ({})</dd><dt>{}</dt><dd>{}</dd><dt>{}</dt><dd data-testid="apt-mode">{}</dd>"#,
        t.status,
        status_badge(t, a.status),
        s.when,
        when(s, a.starts_at),
        range(a.starts_at, a.ends_at),
        s.kind,
        kind_label(s, a.kind),
        s.mode,
        mode_label(s, a.mode)
    );
    let mut fact = |dt: &str, dd: &str| facts += &format!("<dt>{dt}</dt><dd>{}</dd>", esc(dd));
    if let Some(p) = &a.place {
        fact(s.place, p);
    }
    fact(s.consultant, &person(&a.consultant));
    fact(s.beneficiary, &person(&a.beneficiary));
    if let Some(r) = &a.cancel_reason {
        fact(s.apt_reason, r);
    }
    if let Some(p) = a.absent {
        fact(s.apt_absent, party_label(s, p));
    }
    format!(
        r#"<section class="card" aria-labelledby="details" data-testid="apt-details" data-start="{}"><h2 id="details">{}</h2><dl class="facts-list">{facts}</dl></section>"#,
        datetime_iso(to_paris(a.starts_at.naive_utc())),
        s.apt_details
    )
}

/// Move (to another free slot) or cancel (with a reason), while `changeable`.
#[component]
fn Changes(a: Appointment, party: Option<Party>, on_change: Callback<()>) -> impl IntoView {
    let (i, api, toasts) = (use_i18n(), use_api(), use_toasts());
    let id = a.id;
    let moving = RwSignal::new(false);
    let selected = RwSignal::new(None::<Slot>);
    let refresh = RwSignal::new(0_u32);
    let cancel_open = RwSignal::new(false);
    let reason = RwSignal::new(String::new());
    let (move_error, cancel_error) = (
        RwSignal::new(None::<ApiError>),
        RwSignal::new(None::<ApiError>),
    );
    let change = action(move |c: &AppointmentChange| {
        let c = c.clone();
        let cancelling = matches!(c, AppointmentChange::Cancel { .. });
        let error = if cancelling { cancel_error } else { move_error };
        async move {
            error.set(None);
            match api.change_appointment(id, &c).await {
                Ok(_) => {
                    let t = i.t().apt;
                    toasts.show(if cancelling {
                        t.apt_cancelled
                    } else {
                        t.apt_moved
                    });
                    cancel_open.set(false);
                    on_change.run(());
                }
                Err(e) => {
                    refresh.update(|r| *r += 1);
                    error.set(Some(e));
                }
            }
        }
    });
    let move_to = move |_| {
        if let Some(s) = selected.get_untracked() {
            change.dispatch(AppointmentChange::Move {
                starts_at: Some(s.starts_at),
                local_start: None,
            });
        }
    };
    let cancel = move |_| {
        let r = reason.get_untracked().trim().to_string();
        change.dispatch(AppointmentChange::Cancel {
            reason: (!r.is_empty()).then_some(r),
        });
    };
    let (consultant, kind) = (a.consultant.id, a.kind);
    if !a.changeable {
        let late = a.status == AppointmentStatus::Booked && party == Some(Party::Beneficiary);
        return late
            .then(|| view! { <p class="notice" data-testid="apt-too-late">{move || i.t().apt.apt_too_late}</p> })
            .into_any();
    }
    view! {
        <div class="toolbar">
            <Button kind=ButtonKind::Secondary on_click=move |_| moving.update(|m| *m = !*m) testid="apt-move-open">
                {move || i.t().apt.apt_move}
            </Button>
            <Button kind=ButtonKind::Danger on_click=move |_| { cancel_error.set(None); cancel_open.set(true); } testid="apt-cancel-open">
                {move || i.t().apt.apt_cancel}
            </Button>
        </div>
        <FormError error=move_error testid="apt-move-error"/>
        <Show when=move || moving.get()>
            <h2>{move || i.t().apt.apt_move_title}</h2>
            <SlotPicker consultant=Signal::stored(Some(consultant)) kind=Signal::stored(kind) selected refresh/>
            <p>
                <Button busy=change.pending() on_click=move_to testid="apt-move-confirm">{move || i.t().apt.apt_move_confirm}</Button>
            </p>
        </Show>
        <Dialog id="annuler" open=cancel_open title=move || i.t().apt.apt_cancel testid="apt-cancel-dialog">
            <FormError error=cancel_error testid="apt-cancel-error"/>
            <TextArea id="apt-cancel-reason" label=move || i.t().apt.apt_cancel_reason value=reason
                error=field_error(cancel_error, "reason") testid="apt-cancel-reason"/>
            <Button kind=ButtonKind::Danger busy=change.pending() on_click=cancel testid="apt-cancel-confirm">
                {move || i.t().apt.apt_cancel_confirm}
            </Button>
        </Dialog>
    }
    .into_any()
}

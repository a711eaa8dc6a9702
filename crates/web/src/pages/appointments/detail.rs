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
    AData, AResource, AptStatus, action, attendance::Attendance, kind_label, mode_label,
    party_label, range, resource, slots::SlotPicker, video::Video, when,
};
use crate::{
    api::{ApiError, use_api},
    components::*,
    dates::datetime_iso,
    i18n::use_i18n,
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
        <Page title help="emarger">
            <p><a href=back>{move || i.t().apt.apt_back}</a></p>
            <Loaded resource=apt let:d>
                {match d {
                    AData::Appointment(a) => {
                        let party = party_of(&a, me.map(|m| m.0));
                        Some(view! { <Details a=a.clone()/> <Changes a party on_change/> })
                    }
                    _ => None,
                }}
            </Loaded>
            {move || room.get().map(|(id, url, room)| view! { <Video id url room/> })}
            {move || sheet_key.get().map(|(id, party, mode, starts_at, ends_at)| view! {
                <Attendance id party mode starts_at ends_at on_change/>
            })}
        </Page>
    }
}

#[component]
fn Details(a: Appointment) -> impl IntoView {
    let i = use_i18n();
    let (starts_at, ends_at, kind, mode) = (a.starts_at, a.ends_at, a.kind, a.mode);
    let fact = |dt: fn(&crate::i18n::AptStrings) -> &'static str, dd: String| {
        view! { <dt>{move || dt(i.t().apt)}</dt><dd>{dd}</dd> }
    };
    view! {
        <section class="card" aria-labelledby="details" data-testid="apt-details" data-start=datetime_iso(to_paris(starts_at.naive_utc()))>
            <h2 id="details">{move || i.t().apt.apt_details}</h2>
            <dl class="facts-list">
                <dt>{move || i.t().status}</dt>
                <dd><AptStatus status=a.status/></dd>
                <dt>{move || i.t().apt.when}</dt>
                <dd data-testid="apt-when">{move || when(i.t().apt, starts_at)} " (" {range(starts_at, ends_at)} ")"</dd>
                <dt>{move || i.t().apt.kind}</dt>
                <dd>{move || kind_label(i.t().apt, kind)}</dd>
                <dt>{move || i.t().apt.mode}</dt>
                <dd data-testid="apt-mode">{move || mode_label(i.t().apt, mode)}</dd>
                {a.place.map(|p| fact(|s| s.place, p))}
                {fact(|s| s.consultant, person(&a.consultant))}
                {fact(|s| s.beneficiary, person(&a.beneficiary))}
                {a.cancel_reason.map(|r| fact(|s| s.apt_reason, r))}
                {a.absent.map(|p| view! {
                    <dt>{move || i.t().apt.apt_absent}</dt>
                    <dd>{move || party_label(i.t().apt, p)}</dd>
                })}
            </dl>
        </section>
    }
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

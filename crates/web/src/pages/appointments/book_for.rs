//! The consultant books for a beneficiary of theirs: any free time (Paris wall clock, sent as
//! `local_start` so the API refuses the DST gap and overlap), the duration of their choice.

use boussole_shared::{
    appointments::{AppointmentKind, NewAppointment},
    bilans::{BilanStatus, SessionMode},
};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use uuid::Uuid;

use super::{AData, AResource, action, kind_label, local_error, mode_label, resource};
use crate::{
    api::{ApiError, use_api},
    components::*,
    dates::parse_datetime,
    i18n::use_i18n,
    pages::{
        bilans::{is_active, person},
        no_reload,
    },
};

#[component]
pub fn BookDialog(open: RwSignal<bool>) -> impl IntoView {
    let (i, api, toasts) = (use_i18n(), use_api(), use_toasts());
    let navigate = use_navigate();
    let me = api
        .session
        .with_untracked(|s| s.as_ref().map(|s| s.user.id));
    // Loaded when the dialog first opens, not with the calendar.
    let bilans: AResource = resource(move || {
        let wanted = open.get();
        async move {
            if !wanted {
                return Ok(AData::People(Vec::new()));
            }
            let p = api.bilans(1, 100, None).await?;
            Ok(AData::People(
                p.items
                    .into_iter()
                    .filter(|b| {
                        is_active(b.status)
                            || matches!(b.status, BilanStatus::Completed | BilanStatus::Closed)
                    })
                    .map(|b| (b.id.to_string(), person(&b.beneficiary)))
                    .collect(),
            ))
        }
    });
    let choices = Signal::derive(move || {
        let mut v = vec![(String::new(), String::from("—"))];
        if let Some(Ok(AData::People(p))) = bilans.get() {
            v.extend(p);
        }
        v
    });
    let bilan = RwSignal::new(String::new());
    let kind = RwSignal::new(AppointmentKind::BilanSession.as_str().to_string());
    let start = RwSignal::new(String::new());
    let duration = RwSignal::new("120".to_string());
    let mode = RwSignal::new(SessionMode::Remote.as_str().to_string());
    let error = RwSignal::new(None::<ApiError>);
    let submit = action(move |_: &()| {
        let t = i.t();
        let local = parse_datetime(&start.get_untracked());
        let body = match (Uuid::parse_str(&bilan.get_untracked()), local, me) {
            (Err(_), _, _) => Err(local_error("bilan_id".into(), t.apt.err_bilan)),
            (_, None, _) => Err(local_error("local_start".into(), t.apt.err_start)),
            (Ok(b), Some(l), Some(c)) => Ok(NewAppointment {
                bilan_id: b,
                consultant_id: c,
                kind: AppointmentKind::parse(&kind.get_untracked())
                    .unwrap_or(AppointmentKind::BilanSession),
                starts_at: None,
                local_start: Some(l),
                mode: SessionMode::parse(&mode.get_untracked()).unwrap_or(SessionMode::Remote),
                duration_minutes: duration.get_untracked().trim().parse().ok(),
            }),
            (_, _, None) => Err(ApiError::Unexpected(401)),
        };
        let navigate = navigate.clone();
        async move {
            error.set(None);
            match body {
                Err(e) => error.set(Some(e)),
                Ok(body) => match api.book(&body).await {
                    Ok(a) => {
                        toasts.show(i.t().apt.book_done);
                        open.set(false);
                        navigate(&format!("/rendez-vous/{}", a.id), Default::default());
                    }
                    Err(e) => error.set(Some(e)),
                },
            }
        }
    });
    let kinds = AppointmentKind::ALL
        .iter()
        .map(|k| {
            (
                k.as_str(),
                TextProp::from(move || kind_label(i.t().apt, *k)),
            )
        })
        .collect();
    let modes = [SessionMode::Remote, SessionMode::OnSite]
        .into_iter()
        .map(|m| (m.as_str(), TextProp::from(move || mode_label(i.t().apt, m))))
        .collect();
    // The API names the start `starts_at` in some messages: both show under the start field.
    let start_error = Signal::derive(move || {
        error.with(|e| {
            let e = e.as_ref()?;
            e.field("local_start").or_else(|| e.field("starts_at"))
        })
    });
    view! {
        <Dialog id="reserver" open title=move || i.t().apt.cal_book_title testid="book-for-dialog">
            <form class="form" novalidate data-testid="book-for-form" on:submit=move |ev| {
                no_reload(&ev);
                submit.dispatch(());
            }>
                <FormError error testid="book-for-error"/>
                <ChoiceField id="book-for-bilan" label=move || i.t().apt.cal_bilan value=bilan options=choices required=true
                    error=field_error(error, "bilan_id") testid="book-for-bilan"/>
                <SelectField id="book-for-kind" label=move || i.t().apt.kind value=kind options=kinds testid="book-for-kind"/>
                <DateTimeField id="book-for-start" label=move || i.t().apt.cal_start value=start error=start_error testid="book-for-start"/>
                <TextField id="book-for-duration" label=move || i.t().apt.av_duration value=duration kind="number"
                    error=field_error(error, "duration_minutes") testid="book-for-duration"/>
                <SelectField id="book-for-mode" label=move || i.t().apt.mode value=mode options=modes
                    error=field_error(error, "mode") testid="book-for-mode"/>
                <Button submit=true busy=submit.pending() testid="book-for-submit">{move || i.t().apt.cal_book_submit}</Button>
            </form>
        </Dialog>
    }
}

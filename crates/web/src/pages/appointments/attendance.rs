//! The attendance sheet (émargement): each party signs during the session window; on site the
//! beneficiary types the code the consultant shows; the consultant records no-shows.

use std::time::Duration;

use boussole_shared::{
    appointments::{AppointmentStatus, AttendanceAction, AttendanceSheet, Party},
    bilans::SessionMode,
};
use chrono::{DateTime, Duration as Span, Utc};
use leptos::prelude::*;
use uuid::Uuid;

use super::{AData, AResource, action, now_utc, party_label, resource, when};
use crate::{
    api::{ApiError, use_api},
    components::*,
    i18n::use_i18n,
};

/// The API's window: from 15 minutes before the start to 2 hours after the end.
pub fn in_window(starts_at: DateTime<Utc>, ends_at: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    now >= starts_at - Span::minutes(15) && now <= ends_at + Span::hours(2)
}

#[component]
pub fn Attendance(
    id: Uuid,
    party: Option<Party>,
    mode: SessionMode,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    on_change: Callback<()>,
) -> impl IntoView {
    let (i, api, toasts) = (use_i18n(), use_api(), use_toasts());
    let sheet: AResource =
        resource(move || async move { api.attendance(id).await.map(AData::Sheet) });
    // The on-site code changes every 5 minutes: the consultant's screen follows it.
    if party == Some(Party::Consultant)
        && mode == SessionMode::OnSite
        && let Ok(h) = set_interval_with_handle(move || sheet.refetch(), Duration::from_secs(60))
    {
        on_cleanup(move || h.clear());
    }
    let code = RwSignal::new(String::new());
    let absent = RwSignal::new(Party::Beneficiary.as_str().to_string());
    let error = RwSignal::new(None::<ApiError>);
    let needs_code = party == Some(Party::Beneficiary) && mode == SessionMode::OnSite;
    let act = action(move |a: &AttendanceAction| {
        let a = a.clone();
        async move {
            error.set(None);
            let signing = matches!(a, AttendanceAction::Sign { .. });
            match api.attend(id, &a).await {
                Ok(_) => {
                    let t = i.t().apt;
                    toasts.show(if signing {
                        t.att_signed
                    } else {
                        t.att_no_show_done
                    });
                    sheet.refetch();
                    on_change.run(());
                }
                Err(e) => error.set(Some(e)),
            }
        }
    });
    let sign = move |_| {
        let c = needs_code.then(|| code.get_untracked().trim().to_string());
        act.dispatch(AttendanceAction::Sign { code: c });
    };
    let no_show = move |_| {
        if let Some(p) = Party::parse(&absent.get_untracked()) {
            act.dispatch(AttendanceAction::NoShow { absent: p });
        }
    };
    let absent_options = [Party::Beneficiary, Party::Consultant, Party::Both]
        .into_iter()
        .map(|p| {
            (
                p.as_str(),
                TextProp::from(move || party_label(i.t().apt, p)),
            )
        })
        .collect::<Vec<_>>();
    // (booked, signed by the caller) once loaded: what the buttons depend on.
    let state = Memo::new(move |_| {
        sheet.with(|r| match r {
            Some(Ok(AData::Sheet(s))) => Some((
                s.status == AppointmentStatus::Booked,
                party.is_some_and(|p| s.signatures.iter().any(|g| g.party == p)),
            )),
            _ => None,
        })
    });
    let can_sign = move || {
        state.get().is_some_and(|(booked, mine)| {
            booked && party.is_some() && !mine && in_window(starts_at, ends_at, now_utc())
        })
    };
    let can_no_show = move || {
        state.get().is_some_and(|(booked, _)| booked)
            && party == Some(Party::Consultant)
            && now_utc() >= starts_at
    };
    view! {
        <section class="card" aria-labelledby="emargement" data-testid="attendance">
            <h2 id="emargement">{move || i.t().apt.att_title}</h2>
            <FormError error testid="attendance-error"/>
            <Loaded resource=sheet let:d>
                {match d {
                    AData::Sheet(s) => Some(view! { <Sheet s party/> }),
                    _ => None,
                }}
            </Loaded>
            {move || can_sign().then(|| view! {
                <div class="form">
                    {needs_code.then(|| view! {
                        <TextField id="attendance-code" label=move || i.t().apt.att_code value=code autocomplete="one-time-code"
                            error=field_error(error, "code") testid="attendance-code-input"/>
                    })}
                    <Button busy=act.pending() on_click=sign testid="attendance-sign">{move || i.t().apt.att_sign}</Button>
                </div>
            })}
            {move || can_no_show().then(|| view! {
                <h3>{move || i.t().apt.att_no_show}</h3>
                <div class="filters">
                    <SelectField id="attendance-absent" label=move || i.t().apt.att_absent_who value=absent
                        options=absent_options.clone() testid="attendance-absent"/>
                    <Button kind=ButtonKind::Secondary busy=act.pending() on_click=no_show testid="attendance-no-show">
                        {move || i.t().apt.att_no_show_submit}
                    </Button>
                </div>
            })}
        </section>
    }
}

/// The sheet: held or not, the on-site code for the consultant, the signatures.
#[component]
fn Sheet(s: AttendanceSheet, party: Option<Party>) -> impl IntoView {
    let i = use_i18n();
    let held = (s.status == AppointmentStatus::Held)
        .then(|| view! { <p class="success" data-testid="attendance-held">{move || i.t().apt.att_held}</p> });
    let code = s.code.map(|c| {
        view! {
            <div class="attendance-code">
                <p>{move || i.t().apt.att_code_show}</p>
                <p class="code" data-testid="attendance-code">{c}</p>
                <p class="note">{move || i.t().apt.att_code_hint}</p>
            </div>
        }
    });
    let mine = party.is_some_and(|p| s.signatures.iter().any(|g| g.party == p));
    let after = if mine {
        Some(
            view! { <p data-testid="attendance-mine">{move || i.t().apt.att_you_signed}</p> }
                .into_any(),
        )
    } else if party.is_some() && s.status == AppointmentStatus::Booked {
        Some(view! { <p class="note">{move || i.t().apt.att_window}</p> }.into_any())
    } else {
        None
    };
    let sigs = if s.signatures.is_empty() {
        view! { <p data-testid="no-signature">{move || i.t().apt.att_none}</p> }.into_any()
    } else {
        let sig = move |g: boussole_shared::appointments::Signature| {
            let by_code = g.method == "code";
            let at = g.signed_at;
            view! {
                <li data-testid="signature" data-party=g.party.as_str()>
                    <strong>{move || party_label(i.t().apt, g.party)}</strong>
                    " — " {move || when(i.t().apt, at)} " ("
                    {move || if by_code { i.t().apt.att_method_code } else { i.t().apt.att_method_click }} ")"
                </li>
            }
        };
        view! { <ul data-testid="signatures">{s.signatures.into_iter().map(sig).collect_view()}</ul> }.into_any()
    };
    view! { {held} {code} {sigs} {after} }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_window_opens_15_minutes_before_and_closes_2_hours_after() {
        let start = chrono::NaiveDate::from_ymd_opt(2026, 12, 7)
            .and_then(|d| d.and_hms_opt(9, 0, 0))
            .unwrap_or_default()
            .and_utc();
        let end = start + Span::hours(2);
        assert!(!in_window(start, end, start - Span::minutes(16)));
        assert!(in_window(start, end, start - Span::minutes(15)));
        assert!(in_window(start, end, end + Span::hours(2)));
        assert!(!in_window(start, end, end + Span::minutes(121)));
    }
}

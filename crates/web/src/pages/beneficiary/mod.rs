//! `/beneficiaire`: where the beneficiary's bilan stands, the hours used, what comes next (consent to
//! start when it is missing), their consents and agreements with a way to withdraw them, the notes
//! shared with them, and who has read their file.

mod access;
mod agreements;
mod record;

pub use record::MyRecord;

use boussole_shared::bilans::{Bilan, BilanStatus, ConsentKind, NewConsent};
use leptos::prelude::*;
use uuid::Uuid;

use access::AccessSection;
use agreements::AgreementDialog;

use crate::pages::assessments::MyAssessments;
use crate::pages::documents::MyDocuments;
use crate::pages::money::{MyInvoices, MyQuotes};

use crate::{
    api::{ApiError, use_api},
    components::*,
    dates::date_fr,
    i18n::{Strings, use_i18n},
    pages::bilans::{ConsentTable, Data, HoursBar, NoteList, StatusStepper, consultants, hours},
};

/// The bilan to show: the newest active one, else the newest.
fn pick(mut items: Vec<Bilan>) -> Option<Bilan> {
    items.sort_by_key(|b| std::cmp::Reverse(b.created_at));
    let active = items
        .iter()
        .position(|b| crate::pages::bilans::is_active(b.status));
    match active {
        Some(n) => Some(items.swap_remove(n)),
        None => items.into_iter().next(),
    }
}

fn next_text(t: &Strings, s: BilanStatus) -> &'static str {
    match s {
        BilanStatus::Request => t.ben_next_request,
        BilanStatus::Preliminary => t.ben_next_preliminary,
        BilanStatus::Investigation => t.ben_next_investigation,
        BilanStatus::Conclusion => t.ben_next_conclusion,
        BilanStatus::Completed => t.ben_next_completed,
        BilanStatus::Closed => t.ben_next_closed,
        BilanStatus::Abandoned => t.ben_next_abandoned,
    }
}

#[component]
pub fn Home() -> impl IntoView {
    let (i, api) = (use_i18n(), use_api());
    let version = RwSignal::new(0_u32);
    let list = crate::components::loader(move || {
        version.track();
        async move { api.bilans(1, 100, None).await.map(Data::Bilans) }
    });
    // Only a change of bilan remounts the sections (a refetch keeps the open dialog and focus).
    let loaded = Memo::new(move |_| list.with(|l| matches!(l, Some(Ok(_)))));
    let bilan = Memo::new(move |_| match list.get() {
        Some(Ok(Data::Bilans(p))) => pick(p.items),
        _ => None,
    });
    let bilan_id = Memo::new(move |_| bilan.with(|b| b.as_ref().map(|b| b.id)));
    view! {
        <Page title=move || i.t().ben_title help="mon-bilan">
            {move || match list.get() {
                Some(Err(error)) => Some(view! { <LoadError error/> }),
                _ => None,
            }}
            {move || match bilan_id.get() {
                _ if !loaded.get() => view! { <Loading/> }.into_any(),
                None => view! { <EmptyState><p data-testid="no-bilan">{i.t().ben_no_bilan}</p></EmptyState> }.into_any(),
                Some(id) => view! { <MyBilan id bilan version/> }.into_any(),
            }}
        </Page>
    }
}

#[component]
fn MyBilan(id: Uuid, bilan: Memo<Option<Bilan>>, version: RwSignal<u32>) -> impl IntoView {
    let (i, api, toasts) = (use_i18n(), use_api(), use_toasts());
    let b = move || bilan.get();
    let consents = crate::components::loader(move || {
        version.track();
        async move { api.consents(id).await.map(Data::Consents) }
    });
    let notes = crate::components::loader(move || {
        version.track();
        async move { api.notes(id).await.map(Data::Notes) }
    });
    let start_given = move || match consents.get() {
        Some(Ok(Data::Consents(v))) => Some(
            v.iter()
                .any(|c| c.kind == ConsentKind::Start && c.revoked_at.is_none()),
        ),
        _ => None,
    };
    let dialog_open = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let give = crate::components::act(move |_: &()| async move {
        error.set(None);
        let body = NewConsent {
            kind: ConsentKind::Start,
            recipient: None,
            scope: None,
            retention_months: None,
            kept: None,
        };
        match api.give_consent(id, &body).await {
            Ok(_) => {
                toasts.show(i.t().ben_consent_given);
                dialog_open.set(false);
                version.update(|v| *v += 1);
            }
            Err(e) => error.set(Some(e)),
        }
    });
    let revoke_error = RwSignal::new(None::<ApiError>);
    let revoke = crate::components::act(move |cid: &Uuid| {
        let cid = *cid;
        async move {
            revoke_error.set(None);
            match api.revoke_consent(id, cid).await {
                Ok(()) => {
                    toasts.show(i.t().consent_revoked_toast);
                    version.update(|v| *v += 1);
                }
                Err(e) => revoke_error.set(Some(e)),
            }
        }
    });
    let on_revoke = Callback::new(move |cid: Uuid| {
        revoke.dispatch(cid);
    });
    let (share_open, retention_open) = (RwSignal::new(false), RwSignal::new(false));
    view! {
        <section class="card" aria-labelledby="ou-en-est">
            <h2 id="ou-en-est">{move || i.t().ben_where}</h2>
            {move || b().map(|b| view! {
                <StatusStepper status=b.status/>
                {(!b.consultants.is_empty()).then(|| view! {
                    <p data-testid="ben-consultant">{i.t().ben_consultant.replace("{name}", &consultants(&b))}</p>
                })}
                {b.planned_end_on.map(|d| view! {
                    <p data-testid="ben-planned-end">{i.t().ben_planned_end.replace("{date}", &date_fr(d))}</p>
                })}
            })}
        </section>
        <section class="card" aria-labelledby="mes-heures">
            <h2 id="mes-heures">{move || i.t().ben_hours}</h2>
            {move || b().map(|b| view! {
                <HoursBar id="ben-heures" minutes=b.accompaniment_minutes/>
                <p class="note">{i.t().hours_personal_work.replace("{h}", &hours(b.personal_work_minutes))}</p>
            })}
        </section>
        <section class="card" aria-labelledby="a-faire" data-testid="ben-next">
            <h2 id="a-faire">{move || i.t().ben_next}</h2>
            {move || {
                let b = b()?;
                let t = i.t();
                let needs_consent = b.status == BilanStatus::Request && start_given() == Some(false);
                Some(if needs_consent {
                    view! {
                        <p>{t.ben_next_consent}</p>
                        <Button on_click=move |_| { error.set(None); dialog_open.set(true); } testid="consent-start-open">
                            {t.ben_give_consent}
                        </Button>
                    }.into_any()
                } else {
                    view! { <p data-testid="ben-next-text">{next_text(t, b.status)}</p> }.into_any()
                })
            }}
        </section>
        <section class="card" aria-labelledby="mes-consentements">
            <h2 id="mes-consentements">{move || i.t().ben_my_consents}</h2>
            <FormError error=revoke_error testid="consent-revoke-error"/>
            <ConsentTable consents on_revoke=Some(on_revoke)/>
            <p class="note">{move || i.t().agreement_intro}</p>
            <div class="toolbar">
                <Button kind=ButtonKind::Secondary on_click=move |_| share_open.set(true) testid="share-open">
                    {move || i.t().agreement_share_open}
                </Button>
                <Button kind=ButtonKind::Secondary on_click=move |_| retention_open.set(true) testid="retention-open">
                    {move || i.t().agreement_retention_open}
                </Button>
            </div>
        </section>
        <AgreementDialog id kind=ConsentKind::Share open=share_open version/>
        <AgreementDialog id kind=ConsentKind::Retention open=retention_open version/>
        <section class="card" aria-labelledby="notes-partagees">
            <h2 id="notes-partagees">{move || i.t().ben_shared_notes}</h2>
            <Loaded resource=notes let:d>
                {match d {
                    Data::Notes(v) => view! { <NoteList notes=v/> }.into_any(),
                    _ => ().into_any(),
                }}
            </Loaded>
        </section>
        <MyAssessments id version/>
        <section class="card" aria-labelledby="mon-projet">
            <h2 id="mon-projet">{move || i.t().proj.ben_title}</h2>
            <p>{move || i.t().proj.ben_intro}</p>
            <p><a href=format!("/beneficiaire/projet/{id}") data-testid="ben-project-link">{move || i.t().proj.ben_link}</a></p>
        </section>
        <MyDocuments id version/>
        <MyQuotes/>
        <MyInvoices/>
        <AccessSection id version/>
        <Dialog id="consentement" open=dialog_open title=move || i.t().ben_consent_title testid="consent-start-dialog">
            <blockquote class="statement" data-testid="consent-statement">{move || i.t().consent_start_statement}</blockquote>
            <p class="note">{move || i.t().ben_consent_free}</p>
            <FormError error testid="consent-start-error"/>
            <Button busy=give.pending() on_click=move |_| { give.dispatch(()); } testid="consent-start-confirm">
                {move || i.t().ben_consent_confirm}
            </Button>
        </Dialog>
    }
}

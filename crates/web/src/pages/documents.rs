//! Issued documents (issue 12): the documents tab of a bilan's file for its staff (issue by kind,
//! list every version with its date and fingerprint, download) and "My documents" for the beneficiary.

use boussole_shared::bilans::{Fact, FactKind};
use boussole_shared::documents::{DocumentKind, IssuedDocument};
use leptos::prelude::*;
use uuid::Uuid;

use crate::{
    api::{ApiError, use_api},
    components::*,
    dates::{date_fr, paris_fr},
    i18n::{DocStrings, use_i18n},
    pages::{no_reload, save_file},
};

pub fn kind_label(d: &DocStrings, kind: DocumentKind) -> &'static str {
    match kind {
        DocumentKind::CertificatRealisation => d.kind_certificat,
        DocumentKind::AttendanceSheet => d.kind_attendance,
        DocumentKind::PreContractInfo => d.kind_pre_contract,
        DocumentKind::TripartiteConvention => d.kind_convention,
        DocumentKind::IndividualContract => d.kind_contract,
        DocumentKind::Synthese => d.kind_synthese,
        DocumentKind::Consent => d.kind_consent,
        DocumentKind::FunderConvention => d.kind_funder_convention,
        DocumentKind::ReglementInterieur => d.kind_reglement,
    }
}

/// Every issued document of the bilan, with a download button each.
#[component]
pub fn DocumentList(id: Uuid, version: RwSignal<u32>) -> impl IntoView {
    let (i, api) = (use_i18n(), use_api());
    let docs = crate::components::loader(move || {
        version.track();
        async move { api.documents(id).await }
    });
    let error = RwSignal::new(None::<ApiError>);
    let download = crate::components::act(move |doc: &IssuedDocument| {
        let (doc_id, name) = (
            doc.id,
            format!(
                "{}-v{}.pdf",
                doc.kind.as_str().replace('_', "-"),
                doc.version
            ),
        );
        async move {
            error.set(None);
            match api.document_pdf(doc_id).await {
                Ok(bytes) => save_file(&bytes, "application/pdf", &name),
                Err(e) => error.set(Some(e)),
            }
        }
    });
    let rows = move |list: Vec<IssuedDocument>| {
        let d = i.t().docs;
        list.into_iter()
            .map(|doc| {
                let label = kind_label(d, doc.kind);
                let short = doc.sha256.chars().take(16).collect::<String>();
                let full = doc.sha256.clone();
                let (kind_key, version, issued_at) = (doc.kind.as_str(), doc.version, doc.issued_at);
                view! {
                    <tr data-testid="document-row" data-kind=kind_key>
                        <th scope="row">{label}</th>
                        <td data-label=d.col_version>{version}</td>
                        <td data-label=d.col_issued>{paris_fr(issued_at)}</td>
                        <td data-label=d.col_hash><code title=full>{short}"…"</code></td>
                        <td>
                            <Button kind=ButtonKind::Secondary on_click=move |_| { download.dispatch(doc.clone()); }
                                testid="document-download">{d.download}</Button>
                        </td>
                    </tr>
                }
            })
            .collect_view()
    };
    view! {
        <FormError error testid="document-error"/>
        {move || match docs.get() {
            None => view! { <Loading/> }.into_any(),
            Some(Err(error)) => view! { <LoadError error/> }.into_any(),
            Some(Ok(list)) if list.is_empty() => {
                view! { <EmptyState><p data-testid="documents-empty">{i.t().docs.empty}</p></EmptyState> }.into_any()
            }
            Some(Ok(list)) => {
                let d = i.t().docs;
                let caption = d.list_caption.replace("{n}", &list.len().to_string());
                view! {
                    <div class="table-wrap table-cards" tabindex="0" role="region" aria-label=d.tab>
                        <table data-testid="documents-table">
                            <caption>{caption}</caption>
                            <thead><tr>
                                <th scope="col">{d.col_document}</th>
                                <th scope="col">{d.col_version}</th>
                                <th scope="col">{d.col_issued}</th>
                                <th scope="col">{d.col_hash}</th>
                                <th scope="col"><span class="visually-hidden">{d.download}</span></th>
                            </tr></thead>
                            <tbody>{rows(list)}</tbody>
                        </table>
                    </div>
                }
                .into_any()
            }
        }}
    }
}

/// The documents tab of a bilan's file (its admins and consultants): the list, issuing one, and the
/// signature of conventions and contracts.
#[component]
pub fn DocumentsPanel(id: Uuid, version: RwSignal<u32>, beneficiary: String) -> impl IntoView {
    let (i, api, toasts) = (use_i18n(), use_api(), use_toasts());
    let kind = RwSignal::new(DocumentKind::CertificatRealisation.as_str().to_string());
    let error = RwSignal::new(None::<ApiError>);
    let issue = crate::components::act(move |_: &()| {
        let kind = DocumentKind::parse(&kind.get_untracked());
        async move {
            let Some(kind) = kind else { return };
            error.set(None);
            match api.issue_document(id, kind).await {
                Ok(_) => {
                    toasts.show(i.t().docs.issued);
                    version.update(|v| *v += 1);
                }
                Err(e) => error.set(Some(e)),
            }
        }
    });
    // The synthèse is issued from its editor, once approved.
    let options: Vec<(&'static str, TextProp)> = DocumentKind::ALL
        .iter()
        .filter(|k| !k.is_content())
        .map(|k| {
            let k = *k;
            (
                k.as_str(),
                TextProp::from(move || kind_label(i.t().docs, k)),
            )
        })
        .collect();
    view! {
        <DocumentList id version/>
        <section class="card" aria-labelledby="document-emission">
            <h2 id="document-emission">{move || i.t().docs.issue_title}</h2>
            <p class="hint">{move || i.t().docs.issue_hint}</p>
            <form class="form" novalidate data-testid="document-form" on:submit=move |ev| {
                no_reload(&ev);
                issue.dispatch(());
            }>
                <FormError error testid="document-issue-error"/>
                <SelectField id="document-kind" label=move || i.t().docs.kind value=kind testid="document-kind" options/>
                <Button submit=true busy=issue.pending() testid="document-issue">{move || i.t().docs.issue}</Button>
            </form>
        </section>
        <crate::pages::signatures::SignaturesPanel id version beneficiary/>
    }
}

/// "My documents", on the beneficiary's home.
#[component]
pub fn MyDocuments(id: Uuid, version: RwSignal<u32>) -> impl IntoView {
    let i = use_i18n();
    view! {
        <section class="card" aria-labelledby="mes-documents" data-testid="my-documents">
            <h2 id="mes-documents">{move || i.t().docs.mine_title}</h2>
            <p class="note">{move || i.t().docs.mine_intro}</p>
            <DocumentList id version/>
            <ReglementAck id version/>
            <p><a href=format!("/bilans/{id}/fichiers") data-testid="ben-files-link">{move || i.t().msg.files_title}</a></p>
            <p><a href=format!("/bilans/{id}/synthese") data-testid="ben-synthesis-link">{move || i.t().synth.ben_link}</a></p>
        </section>
    }
}

/// Where the beneficiary stands with the règlement intérieur: `None` while none was issued for the
/// bilan, else the day they said they had read it (`Some(None)`: not yet).
pub fn reglement_read_on(
    docs: &[IssuedDocument],
    facts: &[Fact],
) -> Option<Option<chrono::NaiveDate>> {
    docs.iter()
        .any(|d| d.kind == DocumentKind::ReglementInterieur)
        .then(|| {
            facts
                .iter()
                .find(|f| f.kind == FactKind::ReglementInterieurAcknowledged)
                .map(|f| f.occurred_on)
        })
}

/// The règlement intérieur issued for the bilan, and the beneficiary's "I have read it" (L6352-3),
/// dated once given.
#[component]
fn ReglementAck(id: Uuid, version: RwSignal<u32>) -> impl IntoView {
    let (i, api) = (use_i18n(), use_api());
    let state = crate::components::loader(move || {
        version.track();
        async move {
            let docs = api.documents(id).await?;
            let facts = api.facts(id).await?;
            Ok::<_, ApiError>(reglement_read_on(&docs, &facts))
        }
    });
    // Kept apart from the load so that the status line stays in place and announces the date.
    let read = RwSignal::new(None::<chrono::NaiveDate>);
    let issued = Memo::new(move |_| matches!(state.get(), Some(Ok(Some(_)))));
    crate::components::effect(move |_| {
        if let Some(Ok(Some(on))) = state.get() {
            read.set(on);
        }
    });
    let error = RwSignal::new(None::<ApiError>);
    let ack = crate::components::act(move |_: &()| async move {
        error.set(None);
        match api.acknowledge_reglement(id).await {
            Ok(fact) => {
                read.set(Some(fact.occurred_on));
                // The button is gone: focus goes to what replaced it.
                focus_later("reglement-lu");
            }
            Err(e) => error.set(Some(e)),
        }
    });
    move || {
        issued.get().then(|| {
            view! {
                <div data-testid="reglement-ack">
                    <h3>{move || i.t().legal.ack_title}</h3>
                    <p class="note">{move || i.t().legal.ack_intro}</p>
                    <FormError error testid="reglement-ack-error"/>
                    <p id="reglement-lu" tabindex="-1" role="status" data-testid="reglement-ack-done">
                        {move || read.get().map(|d| i.t().legal.ack_done.replace("{date}", &date_fr(d)))}
                    </p>
                    {move || read.get().is_none().then(|| view! {
                        <Button busy=ack.pending() on_click=move |_| { ack.dispatch(()); } testid="reglement-ack-button">
                            {move || i.t().legal.ack_button}
                        </Button>
                    })}
                </div>
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;

    fn doc(kind: DocumentKind) -> IssuedDocument {
        IssuedDocument {
            id: Uuid::nil(),
            bilan_id: Uuid::nil(),
            kind,
            version: 1,
            title: String::new(),
            sha256: String::new(),
            size: 1,
            issued_by: Uuid::nil(),
            issued_at: chrono::DateTime::UNIX_EPOCH,
        }
    }

    fn fact(kind: FactKind, on: NaiveDate) -> Fact {
        Fact {
            id: Uuid::nil(),
            kind,
            occurred_on: on,
            recorded_at: on.and_hms_opt(9, 0, 0).unwrap().and_utc(),
        }
    }

    #[test]
    fn the_acknowledgement_shows_once_the_reglement_is_issued_with_its_date() {
        let day = NaiveDate::from_ymd_opt(2026, 12, 3).unwrap();
        let ri = [
            doc(DocumentKind::PreContractInfo),
            doc(DocumentKind::ReglementInterieur),
        ];
        let other = fact(FactKind::PreContractInfo, day);
        // None issued: nothing to acknowledge, whatever the facts.
        assert_eq!(reglement_read_on(&ri[..1], &[]), None);
        assert_eq!(
            reglement_read_on(&ri, std::slice::from_ref(&other)),
            Some(None)
        );
        let read = fact(FactKind::ReglementInterieurAcknowledged, day);
        assert_eq!(reglement_read_on(&ri, &[other, read]), Some(Some(day)));
    }
}

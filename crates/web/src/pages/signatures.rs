//! Electronic signature in a bilan's documents tab (issue 12): the staff send the newest convention or
//! contract for signature with its signers in order, follow each signer (waiting, link sent, signed
//! on …), remind the one whose turn it is, cancel, and download the signed original with its
//! evidence page. The signing itself is `sign.rs` (`/signer?token=…`).

use boussole_shared::documents::{DocumentKind, IssuedDocument};
use boussole_shared::signatures::{
    NewSignatureRequest, NewSigner, SignatureRequest, SignatureStatus, Signer, SignerRole,
};
use leptos::prelude::*;
use uuid::Uuid;

use crate::{
    api::{ApiError, use_api},
    components::*,
    dates::paris_fr,
    i18n::{SignStrings, use_i18n},
    pages::{documents::kind_label, no_reload, save_file},
};

/// The kinds that are signed, and by whom in the order the form proposes.
fn signers_of(kind: DocumentKind) -> &'static [SignerRole] {
    match kind {
        DocumentKind::TripartiteConvention => &[
            SignerRole::Beneficiary,
            SignerRole::Organisation,
            SignerRole::Employer,
        ],
        DocumentKind::IndividualContract => &[SignerRole::Beneficiary, SignerRole::Organisation],
        _ => &[],
    }
}

fn role_label(s: &SignStrings, role: SignerRole) -> &'static str {
    match role {
        SignerRole::Beneficiary => s.st_role_beneficiary,
        SignerRole::Organisation => s.st_role_organisation,
        SignerRole::Employer => s.st_role_employer,
    }
}

fn status_badge(s: &SignStrings, status: SignatureStatus) -> (Tone, &'static str) {
    match status {
        SignatureStatus::Pending => (Tone::Warn, s.st_pending),
        SignatureStatus::Completed => (Tone::Ok, s.st_completed),
        SignatureStatus::Cancelled => (Tone::Muted, s.st_cancelled),
        SignatureStatus::Expired => (Tone::Muted, s.st_expired),
        SignatureStatus::RefusedBySilence => (Tone::Muted, s.st_refused),
    }
}

/// Where a signer stands: signed on …, link sent (or reminded) on …, waiting for earlier ones.
pub fn signer_state(s: &SignStrings, signer: &Signer) -> (&'static str, String) {
    match (signer.signed_at, signer.reminded_at, signer.invited_at) {
        (Some(at), _, _) => ("signed", s.st_signed.replace("{date}", &paris_fr(at))),
        (None, Some(at), _) => ("invited", s.st_reminded.replace("{date}", &paris_fr(at))),
        (None, None, Some(at)) => ("invited", s.st_invited.replace("{date}", &paris_fr(at))),
        (None, None, None) => ("waiting", s.st_waiting.to_string()),
    }
}

/// The signable documents, newest first, and the newest version of each kind (the only one that may be
/// sent: the API refuses a superseded one).
fn signable(list: &[IssuedDocument]) -> (Vec<IssuedDocument>, Vec<IssuedDocument>) {
    let mut all: Vec<IssuedDocument> = list
        .iter()
        .filter(|d| !signers_of(d.kind).is_empty())
        .cloned()
        .collect();
    all.sort_by_key(|b| std::cmp::Reverse(b.issued_at));
    let mut newest: Vec<IssuedDocument> = Vec::new();
    for doc in &all {
        if !newest.iter().any(|d| d.kind == doc.kind) {
            newest.push(doc.clone());
        }
    }
    (all, newest)
}

/// The signature section of the documents tab (staff).
#[component]
pub fn SignaturesPanel(id: Uuid, version: RwSignal<u32>, beneficiary: String) -> impl IntoView {
    let (i, api) = (use_i18n(), use_api());
    let docs = loader(move || {
        version.track();
        async move { api.documents(id).await.map(|l| signable(&l)) }
    });
    view! {
            <section class="card" aria-labelledby="signatures-titre" data-testid="signatures">
                <h2 id="signatures-titre">{move || i.t().sign.st_title}</h2>
                <p class="hint">{move || i.t().sign.st_intro}</p>
                <Loaded resource=docs let:data>{
        let (all, newest): (Vec<IssuedDocument>, Vec<IssuedDocument>) = data;
        {
                    if all.is_empty() {
                        return view! { <p data-testid="signatures-none">{move || i.t().sign.st_none}</p> }.into_any();
                    }
                    let requests = all
                        .into_iter()
                        .map(|doc| view! { <Requests doc version/> })
                        .collect_view();
                    view! {
                        <SendForm docs=newest beneficiary=beneficiary.clone() version/>
                        <h3>{move || i.t().sign.st_requests}</h3>
                        {requests}
                    }
                    .into_any()
                }
    }</Loaded>
            </section>
        }
}

/// The requests of one document, newest first.
#[component]
fn Requests(doc: IssuedDocument, version: RwSignal<u32>) -> impl IntoView {
    let (i, api, toasts) = (use_i18n(), use_api(), use_toasts());
    let doc_id = doc.id;
    let requests = loader(move || {
        version.track();
        async move { api.signature_requests(doc_id).await }
    });
    let error = RwSignal::new(None::<ApiError>);
    // (request, verb): remind or cancel.
    let act_on = act(move |(request, verb): &(Uuid, &'static str)| {
        let (request, verb) = (*request, *verb);
        async move {
            error.set(None);
            match api.signature_action(request, verb).await {
                Ok(_) => {
                    let s = i.t().sign;
                    toasts.show(if verb == "cancel" {
                        s.st_cancelled_toast
                    } else {
                        s.st_reminded_toast
                    });
                    requests.refetch();
                }
                Err(e) => error.set(Some(e)),
            }
        }
    });
    let download = act(move |request: &Uuid| {
        let request = *request;
        async move {
            error.set(None);
            match api.signed_pdf(request).await {
                Ok(file) => save_file(
                    &file.bytes,
                    "application/pdf",
                    file.name.as_deref().unwrap_or("document-signe.pdf"),
                ),
                Err(e) => error.set(Some(e)),
            }
        }
    });
    let (kind, doc_version) = (doc.kind, doc.version);
    let one = move |r: SignatureRequest| {
        let s = i.t().sign;
        let (tone, label) = status_badge(s, r.status);
        let rid = r.id;
        let pending = r.status == SignatureStatus::Pending;
        let signers = r
            .signers
            .iter()
            .map(|signer| {
                let (state, text) = signer_state(s, signer);
                view! {
                    <li data-testid="signer" data-role=signer.role.as_str() data-state=state>
                        <strong>{role_label(s, signer.role)}</strong>
                        " : "{signer.name.clone()}" ("{signer.email.clone()}") — "{text}
                    </li>
                }
            })
            .collect_view();
        view! {
            <li class="sig-request" data-testid="signature-request" data-status=r.status.as_str()>
                <p>
                    <StatusBadge tone label/>
                    " "{s.st_created.replace("{date}", &paris_fr(r.created_at))}
                </p>
                {r.answer_by.filter(|_| pending).map(|at| view! {
                    <p class="hint">{s.st_answer_by.replace("{date}", &paris_fr(at))}</p>
                })}
                <ol class="signers">{signers}</ol>
                <div class="toolbar">
                    {pending.then(|| view! {
                        <Button kind=ButtonKind::Secondary on_click=move |_| { act_on.dispatch((rid, "remind")); }
                            testid="signature-remind">{s.st_remind}</Button>
                        <Button kind=ButtonKind::Secondary on_click=move |_| { act_on.dispatch((rid, "cancel")); }
                            testid="signature-cancel">{s.st_cancel}</Button>
                    })}
                    {r.signed_sha256.is_some().then(|| view! {
                        <Button on_click=move |_| { download.dispatch(rid); }
                            testid="signature-download">{s.st_download}</Button>
                    })}
                </div>
            </li>
        }
    };
    view! {
            <div data-testid="signature-requests" data-kind=kind.as_str()>
                <h4>{move || {
                    let t = i.t();
                    t.sign.st_request_of
                        .replace("{doc}", kind_label(t.docs, kind))
                        .replace("{v}", &doc_version.to_string())
                }}</h4>
                <FormError error testid="signature-error"/>
                <Loaded resource=requests let:data>{
        let list: Vec<SignatureRequest> = data;
        {
                    if list.is_empty() {
                        return view! { <p class="hint">{move || i.t().sign.st_not_sent}</p> }.into_any();
                    }
                    view! { <ul class="plain">{list.into_iter().rev().map(one).collect_view()}</ul> }.into_any()
                }
    }</Loaded>
            </div>
        }
}

/// Name, email and phone of a signer other than the beneficiary.
#[derive(Clone, Copy)]
struct Party {
    name: RwSignal<String>,
    email: RwSignal<String>,
    phone: RwSignal<String>,
}

impl Party {
    fn new() -> Self {
        Party {
            name: RwSignal::new(String::new()),
            email: RwSignal::new(String::new()),
            phone: RwSignal::new(String::new()),
        }
    }

    fn signer(self, role: SignerRole) -> NewSigner {
        let opt = |s: RwSignal<String>| {
            Some(s.get_untracked().trim().to_string()).filter(|v| !v.is_empty())
        };
        NewSigner {
            role,
            name: opt(self.name),
            email: opt(self.email),
            phone: opt(self.phone),
        }
    }
}

/// The form: which document, then the signers in order.
#[component]
fn SendForm(
    docs: Vec<IssuedDocument>,
    beneficiary: String,
    version: RwSignal<u32>,
) -> impl IntoView {
    let (i, api, toasts) = (use_i18n(), use_api(), use_toasts());
    let first = docs
        .first()
        .map(|d| d.kind)
        .unwrap_or(DocumentKind::TripartiteConvention);
    let kind = RwSignal::new(first.as_str().to_string());
    let (org, employer) = (Party::new(), Party::new());
    // The organisation's representative, from its identity (editable: another person may sign).
    let identity = loader(move || async move { api.organisation().await });
    effect(move |_| {
        if let Some(Ok(o)) = identity.get()
            && org.name.with_untracked(String::is_empty)
        {
            org.name.set(o.representative_name);
        }
    });
    let error = RwSignal::new(None::<ApiError>);
    let options: Vec<(&'static str, TextProp)> = docs
        .iter()
        .map(|d| {
            let k = d.kind;
            (
                k.as_str(),
                TextProp::from(move || kind_label(i.t().docs, k)),
            )
        })
        .collect();
    let chosen = move || {
        let k = DocumentKind::parse(&kind.get())?;
        docs.iter().find(|d| d.kind == k).map(|d| (d.id, k))
    };
    let chosen = Memo::new(move |_| chosen());
    let send = act(move |_: &()| {
        let chosen = chosen.get_untracked();
        async move {
            let Some((doc, k)) = chosen else { return };
            error.set(None);
            let signers = signers_of(k)
                .iter()
                .map(|role| match role {
                    SignerRole::Beneficiary => NewSigner {
                        role: *role,
                        name: None,
                        email: None,
                        phone: None,
                    },
                    SignerRole::Organisation => org.signer(*role),
                    SignerRole::Employer => employer.signer(*role),
                })
                .collect();
            match api
                .request_signatures(doc, NewSignatureRequest { signers })
                .await
            {
                Ok(_) => {
                    toasts.show(i.t().sign.st_sent);
                    version.update(|v| *v += 1);
                }
                Err(e) => error.set(Some(e)),
            }
        }
    });
    let position = move |role: SignerRole| {
        chosen
            .get()
            .and_then(|(_, k)| signers_of(k).iter().position(|r| *r == role))
            .map_or(0, |p| p + 1)
    };
    let role_title = move |role: SignerRole| {
        move || {
            let s = i.t().sign;
            format!("{}. {}", position(role), role_label(s, role))
        }
    };
    let is_convention = move || {
        chosen
            .get()
            .is_some_and(|(_, k)| k == DocumentKind::TripartiteConvention)
    };
    let b = beneficiary.clone();
    view! {
        <form class="form" novalidate data-testid="signature-form" on:submit=move |ev| {
            no_reload(&ev);
            send.dispatch(());
        }>
            <h3>{move || i.t().sign.st_send}</h3>
            <FormError error testid="signature-form-error"/>
            <SelectField id="signature-document" label=move || i.t().sign.st_document value=kind
                testid="signature-document" options/>
            <fieldset>
                <legend>{move || i.t().sign.st_signers}</legend>
                <h4>{role_title(SignerRole::Beneficiary)}</h4>
                <p data-testid="signer-beneficiary">{move || i.t().sign.st_from_account.replace("{name}", &b)}</p>
                <h4>{role_title(SignerRole::Organisation)}</h4>
                <PartyFields party=org ids=["signer-org-name", "signer-org-email", "signer-org-phone"] index=move || position(SignerRole::Organisation) error/>
                <Show when=is_convention>
                    <h4>{role_title(SignerRole::Employer)}</h4>
                    <PartyFields party=employer ids=["signer-employer-name", "signer-employer-email", "signer-employer-phone"] index=move || position(SignerRole::Employer) error/>
                </Show>
            </fieldset>
            <Button submit=true busy=send.pending() testid="signature-send">{move || i.t().sign.st_send}</Button>
        </form>
    }
}

/// A signer's three fields (not autocompleted: they are someone else's); the API names their errors `signers[n].email`, `n` from 0 in the order sent.
#[component]
fn PartyFields(
    party: Party,
    /// The ids of the name, email and phone fields (also their test ids).
    ids: [&'static str; 3],
    index: impl Fn() -> usize + Copy + Send + Sync + 'static,
    error: RwSignal<Option<ApiError>>,
) -> impl IntoView {
    let i = use_i18n();
    let field = move |name: &'static str| {
        Signal::derive(move || {
            let n = index().saturating_sub(1);
            error.with(|e| {
                let e = e.as_ref()?;
                e.field(&format!("signers[{n}].{name}")).or_else(|| {
                    (name == "name")
                        .then(|| e.field(&format!("signers[{n}]")))
                        .flatten()
                })
            })
        })
    };
    let [name, email, phone] = ids;
    view! {
        <TextField id=name label=move || i.t().sign.st_name value=party.name required=true
            error=field("name") testid=name/>
        <TextField id=email kind="email" label=move || i.t().sign.st_email value=party.email required=true
            error=field("email") testid=email/>
        <TextField id=phone kind="tel" label=move || i.t().sign.st_phone value=party.phone
            error=field("phone") testid=phone/>
    }
}

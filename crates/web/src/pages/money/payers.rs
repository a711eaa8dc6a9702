//! `/admin/payeurs`: the payer directory (companies, OPCOs, France Travail, the Caisse des Dépôts,
//! beneficiaries who pay themselves): list by kind or name, add, edit.

use boussole_shared::money::{NewPayer, Payer, PayerFilter, PayerKind};
use leptos::prelude::*;

use super::{PAYER_KINDS, payer_kind};
use crate::{
    api::{ApiError, use_api},
    components::*,
    i18n::use_i18n,
    pages::no_reload,
};

const PER_PAGE: i64 = 20;

/// (value, label) options of the payer kinds, after `first` ("all" or "choose").
pub fn kind_options(first: TextProp) -> Vec<(&'static str, TextProp)> {
    let i = use_i18n();
    let mut options = vec![("", first)];
    options.extend(PAYER_KINDS.iter().map(|k| {
        let k = *k;
        (
            k.as_str(),
            TextProp::from(move || payer_kind(i.t().money, k)),
        )
    }));
    options
}

/// Blank → None, else the trimmed text.
fn optional(s: RwSignal<String>) -> Option<String> {
    Some(s.get_untracked().trim().to_string()).filter(|s| !s.is_empty())
}

#[component]
pub fn Payers() -> impl IntoView {
    let (i, api) = (use_i18n(), use_api());
    let (q, kind) = (RwSignal::new(String::new()), RwSignal::new(String::new()));
    let filter = RwSignal::new(PayerFilter::default());
    let page = RwSignal::new(1_i64);
    let version = RwSignal::new(0_u32);
    let payers = crate::components::loader(move || {
        version.track();
        let (f, p) = (filter.get(), page.get());
        async move { api.payers(p, PER_PAGE, &f).await }
    });
    let open = RwSignal::new(false);
    let editing = RwSignal::new(None::<Payer>);
    let apply = move |ev: leptos::ev::SubmitEvent| {
        no_reload(&ev);
        filter.set(PayerFilter {
            q: optional(q),
            kind: PayerKind::parse(&kind.get_untracked()),
            external_ref: None,
        });
        page.set(1);
    };
    let row = move |p: Payer| {
        let m = i.t().money;
        let label = format!("{} {}", m.edit, p.name);
        let (name, siret, contact) = (
            p.name.clone(),
            p.siret.clone().unwrap_or_default(),
            [p.contact_name.as_str(), p.email.as_str()]
                .iter()
                .filter(|s| !s.is_empty())
                .copied()
                .collect::<Vec<_>>()
                .join(" — "),
        );
        view! {
            <tr data-testid="payer-row">
                <th scope="row">{name}</th>
                <td data-label=m.kind>{payer_kind(m, p.kind)}</td>
                <td data-label=m.siret>{siret}</td>
                <td data-label=m.contact_name>{contact}</td>
                <td>
                    <button type="button" class="btn btn-secondary btn-small" aria-label=label
                        on:click=move |_| { editing.set(Some(p.clone())); open.set(true); }
                        data-testid="payer-edit">{m.edit}</button>
                </td>
            </tr>
        }
    };
    view! {
        <Page title=move || i.t().money.payers_title help="payeurs">
            <div class="toolbar">
                <Button on_click=move |_| { editing.set(None); open.set(true); } testid="payer-new">
                    {move || i.t().money.payer_new}
                </Button>
            </div>
            <form class="filters" on:submit=apply role="search" data-testid="payers-filters">
                <TextField id="payers-q" label=move || i.t().search value=q kind="search"
                    hint=move || i.t().money.search_hint testid="payers-search"/>
                <SelectField id="payers-kind" label=move || i.t().money.kind value=kind testid="payers-kind"
                    options=kind_options((move || i.t().all).into())/>
                <Button submit=true kind=ButtonKind::Secondary testid="payers-filter-submit">{move || i.t().filter}</Button>
            </form>
            <Loaded resource=payers let:list>
                <Paged list empty=move || i.t().money.payers_empty page per_page=PER_PAGE children=move |p| {
                    let m = i.t().money;
                    view! {
                        <div class="table-wrap table-cards" tabindex="0" role="region" aria-label=m.payers_title>
                            <table data-testid="payers-table">
                                <caption>{m.payers_caption.replace("{n}", &p.total.to_string())}</caption>
                                <thead><tr>
                                    <th scope="col">{i.t().name}</th>
                                    <th scope="col">{m.kind}</th>
                                    <th scope="col">{m.siret}</th>
                                    <th scope="col">{m.contact_name}</th>
                                    <th scope="col">{i.t().actions}</th>
                                </tr></thead>
                                <tbody>{p.items.into_iter().map(row).collect_view()}</tbody>
                            </table>
                        </div>
                    }
                }/>
            </Loaded>
            <PayerDialog open editing saved=Callback::new(move |_| version.update(|v| *v += 1))/>
        </Page>
    }
}

/// Adds a payer (`editing` None) or edits one; the API's messages show beside their fields.
#[component]
pub fn PayerDialog(
    open: RwSignal<bool>,
    editing: RwSignal<Option<Payer>>,
    saved: Callback<Payer>,
) -> impl IntoView {
    let (i, api, toasts) = (use_i18n(), use_api(), use_toasts());
    let kind = RwSignal::new(String::new());
    let [name, siret, vat, address, contact, email] =
        std::array::from_fn(|_| RwSignal::new(String::new()));
    let error = RwSignal::new(None::<ApiError>);
    // Each opening starts from the payer edited, or blank.
    crate::components::effect(move |_| {
        if !open.get() {
            return;
        }
        error.set(None);
        let p = editing.get_untracked();
        let text = |f: fn(&Payer) -> String| p.as_ref().map(f).unwrap_or_default();
        kind.set(text(|p| p.kind.as_str().to_string()));
        name.set(text(|p| p.name.clone()));
        siret.set(text(|p| p.siret.clone().unwrap_or_default()));
        vat.set(text(|p| p.vat_number.clone().unwrap_or_default()));
        address.set(text(|p| p.address.clone()));
        contact.set(text(|p| p.contact_name.clone()));
        email.set(text(|p| p.email.clone()));
    });
    let save = crate::components::act(move |_: &()| {
        let body = NewPayer {
            kind: PayerKind::parse(&kind.get_untracked()),
            name: name.get_untracked().trim().to_string(),
            siret: optional(siret),
            vat_number: optional(vat),
            address: address.get_untracked().trim().to_string(),
            contact_name: contact.get_untracked().trim().to_string(),
            email: email.get_untracked().trim().to_string(),
            user_id: editing.with_untracked(|p| p.as_ref().and_then(|p| p.user_id)),
            // Absent: the API keeps a company's CRM id.
            external_ref: None,
        };
        let id = editing.with_untracked(|p| p.as_ref().map(|p| p.id));
        async move {
            error.set(None);
            let out = match id {
                Some(id) => api.update_payer(id, &body).await,
                None => api.create_payer(&body).await,
            };
            match out {
                Ok(p) => {
                    toasts.show(i.t().money.payer_saved);
                    open.set(false);
                    saved.run(p);
                }
                Err(e) => error.set(Some(e)),
            }
        }
    });
    let title = move || {
        let m = i.t().money;
        if editing.with(Option::is_some) {
            m.payer_edit
        } else {
            m.payer_new
        }
    };
    view! {
        <Dialog id="payeur" open title testid="payer-dialog">
            <form class="form" novalidate data-testid="payer-form" on:submit=move |ev| {
                no_reload(&ev);
                save.dispatch(());
            }>
                <FormError error testid="payer-error"/>
                <SelectField id="payer-kind" label=move || i.t().money.kind value=kind testid="payer-kind"
                    error=field_error(error, "kind") options=kind_options((move || i.t().money.payer_choose).into())/>
                <TextField id="payer-name" label=move || i.t().money.payer_name value=name required=true
                    error=field_error(error, "name") testid="payer-name"/>
                <TextField id="payer-siret" label=move || i.t().money.siret value=siret
                    hint=move || i.t().money.siret_hint error=field_error(error, "siret") testid="payer-siret"/>
                <TextField id="payer-vat" label=move || i.t().money.vat_number value=vat
                    error=field_error(error, "vat_number") testid="payer-vat"/>
                <TextArea id="payer-address" label=move || i.t().money.address value=address required=true
                    error=field_error(error, "address") testid="payer-address"/>
                <TextField id="payer-contact" label=move || i.t().money.contact_name value=contact
                    error=field_error(error, "contact_name") testid="payer-contact"/>
                <TextField id="payer-email" label=move || i.t().money.email value=email kind="email"
                    error=field_error(error, "email") testid="payer-email"/>
                <Button submit=true busy=save.pending() testid="payer-save">{move || i.t().save}</Button>
            </form>
        </Dialog>
    }
}

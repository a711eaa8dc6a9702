//! The staff's questionnaires (`/outils/questionnaires`): the catalogue (shipped instruments with
//! their source and licence, the team's with their author and version), a new questionnaire (from
//! scratch or from a copy, `?copie=<id>`), and one questionnaire: a shipped one read-only with its
//! preview, a custom one in the editor to make its next version.

use boussole_shared::assessments::{Answer, Instrument, InstrumentSummary};
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::{
    AData,
    draft::Draft,
    editor::{Editor, LIST_PATH},
    items::ItemField,
    state::{AnswerMap, lt},
};
use crate::{
    api::{Api, ApiResult, use_api},
    components::*,
    i18n::use_i18n,
};

fn edit_path(id: &str) -> String {
    format!("{LIST_PATH}/{id}")
}

fn copy_path(id: &str) -> String {
    format!("{LIST_PATH}/nouveau?copie={id}")
}

/// "Marie Martin", for the author of a new questionnaire.
fn author(api: Api) -> String {
    api.session.with_untracked(|s| {
        s.as_ref()
            .map(|s| format!("{} {}", s.user.first_name, s.user.last_name))
            .unwrap_or_default()
    })
}

/// An instrument (latest version) and the catalogue, for the editor (taken ids) and for knowing
/// whether the instrument is a shipped one.
async fn load(api: Api, id: Option<String>) -> ApiResult<AData> {
    let list = api.instruments().await?;
    match id {
        Some(id) => {
            let inst = api.latest_instrument(&id).await?;
            Ok(AData::Editing(Box::new(inst), list))
        }
        None => Ok(AData::Instruments(list)),
    }
}

fn ids(list: &[InstrumentSummary]) -> Vec<String> {
    list.iter().map(|s| s.id.clone()).collect()
}

#[component]
pub fn InstrumentsPage() -> impl IntoView {
    let (i, api) = (use_i18n(), use_api());
    let data = crate::components::loader(move || load(api, None));
    view! {
        <Page title=move || i.t().builder.list_title help="creer-questionnaire">
            <p>{move || i.t().builder.list_intro}</p>
            <p><a class="btn btn-primary" href=format!("{LIST_PATH}/nouveau") data-testid="instrument-new">{move || i.t().builder.new_button}</a></p>
            <Loaded resource=data let:d>
                {match d {
                    AData::Instruments(list) => {
                        let t = i.t().builder;
                        let l = i.locale.get();
                        view! {
                            <div class="table-wrap" tabindex="0" role="region" aria-label=t.list_caption>
                                <table data-testid="instruments-table">
                                    <caption>{t.list_caption}</caption>
                                    <thead><tr>
                                        <th scope="col">{t.col_title}</th>
                                        <th scope="col">{t.col_origin}</th>
                                        <th scope="col">{t.col_version}</th>
                                        <th scope="col">{t.col_items}</th>
                                        <th scope="col">{t.col_actions}</th>
                                    </tr></thead>
                                    <tbody>
                                        {list.into_iter().map(|s| {
                                            let title = lt(&s.title, l).to_string();
                                            let origin = if s.custom {
                                                view! { <StatusBadge tone=Tone::Warn label=t.custom/>" "{t.author.replace("{name}", &s.attribution)} }.into_any()
                                            } else {
                                                view! {
                                                    <StatusBadge tone=Tone::Ok label=t.standard/>" "
                                                    {t.source_licence.replace("{source}", &s.source).replace("{licence}", &s.licence)}
                                                }.into_any()
                                            };
                                            view! {
                                                <tr data-testid="instrument-row" data-instrument=s.id.clone()>
                                                    <th scope="row" class="wrap">{title.clone()}</th>
                                                    <td class="wrap">{origin}</td>
                                                    <td data-testid="instrument-version">{s.version}</td>
                                                    <td>{s.item_count}</td>
                                                    <td class="wrap">
                                                        <a href=edit_path(&s.id) data-testid="instrument-open">
                                                            {if s.custom { t.new_version } else { t.open }}
                                                            <span class="visually-hidden">{format!(" : {title}")}</span>
                                                        </a>" · "
                                                        <a href=copy_path(&s.id) data-testid="instrument-copy">
                                                            {t.copy}<span class="visually-hidden">{format!(" : {title}")}</span>
                                                        </a>
                                                    </td>
                                                </tr>
                                            }
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                        }.into_any()
                    }
                    _ => ().into_any(),
                }}
            </Loaded>
        </Page>
    }
}

/// `/outils/questionnaires/nouveau[?copie=<id>]`.
#[component]
pub fn NewInstrumentPage() -> impl IntoView {
    let (i, api) = (use_i18n(), use_api());
    let copy = use_query_map().with_untracked(|q| q.get("copie").filter(|s| !s.is_empty()));
    let data = crate::components::loader(move || load(api, copy.clone()));
    view! {
        <Page title=move || i.t().builder.new_title help="creer-questionnaire">
            <p><a href=LIST_PATH>{move || i.t().builder.back_to_list}</a></p>
            <Loaded resource=data let:d>
                {
                    let (lang, who) = (i.locale.get_untracked(), author(api));
                    match d {
                        AData::Instruments(list) => {
                            view! { <Editor start=Draft::new(lang, &who) taken=ids(&list)/> }.into_any()
                        }
                        AData::Editing(inst, list) => {
                            let note = i.t().builder.copy_note.replace("{title}", lt(&inst.title, lang));
                            let start = Draft::from_instrument(&inst, true, &who, lang);
                            view! { <Editor start taken=ids(&list) note/> }.into_any()
                        }
                        _ => ().into_any(),
                    }
                }
            </Loaded>
        </Page>
    }
}

/// `/outils/questionnaires/:id`: a custom questionnaire's next version, or a shipped one to read.
#[component]
pub fn InstrumentPage() -> impl IntoView {
    let (i, api) = (use_i18n(), use_api());
    let id = use_params_map().with_untracked(|p| p.get("id").unwrap_or_default());
    let data = crate::components::loader(move || load(api, Some(id.clone())));
    let title = move || match data.get() {
        Some(Ok(AData::Editing(inst, list))) => {
            let name = lt(&inst.title, i.locale.get()).to_string();
            if is_custom(&inst.id, &list) {
                i.t().builder.version_title.replace("{title}", &name)
            } else {
                name
            }
        }
        _ => i.t().builder.list_title.to_string(),
    };
    view! {
        <Page title>
            <p><a href=LIST_PATH>{move || i.t().builder.back_to_list}</a></p>
            <Loaded resource=data let:d>
                {match d {
                    AData::Editing(inst, list) if is_custom(&inst.id, &list) => {
                        let t = i.t().builder;
                        let lang = if inst.title.en.is_some() { boussole_shared::users::Locale::En } else { boussole_shared::users::Locale::Fr };
                        let note = t.version_note
                            .replace("{n}", &inst.version.to_string())
                            .replace("{m}", &(inst.version + 1).to_string());
                        let start = Draft::from_instrument(&inst, false, &author(api), lang);
                        view! { <Editor start taken=ids(&list) note/> }.into_any()
                    }
                    AData::Editing(inst, _) => view! { <Shipped inst=*inst/> }.into_any(),
                    _ => ().into_any(),
                }}
            </Loaded>
        </Page>
    }
}

fn is_custom(id: &str, list: &[InstrumentSummary]) -> bool {
    list.iter().any(|s| s.id == id && s.custom)
}

/// A shipped instrument: where it comes from, a copy link, and its items as answered.
#[component]
fn Shipped(inst: Instrument) -> impl IntoView {
    let i = use_i18n();
    let answers = RwSignal::new(AnswerMap::new());
    let on_answer = Callback::new(|_: Answer| {});
    let t = i.t();
    let mut n = 0;
    let items = inst
        .sections
        .iter()
        .flat_map(|s| s.items.clone())
        .map(|item| {
            n += 1;
            view! { <ItemField item number=n answers on_answer disabled=true/> }
        })
        .collect_view();
    view! {
        <p class="notice">{t.builder.standard_note}</p>
        <p><a class="btn btn-secondary" href=copy_path(&inst.id) data-testid="instrument-copy">{t.builder.copy}</a></p>
        <dl class="facts-list about-list">
            <dt>{t.assess.source}</dt><dd>{inst.source.clone()}</dd>
            <dt>{t.assess.licence}</dt><dd>{inst.licence.clone()}</dd>
            <dt>{t.assess.attribution}</dt><dd>{inst.attribution.clone()}</dd>
        </dl>
        <section class="card" aria-labelledby="apercu">
            <h2 id="apercu">{t.builder.preview}</h2>
            {items}
        </section>
    }
}

//! The questionnaire editor: the whole form edits one `RwSignal<Draft>` (the one source of truth;
//! nothing is read back from the DOM). Rows are `<For>` lists keyed by the draft's uids, so that a
//! row keeps its DOM and focus while others are added, removed or moved with buttons (no
//! drag-and-drop). Each block shows the API's errors under its field path beside it; the summary
//! is a live region. The preview renders the items with the controls the beneficiary answers with.

use boussole_shared::{
    assessments::{Answer, ScoringRule},
    users::Locale,
};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use super::{
    draft::{Draft, KindTag, as_problem, errors_under},
    items::ItemField,
    state::AnswerMap,
};
use crate::{
    api::{ApiError, use_api},
    components::*,
    i18n::{BuilderStrings, use_i18n},
    pages::no_reload,
};

pub const LIST_PATH: &str = "/outils/questionnaires";

type Getter = fn(&Draft, u32) -> Option<&String>;
type Setter = fn(&mut Draft, u32, String);

fn bt() -> &'static BuilderStrings {
    use_i18n().t().builder
}

/// The messages of the fields under `prefix`, from the last failed save.
fn under(error: RwSignal<Option<ApiError>>, prefix: String) -> Option<String> {
    error.with(|e| match e {
        Some(ApiError::Problem(p)) => errors_under(p.errors.as_ref()?, &prefix),
        _ => None,
    })
}

/// "Partie 2": a row's name from its place (a template with `{n}`, counted from 1).
fn ordinal(
    template: fn(&BuilderStrings) -> &'static str,
    index: Memo<Option<usize>>,
) -> Signal<String> {
    Signal::derive(move || {
        template(bt()).replace("{n}", &(index.get().unwrap_or(0) + 1).to_string())
    })
}

/// A block's errors under its legend, tied to it by id.
fn block_errors(id: String, msg: impl Fn() -> Option<String> + Send + Sync + 'static) -> AnyView {
    view! {
        {move || msg().map(|m| view! { <p class="field-error" id=id.clone() data-testid="block-error">{m}</p> })}
    }
    .into_any()
}

/// A labelled input (`rows` 0) or textarea bound to one string of the draft.
#[allow(clippy::too_many_arguments)]
fn text(
    draft: RwSignal<Draft>,
    uid: u32,
    id: String,
    label: TextProp,
    rows: u32,
    hint: Option<TextProp>,
    get: Getter,
    set: Setter,
) -> AnyView {
    let value = move || draft.with(|d| get(d, uid).cloned().unwrap_or_default());
    let on_input = move |ev: leptos::ev::Event| {
        let v = event_target_value(&ev);
        draft.update(|d| set(d, uid, v));
    };
    let hint_id = hint.as_ref().map(|_| format!("{id}-aide"));
    let hint =
        hint.map(|h| view! { <p class="hint" id=format!("{id}-aide")>{move || h.get()}</p> });
    let control = if rows == 0 {
        view! { <input id=id.clone() type="text" aria-describedby=hint_id prop:value=value on:input=on_input data-testid=id.clone()/> }.into_any()
    } else {
        view! { <textarea id=id.clone() rows=rows aria-describedby=hint_id prop:value=value on:input=on_input data-testid=id.clone()></textarea> }.into_any()
    };
    view! {
        <div class="field">
            <label for=id.clone()>{move || label.get()}</label>
            {hint}
            {control}
        </div>
    }
    .into_any()
}

fn check(
    draft: RwSignal<Draft>,
    uid: u32,
    id: String,
    label: TextProp,
    get: fn(&Draft, u32) -> Option<bool>,
    set: fn(&mut Draft, u32, bool),
) -> AnyView {
    view! {
        <div class="field field-check">
            <input type="checkbox" id=id.clone() data-testid=id.clone()
                prop:checked=move || draft.with(|d| get(d, uid).unwrap_or(false))
                on:change=move |ev| { let on = event_target_checked(&ev); draft.update(|d| set(d, uid, on)); }/>
            <label for=id>{move || label.get()}</label>
        </div>
    }
    .into_any()
}

/// "Move up", "Move down", "Remove" for a row named `what` (said to screen readers). Focus stays
/// on the button pressed, which the move may have re-rendered elsewhere.
fn row_tools(
    draft: RwSignal<Draft>,
    uid: u32,
    what: Signal<String>,
    after_remove: String,
) -> AnyView {
    let button = move |key: &'static str,
                       label: fn(&BuilderStrings) -> &'static str,
                       delta: isize| {
        let id = format!("ed-{uid}-{key}");
        let target = id.clone();
        let after = after_remove.clone();
        view! {
            <button type="button" class="btn btn-secondary btn-small" id=id data-testid=format!("ed-{key}")
                on:click=move |_| {
                    if delta == 0 {
                        draft.update(|d| d.remove(uid));
                        focus_later(after.clone());
                    } else {
                        draft.update(|d| d.shift(uid, delta));
                        focus_later(target.clone());
                    }
                }>
                {move || label(bt())}<span class="visually-hidden">{move || format!(" : {}", what.get())}</span>
            </button>
        }
    };
    view! {
        <div class="row-tools">
            {button("up", |t| t.move_up, -1)}
            {button("down", |t| t.move_down, 1)}
            {button("remove", |t| t.remove, 0)}
        </div>
    }
    .into_any()
}

#[component]
pub fn Editor(
    start: Draft,
    /// Ids already used (a new questionnaire must not take one).
    taken: Vec<String>,
    /// Said above the form (new version, copy of…).
    #[prop(optional)]
    note: Option<String>,
) -> impl IntoView {
    let (i, api, toasts) = (use_i18n(), use_api(), use_toasts());
    let navigate = use_navigate();
    let locked = start.id_locked;
    let draft = RwSignal::new(start);
    let error = RwSignal::new(None::<ApiError>);
    let taken = StoredValue::new(taken);
    let save = crate::components::act(move |_: &()| {
        let t = i.t().builder;
        let (inst, found) =
            draft.with_untracked(|d| (d.to_instrument(), taken.with_value(|k| d.check(t, k))));
        let navigate = navigate.clone();
        async move {
            if !found.is_empty() {
                error.set(Some(ApiError::Problem(as_problem(found, t.err_title))));
                return;
            }
            error.set(None);
            match api.create_instrument(&inst).await {
                Ok(saved) => {
                    toasts.show(t.saved_toast.replace("{n}", &saved.version.to_string()));
                    navigate(LIST_PATH, Default::default());
                }
                Err(e) => error.set(Some(e)),
            }
        }
    });
    let summary = move || {
        let e = error.get()?;
        let t = i.t().builder;
        Some(match &e {
            ApiError::Problem(p) if p.errors.as_ref().is_some_and(|m| !m.is_empty()) => {
                // Fields the form shows beside a block are summarised; the others are said here.
                let shown = [
                    "id",
                    "title.",
                    "instructions.",
                    "sections[",
                    "scales[",
                    "items",
                ];
                let other: Vec<String> = p
                    .errors
                    .iter()
                    .flatten()
                    .filter(|(k, _)| !shown.iter().any(|s| k.starts_with(s)))
                    .flat_map(|(k, v)| v.iter().map(move |m| format!("{k} : {m}")))
                    .collect();
                format!("{} {}", t.err_title, other.join(" "))
            }
            _ => e.message(i.t(), &[]),
        })
    };
    let general = move || {
        let t = i.t().builder;
        let top = |key: &'static str| move || under(error, key.to_string());
        view! {
            <fieldset class="card">
                <legend>{t.general}</legend>
                {text(draft, 0, "ed-title".into(), t.f_title.into(), 0, None,
                    |d, _| Some(&d.title),
                    |d, _, v| { d.title = v; if !d.id_locked && !d.id_touched { d.id = super::draft::slugify(&d.title); } })}
                {block_errors("ed-title-erreur".into(), top("title"))}
                <div class="field">
                    <label for="ed-id">{t.f_id}</label>
                    <p class="hint" id="ed-id-aide">{t.f_id_hint}</p>
                    <input id="ed-id" type="text" readonly=locked aria-describedby="ed-id-aide ed-id-erreur" data-testid="ed-id"
                        prop:value=move || draft.with(|d| d.id.clone())
                        on:input=move |ev| { let v = event_target_value(&ev); draft.update(|d| { d.id = v; d.id_touched = true; }); }/>
                    {block_errors("ed-id-erreur".into(), top("id"))}
                </div>
                {text(draft, 0, "ed-description".into(), t.f_description.into(), 2, None,
                    |d, _| Some(&d.description), |d, _, v| d.description = v)}
                {text(draft, 0, "ed-instructions".into(), t.f_instructions.into(), 3, None,
                    |d, _| Some(&d.instructions), |d, _, v| d.instructions = v)}
                {block_errors("ed-instructions-erreur".into(), top("instructions"))}
                <div class="field">
                    <label for="ed-lang">{t.f_lang}</label>
                    <select id="ed-lang" data-testid="ed-lang"
                        on:change=move |ev| { let l = Locale::parse(&event_target_value(&ev)); draft.update(|d| d.lang = l); }>
                        <option value="fr" selected=move || draft.with(|d| d.lang == Locale::Fr)>{t.lang_fr}</option>
                        <option value="en" selected=move || draft.with(|d| d.lang == Locale::En)>{t.lang_en}</option>
                    </select>
                </div>
            </fieldset>
        }
    };
    let sections = move || draft.with(|d| d.sections.iter().map(|s| s.uid).collect::<Vec<_>>());
    let scales = move || draft.with(|d| d.scales.iter().map(|s| s.uid).collect::<Vec<_>>());
    let preview = RwSignal::new(false);
    view! {
        {note.map(|n| view! { <p class="notice" data-testid="editor-note">{n}</p> })}
        <form class="form questionnaire-editor" novalidate data-testid="editor"
            on:submit=move |ev| { no_reload(&ev); save.dispatch(()); }>
            <div class="form-error" role="alert" aria-live="assertive" data-testid="builder-error">{summary}</div>
            {general}
            <h2>{move || bt().sections}</h2>
            {move || under(error, "sections".into()).filter(|_| draft.with(|d| d.sections.is_empty()))
                .map(|m| view! { <p class="field-error">{m}</p> })}
            <For each=sections key=|u| *u let:su>
                <SectionEditor draft error uid=su/>
            </For>
            <p><button type="button" class="btn btn-secondary" id="ed-add-section" data-testid="ed-add-section"
                on:click=move |_| { let u = draft.try_update(|d| d.add_section()); if let Some(u) = u { focus_later(format!("ed-{u}-title")); } }>
                {move || bt().add_section}</button></p>
            <h2>{move || bt().scales}</h2>
            <p class="hint">{move || bt().scales_intro}</p>
            {block_errors("ed-scales-erreur".into(), move || error.with(|e| e.as_ref().and_then(|e| e.field("items"))))}
            <For each=scales key=|u| *u let:ku>
                <ScaleEditor draft error uid=ku/>
            </For>
            <p><button type="button" class="btn btn-secondary" id="ed-add-scale" data-testid="ed-add-scale"
                on:click=move |_| { let u = draft.try_update(|d| d.add_scale()); if let Some(u) = u { focus_later(format!("ed-{u}-name")); } }>
                {move || bt().add_scale}</button></p>
            <section class="card" aria-labelledby="ed-preview-title">
                <h2 id="ed-preview-title">{move || bt().preview}</h2>
                <button type="button" class="btn btn-secondary" aria-expanded=move || preview.get().to_string()
                    aria-controls="ed-preview" data-testid="ed-preview-toggle" on:click=move |_| preview.update(|p| *p = !*p)>
                    {move || if preview.get() { bt().preview_hide } else { bt().preview_show }}
                </button>
                <div id="ed-preview" data-testid="ed-preview">
                    {move || preview.get().then(|| view! { <Preview draft/> })}
                </div>
            </section>
            <Button submit=true busy=save.pending() testid="ed-save">{move || bt().save}</Button>
        </form>
    }
}

#[component]
fn SectionEditor(
    draft: RwSignal<Draft>,
    error: RwSignal<Option<ApiError>>,
    uid: u32,
) -> impl IntoView {
    let index = Memo::new(move |_| draft.with(|d| d.sections.iter().position(|s| s.uid == uid)));
    let name = ordinal(|t| t.section_n, index);
    let items = move || {
        draft.with(|d| {
            d.sections
                .iter()
                .find(|s| s.uid == uid)
                .map(|s| s.items.iter().map(|i| i.uid).collect::<Vec<_>>())
                .unwrap_or_default()
        })
    };
    let own = move || {
        let s = index.get()?;
        let f = |k: &str| {
            error.with(|e| {
                e.as_ref()
                    .and_then(|e| e.field(&format!("sections[{s}].{k}")))
            })
        };
        let v: Vec<String> = ["title.fr", "items", "id"]
            .into_iter()
            .filter_map(f)
            .collect();
        (!v.is_empty()).then(|| v.join(" "))
    };
    let add_id = format!("ed-{uid}-add");
    view! {
        <fieldset class="card editor-section" data-testid="ed-section">
            <legend>{name}</legend>
            {block_errors(format!("ed-{uid}-erreur"), own)}
            {text(draft, uid, format!("ed-{uid}-title"), (move || bt().f_section_title.to_string()).into(), 0, None,
                |d, u| d.sections.iter().find(|s| s.uid == u).map(|s| &s.title),
                |d, u, v| if let Some(s) = d.section_mut(u) { s.title = v })}
            {row_tools(draft, uid, name, "ed-add-section".into())}
            <For each=items key=|u| *u let:iu>
                <ItemEditor draft error uid=iu section=uid/>
            </For>
            <p><button type="button" class="btn btn-secondary" id=add_id data-testid="ed-add-item"
                on:click=move |_| { let u = draft.try_update(|d| d.add_item(uid)).flatten(); if let Some(u) = u { focus_later(format!("ed-{u}-text")); } }>
                {move || bt().add_item}</button></p>
        </fieldset>
    }
}

#[component]
fn ItemEditor(
    draft: RwSignal<Draft>,
    error: RwSignal<Option<ApiError>>,
    uid: u32,
    section: u32,
) -> impl IntoView {
    let place = Memo::new(move |_| draft.with(|d| d.place(uid)));
    let kind = Memo::new(move |_| draft.with(|d| d.item(uid).map(|x| x.kind)));
    let name = Signal::derive(move || {
        bt().item_n
            .replace("{n}", &place.get().map(|p| p.2).unwrap_or(0).to_string())
    });
    let own = move || {
        let (s, i, _) = place.get()?;
        under(error, format!("sections[{s}].items[{i}]"))
    };
    let settings = move || {
        let t = bt();
        match kind.get()? {
            KindTag::Likert => Some(view! {
                <div class="field">
                    <label for=format!("ed-{uid}-points")>{t.f_points}</label>
                    <select id=format!("ed-{uid}-points") data-testid="ed-points"
                        on:change=move |ev| { let n = event_target_value(&ev).parse().unwrap_or(5); draft.update(|d| if let Some(x) = d.item_mut(uid) { x.points = n }); }>
                        {(2..=11).map(|n| view! {
                            <option value=n.to_string() selected=move || draft.with(|d| d.item(uid).map(|x| x.points) == Some(n))>{n}</option>
                        }).collect_view()}
                    </select>
                </div>
                {text(draft, uid, format!("ed-{uid}-labels"), t.f_labels.into(), 5, Some(t.labels_hint.into()),
                    |d, u| d.item(u).map(|x| &x.labels), |d, u, v| if let Some(x) = d.item_mut(u) { x.labels = v })}
            }.into_any()),
            k @ (KindTag::Single | KindTag::Multiple | KindTag::Ranking) => Some(
                text(draft, uid, format!("ed-{uid}-options"), t.f_options.into(), 4,
                    (k != KindTag::Ranking).then(|| t.options_hint.into()),
                    |d, u| d.item(u).map(|x| &x.options), |d, u, v| if let Some(x) = d.item_mut(u) { x.options = v }),
            ),
            KindTag::Number => Some(view! {
                {text(draft, uid, format!("ed-{uid}-min"), t.f_min.into(), 0, None,
                    |d, u| d.item(u).map(|x| &x.num_min), |d, u, v| if let Some(x) = d.item_mut(u) { x.num_min = v })}
                {text(draft, uid, format!("ed-{uid}-max"), t.f_max.into(), 0, None,
                    |d, u| d.item(u).map(|x| &x.num_max), |d, u, v| if let Some(x) = d.item_mut(u) { x.num_max = v })}
                {check(draft, uid, format!("ed-{uid}-integer"), t.f_integer.into(),
                    |d, u| d.item(u).map(|x| x.integer), |d, u, on| if let Some(x) = d.item_mut(u) { x.integer = on })}
            }.into_any()),
            KindTag::Text => Some(text(draft, uid, format!("ed-{uid}-length"), t.f_max_length.into(), 0, None,
                |d, u| d.item(u).map(|x| &x.max_length), |d, u, v| if let Some(x) = d.item_mut(u) { x.max_length = v })),
        }
    };
    let kinds = move || {
        let t = bt();
        KindTag::ALL.map(|k| {
            let label = match k {
                KindTag::Likert => t.kind_likert,
                KindTag::Single => t.kind_single,
                KindTag::Multiple => t.kind_multiple,
                KindTag::Ranking => t.kind_ranking,
                KindTag::Text => t.kind_text,
                KindTag::Number => t.kind_number,
            };
            view! { <option value=k.key() selected=move || kind.get() == Some(k)>{label}</option> }
        }).collect_view()
    };
    view! {
        <fieldset class="editor-item" data-testid="ed-item">
            <legend>{name}</legend>
            {block_errors(format!("ed-{uid}-erreur"), own)}
            {text(draft, uid, format!("ed-{uid}-text"), (move || bt().f_text.to_string()).into(), 2, None,
                |d, u| d.item(u).map(|x| &x.text), |d, u, v| if let Some(x) = d.item_mut(u) { x.text = v })}
            <div class="field">
                <label for=format!("ed-{uid}-kind")>{move || bt().f_kind}</label>
                <select id=format!("ed-{uid}-kind") data-testid="ed-kind"
                    on:change=move |ev| { let k = KindTag::parse(&event_target_value(&ev)); draft.update(|d| if let Some(x) = d.item_mut(uid) { x.kind = k }); }>
                    {kinds}
                </select>
            </div>
            {settings}
            {check(draft, uid, format!("ed-{uid}-required"), (move || bt().f_required.to_string()).into(),
                |d, u| d.item(u).map(|x| x.required), |d, u, on| if let Some(x) = d.item_mut(u) { x.required = on })}
            {row_tools(draft, uid, name, format!("ed-{section}-add"))}
        </fieldset>
    }
}

#[component]
fn ScaleEditor(
    draft: RwSignal<Draft>,
    error: RwSignal<Option<ApiError>>,
    uid: u32,
) -> impl IntoView {
    let index = Memo::new(move |_| draft.with(|d| d.scales.iter().position(|s| s.uid == uid)));
    let name = ordinal(|t| t.scale_n, index);
    let own = move || under(error, format!("scales[{}]", index.get()?));
    let scorable = Memo::new(move |_| draft.with(Draft::scorable));
    let rules = [
        (ScoringRule::Sum, "sum"),
        (ScoringRule::Mean, "mean"),
        (ScoringRule::PercentOfMax, "percent_of_max"),
    ];
    let rule_options = move || {
        let t = bt();
        rules.map(|(r, key)| {
            let label = match r {
                ScoringRule::Sum => t.rule_sum,
                ScoringRule::Mean => t.rule_mean,
                ScoringRule::PercentOfMax => t.rule_percent,
            };
            view! { <option value=key selected=move || draft.with(|d| d.scales.iter().any(|s| s.uid == uid && s.rule == r))>{label}</option> }
        }).collect_view()
    };
    let keyed = move || {
        let t = bt();
        let list = scorable.get();
        if list.is_empty() {
            return view! { <p class="hint">{t.no_scorable}</p> }.into_any();
        }
        list.into_iter().map(|(item, n, label, likert)| {
            let key = move || draft.with(|d| d.key(uid, item));
            let id = format!("ed-{uid}-k{item}");
            let rid = format!("ed-{uid}-r{item}");
            view! {
                <div class="scale-key" data-testid="ed-key" data-n=n>
                    <div class="field field-check">
                        <input type="checkbox" id=id.clone() data-testid="ed-key-count" prop:checked=move || key().is_some()
                            on:change=move |ev| { let on = event_target_checked(&ev); draft.update(|d| d.set_key(uid, item, on.then_some(false))); }/>
                        <label for=id>{t.counted.replace("{n}", &n.to_string()).replace("{text}", &label)}</label>
                    </div>
                    {likert.then(|| view! {
                        <Show when=move || key().is_some()>
                            <div class="field field-check scale-reverse">
                                <input type="checkbox" id=rid.clone() data-testid="ed-key-reverse"
                                    prop:checked=move || key().is_some_and(|k| k.reverse)
                                    on:change=move |ev| { let on = event_target_checked(&ev); draft.update(|d| d.set_key(uid, item, Some(on))); }/>
                                <label for=rid.clone()>{t.reverse}<span class="visually-hidden">{format!(" ({})", bt().item_n.replace("{n}", &n.to_string()))}</span></label>
                            </div>
                        </Show>
                    })}
                </div>
            }.into_any()
        }).collect_view().into_any()
    };
    let bands = move || {
        draft.with(|d| {
            d.scales
                .iter()
                .find(|s| s.uid == uid)
                .map(|s| s.bands.iter().map(|b| b.uid).collect::<Vec<_>>())
                .unwrap_or_default()
        })
    };
    let add_band = format!("ed-{uid}-add-band");
    let band_after = add_band.clone();
    view! {
        <fieldset class="card editor-scale" data-testid="ed-scale">
            <legend>{name}</legend>
            {block_errors(format!("ed-{uid}-erreur"), own)}
            {text(draft, uid, format!("ed-{uid}-name"), (move || bt().f_scale_name.to_string()).into(), 0, None,
                |d, u| d.scales.iter().find(|s| s.uid == u).map(|s| &s.name),
                |d, u, v| if let Some(s) = d.scale_mut(u) { s.name = v })}
            <div class="field">
                <label for=format!("ed-{uid}-rule")>{move || bt().f_rule}</label>
                <select id=format!("ed-{uid}-rule") data-testid="ed-rule"
                    on:change=move |ev| {
                        let r = ScoringRule::parse(&event_target_value(&ev)).unwrap_or(ScoringRule::Sum);
                        draft.update(|d| if let Some(s) = d.scale_mut(uid) { s.rule = r });
                    }>
                    {rule_options}
                </select>
            </div>
            <fieldset class="scale-keys">
                <legend>{move || bt().scale_items}</legend>
                {keyed}
            </fieldset>
            <fieldset class="scale-bands">
                <legend>{move || bt().bands}</legend>
                <For each=bands key=|u| *u let:bu>
                    <BandEditor draft uid=bu after=band_after.clone()/>
                </For>
                <p><button type="button" class="btn btn-secondary" id=add_band.clone() data-testid="ed-add-band"
                    on:click=move |_| draft.update(|d| d.add_band(uid))>{move || bt().add_band}</button></p>
            </fieldset>
            {row_tools(draft, uid, name, "ed-add-scale".into())}
        </fieldset>
    }
}

#[component]
fn BandEditor(draft: RwSignal<Draft>, uid: u32, after: String) -> impl IntoView {
    let name = Signal::derive(move || {
        let n = draft.with(|d| {
            d.scales
                .iter()
                .find_map(|s| s.bands.iter().position(|b| b.uid == uid))
                .unwrap_or(0)
        });
        bt().band_n.replace("{n}", &(n + 1).to_string())
    });
    view! {
        <div class="editor-band" role="group" aria-label=move || name.get() data-testid="ed-band">
            {text(draft, uid, format!("ed-{uid}-from"), (move || bt().f_band_min.to_string()).into(), 0, None,
                |d, u| d.scales.iter().flat_map(|s| &s.bands).find(|b| b.uid == u).map(|b| &b.min),
                |d, u, v| if let Some(b) = d.band_mut(u) { b.min = v })}
            {text(draft, uid, format!("ed-{uid}-to"), (move || bt().f_band_max.to_string()).into(), 0, None,
                |d, u| d.scales.iter().flat_map(|s| &s.bands).find(|b| b.uid == u).map(|b| &b.max),
                |d, u, v| if let Some(b) = d.band_mut(u) { b.max = v })}
            {text(draft, uid, format!("ed-{uid}-band-text"), (move || bt().f_band_text.to_string()).into(), 0, None,
                |d, u| d.scales.iter().flat_map(|s| &s.bands).find(|b| b.uid == u).map(|b| &b.text),
                |d, u, v| if let Some(b) = d.band_mut(u) { b.text = v })}
            <button type="button" class="btn btn-secondary btn-small" data-testid="ed-band-remove"
                on:click=move |_| { draft.update(|d| d.remove(uid)); focus_later(after.clone()); }>
                {move || bt().remove}<span class="visually-hidden">{move || format!(" : {}", name.get())}</span>
            </button>
        </div>
    }
}

/// The items as the beneficiary will see them, answerable but never saved.
#[component]
fn Preview(draft: RwSignal<Draft>) -> impl IntoView {
    let answers = RwSignal::new(AnswerMap::new());
    let on_answer = Callback::new(move |a: Answer| {
        answers.update(|m| {
            m.insert(a.item_id.clone(), a);
        })
    });
    move || {
        let inst = draft.with(Draft::to_instrument);
        let mut n = 0;
        let sections = inst
            .sections
            .into_iter()
            .map(|s| {
                let items = s
                    .items
                    .into_iter()
                    .map(|item| {
                        n += 1;
                        view! { <ItemField item number=n answers on_answer disabled=false/> }
                    })
                    .collect_view();
                view! { <h3>{s.title.fr}</h3>{items} }
            })
            .collect_view();
        view! { <p class="hint">{bt().preview_note}</p>{sections} }
    }
}

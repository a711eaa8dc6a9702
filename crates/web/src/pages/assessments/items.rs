//! One question, rendered by its kind: a Likert scale or a single choice as a radio group, a
//! multiple choice as checkboxes (each a fieldset with the question as its legend), a ranking with
//! move buttons, a free text or a number with its label; and the optional comment under it.

use boussole_shared::assessments::{Answer, AnswerValue, ChoiceOption, Item, ItemKind};
use leptos::prelude::*;

use super::{
    figures::num,
    state::{AnswerMap, is_answered, lt, parse_number, ranking_order, toggle_choice},
};
use crate::{components::Ranking, i18n::use_i18n};

/// The element id of an item's question (for "go to the first question without an answer").
pub fn anchor(item_id: &str) -> String {
    let safe: String = item_id
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    format!("question-{safe}")
}

#[component]
pub fn ItemField(
    item: Item,
    /// Its number in the questionnaire, from 1.
    number: usize,
    answers: RwSignal<AnswerMap>,
    on_answer: Callback<Answer>,
    disabled: bool,
) -> impl IntoView {
    let i = use_i18n();
    let id = anchor(&item.id);
    let item_id = StoredValue::new(item.id.clone());
    let current =
        move || answers.with(|m| m.get(&item_id.get_value()).and_then(|a| a.value.clone()));
    let comment =
        move || answers.with(|m| m.get(&item_id.get_value()).and_then(|a| a.comment.clone()));
    let set = move |value: Option<AnswerValue>| {
        on_answer.run(Answer {
            item_id: item_id.get_value(),
            value,
            comment: comment(),
        })
    };
    let text = item.text.clone();
    let required = item.required;
    let question = move || {
        let opt = if required { "" } else { i.t().assess.optional };
        format!("{number}. {} {opt}", lt(&text, i.locale.get()))
    };
    let hint_id = format!("{id}-aide");
    let body = match item.kind {
        ItemKind::Likert { min, max, labels } => {
            let opts = (min..=max)
                .zip(
                    labels
                        .into_iter()
                        .chain(std::iter::repeat_with(Default::default)),
                )
                .map(|(v, l)| {
                    let l2 = l.clone();
                    let label = move || match lt(&l2, i.locale.get()) {
                        "" => v.to_string(),
                        s => s.to_string(),
                    };
                    radio(
                        &id,
                        v.to_string(),
                        disabled,
                        AnswerValue::Likert(v),
                        current,
                        set,
                        label,
                    )
                })
                .collect_view();
            group(
                id.clone(),
                question,
                None,
                view! { <div class="choices choices-likert">{opts}</div> }.into_any(),
            )
        }
        ItemKind::SingleChoice { options } => {
            let opts = options
                .into_iter()
                .map(|o| {
                    let value = AnswerValue::Choice(o.id.clone());
                    radio(
                        &id,
                        o.id.clone(),
                        disabled,
                        value,
                        current,
                        set,
                        option_label(o),
                    )
                })
                .collect_view();
            group(
                id.clone(),
                question,
                None,
                view! { <div class="choices">{opts}</div> }.into_any(),
            )
        }
        ItemKind::MultipleChoice {
            options,
            min_choices,
            max_choices,
        } => {
            let all: Vec<String> = options.iter().map(|o| o.id.clone()).collect();
            let all = StoredValue::new(all);
            let chosen = move || match current() {
                Some(AnswerValue::Choices(v)) => v,
                _ => Vec::new(),
            };
            let opts = options
                .into_iter()
                .map(|o| {
                    let (oid, oid2) = (o.id.clone(), o.id.clone());
                    view! {
                        <label class="choice">
                            <input type="checkbox" value=o.id.clone() disabled=disabled
                                prop:checked=move || chosen().contains(&oid)
                                on:change=move |ev| {
                                    let now = all.with_value(|a| toggle_choice(a, &chosen(), &oid2, event_target_checked(&ev)));
                                    set((!now.is_empty()).then_some(AnswerValue::Choices(now)));
                                }/>
                            <span>{option_label(o)}</span>
                        </label>
                    }
                })
                .collect_view();
            let hint = move || {
                let t = i.t().assess;
                let (lo, hi) = (
                    min_choices.map(|n| n.to_string()),
                    max_choices.map(|n| n.to_string()),
                );
                match (lo, hi) {
                    (Some(lo), Some(hi)) => t
                        .choices_between
                        .replace("{min}", &lo)
                        .replace("{max}", &hi),
                    (Some(lo), None) => t.choices_at_least.replace("{min}", &lo),
                    (None, Some(hi)) => t.choices_at_most.replace("{max}", &hi),
                    (None, None) => String::new(),
                }
            };
            let has_hint = min_choices.is_some() || max_choices.is_some();
            let hint = has_hint
                .then(|| view! { <p class="hint" id=hint_id.clone()>{hint}</p> }.into_any());
            let body = view! { {hint}<div class="choices">{opts}</div> }.into_any();
            group(
                id.clone(),
                question,
                has_hint.then(|| hint_id.clone()),
                body,
            )
        }
        ItemKind::Ranking { options } => {
            let keys: Vec<String> = options.iter().map(|o| o.id.clone()).collect();
            let start =
                answers.with_untracked(|m| ranking_order(&keys, m.get(&item_id.get_value())));
            let order = RwSignal::new(start);
            let labelled: Vec<(String, String)> = options
                .into_iter()
                .map(|o| {
                    (
                        o.id.clone(),
                        lt(&o.label, i.locale.get_untracked()).to_string(),
                    )
                })
                .collect();
            let on_change = Callback::new(move |v: Vec<String>| set(Some(AnswerValue::Ranking(v))));
            let confirmed = move || answers.with(|m| is_answered(m.get(&item_id.get_value())));
            view! {
                <div class="item" id=id.clone()>
                    <Ranking id=format!("{id}-classement") legend=question options=labelled order on_change disabled/>
                    <Show when=move || !confirmed() && !disabled>
                        <button type="button" class="btn btn-secondary" data-testid="ranking-confirm"
                            on:click=move |_| set(Some(AnswerValue::Ranking(order.get_untracked())))>
                            {move || i.t().assess.ranking_confirm}
                        </button>
                    </Show>
                </div>
            }
            .into_any()
        }
        ItemKind::Text { max_length } => {
            let value = move || match current() {
                Some(AnswerValue::Text(s)) => s,
                _ => String::new(),
            };
            let input_id = format!("{id}-texte");
            view! {
                <div class="item field" id=id.clone()>
                    <label for=input_id.clone()>{question}</label>
                    <p class="hint" id=hint_id.clone()>{move || i.t().assess.text_max.replace("{n}", &max_length.to_string())}</p>
                    <textarea id=input_id rows="4" maxlength=max_length disabled=disabled aria-describedby=hint_id
                        prop:value=value
                        on:input=move |ev| {
                            let s = event_target_value(&ev);
                            set((!s.is_empty()).then_some(AnswerValue::Text(s)));
                        }
                        data-testid="item-text"></textarea>
                </div>
            }
            .into_any()
        }
        ItemKind::Number { min, max, integer } => {
            let typed = RwSignal::new(match current() {
                Some(AnswerValue::Number(v)) => crate::components::charts::plain(v),
                _ => String::new(),
            });
            let hint = move || {
                let t = i.t().assess;
                let l = i.locale.get();
                let mut s = match (min, max) {
                    (Some(lo), Some(hi)) => t
                        .number_between
                        .replace("{min}", &num(lo, l))
                        .replace("{max}", &num(hi, l)),
                    _ => String::new(),
                };
                if integer {
                    s = format!("{s} {}", t.number_whole);
                }
                s
            };
            let input_id = format!("{id}-nombre");
            view! {
                <div class="item field" id=id.clone()>
                    <label for=input_id.clone()>{question}</label>
                    <p class="hint" id=hint_id.clone()>{hint}</p>
                    <input id=input_id type="text" inputmode=if integer { "numeric" } else { "decimal" }
                        disabled=disabled aria-describedby=hint_id prop:value=move || typed.get()
                        on:input=move |ev| {
                            let s = event_target_value(&ev);
                            typed.set(s.clone());
                            if let Ok(v) = parse_number(&s) {
                                set(v.map(AnswerValue::Number));
                            }
                        }/>
                </div>
            }
            .into_any()
        }
    };
    let comment_field = item.comment_prompt.map(|p| {
        let cid = format!("{}-commentaire", anchor(&item_id.get_value()));
        view! {
            <div class="field item-comment">
                <label for=cid.clone()>{move || lt(&p, i.locale.get()).to_string()}</label>
                <textarea id=cid rows="3" disabled=disabled prop:value=move || comment().unwrap_or_default()
                    on:input=move |ev| {
                        let s = event_target_value(&ev);
                        on_answer.run(Answer {
                            item_id: item_id.get_value(),
                            value: current(),
                            comment: (!s.trim().is_empty()).then_some(s),
                        });
                    }
                    data-testid="item-comment"></textarea>
            </div>
        }
    });
    view! {
        <div class="question" data-testid="question" data-item=item_id.get_value()>
            {body}
            {comment_field}
        </div>
    }
}

/// One option of a radio group (a Likert point or a single choice), checked when the answer is `value`.
fn radio(
    name: &str,
    html_value: String,
    disabled: bool,
    value: AnswerValue,
    current: impl Fn() -> Option<AnswerValue> + Send + Sync + 'static,
    set: impl Fn(Option<AnswerValue>) + Send + Sync + 'static,
    label: impl IntoView + 'static,
) -> impl IntoView {
    let mine = value.clone();
    view! {
        <label class="choice">
            <input type="radio" name=name.to_string() value=html_value disabled=disabled
                prop:checked=move || current().as_ref() == Some(&mine)
                on:change=move |_| set(Some(value.clone()))/>
            <span>{label}</span>
        </label>
    }
}

/// A radio or checkbox group: the question is the legend, so each option is announced with it.
fn group(
    id: String,
    question: impl Fn() -> String + Send + Sync + 'static,
    described_by: Option<String>,
    body: AnyView,
) -> AnyView {
    view! {
        <fieldset class="item" id=id aria-describedby=described_by>
            <legend>{question}</legend>
            {body}
        </fieldset>
    }
    .into_any()
}

fn option_label(o: ChoiceOption) -> impl IntoView {
    let i = use_i18n();
    move || lt(&o.label, i.locale.get()).to_string()
}

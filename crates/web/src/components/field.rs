//! Form controls: each has a visible label, and its error is tied to it with `aria-describedby`.

use leptos::prelude::*;

use crate::api::ApiError;

/// The server's messages for one field of the last failed submission.
pub fn field_error(
    error: RwSignal<Option<ApiError>>,
    name: &'static str,
) -> Signal<Option<String>> {
    Signal::derive(move || error.with(|e| e.as_ref().and_then(|e| e.field(name))))
}

/// The message of `field`: the form's own check first (`local`, set before sending, e.g. an amount
/// that is not a number), else the API's field error.
pub fn field_error_or_local(
    local: RwSignal<Option<(&'static str, String)>>,
    error: RwSignal<Option<ApiError>>,
    field: &'static str,
) -> Signal<Option<String>> {
    let server = field_error(error, field);
    Signal::derive(move || {
        local
            .with(|l| {
                l.as_ref()
                    .filter(|(f, _)| *f == field)
                    .map(|(_, m)| m.clone())
            })
            .or_else(|| server.get())
    })
}

/// `aria-describedby` for a control with an optional hint and an error.
fn described_by(id: &str, hint: bool, error: bool) -> Option<String> {
    let ids: Vec<String> = [(hint, "aide"), (error, "erreur")]
        .into_iter()
        .filter(|(on, _)| *on)
        .map(|(_, suffix)| format!("{id}-{suffix}"))
        .collect();
    (!ids.is_empty()).then(|| ids.join(" "))
}

/// Label, optional hint, error below; `testid` is put on the input, `testid-error` on its error.
#[component]
pub fn TextField(
    id: &'static str,
    #[prop(into)] label: TextProp,
    value: RwSignal<String>,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional)] required: bool,
    #[prop(optional, into)] hint: Option<TextProp>,
    #[prop(optional, into)] error: Signal<Option<String>>,
    #[prop(optional)] testid: Option<&'static str>,
) -> impl IntoView {
    let has_hint = hint.is_some();
    view! {
        <div class="field">
            <label for=id>
                {move || label.get()}
                {required.then(|| view! { <span class="req" aria-hidden="true">" *"</span> })}
            </label>
            {hint.map(|h| view! { <p class="hint" id=format!("{id}-aide")>{move || h.get()}</p> })}
            <input
                id=id
                name=id
                type=kind
                autocomplete=autocomplete
                required=required
                aria-invalid=move || if error.with(Option::is_some) { "true" } else { "false" }
                aria-describedby=move || described_by(id, has_hint, error.with(Option::is_some))
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
                data-testid=testid
            />
            {move || {
                error
                    .get()
                    .map(|e| {
                        view! {
                            <p class="field-error" id=format!("{id}-erreur") data-testid=testid.map(|t| format!("{t}-error"))>
                                {e}
                            </p>
                        }
                    })
            }}
        </div>
    }
}

/// A date and time (`datetime-local`, the browser's own accessible picker).
#[component]
pub fn DateTimeField(
    id: &'static str,
    #[prop(into)] label: TextProp,
    value: RwSignal<String>,
    #[prop(optional, into)] error: Signal<Option<String>>,
    testid: &'static str,
) -> impl IntoView {
    view! { <TextField id label value kind="datetime-local" error testid/> }
}

/// A `<select>`; `options` are (value, label) pairs.
#[component]
pub fn SelectField(
    id: &'static str,
    #[prop(into)] label: TextProp,
    value: RwSignal<String>,
    options: Vec<(&'static str, TextProp)>,
    #[prop(optional, into)] error: Signal<Option<String>>,
    #[prop(optional)] testid: Option<&'static str>,
) -> impl IntoView {
    view! {
        <div class="field">
            <label for=id>{move || label.get()}</label>
            <select
                id=id
                name=id
                aria-invalid=move || if error.with(Option::is_some) { "true" } else { "false" }
                aria-describedby=move || described_by(id, false, error.with(Option::is_some))
                on:change=move |ev| value.set(event_target_value(&ev))
                data-testid=testid
            >
                {options
                    .into_iter()
                    .map(|(v, l)| {
                        view! {
                            <option value=v selected=move || value.get() == v>
                                {move || l.get()}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
            {move || error.get().map(|e| view! { <p class="field-error" id=format!("{id}-erreur")>{e}</p> })}
        </div>
    }
}

/// A `<select>` whose (value, label) options are data (people loaded from the API, say).
#[component]
pub fn ChoiceField(
    id: &'static str,
    #[prop(into)] label: TextProp,
    value: RwSignal<String>,
    #[prop(into)] options: Signal<Vec<(String, String)>>,
    #[prop(optional)] required: bool,
    #[prop(optional, into)] error: Signal<Option<String>>,
    #[prop(optional)] testid: Option<&'static str>,
) -> impl IntoView {
    view! {
        <div class="field">
            <label for=id>
                {move || label.get()}
                {required.then(|| view! { <span class="req" aria-hidden="true">" *"</span> })}
            </label>
            <select
                id=id
                name=id
                required=required
                aria-invalid=move || if error.with(Option::is_some) { "true" } else { "false" }
                aria-describedby=move || described_by(id, false, error.with(Option::is_some))
                on:change=move |ev| value.set(event_target_value(&ev))
                data-testid=testid
            >
                {move || {
                    options
                        .get()
                        .into_iter()
                        .map(|(v, l)| {
                            let v2 = v.clone();
                            view! { <option value=v selected=move || value.with(|x| *x == v2)>{l}</option> }
                        })
                        .collect_view()
                }}
            </select>
            {move || error.get().map(|e| view! { <p class="field-error" id=format!("{id}-erreur")>{e}</p> })}
        </div>
    }
}

/// A multi-line text, with its label above and its error below.
#[component]
pub fn TextArea(
    id: &'static str,
    #[prop(into)] label: TextProp,
    value: RwSignal<String>,
    #[prop(optional)] required: bool,
    #[prop(optional, into)] hint: Option<TextProp>,
    #[prop(optional, into)] error: Signal<Option<String>>,
    #[prop(optional)] testid: Option<&'static str>,
) -> impl IntoView {
    let has_hint = hint.is_some();
    view! {
        <div class="field">
            <label for=id>
                {move || label.get()}
                {required.then(|| view! { <span class="req" aria-hidden="true">" *"</span> })}
            </label>
            {hint.map(|h| view! { <p class="hint" id=format!("{id}-aide")>{move || h.get()}</p> })}
            <textarea
                id=id
                name=id
                rows="5"
                required=required
                aria-invalid=move || if error.with(Option::is_some) { "true" } else { "false" }
                aria-describedby=move || described_by(id, has_hint, error.with(Option::is_some))
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
                data-testid=testid
            ></textarea>
            {move || error.get().map(|e| view! { <p class="field-error" id=format!("{id}-erreur")>{e}</p> })}
        </div>
    }
}

/// A checkbox with its label after it, and an optional one-line hint under the label.
#[component]
pub fn Checkbox(
    id: &'static str,
    #[prop(into)] label: TextProp,
    checked: RwSignal<bool>,
    #[prop(optional, into)] hint: Option<TextProp>,
    #[prop(optional)] testid: Option<&'static str>,
) -> impl IntoView {
    let described = hint.is_some().then(|| format!("{id}-aide"));
    view! {
        <div class="field field-check">
            <input
                type="checkbox"
                id=id
                name=id
                aria-describedby=described
                prop:checked=move || checked.get()
                on:change=move |ev| checked.set(event_target_checked(&ev))
                data-testid=testid
            />
            <label for=id>{move || label.get()}</label>
            {hint.map(|h| view! { <p class="hint" id=format!("{id}-aide")>{move || h.get()}</p> })}
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::described_by;

    #[test]
    fn described_by_lists_hint_then_error() {
        assert_eq!(described_by("email", false, false), None);
        assert_eq!(
            described_by("email", true, true).as_deref(),
            Some("email-aide email-erreur")
        );
        assert_eq!(
            described_by("email", false, true).as_deref(),
            Some("email-erreur")
        );
    }
}

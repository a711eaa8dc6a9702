//! The one way a page shows what it loads: "loading", the failure said plainly, an empty list said
//! plainly, or the data (and, for a paged list, its pagination).

use std::{
    future::Future,
    pin::Pin,
    sync::{Arc, Mutex},
};

use boussole_shared::Page;
use leptos::prelude::*;

use super::{EmptyState, Loading, Pagination, loader::Loadable};
use crate::{api::ApiError, i18n::use_i18n};

/// `LocalResource::new(fetcher)`, with the fetcher and its future boxed, so that the resource
/// machinery (a few KB of wasm each) is instantiated once per loaded type instead of once per call
/// site. Pages use [`super::loader`], which goes further (one type for all); this stays for code
/// that names `LocalResource`.
pub fn resource<T, Fut>(fetcher: impl Fn() -> Fut + 'static) -> LocalResource<T>
where
    T: 'static,
    Fut: Future<Output = T> + 'static,
{
    erased(Box::new(move || Box::pin(fetcher())))
}

type Fetcher<T> = Box<dyn Fn() -> Pin<Box<dyn Future<Output = T>>>>;

fn erased<T: 'static>(fetcher: Fetcher<T>) -> LocalResource<T> {
    LocalResource::new(fetcher)
}

/// What a form does: `Action::new_local(action_fn)`, with the function and its future boxed, for the
/// same reason as [`resource`]: one copy of the action machinery per input and output types.
pub fn action<I, O, Fut>(action_fn: impl Fn(&I) -> Fut + 'static) -> Action<I, O>
where
    I: 'static,
    O: 'static,
    Fut: Future<Output = O> + 'static,
{
    erased_action(Box::new(move |input: &I| Box::pin(action_fn(input))))
}

type ActionFn<I, O> = Box<dyn Fn(&I) -> Pin<Box<dyn Future<Output = O>>>>;

fn erased_action<I: 'static, O: 'static>(action_fn: ActionFn<I, O>) -> Action<I, O> {
    Action::new_local(action_fn)
}

/// A failed load, in the page (`role="alert"`, so it is announced).
#[component]
pub fn LoadError(error: ApiError) -> impl IntoView {
    let i = use_i18n();
    view! { <p class="form-error" role="alert">{move || error.message(i.t(), &[])}</p> }
}

/// Loading, the error, or `children` of the data. `<Loaded resource=r let:data>…</Loaded>`, where `r`
/// is a [`super::Loader`] (or a `LocalResource`) of a `Result<_, ApiError>`.
///
/// Only the small closure that reads the resource and calls `children` is generic: the reactive
/// rendering around it is the one shared `Arc<Mutex<dyn FnMut() -> AnyView>>` type that the `view!`
/// blocks use too, so this component costs a few hundred bytes per call site instead of a few KB.
#[component]
pub fn Loaded<R, V, F>(resource: R, children: F) -> impl IntoView
where
    R: Loadable,
    V: IntoView + 'static,
    F: Fn(R::Data) -> V + Send + Sync + 'static,
{
    let state: SharedView = Arc::new(Mutex::new(move || {
        loaded_state(
            resource
                .current()
                .map(|r| r.map(|data| children(data).into_any())),
        )
    }));
    state
}

type SharedView = Arc<Mutex<dyn FnMut() -> AnyView + Send>>;

fn loaded_state(state: Option<Result<AnyView, ApiError>>) -> AnyView {
    match state {
        None => view! { <Loading/> }.into_any(),
        Some(Err(error)) => view! { <LoadError error/> }.into_any(),
        Some(Ok(view)) => view,
    }
}

/// A loaded page of a list: `empty` when it has no item, else `children` of the page and, when
/// `page` is given, previous / next under it. Goes inside `<Loaded>`.
#[component]
pub fn Paged<T, V, F>(
    list: Page<T>,
    #[prop(into)] empty: TextProp,
    /// The page shown, for the pagination (none: the list is shown whole).
    #[prop(optional)]
    page: Option<RwSignal<i64>>,
    #[prop(default = 20)] per_page: i64,
    children: F,
) -> impl IntoView
where
    V: IntoView + 'static,
    F: FnOnce(Page<T>) -> V,
{
    let total = list.total;
    let content = (!list.items.is_empty()).then(|| children(list).into_any());
    paged_view(content, empty, page, per_page, total)
}

/// [`Paged`]'s markup, once for every item type.
fn paged_view(
    content: Option<AnyView>,
    empty: TextProp,
    page: Option<RwSignal<i64>>,
    per_page: i64,
    total: i64,
) -> AnyView {
    let Some(content) = content else {
        return view! { <EmptyState>{move || empty.get()}</EmptyState> }.into_any();
    };
    view! {
        {content}
        {page.map(|page| view! { <Pagination page per_page total=Signal::stored(total)/> })}
    }
    .into_any()
}

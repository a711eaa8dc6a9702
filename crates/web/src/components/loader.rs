//! `Loader<T>`: what a page loads, with every type behind the one `LocalResource<Erased>`.
//!
//! Why: `LocalResource<T>` monomorphises the async-derived machinery (its task, its polling, its
//! reads: ~4 KB of wasm) once per loaded type, and the app loads ~30 types. A `Loader<T>` keeps the
//! value as `Rc<dyn Any>` in a single resource type and gives it back as the `T` it put there, so
//! the machinery is in the wasm once. Same behaviour as `LocalResource`: same loading, the same
//! reactive reads, `refetch`.

use std::{any::Any, future::Future, marker::PhantomData, rc::Rc, sync::Arc};

use leptos::prelude::*;

use crate::api::ApiError;

/// A loaded value of any type; a `Loader<T>` only ever holds a `T` in it.
#[derive(Clone)]
pub struct Erased(Rc<dyn Any>);

/// What a page loads (see the module's comment): `get`, `with` and `refetch` as `LocalResource`.
pub struct Loader<T> {
    inner: LocalResource<Erased>,
    ty: PhantomData<fn() -> T>,
}

impl<T> Clone for Loader<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Loader<T> {}

/// What a page loads: `LocalResource::new(fetcher)` for any `T`, as a [`Loader`].
pub fn loader<T, Fut>(fetcher: impl Fn() -> Fut + 'static) -> Loader<T>
where
    T: 'static,
    Fut: Future<Output = T> + 'static,
{
    Loader {
        inner: super::resource(move || {
            let fut = fetcher();
            async move { Erased(Rc::new(fut.await)) }
        }),
        ty: PhantomData,
    }
}

impl<T: Clone + 'static> Loader<T> {
    /// The value once loaded (tracked), as `LocalResource::get`.
    pub fn get(&self) -> Option<T> {
        self.inner
            .get()
            .and_then(|e| e.0.downcast_ref::<T>().cloned())
    }

    /// `f` of the value (tracked), as `LocalResource::with`.
    pub fn with<U>(&self, f: impl FnOnce(&Option<T>) -> U) -> U {
        f(&self.get())
    }

    /// Loads again, as `LocalResource::refetch`.
    pub fn refetch(&self) {
        self.inner.refetch();
    }
}

/// What `<Loaded>` shows: a `LocalResource` or a [`Loader`] of a `Result<_, ApiError>`.
pub trait Loadable: Copy + Send + 'static {
    type Data: Clone + 'static;

    /// The state now (tracked): loading (`None`), failed, or the data.
    fn current(&self) -> Option<Result<Self::Data, ApiError>>;
}

impl<T: Clone + 'static> Loadable for LocalResource<Result<T, ApiError>> {
    type Data = T;

    fn current(&self) -> Option<Result<T, ApiError>> {
        self.get()
    }
}

impl<T: Clone + 'static> Loadable for Loader<Result<T, ApiError>> {
    type Data = T;

    fn current(&self) -> Option<Result<T, ApiError>> {
        self.get()
    }
}

/// A form's input of any type; an [`Act<I>`] only ever dispatches an `I` in it.
pub struct ErasedInput(Arc<dyn Any + Send + Sync>);

/// What a form does, with every input type behind the one `Action<ErasedInput, ()>`, for the same
/// reason as [`Loader`] (`Action<I, O>` monomorphises its dispatch machinery for each input and
/// output type). `dispatch` and `pending` as `Action`; the output is not kept (the forms read
/// what they need inside their future).
pub struct Act<I> {
    inner: Action<ErasedInput, ()>,
    ty: PhantomData<fn(I)>,
}

impl<I> Clone for Act<I> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<I> Copy for Act<I> {}

/// What a form does: `Action::new_local(action_fn)` for any input type, as an [`Act`].
pub fn act<I, O, Fut>(action_fn: impl Fn(&I) -> Fut + 'static) -> Act<I>
where
    I: Send + Sync + 'static,
    Fut: Future<Output = O> + 'static,
{
    Act {
        inner: super::action(move |input: &ErasedInput| {
            let fut = input.0.downcast_ref::<I>().map(&action_fn);
            async move {
                if let Some(fut) = fut {
                    fut.await;
                }
            }
        }),
        ty: PhantomData,
    }
}

impl<I: Send + Sync + 'static> Act<I> {
    /// Runs the action with `input`, as `Action::dispatch`.
    pub fn dispatch(&self, input: I) -> ActionAbortHandle {
        self.inner.dispatch(ErasedInput(Arc::new(input)))
    }

    /// Whether a dispatch is running, as `Action::pending`.
    pub fn pending(&self) -> Memo<bool> {
        self.inner.pending()
    }
}

/// `Effect::new(f)` with `f` boxed: the effect machinery is monomorphised once instead of once per
/// call site. `f` gets `None` on its first run, as an effect function taking the previous value.
pub fn effect(f: impl FnMut(Option<()>) + 'static) {
    erased_effect(Box::new(f));
}

fn erased_effect(mut f: Box<dyn FnMut(Option<()>)>) {
    Effect::new(move |prev: Option<()>| f(prev));
}

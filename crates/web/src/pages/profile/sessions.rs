//! One's active sessions: end one, or log out everywhere.

use boussole_shared::auth::Session;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use uuid::Uuid;

use crate::{
    api::{ApiError, use_api},
    components::*,
    i18n::use_i18n,
};

#[component]
pub fn Sessions() -> impl IntoView {
    let (i, api, toasts, navigate) = (use_i18n(), use_api(), use_toasts(), use_navigate());
    let sessions = crate::components::loader(move || async move { api.sessions().await });
    let error = RwSignal::new(None::<ApiError>);
    let end = crate::components::act(move |id: &Uuid| {
        let id = *id;
        async move {
            match api.end_session(id).await {
                Ok(()) => {
                    toasts.show(i.t().session_ended);
                    sessions.refetch();
                }
                Err(e) => error.set(Some(e)),
            }
        }
    });
    let everywhere = crate::components::act(move |_: &()| {
        let navigate = navigate.clone();
        async move {
            let _ = api.logout_all().await;
            navigate("/connexion", Default::default());
        }
    });
    let row = move |s: Session| {
        let t = i.t();
        let id = s.id;
        view! {
            <tr data-testid="session-row">
                <th scope="row">{s.user_agent.clone().unwrap_or_else(|| "—".into())}
                    {s.current.then(|| view! { " " <StatusBadge tone=Tone::Ok label=t.session_current/> })}</th>
                <td data-label=t.session_ip>{s.ip.clone().unwrap_or_else(|| "—".into())}</td>
                <td data-label=t.session_started>{crate::dates::paris_fr(s.created_at)}</td>
                <td data-label=t.session_last_used>{crate::dates::paris_fr(s.last_used_at)}</td>
                <td>{(!s.current).then(|| view! {
                    <button type="button" class="btn btn-secondary btn-small" data-testid="session-end"
                        on:click=move |_| { end.dispatch(id); }>{t.session_end}</button>
                })}</td>
            </tr>
        }
    };
    view! {
        <section class="card" aria-labelledby="sessions-title">
            <h2 id="sessions-title">{move || i.t().sessions_title}</h2>
            <FormError error/>
            <Loaded resource=sessions let:list>
                <div class="table-wrap table-cards" tabindex="0" role="region" aria-label=i.t().sessions_caption>
                    <table data-testid="sessions-table">
                        <caption>{i.t().sessions_caption}</caption>
                        <thead><tr>
                            <th scope="col">{i.t().session_device}</th>
                            <th scope="col">{i.t().session_ip}</th>
                            <th scope="col">{i.t().session_started}</th>
                            <th scope="col">{i.t().session_last_used}</th>
                            <th scope="col">{i.t().actions}</th>
                        </tr></thead>
                        <tbody>{list.into_iter().map(row).collect_view()}</tbody>
                    </table>
                </div>
            </Loaded>
            <Button kind=ButtonKind::Danger busy=everywhere.pending() on_click=move |_| { everywhere.dispatch(()); }
                testid="logout-everywhere">{move || i.t().logout_everywhere}</Button>
        </section>
    }
}

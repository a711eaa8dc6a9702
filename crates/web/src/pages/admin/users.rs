//! `/admin/utilisateurs`: accounts with search, filters, pagination; invite, deactivate, reactivate.

use boussole_shared::users::{Role, User, UserFilter, UserPatch, UserSort};
use leptos::prelude::*;
use uuid::Uuid;

use super::invite::InviteDialog;
use crate::{
    api::{ApiError, use_api},
    components::*,
    i18n::{Strings, use_i18n},
    pages::no_reload,
};

const PER_PAGE: i64 = 20;

/// The API's order for a sorted column: the database sorts the whole list, so the order holds
/// across pages.
fn with_sort(f: UserFilter, s: SortState) -> UserFilter {
    let sort = match s.key {
        "email" => UserSort::Email,
        "created" => UserSort::Created,
        _ => UserSort::Name,
    };
    UserFilter {
        sort: Some(sort),
        desc: Some(!s.ascending),
        ..f
    }
}

pub fn role_label(t: &Strings, role: Role) -> &'static str {
    match role {
        Role::Admin => t.role_admin,
        Role::Consultant => t.role_consultant,
        Role::Beneficiary => t.role_beneficiary,
    }
}

#[component]
pub fn Users() -> impl IntoView {
    let (i, api, toasts) = (use_i18n(), use_api(), use_toasts());
    let (q, role, active) = (
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
    );
    let filter = RwSignal::new(UserFilter::default());
    let page = RwSignal::new(1_i64);
    let sort = RwSignal::new(SortState {
        key: "name",
        ascending: true,
    });
    let error = RwSignal::new(None::<ApiError>);
    let invite_open = RwSignal::new(false);
    let users = crate::components::loader(move || {
        let (f, p) = (with_sort(filter.get(), sort.get()), page.get());
        async move { api.users(p, PER_PAGE, &f).await }
    });
    let apply = move |ev: leptos::ev::SubmitEvent| {
        no_reload(&ev);
        filter.set(UserFilter {
            q: Some(q.get_untracked().trim().to_string()).filter(|s| !s.is_empty()),
            role: Role::parse(&role.get_untracked()),
            active: active.with_untracked(|a| a.parse().ok()),
            ..Default::default()
        });
        page.set(1);
    };
    let toggle = crate::components::act(move |(id, now_active): &(Uuid, bool)| {
        let (id, set_to) = (*id, !now_active);
        async move {
            error.set(None);
            match api
                .patch_user(
                    id,
                    &UserPatch {
                        is_active: Some(set_to),
                        ..Default::default()
                    },
                )
                .await
            {
                Ok(u) => {
                    let t = i.t();
                    let what = if set_to {
                        t.user_reactivated
                    } else {
                        t.user_deactivated
                    };
                    toasts
                        .show(what.replace("{name}", &format!("{} {}", u.first_name, u.last_name)));
                    users.refetch();
                }
                Err(e) => error.set(Some(e)),
            }
        }
    });
    // An admin does not lock themself out from this list.
    let me = api
        .session
        .with_untracked(|s| s.as_ref().map(|s| s.user.id));
    let row = move |u: User| {
        let t = i.t();
        let (id, is_active) = (u.id, u.is_active);
        let status = match (u.is_active, u.has_password) {
            (false, _) => view! { <StatusBadge tone=Tone::Muted label=t.status_inactive/> },
            (true, false) => view! { <StatusBadge tone=Tone::Warn label=t.status_invited/> },
            (true, true) => view! { <StatusBadge tone=Tone::Ok label=t.status_active/> },
        };
        let label = format!(
            "{} {} {}",
            if is_active {
                t.deactivate
            } else {
                t.reactivate
            },
            u.first_name,
            u.last_name
        );
        view! {
            <tr data-testid="user-row">
                <th scope="row">{format!("{} {}", u.first_name, u.last_name)}</th>
                <td data-label=t.email>{u.email.clone()}</td>
                <td data-label=t.role>{role_label(t, u.role)}</td>
                <td data-label=t.status>{status}</td>
                <td data-label=t.created_on>{crate::dates::paris_day(u.created_at)}</td>
                <td>
                    {(Some(id) != me).then(|| view! {
                        <button type="button" class="btn btn-secondary btn-small" aria-label=label
                            disabled=move || toggle.pending().get()
                            on:click=move |_| { toggle.dispatch((id, is_active)); } data-testid="user-toggle-active">
                            {if is_active { t.deactivate } else { t.reactivate }}
                        </button>
                    })}
                </td>
            </tr>
        }
    };
    view! {
        <Page title=move || i.t().users_title help="inviter">
            <div class="toolbar">
                <Button on_click=move |_| invite_open.set(true) testid="invite-open">{move || i.t().invite_button}</Button>
            </div>
            <form class="filters" on:submit=apply role="search" data-testid="users-filters">
                <TextField id="users-q" label=move || i.t().search value=q kind="search" testid="users-search"/>
                <SelectField id="users-role" label=move || i.t().role value=role testid="users-role-filter" options=vec![
                    ("", (move || i.t().all).into()),
                    ("admin", (move || i.t().role_admin).into()),
                    ("consultant", (move || i.t().role_consultant).into()),
                    ("beneficiary", (move || i.t().role_beneficiary).into()),
                ]/>
                <SelectField id="users-active" label=move || i.t().status value=active testid="users-active-filter" options=vec![
                    ("", (move || i.t().all).into()),
                    ("true", (move || i.t().status_active).into()),
                    ("false", (move || i.t().status_inactive).into()),
                ]/>
                <Button submit=true kind=ButtonKind::Secondary testid="users-filter-submit">{move || i.t().filter}</Button>
            </form>
            <FormError error/>
            <Loaded resource=users let:list>
                <Paged list empty=move || i.t().users_empty page per_page=PER_PAGE children=move |p| {
                    let total = p.total;
                    let items = p.items;
                    view! {
                        <div class="table-wrap table-cards" tabindex="0" role="region" aria-label=i.t().users_title>
                            <table data-testid="users-table">
                                <caption>{i.t().users_caption.replace("{n}", &total.to_string())}</caption>
                                <thead><tr>
                                    <SortHeader key="name" label=move || i.t().name sort/>
                                    <SortHeader key="email" label=move || i.t().email sort/>
                                    <th scope="col">{i.t().role}</th>
                                    <th scope="col">{i.t().status}</th>
                                    <SortHeader key="created" label=move || i.t().created_on sort/>
                                    <th scope="col">{i.t().actions}</th>
                                </tr></thead>
                                <tbody>{items.into_iter().map(row).collect_view()}</tbody>
                            </table>
                        </div>
                    }
                }/>
            </Loaded>
            <InviteDialog open=invite_open on_done=move |_| users.refetch()/>
        </Page>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sorted_column_asks_the_api_for_that_order() {
        let f = with_sort(
            UserFilter::default(),
            SortState {
                key: "email",
                ascending: false,
            },
        );
        assert_eq!((f.sort, f.desc), (Some(UserSort::Email), Some(true)));
        let f = with_sort(
            UserFilter::default(),
            SortState {
                key: "name",
                ascending: true,
            },
        );
        assert_eq!((f.sort, f.desc), (Some(UserSort::Name), Some(false)));
    }
}

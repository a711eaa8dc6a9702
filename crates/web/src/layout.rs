//! The frame around every page: skip link, header with the role's navigation, language switch, logout.
//! Under 600 px the navigation and tools fold behind a "Menu" button (aria-expanded; opening moves
//! focus to the first link, Escape closes it and gives focus back to the button, a navigation closes it).

use boussole_shared::users::{Locale, MePatch, Role};
use leptos::{prelude::*, task::spawn_local};
use leptos_router::{
    components::A,
    hooks::{use_location, use_navigate},
};

use crate::{api::use_api, app::home_path, i18n::use_i18n, live::use_live};

/// "Aller au contenu": moves focus to `<main>` (a plain `#contenu` link would go through the router).
#[component]
pub fn SkipLink() -> impl IntoView {
    let i = use_i18n();
    let to_main = |ev: leptos::ev::MouseEvent| {
        ev.prevent_default();
        if let Some(main) = document().get_element_by_id("contenu") {
            use leptos::wasm_bindgen::JsCast;
            if let Ok(main) = main.dyn_into::<web_sys::HtmlElement>() {
                let _ = main.focus();
            }
        }
    };
    view! {
        <a class="skip-link" href="#contenu" on:click=to_main>
            {move || i.t().skip_to_content}
        </a>
    }
}

#[component]
pub fn Header() -> impl IntoView {
    let i = use_i18n();
    let api = use_api();
    let who = Memo::new(move |_| {
        api.session.with(|s| {
            s.as_ref().map(|s| {
                (
                    s.user.role,
                    format!("{} {}", s.user.first_name, s.user.last_name),
                )
            })
        })
    });
    let navigate = use_navigate();
    let logout = move |_| {
        let navigate = navigate.clone();
        spawn_local(async move {
            // Even when the call fails the in-memory token is gone; the page says so by going to login.
            let _ = api.logout().await;
            navigate("/connexion", Default::default());
        });
    };
    let switch_language = move |_| {
        let next = match i.locale.get_untracked() {
            Locale::Fr => Locale::En,
            Locale::En => Locale::Fr,
        };
        i.set(next);
        if who.get_untracked().is_some() {
            spawn_local(async move {
                let _ = api
                    .patch_me(&MePatch {
                        locale: Some(next),
                        ..Default::default()
                    })
                    .await;
            });
        }
    };
    let live = use_live();
    let links = move || {
        let t = i.t();
        let links = match who.get().map(|(r, _)| r) {
            Some(Role::Admin) => vec![
                ("/admin", t.nav_home),
                ("/admin/bilans", t.nav_bilans),
                ("/admin/factures", t.money.nav_invoices),
                ("/admin/devis", t.quotes.nav),
                ("/admin/payeurs", t.money.nav_payers),
                ("/admin/exports", t.money.nav_exports),
                ("/admin/beneficiaires", t.nav_records),
                ("/admin/utilisateurs", t.nav_users),
                ("/admin/cles-api", t.nav_api_keys),
                ("/admin/webhooks", t.integ.nav_webhooks),
                ("/admin/import", t.integ.nav_import),
                ("/admin/journal", t.nav_audit),
                ("/admin/securite", t.nav_security),
                ("/admin/modeles", t.legal.tpl_nav),
                ("/admin/conservation", t.legal.ret_nav),
                ("/admin/disponibilites", t.apt.nav_availability),
                ("/admin/messages", t.apt.nav_outbox),
                ("/outils/questionnaires", t.builder.nav),
                ("/ressources", t.lib.nav),
                ("/messages", t.msg.nav_direct),
                ("/profil", t.nav_profile),
            ],
            Some(Role::Consultant) => vec![
                ("/consultant", t.nav_home),
                ("/consultant/beneficiaires", t.nav_records),
                ("/consultant/agenda", t.apt.nav_agenda),
                ("/consultant/disponibilites", t.apt.nav_availability),
                ("/outils/questionnaires", t.builder.nav),
                ("/ressources", t.lib.nav),
                ("/messages", t.msg.nav),
                ("/profil", t.nav_profile),
            ],
            Some(r) => vec![
                (home_path(r), t.nav_home),
                ("/beneficiaire/dossier", t.nav_my_record),
                ("/beneficiaire/rendez-vous", t.apt.nav_appointments),
                ("/ressources", t.lib.nav),
                ("/messages", t.msg.nav),
                ("/profil", t.nav_profile),
            ],
            None => vec![
                ("/connexion", t.nav_login),
                ("/inscription", t.nav_register),
            ],
        };
        // The unread count is part of the link's text, so that a screen reader says it too.
        let unread = live.total.get();
        links
            .into_iter()
            .map(|(href, label)| match (href, unread) {
                ("/messages", n) if n > 0 => {
                    (href, t.msg.nav_unread.replace("{n}", &n.to_string()))
                }
                _ => (href, label.to_string()),
            })
            .collect::<Vec<_>>()
    };
    let open = RwSignal::new(false);
    let toggle_ref = NodeRef::<leptos::html::Button>::new();
    let menu_ref = NodeRef::<leptos::html::Div>::new();
    // Any navigation (a link of the menu, the browser's back button) folds the menu again.
    let location = use_location();
    crate::components::effect(move |_| {
        location.pathname.track();
        open.set(false);
    });
    let toggle = move |_| {
        let opening = !open.get_untracked();
        open.set(opening);
        if opening {
            // After the menu is shown: focus its first link.
            request_animation_frame(move || {
                if let Some(menu) = menu_ref.get_untracked()
                    && let Ok(Some(first)) = menu.query_selector("a, button")
                {
                    use leptos::wasm_bindgen::JsCast;
                    if let Ok(first) = first.dyn_into::<web_sys::HtmlElement>() {
                        let _ = first.focus();
                    }
                }
            });
        }
    };
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() == "Escape" && open.get_untracked() {
            open.set(false);
            if let Some(button) = toggle_ref.get_untracked() {
                let _ = button.focus();
            }
        }
    };
    view! {
        <header class="site-header" class:menu-open=move || open.get() on:keydown=on_key>
            <div class="header-inner">
                <a class="brand" href="/">"Boussole"</a>
                <Show when=move || who.get().is_some()>
                    <crate::pages::notifications::Bell/>
                </Show>
                <button
                    type="button"
                    class="btn btn-secondary menu-toggle"
                    aria-controls="site-menu"
                    aria-expanded=move || open.get().to_string()
                    node_ref=toggle_ref
                    on:click=toggle
                    data-testid="menu-toggle"
                >
                    {move || i.t().help.menu}
                </button>
                <div class="site-menu" id="site-menu" node_ref=menu_ref>
                <nav aria-label=move || i.t().nav_label>
                    <ul>
                        {move || {
                            links()
                                .into_iter()
                                .map(|(href, label)| view! { <li><A href=href exact=true>{label}</A></li> })
                                .collect_view()
                        }}
                    </ul>
                </nav>
                <div class="header-tools">
                    {move || who.get().map(|(_, name)| view! { <span class="user-name" data-testid="header-user-name">{name}</span> })}
                    <button
                        type="button"
                        class="btn btn-secondary"
                        lang=move || i.t().other_lang_code
                        on:click=switch_language
                        data-testid="language-switch"
                    >
                        {move || i.t().other_lang_name}
                    </button>
                    <Show when=move || who.get().is_some()>
                        <button type="button" class="btn btn-secondary" on:click=logout.clone() data-testid="logout-button">
                            {move || i.t().logout}
                        </button>
                    </Show>
                </div>
                </div>
            </div>
        </header>
    }
}

/// The foot of every page: the accessibility status, linked to its statement (RGAA asks for both).
#[component]
pub fn Footer() -> impl IntoView {
    let i = use_i18n();
    view! {
        <footer class="site-footer">
            <a href="/accessibilite" data-testid="footer-accessibility">{move || i.t().help.a11y_link}</a>
        </footer>
    }
}

//! The router table, the role guards and the start-up session restore.

use boussole_shared::users::Role;
use leptos::{prelude::*, task::spawn_local};
use leptos_router::{
    components::{Outlet, ParentRoute, Redirect, Route, Router, Routes},
    path,
};

use crate::{
    api::{Api, use_api},
    components::{Loading, Page, ToastRegion, Toasts},
    i18n::{I18n, use_i18n},
    layout::{Footer, Header, SkipLink},
    pages::{
        admin, appointments, assessments, auth, beneficiaries, beneficiary, bilans, consultant,
        messages, money, notifications, profile, projection, resources,
    },
};

/// Where each role starts.
pub fn home_path(role: Role) -> &'static str {
    match role {
        Role::Admin => "/admin",
        Role::Consultant => "/consultant",
        Role::Beneficiary => "/beneficiaire",
    }
}

#[component]
pub fn App() -> impl IntoView {
    let api = Api::new();
    let i18n = I18n::new();
    provide_context(api);
    provide_context(i18n);
    provide_context(Toasts::new());
    provide_context(crate::live::Live::start(api));
    let ready = RwSignal::new(false);
    // The refresh cookie outlives the page: a reload keeps the session without storing the token.
    spawn_local(async move {
        if let Ok(t) = api.refresh().await {
            i18n.set(t.user.locale);
        }
        ready.set(true);
    });
    view! {
        <Router>
            <SkipLink/>
            <Header/>
            <main id="contenu" tabindex="-1">
                <Show when=move || ready.get() fallback=|| view! { <Loading/> }>
                    <AppRoutes/>
                </Show>
            </main>
            <Footer/>
            <ToastRegion/>
        </Router>
    }
}

#[component]
fn AppRoutes() -> impl IntoView {
    view! {
        <Routes fallback=NotFound>
            <Route path=path!("/") view=RootRedirect/>
            <Route path=path!("/accessibilite") view=crate::pages::accessibility::Statement/>
            <Route path=path!("/connexion") view=auth::Login/>
            <Route path=path!("/inscription") view=auth::Register/>
            <Route path=path!("/verifier-email") view=auth::VerifyEmail/>
            <Route path=path!("/mot-de-passe-oublie") view=auth::ForgotPassword/>
            <Route path=path!("/reinitialiser-mot-de-passe") view=auth::ResetPassword/>
            <Route path=path!("/invitation") view=auth::AcceptInvitation/>
            <Route path=path!("/signer") view=crate::pages::sign::SignPage/>
            <Route path=path!("/partage") view=crate::pages::sign::SharePage/>
            <ParentRoute path=path!("/admin") view=|| view! { <Guard roles=&[Role::Admin]/> }>
                <Route path=path!("") view=admin::Home/>
                <Route path=path!("utilisateurs") view=admin::Users/>
                <Route path=path!("cles-api") view=admin::ApiKeys/>
                <Route path=path!("import") view=admin::Import/>
                <Route path=path!("webhooks") view=admin::Webhooks/>
                <Route path=path!("webhooks/:id") view=admin::WebhookPage/>
                <Route path=path!("journal") view=admin::Audit/>
                <Route path=path!("securite") view=admin::Security/>
                <Route path=path!("organisme") view=admin::Organisation/>
                <Route path=path!("modeles") view=admin::Templates/>
                <Route path=path!("modeles/:kind") view=admin::TemplatePage/>
                <Route path=path!("conservation") view=admin::Retention/>
                <Route path=path!("factures") view=money::Invoices/>
                <Route path=path!("factures/:id") view=money::InvoicePage/>
                <Route path=path!("devis") view=money::Quotes/>
                <Route path=path!("devis/:id") view=money::QuotePage/>
                <Route path=path!("payeurs") view=money::Payers/>
                <Route path=path!("exports") view=money::Exports/>
                <Route path=path!("bilans") view=admin::Bilans/>
                <Route path=path!("beneficiaires") view=beneficiaries::Beneficiaries/>
                <Route path=path!("beneficiaires/:id") view=beneficiaries::BeneficiaryRecord/>
                <Route path=path!("disponibilites") view=appointments::AdminAvailability/>
                <Route path=path!("messages") view=appointments::Outbox/>
            </ParentRoute>
            <ParentRoute path=path!("/consultant") view=|| view! { <Guard roles=&[Role::Consultant]/> }>
                <Route path=path!("") view=consultant::Home/>
                <Route path=path!("beneficiaires") view=beneficiaries::Beneficiaries/>
                <Route path=path!("beneficiaires/:id") view=beneficiaries::BeneficiaryRecord/>
                <Route path=path!("agenda") view=appointments::Agenda/>
                <Route path=path!("disponibilites") view=appointments::MyAvailability/>
            </ParentRoute>
            <ParentRoute path=path!("/beneficiaire") view=|| view! { <Guard roles=&[Role::Beneficiary]/> }>
                <Route path=path!("") view=beneficiary::Home/>
                <Route path=path!("dossier") view=beneficiary::MyRecord/>
                <Route path=path!("projet/:id") view=projection::MyProjection/>
                <Route path=path!("rendez-vous") view=appointments::MyAppointments/>
                <Route path=path!("rendez-vous/nouveau") view=appointments::Book/>
                <Route path=path!("questionnaires/:id") view=assessments::TakePage/>
            </ParentRoute>
            <ParentRoute path=path!("/bilans") view=|| view! { <Guard roles=&[Role::Admin, Role::Consultant]/> }>
                <Route path=path!(":id") view=bilans::BilanFile/>
            </ParentRoute>
            // A bilan's pages that its beneficiary shares with its consultants (content: never admins).
            <ParentRoute path=path!("/bilans") view=|| view! { <Guard roles=&[Role::Consultant, Role::Beneficiary]/> }>
                <Route path=path!(":id/fichiers") view=crate::pages::files::FilesPage/>
                <Route path=path!(":id/synthese") view=crate::pages::synthesis::SynthesisPage/>
            </ParentRoute>
            <ParentRoute path=path!("/rendez-vous") view=|| view! { <Guard roles=&[Role::Admin, Role::Consultant, Role::Beneficiary]/> }>
                <Route path=path!(":id") view=appointments::AppointmentPage/>
            </ParentRoute>
            <ParentRoute path=path!("/questionnaires") view=|| view! { <Guard roles=&[Role::Consultant, Role::Beneficiary]/> }>
                <Route path=path!(":id/resultats") view=assessments::ResultsPage/>
            </ParentRoute>
            <ParentRoute path=path!("/outils") view=|| view! { <Guard roles=&[Role::Admin, Role::Consultant]/> }>
                <Route path=path!("questionnaires") view=assessments::InstrumentsPage/>
                <Route path=path!("questionnaires/nouveau") view=assessments::NewInstrumentPage/>
                <Route path=path!("questionnaires/:id") view=assessments::InstrumentPage/>
            </ParentRoute>
            <ParentRoute path=path!("/messages") view=|| view! { <Guard roles=EVERYONE/> }>
                <Route path=path!("") view=messages::Inbox/>
                <Route path=path!(":id") view=messages::Thread/>
            </ParentRoute>
            <ParentRoute path=path!("/profil") view=|| view! { <Guard roles=&[]/> }>
                <Route path=path!("") view=profile::Profile/>
            </ParentRoute>
            <ParentRoute path=path!("/notifications") view=|| view! { <Guard roles=EVERYONE/> }>
                <Route path=path!("") view=notifications::Notifications/>
            </ParentRoute>
            <ParentRoute path=path!("/ressources") view=|| view! { <Guard roles=EVERYONE/> }>
                <Route path=path!("") view=resources::Library/>
            </ParentRoute>
        </Routes>
    }
}

/// Every role, past the second-factor enrolment (an empty list would let staff skip it).
const EVERYONE: &[Role] = &[Role::Admin, Role::Consultant, Role::Beneficiary];

/// What the guard needs from the session. A memo, so that a token refresh does not remount the page.
fn gate(api: Api) -> Memo<Option<(Role, bool)>> {
    Memo::new(move |_| {
        api.session
            .with(|s| s.as_ref().map(|s| (s.user.role, s.totp_enrolment_required)))
    })
}

/// Lets through the logged-in users of one of `roles` (anyone logged in when empty). Staff who must
/// enrol a second factor first are kept on the profile, where the enrolment is.
#[component]
fn Guard(roles: &'static [Role]) -> impl IntoView {
    let gate = gate(use_api());
    move || match gate.get() {
        None => view! { <Redirect path="/connexion"/> }.into_any(),
        Some((r, _)) if !roles.is_empty() && !roles.contains(&r) => {
            view! { <Redirect path=home_path(r)/> }.into_any()
        }
        Some((_, true)) if !roles.is_empty() => view! { <Redirect path="/profil"/> }.into_any(),
        Some(_) => view! { <Outlet/> }.into_any(),
    }
}

#[component]
fn RootRedirect() -> impl IntoView {
    let gate = gate(use_api());
    move || match gate.get() {
        Some((role, _)) => view! { <Redirect path=home_path(role)/> },
        None => view! { <Redirect path="/connexion"/> },
    }
}

#[component]
fn NotFound() -> impl IntoView {
    let i = use_i18n();
    view! {
        <Page title=move || i.t().not_found_title>
            <p>{move || i.t().not_found_text}</p>
            <p>
                <a href="/">{move || i.t().back_home}</a>
            </p>
        </Page>
    }
}

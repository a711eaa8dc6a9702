//! Who may call a handler, as types: each extractor refuses the wrong caller before the handler runs,
//! so a handler's signature says who may call it (the authorization matrix test is the proof).
//!
//! | extractor | who | refused |
//! |---|---|---|
//! | [`AnyUser`] | any account, even staff who must still enrol TOTP (own profile, logout) | — |
//! | [`Viewer`], [`Person`] | any person, typed by role | TOTP not enrolled when required |
//! | [`Staff`] | an admin or a consultant | beneficiaries: `wrong-role` |
//! | [`AdminOrBeneficiary`] | the organisation or the beneficiary (their own file) | consultants: `wrong-role` |
//! | [`Admin`], [`Consultant`], [`Beneficiary`] | that role | any other: `wrong-role` |
//! | [`ApiCaller<S>`] | an admin, or an API key holding scope `S` | a key without it: `missing-scope` |
//! | [`ReaderOrKey<S>`] | the organisation, the beneficiary, or a key holding `S` (reads as the organisation) | consultants, keys without `S` |
//! | [`ViewerOrKey<S>`] | any person, or a key holding `S` (sees what admins see) | keys without `S` |
//! | [`StaffOrKey<S>`] | an admin, a consultant, or a key holding `S` (sees what admins see) | beneficiaries, keys without `S` |

use boussole_shared::Slug;
use std::marker::PhantomData;

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest};
use boussole_shared::auth::ApiScope;
use boussole_shared::users::Role;
use futures_util::future::LocalBoxFuture;

use super::extract::{API_KEY_PREFIX, ClientInfo, CurrentUser, authenticate, bearer, key_caller};
use crate::error::ApiError;
use crate::journal::Actor;

/// Who is looking, and so what they may see: admins the administrative facts of every bilan, never
/// content; a consultant the bilans assigned to them now; a beneficiary their own. Extracting it
/// refuses staff who must still enrol TOTP.
#[derive(Debug, Clone)]
pub enum Viewer {
    Admin(String),
    Consultant(String),
    Beneficiary(String),
}

impl Viewer {
    fn of(user: &CurrentUser) -> Result<Viewer, ApiError> {
        let id = user.user.id.clone();
        Ok(match user.user.role()? {
            Role::Admin => Viewer::Admin(id),
            Role::Consultant => Viewer::Consultant(id),
            Role::Beneficiary => Viewer::Beneficiary(id),
        })
    }

    pub fn id(&self) -> &str {
        match self {
            Viewer::Admin(id) | Viewer::Consultant(id) | Viewer::Beneficiary(id) => id,
        }
    }
}

/// Staff who must still enrol a second factor reach only their profile.
pub fn totp_enrolment_required() -> ApiError {
    ApiError::forbidden(
        Slug::TOTP_ENROLMENT_REQUIRED,
        "Votre organisme exige une double authentification : activez-la dans votre profil.",
    )
}

fn wrong_role() -> ApiError {
    ApiError::forbidden(
        Slug::WRONG_ROLE,
        "Votre rôle ne donne pas accès à cette ressource.",
    )
}

/// A person of one of `roles`, past TOTP enrolment. The role is checked first: a beneficiary asking
/// for a staff route hears "wrong role", not "enrol TOTP".
async fn person_of(req: HttpRequest, roles: &[Role]) -> Result<CurrentUser, ApiError> {
    let user = authenticate(req).await?;
    if !roles.contains(&user.user.role()?) {
        return Err(wrong_role());
    }
    if user.totp_enrolment_required {
        return Err(totp_enrolment_required());
    }
    Ok(user)
}

const EVERYONE: &[Role] = &[Role::Admin, Role::Consultant, Role::Beneficiary];

macro_rules! extractor {
    ($name:ident, $roles:expr, $build:expr) => {
        impl FromRequest for $name {
            type Error = ApiError;
            type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

            fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
                let req = req.clone();
                Box::pin(async move { person_of(req, $roles).await.and_then($build) })
            }
        }
    };
}

/// An admin (never sees bilan content).
#[derive(Debug, Clone)]
pub struct Admin(pub CurrentUser);
extractor!(Admin, &[Role::Admin], |u| Ok(Admin(u)));

/// A consultant.
#[derive(Debug, Clone)]
pub struct Consultant(pub CurrentUser);
extractor!(Consultant, &[Role::Consultant], |u| Ok(Consultant(u)));

/// A beneficiary.
#[derive(Debug, Clone)]
pub struct Beneficiary(pub CurrentUser);
extractor!(Beneficiary, &[Role::Beneficiary], |u| Ok(Beneficiary(u)));

extractor!(Viewer, EVERYONE, |u: CurrentUser| Viewer::of(&u));

/// Any person, typed by role ([`Viewer`]), with the session for the journal.
#[derive(Debug, Clone)]
pub struct Person {
    pub viewer: Viewer,
    pub user: CurrentUser,
}
extractor!(Person, EVERYONE, |user: CurrentUser| Ok(Person {
    viewer: Viewer::of(&user)?,
    user
}));

/// An admin or a consultant: `viewer` is never [`Viewer::Beneficiary`].
#[derive(Debug, Clone)]
pub struct Staff {
    pub viewer: Viewer,
    pub user: CurrentUser,
}
extractor!(
    Staff,
    &[Role::Admin, Role::Consultant],
    |user: CurrentUser| {
        Ok(Staff {
            viewer: Viewer::of(&user)?,
            user,
        })
    }
);

/// The organisation or the beneficiary: those who keep a beneficiary's file (a consultant reads it).
/// `viewer` is never [`Viewer::Consultant`].
#[derive(Debug, Clone)]
pub struct AdminOrBeneficiary {
    pub viewer: Viewer,
    pub user: CurrentUser,
}
extractor!(
    AdminOrBeneficiary,
    &[Role::Admin, Role::Beneficiary],
    |user: CurrentUser| Ok(AdminOrBeneficiary {
        viewer: Viewer::of(&user)?,
        user
    })
);

/// Any logged-in account, whatever its role, even staff who must still enrol TOTP: only for routes
/// about the account itself (profile, own sessions, TOTP enrolment, logout). Never branch on its role.
#[derive(Debug, Clone)]
pub struct AnyUser(pub CurrentUser);

impl FromRequest for AnyUser {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move { authenticate(req).await.map(AnyUser) })
    }
}

/// An API scope as a type, so that a signature says which scope a key needs: `ApiCaller<UsersRead>`.
pub trait Scope {
    const SCOPE: ApiScope;
}

/// `users:read`.
#[derive(Debug, Clone)]
pub struct UsersRead;
impl Scope for UsersRead {
    const SCOPE: ApiScope = ApiScope::UsersRead;
}

/// `audit:read`.
#[derive(Debug, Clone)]
pub struct AuditRead;
impl Scope for AuditRead {
    const SCOPE: ApiScope = ApiScope::AuditRead;
}

/// `invoices:read`.
#[derive(Debug, Clone)]
pub struct InvoicesRead;
impl Scope for InvoicesRead {
    const SCOPE: ApiScope = ApiScope::InvoicesRead;
}

/// `accounting:read`.
#[derive(Debug, Clone)]
pub struct AccountingRead;
impl Scope for AccountingRead {
    const SCOPE: ApiScope = ApiScope::AccountingRead;
}

/// `beneficiaries:read`.
#[derive(Debug, Clone)]
pub struct BeneficiariesRead;
impl Scope for BeneficiariesRead {
    const SCOPE: ApiScope = ApiScope::BeneficiariesRead;
}

/// `beneficiaries:write`.
#[derive(Debug, Clone)]
pub struct BeneficiariesWrite;
impl Scope for BeneficiariesWrite {
    const SCOPE: ApiScope = ApiScope::BeneficiariesWrite;
}

/// `bilans:read`.
#[derive(Debug, Clone)]
pub struct BilansRead;
impl Scope for BilansRead {
    const SCOPE: ApiScope = ApiScope::BilansRead;
}

/// `bilans:write`.
#[derive(Debug, Clone)]
pub struct BilansWrite;
impl Scope for BilansWrite {
    const SCOPE: ApiScope = ApiScope::BilansWrite;
}

/// `appointments:read`.
#[derive(Debug, Clone)]
pub struct AppointmentsRead;
impl Scope for AppointmentsRead {
    const SCOPE: ApiScope = ApiScope::AppointmentsRead;
}

/// `appointments:write`.
#[derive(Debug, Clone)]
pub struct AppointmentsWrite;
impl Scope for AppointmentsWrite {
    const SCOPE: ApiScope = ApiScope::AppointmentsWrite;
}

/// `webhooks:manage`.
#[derive(Debug, Clone)]
pub struct WebhooksManage;
impl Scope for WebhooksManage {
    const SCOPE: ApiScope = ApiScope::WebhooksManage;
}

/// An admin, or an integration's API key holding scope `S` (admins may do everything these routes offer).
#[derive(Debug, Clone)]
pub enum ApiCaller<S: Scope> {
    Admin(Box<CurrentUser>),
    Key {
        id: String,
        /// The admin who created the key: rows that must name a person (who booked, who recorded)
        /// name them; the journal names the key ([`ApiCaller::actor`]).
        owner: String,
        client: ClientInfo,
        scope: PhantomData<S>,
    },
}

impl<S: Scope> ApiCaller<S> {
    pub fn actor(&self) -> Actor {
        match self {
            ApiCaller::Admin(user) => user.actor(),
            ApiCaller::Key { id, client, .. } => Actor::api_key(id, client.ip.clone()),
        }
    }

    /// The account rows name: the admin, or the admin answerable for the key.
    pub fn user_id(&self) -> &str {
        match self {
            ApiCaller::Admin(user) => &user.user.id,
            ApiCaller::Key { owner, .. } => owner,
        }
    }
}

impl<S: Scope + 'static> FromRequest for ApiCaller<S> {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let token = bearer(&req)?;
            if !token.starts_with(API_KEY_PREFIX) {
                let Admin(user) = person_of(req, &[Role::Admin]).await.map(Admin)?;
                return Ok(ApiCaller::Admin(Box::new(user)));
            }
            let (id, owner, scopes, client) = key_caller(&req, token).await?;
            if !scopes.contains(&S::SCOPE) {
                return Err(ApiError::forbidden(
                    Slug::MISSING_SCOPE,
                    format!("Cette clé d'API n'a pas la portée {}.", S::SCOPE.as_str()),
                ));
            }
            Ok(ApiCaller::Key {
                id,
                owner,
                client,
                scope: PhantomData,
            })
        })
    }
}

/// A person of `roles`, or an API key holding `S` that acts as the organisation: for a key the viewer
/// is [`Viewer::Admin`] with the id of the admin who created the key (rows that must name a person
/// name them; the journal takes `actor`, the key), so it sees what admins see — administrative facts,
/// never bilan content — and is never a consultant or a party to an appointment.
async fn person_or_key<S: Scope + 'static>(
    req: HttpRequest,
    roles: &'static [Role],
) -> Result<(Viewer, Actor, Option<CurrentUser>), ApiError> {
    if bearer(&req).is_ok_and(|t| t.starts_with(API_KEY_PREFIX)) {
        let caller = ApiCaller::<S>::from_request(&req, &mut Payload::None).await?;
        return Ok((
            Viewer::Admin(caller.user_id().to_string()),
            caller.actor(),
            None,
        ));
    }
    let user = person_of(req, roles).await?;
    Ok((Viewer::of(&user)?, user.actor(), Some(user)))
}

macro_rules! or_key {
    ($(#[$doc:meta])* $name:ident, $roles:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone)]
        pub struct $name<S: Scope> {
            pub viewer: Viewer,
            pub actor: Actor,
            /// The person's session; `None` for a key.
            pub user: Option<CurrentUser>,
            scope: PhantomData<S>,
        }

        impl<S: Scope + 'static> FromRequest for $name<S> {
            type Error = ApiError;
            type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

            fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
                let req = req.clone();
                Box::pin(async move {
                    let (viewer, actor, user) = person_or_key::<S>(req, $roles).await?;
                    Ok($name { viewer, actor, user, scope: PhantomData })
                })
            }
        }
    };
}

or_key!(
    /// The organisation or the beneficiary (as [`AdminOrBeneficiary`]), or an integration's API key
    /// holding scope `S`, which acts as the organisation: administrative records such as invoices,
    /// never bilan content.
    ReaderOrKey,
    &[Role::Admin, Role::Beneficiary]
);

or_key!(
    /// Any person (as [`Viewer`]: each sees what their role may), or an API key holding scope `S`,
    /// which sees what admins see.
    ViewerOrKey,
    EVERYONE
);

or_key!(
    /// An admin or a consultant (as [`Staff`]), or an API key holding scope `S`, which sees what
    /// admins see. `viewer` is never [`Viewer::Beneficiary`].
    StaffOrKey,
    &[Role::Admin, Role::Consultant]
);

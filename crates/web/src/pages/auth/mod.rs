//! Public pages: login (with its TOTP step), sign-up, and the pages emailed links open.

mod forgot_password;
mod login;
mod register;
mod set_password;
mod verify_email;

pub use forgot_password::ForgotPassword;
pub use login::Login;
pub use register::Register;
pub use set_password::{AcceptInvitation, ResetPassword};
pub use verify_email::VerifyEmail;

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// The `?token=` of an emailed link.
pub fn token_from_query() -> String {
    use_query_map().with_untracked(|q| q.get("token").unwrap_or_default())
}

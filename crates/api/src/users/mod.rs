//! The routes on accounts: sign-up, email verification and password reset (`account`), one's own
//! profile (`me`), and their management by admins (`admin`). The account row itself is `accounts`.

pub mod account;
pub mod admin;
pub mod me;

use utoipa_actix_web::service_config::ServiceConfig;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(account::register)
        .service(account::verify_email)
        .service(account::resend_verification)
        .service(account::forgot_password)
        .service(account::reset_password)
        .service(me::get_me)
        .service(me::update_me)
        .service(me::change_password)
        .service(me::list_sessions)
        .service(me::delete_session)
        .service(me::setup_totp)
        .service(me::enable_totp)
        .service(me::disable_totp)
        .service(me::regenerate_recovery_codes)
        .service(admin::list_users)
        .service(admin::get_user)
        .service(admin::update_user)
        .service(admin::accept_invitation)
        .service(admin::create_invitation);
}

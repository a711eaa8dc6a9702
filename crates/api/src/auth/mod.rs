//! Authentication: passwords, tokens, sessions, TOTP, API keys, throttling, and the extractors that
//! say who may call a handler. It reads the accounts data, the settings store and the journal, never a
//! feature's routes; sign-up and password reset, which send mail, are `users::account`.

pub mod api_keys;
pub mod caller;
pub mod client_ip;
pub mod device;
pub mod extract;
pub mod login;
pub mod one_time;
pub mod password;
pub mod sessions;
pub mod throttle;
pub mod tokens;
pub mod totp;

use utoipa_actix_web::service_config::ServiceConfig;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(login::login)
        .service(login::login_totp)
        .service(login::refresh)
        .service(login::logout)
        .service(login::logout_all)
        .service(api_keys::list_api_keys)
        .service(api_keys::create_api_key)
        .service(api_keys::revoke_api_key);
}

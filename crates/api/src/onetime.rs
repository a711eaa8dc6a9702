//! The one-time codes of the links given to people without an account (a signer, the recipient of a
//! synthèse): 6 digits sent by email or SMS through the outbox (the code sealed apart, never stored
//! in clear), stored as a hash bound to its holder, good for 10 minutes, at most one a minute, and
//! a limited number of wrong tries. The masks show where a code went without giving the address.

use boussole_shared::field_rules::FieldRule;
use boussole_shared::signatures::CodeChannel;
use chrono::{Duration, NaiveDateTime};
use rand::Rng;

use crate::auth::tokens::sha256_hex;
use crate::db::{self, Conn};
use crate::error::ApiError;
use crate::notify::outbox::{self, Channel, MASKED_CODE, Outgoing};

/// The path of a personal link's routes.
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
pub struct TokenPath {
    /// The personal token of the link (as emailed to its holder).
    pub token: String,
}

/// A code is good for this long.
pub const CODE_MINUTES: i64 = 10;
/// Wrong codes allowed.
pub const CODE_ATTEMPTS: i32 = 5;
/// At most one code a minute.
const CODE_INTERVAL_SECS: i64 = 60;

/// `marie.dupont@exemple.fr` → `m***@exemple.fr`: enough for the office to recognise, not to copy.
pub fn mask_email(email: &str) -> String {
    match email.split_once('@') {
        Some((local, domain)) => {
            let first: String = local.chars().take(1).collect();
            format!("{first}***@{domain}")
        }
        None => "***".into(),
    }
}

/// `06 12 34 56 78` → `06 ** ** ** 78`.
pub fn mask_phone(phone: &str) -> String {
    let digits: Vec<char> = phone.chars().filter(char::is_ascii_digit).collect();
    if digits.len() < 4 {
        return "**".into();
    }
    let head: String = digits[..2].iter().collect();
    let tail: String = digits[digits.len() - 2..].iter().collect();
    format!("{head} ** ** ** {tail}")
}

/// Where the last code went, masked (`None` before any).
pub fn sent_to(
    channel: Option<&str>,
    sent_at: Option<NaiveDateTime>,
    email: &str,
    phone: Option<&str>,
) -> Option<String> {
    match (channel, sent_at) {
        (Some("sms"), Some(_)) => phone.map(mask_phone),
        (Some(_), Some(_)) => Some(mask_email(email)),
        _ => None,
    }
}

/// The stored form of `code`, bound to its holder's row (the same code elsewhere is another hash).
pub fn code_hash(holder: &str, code: &str) -> String {
    sha256_hex(&format!("{holder}:{code}"))
}

/// 429 when the last code went less than a minute ago.
pub fn throttle(last_sent: Option<NaiveDateTime>, now: NaiveDateTime) -> Result<(), ApiError> {
    match last_sent {
        Some(at) if now < at + Duration::seconds(CODE_INTERVAL_SECS) => {
            Err(ApiError::TooManyRequests {
                retry_after_secs: (at + Duration::seconds(CODE_INTERVAL_SECS) - now)
                    .num_seconds()
                    .max(1),
            })
        }
        _ => Ok(()),
    }
}

/// A code on its way: where, and the words around it.
pub struct CodeMessage<'a> {
    pub channel: CodeChannel,
    pub email: &'a str,
    pub phone: Option<&'a str>,
    /// The outbox kind (`signature_code`, `share_code`).
    pub kind: &'static str,
    pub subject: &'a str,
    /// The SMS text and the email body, each with `{code}` where the code goes.
    pub sms: String,
    pub text: String,
}

/// Draws a code and queues it (sealed apart) to the holder's address or mobile; returns its stored
/// hash. 422 on `channel` when SMS is asked and no mobile is known.
pub fn send(
    conn: &mut Conn,
    master: &[u8; 32],
    holder: &str,
    m: CodeMessage<'_>,
) -> Result<String, ApiError> {
    let (channel, recipient, template) = match (m.channel, m.phone) {
        (CodeChannel::Sms, Some(phone)) => (
            Channel::Sms,
            crate::notify::sms::international(phone),
            m.sms,
        ),
        (CodeChannel::Sms, None) => {
            return Err(ApiError::field(
                "channel",
                FieldRule::MobileRequired,
                "aucun mobile n'est connu pour ce destinataire",
            ));
        }
        (CodeChannel::Email, _) => (Channel::Email, m.email.to_string(), m.text),
    };
    let code = format!("{:06}", rand::rng().random_range(0..1_000_000u32));
    let message = Outgoing {
        channel,
        recipient,
        kind: m.kind,
        subject: m.subject.to_string(),
        body: template.replace("{code}", &code),
        ics: None,
        appointment_id: None,
        not_before: db::now(),
    };
    outbox::enqueue_sealed(conn, master, message, Some(&code), MASKED_CODE)?;
    Ok(code_hash(holder, &code))
}

/// What a code given back is worth.
#[derive(Debug, PartialEq, Eq)]
pub enum Check {
    Good,
    /// Wrong: this many tries are left after it.
    Wrong {
        left: i32,
    },
    /// None asked, too old, or no tries left.
    Expired,
}

/// Checks `given` against the holder's stored code, sent at `sent_at`, after `attempts` wrong ones.
pub fn check(
    holder: &str,
    stored: Option<&str>,
    sent_at: Option<NaiveDateTime>,
    attempts: i32,
    given: &str,
    now: NaiveDateTime,
) -> Check {
    let (Some(hash), Some(sent)) = (stored, sent_at) else {
        return Check::Expired;
    };
    if now > sent + Duration::minutes(CODE_MINUTES) || attempts >= CODE_ATTEMPTS {
        return Check::Expired;
    }
    if hash != code_hash(holder, given.trim()) {
        return Check::Wrong {
            left: CODE_ATTEMPTS - attempts - 1,
        };
    }
    Check::Good
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_is_good_once_in_time_and_tries() {
        let now = db::now();
        let hash = code_hash("h", "123456");
        let at = Some(now);
        assert_eq!(check("h", Some(&hash), at, 0, "123456", now), Check::Good);
        assert_eq!(
            check("other", Some(&hash), at, 0, "123456", now),
            Check::Wrong { left: 4 }
        );
        assert_eq!(
            check("h", Some(&hash), at, 4, "000000", now),
            Check::Wrong { left: 0 }
        );
        assert_eq!(
            check("h", Some(&hash), at, 5, "123456", now),
            Check::Expired
        );
        let late = now + Duration::minutes(CODE_MINUTES + 1);
        assert_eq!(
            check("h", Some(&hash), at, 0, "123456", late),
            Check::Expired
        );
        assert_eq!(check("h", None, at, 0, "123456", now), Check::Expired);
        assert!(throttle(Some(now), now + Duration::seconds(30)).is_err());
        assert!(throttle(Some(now), now + Duration::seconds(61)).is_ok());
    }

    #[test]
    fn masks_keep_enough_to_recognise() {
        assert_eq!(mask_email("marie.dupont@exemple.fr"), "m***@exemple.fr");
        assert_eq!(mask_phone("06 12 34 56 78"), "06 ** ** ** 78");
    }
}

//! Video rooms on the configured Jitsi Meet server. Each remote appointment has an unguessable room
//! name; when an app id and secret are configured, each party gets a JWT (HS256, the claims Jitsi's
//! token authentication reads) valid around the appointment only, the consultant as moderator, so
//! that only the two parties enter.

use boussole_shared::appointments::{Party, VideoRoom};
use jsonwebtoken::{EncodingKey, Header};
use serde::{Deserialize, Serialize};

use super::AppointmentRow;
use crate::accounts::UserRow;
use crate::config::JitsiConfig;
use crate::error::ApiError;

/// The room opens this long before the start and the token lasts this long after the end.
pub const EARLY_MINUTES: i64 = 30;
pub const LATE_MINUTES: i64 = 120;

#[derive(Debug, Serialize, Deserialize, PartialEq)]
pub struct JitsiUser {
    pub id: String,
    pub name: String,
    pub email: String,
    pub moderator: bool,
}

#[derive(Debug, Serialize, Deserialize, PartialEq)]
pub struct JitsiContext {
    pub user: JitsiUser,
}

#[derive(Debug, Serialize, Deserialize, PartialEq)]
pub struct JitsiClaims {
    pub aud: String,
    pub iss: String,
    /// The Jitsi server's domain.
    pub sub: String,
    pub room: String,
    pub nbf: i64,
    pub exp: i64,
    pub context: JitsiContext,
}

fn domain(base_url: &str) -> String {
    let rest = base_url.split_once("://").map_or(base_url, |(_, r)| r);
    rest.split(['/', ':']).next().unwrap_or(rest).to_string()
}

pub fn claims(
    cfg: &JitsiConfig,
    app_id: &str,
    row: &AppointmentRow,
    user: &UserRow,
    party: Party,
) -> JitsiClaims {
    JitsiClaims {
        aud: "jitsi".into(),
        iss: app_id.into(),
        sub: domain(&cfg.base_url),
        room: row.room.clone().unwrap_or_default(),
        nbf: (row.starts_at - chrono::Duration::minutes(EARLY_MINUTES))
            .and_utc()
            .timestamp(),
        exp: (row.ends_at + chrono::Duration::minutes(LATE_MINUTES))
            .and_utc()
            .timestamp(),
        context: JitsiContext {
            user: JitsiUser {
                id: user.id.clone(),
                name: user.display_name(),
                email: user.email.clone(),
                moderator: party == Party::Consultant,
            },
        },
    }
}

/// The room for one party of a remote appointment.
pub fn room_for(
    cfg: &JitsiConfig,
    row: &AppointmentRow,
    user: &UserRow,
    party: Party,
) -> Result<Option<VideoRoom>, ApiError> {
    let Some(room) = row.room.clone() else {
        return Ok(None);
    };
    let jwt = match (&cfg.app_id, &cfg.app_secret) {
        (Some(id), Some(secret)) => {
            let key = EncodingKey::from_secret(secret.as_bytes()).map_err(ApiError::internal)?;
            Some(
                jsonwebtoken::encode(&Header::default(), &claims(cfg, id, row, user, party), &key)
                    .map_err(ApiError::internal)?,
            )
        }
        _ => None,
    };
    let mut url = format!("{}/{room}", cfg.base_url);
    if let Some(token) = &jwt {
        url = format!("{url}?jwt={token}");
    }
    // Jitsi's pre-join screen: each party checks camera and microphone before entering.
    url.push_str("#config.prejoinConfig.enabled=true");
    Ok(Some(VideoRoom {
        base_url: cfg.base_url.clone(),
        room,
        url,
        jwt,
    }))
}

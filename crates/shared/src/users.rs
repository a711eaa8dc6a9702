use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;
use validator::Validate;

/// The one role each account has.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// The organisation's managers and office staff: administrative facts, never bilan content.
    Admin,
    /// Career consultants and work psychologists.
    Consultant,
    /// The person who undertakes a bilan.
    Beneficiary,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Consultant => "consultant",
            Role::Beneficiary => "beneficiary",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        match s {
            "admin" => Some(Role::Admin),
            "consultant" => Some(Role::Consultant),
            "beneficiary" => Some(Role::Beneficiary),
            _ => None,
        }
    }
}

/// Civility as French forms ask it; optional.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Civility {
    /// Madame
    Mme,
    /// Monsieur
    M,
}

impl Civility {
    pub fn as_str(self) -> &'static str {
        match self {
            Civility::Mme => "mme",
            Civility::M => "m",
        }
    }

    pub fn parse(s: &str) -> Option<Civility> {
        match s {
            "mme" => Some(Civility::Mme),
            "m" => Some(Civility::M),
            _ => None,
        }
    }
}

/// The interface language.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Locale {
    /// Français (default)
    #[default]
    Fr,
    /// English
    En,
}

impl Locale {
    pub fn as_str(self) -> &'static str {
        match self {
            Locale::Fr => "fr",
            Locale::En => "en",
        }
    }

    pub fn parse(s: &str) -> Locale {
        if s == "en" { Locale::En } else { Locale::Fr }
    }
}

/// An account.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct User {
    /// Account id (UUID v7).
    pub id: Uuid,
    /// Login email, lower-cased.
    pub email: String,
    /// The account's role.
    pub role: Role,
    /// Civility, when given.
    pub civility: Option<Civility>,
    /// First name.
    pub first_name: String,
    /// Last name.
    pub last_name: String,
    /// Phone number, when given.
    pub phone: Option<String>,
    /// Interface language.
    pub locale: Locale,
    /// Appointment reminders also by SMS to `phone` (the person opted in).
    pub sms_reminders: bool,
    /// Whether the email address has been verified.
    pub email_verified: bool,
    /// Whether a TOTP second factor is enrolled.
    pub totp_enabled: bool,
    /// False once an admin has deactivated the account: it can no longer log in.
    pub is_active: bool,
    /// False while an invited account has not set its password yet.
    pub has_password: bool,
    /// When the account was created (UTC).
    pub created_at: DateTime<Utc>,
    /// A consultant's titles and qualifications, as the documents print them next to the name
    /// ("Psychologue du travail, titre RNCP « Conseiller en bilan de compétences », 12 ans
    /// d'expérience": L6353-8 and R6313-8); null for the other roles and until given.
    #[serde(default)]
    pub qualification: Option<String>,
}

/// What a person may change in their own profile (`PATCH /api/v1/me`). Absent fields are left as they are.
#[derive(Debug, Clone, Serialize, Deserialize, Validate, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MePatch {
    /// Civility; `null` is not accepted, omit the field to keep it.
    pub civility: Option<Civility>,
    /// First name, 1 to 100 characters.
    #[validate(
        length(min = 1, max = 100),
        custom(function = "crate::users::printable")
    )]
    pub first_name: Option<String>,
    /// Last name, 1 to 100 characters.
    #[validate(
        length(min = 1, max = 100),
        custom(function = "crate::users::printable")
    )]
    pub last_name: Option<String>,
    /// Phone number, up to 30 characters; an empty string removes it.
    #[validate(length(max = 30))]
    pub phone: Option<String>,
    /// Interface language.
    pub locale: Option<Locale>,
    /// Opt in to (or out of) SMS reminders; opting in needs a mobile `phone`.
    pub sms_reminders: Option<bool>,
    /// Titles and qualifications printed with the name on the pre-contract information, the
    /// conventions and the contract (consultants only: 422 for another role), up to 300
    /// characters; an empty string removes them.
    #[validate(length(max = 300), custom(function = "crate::users::printable"))]
    pub qualification: Option<String>,
}

/// What an admin may change on an account (`PATCH /api/v1/users/{id}`).
#[derive(Debug, Clone, Serialize, Deserialize, Validate, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UserPatch {
    /// First name, 1 to 100 characters.
    #[validate(
        length(min = 1, max = 100),
        custom(function = "crate::users::printable")
    )]
    pub first_name: Option<String>,
    /// Last name, 1 to 100 characters.
    #[validate(
        length(min = 1, max = 100),
        custom(function = "crate::users::printable")
    )]
    pub last_name: Option<String>,
    /// Phone number, up to 30 characters; an empty string removes it.
    #[validate(length(max = 30))]
    pub phone: Option<String>,
    /// False deactivates the account and ends all its sessions; true reactivates it.
    pub is_active: Option<bool>,
    /// Titles and qualifications printed with the name on the pre-contract information, the
    /// conventions and the contract (consultants only: 422 for another role), up to 300
    /// characters; an empty string removes them.
    #[validate(length(max = 300), custom(function = "crate::users::printable"))]
    pub qualification: Option<String>,
}

/// Filters of `GET /api/v1/users`.
#[derive(Debug, Clone, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
pub struct UserFilter {
    /// Part of the email, first or last name (case-insensitive).
    pub q: Option<String>,
    /// Only accounts with this role.
    pub role: Option<Role>,
    /// Only active (true) or deactivated (false) accounts.
    pub active: Option<bool>,
    /// The order of the whole list (default: newest first).
    pub sort: Option<UserSort>,
    /// Descending order of `sort` (default false).
    pub desc: Option<bool>,
}

/// What `GET /api/v1/users` sorts by.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum UserSort {
    /// Last name, then first name (case-insensitive).
    Name,
    Email,
    /// Creation time.
    Created,
}

impl UserSort {
    pub fn as_str(self) -> &'static str {
        match self {
            UserSort::Name => "name",
            UserSort::Email => "email",
            UserSort::Created => "created",
        }
    }
}

/// An admin invites a consultant or another admin (`POST /api/v1/invitations`).
#[derive(Debug, Clone, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewInvitation {
    /// The invitee's email: the link to set a password goes there.
    #[validate(email, length(max = 254))]
    pub email: String,
    /// `consultant` or `admin` (beneficiaries sign up themselves).
    pub role: Role,
    /// Civility, optional.
    pub civility: Option<Civility>,
    /// First name.
    #[validate(
        length(min = 1, max = 100),
        custom(function = "crate::users::printable")
    )]
    pub first_name: String,
    /// Last name.
    #[validate(
        length(min = 1, max = 100),
        custom(function = "crate::users::printable")
    )]
    pub last_name: String,
}

/// A sent invitation.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Invitation {
    /// The invited account (no password yet).
    pub user: User,
    /// The link stops working at this time (UTC).
    pub expires_at: DateTime<Utc>,
}

/// The invitee sets a password (`POST /api/v1/invitations/accept`).
#[derive(Debug, Clone, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AcceptInvitation {
    /// The token from the emailed link.
    #[validate(length(min = 1, max = 200))]
    pub token: String,
    /// The new password (12 to 128 characters, not a common one).
    #[validate(length(min = 12, max = 128))]
    pub password: String,
}

/// The organisation's settings: security, and the legal rules it chooses to make stricter. A `PATCH`
/// changes only the fields it sends.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SecuritySettings {
    /// When true, admins and consultants must enrol a TOTP second factor before they can use staff features.
    pub totp_required_for_staff: bool,
    /// When true, a bilan with less than the minimum of effective accompaniment (13 hours, pending
    /// décret, DOMAIN.md §1.3) cannot be marked completed; when false, the bilan only shows a warning.
    #[serde(default)]
    pub min_hours_blocking: bool,
    /// Months a completed bilan stays open for the follow-up, from its completion (1 to 12, 6 by
    /// default). Then it closes by itself and its content is destroyed, unless the beneficiary agreed
    /// in writing to keep it (R6313-7).
    #[serde(default = "default_follow_up_months")]
    #[validate(range(min = 1, max = 12))]
    pub follow_up_months: u32,
    /// When true, the preliminary phase cannot start before the beneficiary has acknowledged the
    /// organisation's règlement intérieur (L6352-3, the `reglement_interieur_acknowledged` fact).
    #[serde(default)]
    pub reglement_interieur_required: bool,
}

pub const DEFAULT_FOLLOW_UP_MONTHS: u32 = 6;

fn default_follow_up_months() -> u32 {
    DEFAULT_FOLLOW_UP_MONTHS
}

impl Default for SecuritySettings {
    fn default() -> Self {
        SecuritySettings {
            totp_required_for_staff: false,
            min_hours_blocking: false,
            follow_up_months: DEFAULT_FOLLOW_UP_MONTHS,
            reglement_interieur_required: false,
        }
    }
}

/// Names are shown in emails, PDFs, calendars and SMS: control characters (line breaks, escape
/// sequences, bidirectional overrides) would let one person's name forge another's line there.
pub fn printable(text: &str) -> Result<(), validator::ValidationError> {
    let forged = text
        .chars()
        .any(|c| c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'));
    if forged {
        return Err(validator::ValidationError::new("control_characters")
            .with_message("ne doit pas contenir de caractères de contrôle".into()));
    }
    Ok(())
}

#[cfg(test)]
mod printable_tests {
    use super::printable;

    #[test]
    fn line_breaks_escapes_and_direction_overrides_are_refused() {
        assert!(printable("Élodie-Anne O'Brien").is_ok());
        for bad in [
            "Jean\nObjet: faux",
            "Jean\u{1b}[31m",
            "Jean\u{202E}nibor",
            "Jean\tX",
        ] {
            assert!(printable(bad).is_err(), "{bad:?}");
        }
    }
}

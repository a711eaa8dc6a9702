//! Password hashing (Argon2id) and the password policy.
//!
//! The policy follows CNIL délibération 2022-100 and ANSSI guidance: length rather than composition
//! rules (12 characters at least, with login throttling in front), and a refusal of passwords that are
//! common or easy to guess, judged by zxcvbn (its dictionaries hold the most common passwords, names and
//! keyboard patterns) with the person's own email and names added to the dictionary.

use argon2::{Argon2, PasswordHasher, PasswordVerifier};
use boussole_shared::field_rules::FieldRule;

use crate::error::ApiError;

pub const MIN_LENGTH: usize = 12;
pub const MAX_LENGTH: usize = 128;

/// zxcvbn's dictionaries are English and its keyboard graphs QWERTY: add the French favourites and the
/// AZERTY rows, so that "azertyuiop" or "motdepasse" count as the guessable words they are.
const FRENCH_COMMON: &[&str] = &[
    "boussole",
    "azerty",
    "azertyuiop",
    "qsdfghjklm",
    "wxcvbn",
    "azertyuiopqsdfghjklm",
    "motdepasse",
    "bonjour",
    "soleil",
    "jetaime",
    "doudou",
    "loulou",
    "chouchou",
    "marseille",
    "paris",
    "france",
    "nicolas",
    "camille",
    "julien",
    "celine",
    "chocolat",
    "princesse",
    "coucou",
    "amour",
    "formation",
    "bilan",
    "competences",
    "travail",
    "emploi",
];

pub fn hash(password: &str) -> Result<String, ApiError> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| ApiError::internal(format!("cannot hash password: {e}")))
}

/// True when the password matches the stored hash.
pub fn verify(password: &str, stored: &str) -> bool {
    Argon2::default()
        .verify_password(password.as_bytes(), stored)
        .is_ok()
}

/// Checks a new password against the policy; the error is a field error on `field`.
pub fn check_policy(field: &str, password: &str, personal: &[&str]) -> Result<(), ApiError> {
    let length = password.chars().count();
    if length < MIN_LENGTH {
        return Err(ApiError::field(
            field,
            FieldRule::TooShort,
            format!("doit contenir au moins {MIN_LENGTH} caractères"),
        ));
    }
    if length > MAX_LENGTH {
        return Err(ApiError::field(
            field,
            FieldRule::TooLong,
            format!("doit contenir au plus {MAX_LENGTH} caractères"),
        ));
    }
    if leans_on_personal_words(password, personal) {
        return Err(ApiError::field(
            field,
            FieldRule::WeakPassword,
            "ne doit pas reposer sur votre nom ou votre adresse e-mail",
        ));
    }
    let mut inputs: Vec<&str> = personal.iter().copied().filter(|s| !s.is_empty()).collect();
    inputs.extend_from_slice(FRENCH_COMMON);
    let guesses = zxcvbn::zxcvbn(password, &inputs).score();
    if (guesses as u8) < 3 {
        return Err(ApiError::field(
            field,
            FieldRule::WeakPassword,
            "mot de passe trop courant ou trop facile à deviner : allongez-le, par exemple avec plusieurs mots",
        ));
    }
    Ok(())
}

/// True when, once the person's own words (names, parts of the email) are taken out, too little of
/// the password is left: "dupont2024" guesses in no time for anyone who knows Dupont.
fn leans_on_personal_words(password: &str, personal: &[&str]) -> bool {
    let mut rest = password.to_lowercase();
    let mut words: Vec<String> = personal
        .iter()
        .flat_map(|p| p.split(|c: char| !c.is_alphanumeric()))
        .map(str::to_lowercase)
        .filter(|w| w.chars().count() >= 3)
        .collect();
    words.push("boussole".into());
    words.sort_by_key(|w| std::cmp::Reverse(w.len()));
    let mut found = false;
    for word in &words {
        if rest.contains(word.as_str()) {
            found = true;
            rest = rest.replace(word.as_str(), "");
        }
    }
    found && rest.chars().filter(|c| c.is_alphanumeric()).count() < 8
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_verify_and_differ_per_call() {
        let a = hash("correct horse battery").unwrap();
        let b = hash("correct horse battery").unwrap();
        assert_ne!(a, b, "each hash has its own salt");
        assert!(a.starts_with("$argon2id$"));
        assert!(verify("correct horse battery", &a));
        assert!(!verify("correct horse batterY", &a));
    }

    #[test]
    fn policy_refuses_short_common_and_personal_passwords() {
        assert!(check_policy("p", "short", &[]).is_err());
        assert!(check_policy("p", "123456789012", &[]).is_err());
        assert!(check_policy("p", "passwordpassword", &[]).is_err());
        assert!(check_policy("p", "azertyuiopqsdf", &[]).is_err());
        assert!(check_policy("p", "dupontdupont12", &["dupont"]).is_err());
        assert!(check_policy("p", "lune verte sur le toit", &[]).is_ok());
        assert!(check_policy("p", &"x".repeat(129), &[]).is_err());
    }
}

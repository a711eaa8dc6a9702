//! What a failed call becomes: forms show field errors next to their field, the rest as one message.

use boussole_shared::Problem;

use crate::i18n::Strings;

/// A failed API call.
#[derive(Debug, Clone, PartialEq)]
pub enum ApiError {
    /// The request never got an answer (server down, network cut).
    Network,
    /// The API answered with a problem document.
    Problem(Problem),
    /// The API answered something we could not read (a proxy error page, say).
    Unexpected(u16),
}

impl ApiError {
    /// True when the problem type ends with `slug` (types are URIs like `…/problems/email-not-verified`).
    pub fn is(&self, slug: &str) -> bool {
        matches!(self, ApiError::Problem(p) if p.kind.ends_with(slug))
    }

    /// What a closed gate still needs (a 422 of the bilan workflow), if any.
    pub fn missing(&self) -> Vec<String> {
        match self {
            ApiError::Problem(p) => p.missing.clone().unwrap_or_default(),
            _ => Vec::new(),
        }
    }

    /// The messages for one field of a validation error, joined, if any.
    pub fn field(&self, name: &str) -> Option<String> {
        match self {
            ApiError::Problem(p) => {
                let msgs = p.errors.as_ref()?.get(name)?;
                (!msgs.is_empty()).then(|| msgs.join(" "))
            }
            _ => None,
        }
    }

    /// The form-level message. Field errors are shown by their fields, so here they get a summary,
    /// except those of `hidden` fields (a token from a link) which no field can show.
    pub fn message(&self, t: &Strings, hidden: &[&str]) -> String {
        let p = match self {
            ApiError::Network => return t.err_network.to_string(),
            ApiError::Unexpected(_) => return t.err_unexpected.to_string(),
            ApiError::Problem(p) => p,
        };
        // The API speaks French; the slugs we know get the interface's language.
        let known = [
            ("invalid-credentials", t.err_credentials),
            ("account-disabled", t.err_disabled),
            ("email-not-verified", t.err_not_verified),
            ("invalid-code", t.err_code),
        ];
        if let Some((_, msg)) = known.iter().find(|(slug, _)| self.is(slug)) {
            return msg.to_string();
        }
        if p.status == 429 {
            return t.err_throttled.to_string();
        }
        if let Some(errors) = p.errors.as_ref().filter(|e| !e.is_empty()) {
            let own: Vec<String> = hidden
                .iter()
                .filter_map(|f| errors.get(*f))
                .flatten()
                .cloned()
                .collect();
            return if own.is_empty() {
                t.err_fields.to_string()
            } else {
                own.join(" ")
            };
        }
        // The interface's own words for the problem's slug, when its language has them (English;
        // French keeps the API's detail, see `i18n/problems.rs`).
        let own = t.problems.iter().find(|[slug, msg]| {
            !msg.is_empty()
                && p.kind
                    .strip_suffix(slug)
                    .is_some_and(|rest| rest.ends_with(':'))
        });
        let msg = match own {
            Some([_, msg]) => msg.to_string(),
            None => p.detail.clone().unwrap_or_else(|| p.title.clone()),
        };
        match p.missing.as_ref().filter(|m| !m.is_empty()) {
            Some(missing) => {
                let said: Vec<String> = missing
                    .iter()
                    .map(|m| crate::i18n::conditions::said(&t.conditions, m))
                    .collect();
                format!("{msg} ({})", said.join(", "))
            }
            None => msg,
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    fn problem(status: u16, errors: Option<BTreeMap<String, Vec<String>>>) -> ApiError {
        ApiError::Problem(Problem {
            kind: "https://boussole.fr/problems/conflict".into(),
            title: "Titre".into(),
            status,
            detail: Some("Détail".into()),
            errors,
            rules: None,
            missing: None,
        })
    }

    #[test]
    fn field_messages_are_joined_and_the_form_gets_a_summary() {
        let errs = BTreeMap::from([("email".to_string(), vec!["a".to_string(), "b".to_string()])]);
        let e = problem(400, Some(errs));
        assert_eq!(e.field("email").as_deref(), Some("a b"));
        assert_eq!(e.field("password"), None);
        assert_eq!(e.message(&crate::i18n::FR, &[]), crate::i18n::FR.err_fields);
        assert_eq!(e.message(&crate::i18n::FR, &["email"]), "a b");
    }

    fn typed(slug: &str, detail: &str, missing: Option<Vec<String>>) -> ApiError {
        ApiError::Problem(Problem {
            kind: format!("urn:boussole:problem:{slug}"),
            title: "Titre".into(),
            status: 409,
            detail: Some(detail.into()),
            errors: None,
            rules: None,
            missing,
        })
    }

    #[test]
    fn a_known_slug_is_shown_in_english_and_as_the_detail_in_french() {
        let e = typed("quote-already-invoiced", "Ce devis est déjà facturé.", None);
        assert_eq!(
            e.message(&crate::i18n::EN, &[]),
            "This quote has already been invoiced."
        );
        assert_eq!(
            e.message(&crate::i18n::FR, &[]),
            "Ce devis est déjà facturé."
        );
        // A slug matches whole: a type that only ends like one keeps its detail.
        let other = typed("not-quote-already-invoiced", "Détail", None);
        assert_eq!(other.message(&crate::i18n::EN, &[]), "Détail");
        // `missing` still follows the message, each condition in the reader's language and
        // anything else (a field's path) as sent.
        let gate = typed(
            "bilan-conditions-missing",
            "Conditions manquantes pour cette étape.",
            Some(vec!["start-consent".into(), "organisation.siret".into()]),
        );
        assert_eq!(
            gate.message(&crate::i18n::EN, &[]),
            "Some conditions for this step are missing. (The beneficiary’s consent to start the \
             bilan (L6313-4), organisation.siret)"
        );
        assert_eq!(
            gate.message(&crate::i18n::FR, &[]),
            "Conditions manquantes pour cette étape. (Consentement du bénéficiaire à démarrer le \
             bilan (L6313-4), organisation.siret)"
        );
        // The slugs the app mapped before keep their own words in both languages.
        for t in [&crate::i18n::FR, &crate::i18n::EN] {
            let login = typed("invalid-credentials", "Identifiants invalides.", None);
            assert_eq!(login.message(t, &[]), t.err_credentials);
        }
    }

    #[test]
    fn detail_slug_and_network_messages() {
        let e = problem(403, None);
        assert!(e.is("conflict"));
        assert_eq!(e.message(&crate::i18n::FR, &[]), "Détail");
        assert_eq!(
            ApiError::Network.message(&crate::i18n::FR, &[]),
            crate::i18n::FR.err_network
        );
    }
}

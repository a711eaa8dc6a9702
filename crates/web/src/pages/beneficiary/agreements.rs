//! The beneficiary's agreements beyond the consent to start: sharing the synthèse or the detailed
//! results with a named recipient (L6313-4), and keeping the documents for follow-up (R6313-7).
//! Each shows, before it is given, the exact statement that will be recorded with the date and IP.

use boussole_shared::bilans::{ConsentKind, NewConsent};
use leptos::prelude::*;
use uuid::Uuid;

use crate::{
    api::{ApiError, use_api},
    components::*,
    i18n::{Strings, use_i18n},
    pages::no_reload,
};

/// Who receives, as the select's values.
const RECIPIENTS: [&str; 4] = ["employer", "funder", "cep", "other"];
/// What is shared, as the select's values.
const SCOPES: [&str; 2] = ["synthese", "results"];
/// R6313-7: three years at most.
const MAX_MONTHS: i64 = 36;

/// The recipient as recorded, in French like the statement: "Employeur : ACME".
pub fn recipient_text(kind: &str, name: &str) -> String {
    let name = name.trim();
    match kind {
        "employer" => format!("Employeur : {name}"),
        "funder" => format!("Financeur : {name}"),
        "cep" => format!("Conseiller en évolution professionnelle : {name}"),
        _ => name.to_string(),
    }
}

pub fn scope_text(scope: &str) -> &'static str {
    match scope {
        "results" => "les résultats détaillés du bilan",
        _ => "le document de synthèse",
    }
}

// The statements come from the shared crate, the very functions the API records them with: what the
// beneficiary reads before agreeing is word for word what is kept.
pub use boussole_shared::bilans::{retention_statement, share_statement};

/// The words of a recipient type or a scope, in the interface's language.
fn choice_label(t: &Strings, key: &str) -> &'static str {
    match key {
        "employer" => t.agreement_employer,
        "funder" => t.agreement_funder,
        "cep" => t.agreement_cep,
        "other" => t.agreement_other,
        "results" => t.agreement_scope_results,
        _ => t.agreement_scope_synthese,
    }
}

/// A months input within 1..=36.
fn months(s: &str) -> Option<i64> {
    s.trim()
        .parse()
        .ok()
        .filter(|m| (1..=MAX_MONTHS).contains(m))
}

/// The dialog to give a share (`ConsentKind::Share`) or retention agreement.
#[component]
pub fn AgreementDialog(
    id: Uuid,
    kind: ConsentKind,
    open: RwSignal<bool>,
    version: RwSignal<u32>,
) -> impl IntoView {
    let (i, api, toasts) = (use_i18n(), use_api(), use_toasts());
    let share = kind == ConsentKind::Share;
    let recipient_kind = RwSignal::new(RECIPIENTS[0].to_string());
    let name = RwSignal::new(String::new());
    let scope = RwSignal::new(SCOPES[0].to_string());
    let months_text = RwSignal::new("12".to_string());
    let local_err = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<ApiError>);
    // What will be recorded; None while the form is incomplete.
    let statement = Memo::new(move |_| {
        if share {
            let n = name.get();
            (n.trim().chars().count() >= 2).then(|| {
                let r = recipient_text(&recipient_kind.get(), &n);
                share_statement(&r, scope_text(&scope.get()))
            })
        } else {
            months(&months_text.get()).map(retention_statement)
        }
    });
    let give = crate::components::act(move |_: &()| {
        let t = i.t();
        let body = if share {
            let n = name.get_untracked();
            local_err
                .set((n.trim().chars().count() < 2).then(|| t.agreement_name_needed.to_string()));
            (n.trim().chars().count() >= 2).then(|| NewConsent {
                kind,
                recipient: Some(recipient_text(&recipient_kind.get_untracked(), &n)),
                scope: Some(scope_text(&scope.get_untracked()).to_string()),
                retention_months: None,
                kept: None,
            })
        } else {
            let m = months(&months_text.get_untracked());
            local_err.set(m.is_none().then(|| t.agreement_months_hint.to_string()));
            m.map(|m| NewConsent {
                kind,
                recipient: None,
                scope: None,
                retention_months: Some(m),
                kept: None,
            })
        };
        async move {
            let Some(body) = body else { return };
            error.set(None);
            match api.give_consent(id, &body).await {
                Ok(_) => {
                    toasts.show(i.t().agreement_given);
                    name.set(String::new());
                    open.set(false);
                    version.update(|v| *v += 1);
                }
                Err(e) => error.set(Some(e)),
            }
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        no_reload(&ev);
        give.dispatch(());
    };
    let merged = move |name: &'static str| {
        let server = field_error(error, name);
        Signal::derive(move || local_err.get().or_else(|| server.get()))
    };
    let labels = move |keys: &[&'static str]| -> Vec<(&'static str, TextProp)> {
        keys.iter()
            .map(|k| {
                let k = *k;
                (k, TextProp::from(move || choice_label(i.t(), k)))
            })
            .collect()
    };
    let fields = if share {
        view! {
            <SelectField id="share-recipient-kind" label=move || i.t().agreement_recipient_kind value=recipient_kind
                options=labels(&RECIPIENTS) testid="share-recipient-kind"/>
            <TextField id="share-recipient-name" label=move || i.t().agreement_recipient_name value=name required=true
                hint=move || i.t().agreement_recipient_hint error=merged("recipient") testid="share-recipient-name"/>
            <SelectField id="share-scope" label=move || i.t().agreement_scope value=scope
                options=labels(&SCOPES) error=field_error(error, "scope") testid="share-scope"/>
        }
        .into_any()
    } else {
        view! {
            <TextField id="retention-months" label=move || i.t().agreement_months value=months_text kind="number"
                required=true hint=move || i.t().agreement_months_hint error=merged("retention_months") testid="retention-months"/>
        }
        .into_any()
    };
    let (dialog_id, title, testid): (&'static str, TextProp, &'static str) = if share {
        (
            "accord-partage",
            (move || i.t().agreement_share_title).into(),
            "share-dialog",
        )
    } else {
        (
            "accord-conservation",
            (move || i.t().agreement_retention_title).into(),
            "retention-dialog",
        )
    };
    view! {
        <Dialog id=dialog_id open title testid>
            <form class="form" on:submit=submit novalidate data-testid="agreement-form">
                <FormError error testid="agreement-error"/>
                {fields}
                <p>{move || i.t().agreement_statement_intro}</p>
                <blockquote class="statement" lang="fr" data-testid="agreement-statement">
                    {move || statement.get().unwrap_or_else(|| i.t().agreement_statement_pending.to_string())}
                </blockquote>
                <p class="note">{move || i.t().agreement_free}</p>
                <Button submit=true busy=give.pending() testid="agreement-submit">{move || i.t().agreement_confirm}</Button>
            </form>
        </Dialog>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_statements_are_the_apis_words() {
        let r = recipient_text("employer", " ACME ");
        assert_eq!(r, "Employeur : ACME");
        assert_eq!(
            share_statement(&r, scope_text("synthese")),
            "J'accepte que soit communiqué à « Employeur : ACME » : le document de synthèse. Je peux retirer cet accord à tout moment."
        );
        assert!(retention_statement(36).contains("conservés 36 mois"));
        assert_eq!(recipient_text("other", "Mme Dupont"), "Mme Dupont");
    }

    #[test]
    fn months_stay_within_three_years() {
        assert_eq!(months("12"), Some(12));
        assert_eq!(months("0"), None);
        assert_eq!(months("37"), None);
        assert_eq!(months("douze"), None);
    }
}

//! Accounts: invitations and API keys, typed.

use boussole_shared::auth::{ApiScope, CreatedApiKey, NewApiKey, TokenResponse, TotpLoginRequest};
use boussole_shared::bilans::{Employer, NewBeneficiary, Situation};
use boussole_shared::users::{AcceptInvitation, Civility, Invitation, NewInvitation, Role, User};

use super::{Answer, TestApp, date};

/// A beneficiary as a CRM sends one: an employee with her employer, `external_ref` its own id.
pub fn new_beneficiary(email: &str, external_ref: Option<&str>) -> NewBeneficiary {
    NewBeneficiary {
        email: email.into(),
        civility: Some(Civility::Mme),
        first_name: "Aïcha".into(),
        last_name: "Benali".into(),
        phone: Some("0612345678".into()),
        locale: None,
        date_of_birth: Some(date("1988-03-14")),
        situation: Situation::EmployeeCdi,
        current_job: Some("Assistante de gestion".into()),
        education_level: None,
        employer: Some(Employer {
            name: "Menuiserie Roux".into(),
            siret: Some("73282932000074".into()),
            contact: Some("M. Roux".into()),
        }),
        cep_adviser: None,
        external_ref: external_ref.map(Into::into),
    }
}

impl TestApp {
    /// An admin invites a consultant or an admin.
    pub async fn invite(&self, admin: &str, invitation: &NewInvitation) -> Answer<Invitation> {
        self.post_as("/api/v1/invitations", Some(admin), invitation)
            .await
    }

    /// The invitee sets a password with the emailed token.
    pub async fn accept_invitation(&self, token: &str, password: &str) -> Answer<User> {
        let body = AcceptInvitation {
            token: token.into(),
            password: password.into(),
        };
        self.post_as("/api/v1/invitations/accept", None, &body)
            .await
    }

    pub async fn create_api_key(&self, admin: &str, key: &NewApiKey) -> Answer<CreatedApiKey> {
        self.post_as("/api/v1/api-keys", Some(admin), key).await
    }

    /// The second step of a login: a TOTP or recovery code for the login's challenge.
    pub async fn totp_login(&self, challenge: &str, code: &str) -> Answer<TokenResponse> {
        let body = TotpLoginRequest {
            challenge: challenge.into(),
            code: code.into(),
        };
        self.post_as("/api/v1/auth/totp", None, &body).await
    }

    /// A key named `name` with these scopes and no end; returns its secret.
    pub async fn api_key(&self, admin: &str, name: &str, scopes: &[ApiScope]) -> String {
        let key = NewApiKey {
            name: name.into(),
            scopes: scopes.to_vec(),
            expires_at: None,
        };
        self.create_api_key(admin, &key).await.ok(201).key
    }
}

/// An invitation without civility.
pub fn invitation(email: &str, role: Role, first_name: &str, last_name: &str) -> NewInvitation {
    NewInvitation {
        email: email.into(),
        role,
        civility: None,
        first_name: first_name.into(),
        last_name: last_name.into(),
    }
}

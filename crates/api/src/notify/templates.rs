//! The messages the account flows send, in the person's language (French first).

use boussole_shared::users::Locale;

use super::Email;

pub fn verify_email(to: &str, locale: Locale, first_name: &str, link: &str) -> Email {
    let (subject, text) = match locale {
        Locale::Fr => (
            "Confirmez votre adresse e-mail – Boussole",
            format!(
                "Bonjour {first_name},\n\nPour activer votre compte Boussole, confirmez votre adresse e-mail en ouvrant ce lien (valable 48 heures) :\n\n{link}\n\nSi vous n'êtes pas à l'origine de cette inscription, ignorez ce message.\n"
            ),
        ),
        Locale::En => (
            "Confirm your email address – Boussole",
            format!(
                "Hello {first_name},\n\nTo activate your Boussole account, confirm your email address by opening this link (valid 48 hours):\n\n{link}\n\nIf you did not sign up, ignore this message.\n"
            ),
        ),
    };
    Email {
        to: to.into(),
        subject: subject.into(),
        text,
        ics: None,
    }
}

pub fn already_registered(to: &str, locale: Locale, link: &str) -> Email {
    let (subject, text) = match locale {
        Locale::Fr => (
            "Votre compte Boussole existe déjà",
            format!(
                "Bonjour,\n\nQuelqu'un a demandé à créer un compte Boussole avec cette adresse, qui en a déjà un. Si c'était vous et que vous avez oublié votre mot de passe, vous pouvez le réinitialiser ici :\n\n{link}\n\nSinon, ignorez ce message.\n"
            ),
        ),
        Locale::En => (
            "Your Boussole account already exists",
            format!(
                "Hello,\n\nSomeone asked to create a Boussole account with this address, which already has one. If it was you and you forgot your password, reset it here:\n\n{link}\n\nOtherwise, ignore this message.\n"
            ),
        ),
    };
    Email {
        to: to.into(),
        subject: subject.into(),
        text,
        ics: None,
    }
}

pub fn password_reset(to: &str, locale: Locale, first_name: &str, link: &str) -> Email {
    let (subject, text) = match locale {
        Locale::Fr => (
            "Réinitialisation de votre mot de passe – Boussole",
            format!(
                "Bonjour {first_name},\n\nPour choisir un nouveau mot de passe, ouvrez ce lien (valable 1 heure, utilisable une seule fois) :\n\n{link}\n\nSi vous n'avez rien demandé, ignorez ce message : votre mot de passe reste inchangé.\n"
            ),
        ),
        Locale::En => (
            "Reset your password – Boussole",
            format!(
                "Hello {first_name},\n\nTo choose a new password, open this link (valid 1 hour, single use):\n\n{link}\n\nIf you did not ask for this, ignore this message: your password is unchanged.\n"
            ),
        ),
    };
    Email {
        to: to.into(),
        subject: subject.into(),
        text,
        ics: None,
    }
}

pub fn invitation(to: &str, first_name: &str, inviter: &str, role_fr: &str, link: &str) -> Email {
    Email {
        to: to.into(),
        subject: "Invitation à rejoindre Boussole".into(),
        text: format!(
            "Bonjour {first_name},\n\n{inviter} vous invite à rejoindre Boussole en tant que {role_fr}. Pour choisir votre mot de passe et activer votre compte, ouvrez ce lien (valable 7 jours) :\n\n{link}\n\n---\n\nHello {first_name}, {inviter} invites you to join Boussole. Open the link above (valid 7 days) to set your password.\n"
        ),
        ics: None,
    }
}

pub fn password_changed(to: &str, locale: Locale, first_name: &str) -> Email {
    let (subject, text) = match locale {
        Locale::Fr => (
            "Votre mot de passe a été modifié – Boussole",
            format!(
                "Bonjour {first_name},\n\nLe mot de passe de votre compte Boussole vient d'être modifié, et toutes vos sessions ont été fermées. Si ce n'était pas vous, contactez immédiatement votre organisme.\n"
            ),
        ),
        Locale::En => (
            "Your password was changed – Boussole",
            format!(
                "Hello {first_name},\n\nYour Boussole password has just been changed and all your sessions were closed. If this was not you, contact your organisation at once.\n"
            ),
        ),
    };
    Email {
        to: to.into(),
        subject: subject.into(),
        text,
        ics: None,
    }
}

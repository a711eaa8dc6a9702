//! Every string of the interface, one struct per language: French first, English second.
//! `{n}`-style placeholders are filled with `str::replace` where used.

mod access;
mod apt;
mod apt_en;
mod apt_fr;
mod assess;
mod assess_en;
mod assess_fr;
mod builder;
pub mod cpf;
mod docs;
mod en;
mod fr;
mod help;
mod integ;
mod library;
mod messages;
mod money;
mod notif;
mod projection;
mod quotes;
mod sign;
mod strings;

use boussole_shared::users::Locale;
use leptos::prelude::*;

pub use access::AccessStrings;
pub use apt::AptStrings;
pub use assess::AssessStrings;
pub use builder::BuilderStrings;
pub use cpf::CpfStrings;
pub use docs::DocStrings;
pub use en::EN;
pub use fr::FR;
pub use help::HelpStrings;
pub use integ::IntegStrings;
pub use library::LibraryStrings;
pub use messages::MessagesStrings;
pub use money::MoneyStrings;
pub use notif::NotifStrings;
pub use projection::ProjectionStrings;
pub use quotes::{QuoteStrings, status_label as quote_status};
pub use sign::SignStrings;
pub use strings::Strings;

const STORAGE_KEY: &str = "boussole.locale";

/// The interface language, provided as context by `App`.
#[derive(Clone, Copy)]
pub struct I18n {
    pub locale: RwSignal<Locale>,
}

impl I18n {
    /// Starts from the choice saved in this browser (not a secret, so localStorage is fine), else French.
    pub fn new() -> Self {
        let saved = storage().and_then(|s| s.get_item(STORAGE_KEY).ok().flatten());
        let this = I18n {
            locale: RwSignal::new(saved.map(|s| Locale::parse(&s)).unwrap_or_default()),
        };
        this.apply(this.locale.get_untracked());
        this
    }

    /// The strings of the current language (reactive).
    pub fn t(self) -> &'static Strings {
        strings_for(self.locale.get())
    }

    pub fn set(self, locale: Locale) {
        self.locale.set(locale);
        self.apply(locale);
        if let Some(s) = storage() {
            let _ = s.set_item(STORAGE_KEY, locale.as_str());
        }
    }

    /// `<html lang>` follows the language, so screen readers pronounce it right.
    fn apply(self, locale: Locale) {
        if let Some(html) = document().document_element() {
            let _ = html.set_attribute("lang", locale.as_str());
        }
    }
}

pub fn strings_for(locale: Locale) -> &'static Strings {
    match locale {
        Locale::Fr => &FR,
        Locale::En => &EN,
    }
}

fn storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

pub fn use_i18n() -> I18n {
    expect_context::<I18n>()
}

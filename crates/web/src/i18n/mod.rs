//! Every string of the interface, one struct per language: French first, English second.
//! `{n}`-style placeholders are filled with `str::replace` where used.

mod access;
mod apt;
#[cfg(not(target_arch = "wasm32"))]
mod apt_en;
#[cfg(not(target_arch = "wasm32"))]
mod apt_fr;
mod assess;
#[cfg(not(target_arch = "wasm32"))]
mod assess_en;
#[cfg(not(target_arch = "wasm32"))]
mod assess_fr;
mod builder;
pub mod conditions;
pub mod cpf;
mod docs;
#[cfg(not(target_arch = "wasm32"))]
mod en;
#[cfg(not(target_arch = "wasm32"))]
mod fr;
mod help;
mod integ;
mod legal;
mod library;
mod messages;
mod money;
mod notif;
mod problems;
mod projection;
mod quotes;
mod sign;
mod strings;
mod synth;
mod table;

use std::sync::atomic::{AtomicBool, Ordering};

use boussole_shared::users::Locale;
use leptos::prelude::*;

pub use access::AccessStrings;
pub use apt::AptStrings;
pub use assess::AssessStrings;
pub use builder::BuilderStrings;
pub use cpf::CpfStrings;
pub use docs::DocStrings;
#[cfg(not(target_arch = "wasm32"))]
pub use en::EN;
#[cfg(not(target_arch = "wasm32"))]
pub use fr::FR;
pub use help::HelpStrings;
pub use integ::IntegStrings;
pub use legal::LegalStrings;
pub use library::LibraryStrings;
pub use messages::MessagesStrings;
pub use money::MoneyStrings;
pub use notif::NotifStrings;
pub use projection::ProjectionStrings;
pub use quotes::{QuoteStrings, status_label as quote_status};
pub use sign::SignStrings;
pub use strings::{Common, Strings};
pub use synth::SynthStrings;

const STORAGE_KEY: &str = "boussole.locale";

/// Whether English is shown, for the API client (outside any component, so not a signal).
static ENGLISH: AtomicBool = AtomicBool::new(false);

/// The `Accept-Language` of every API call: the API writes its field messages in the language
/// shown, whatever the browser's own setting.
pub fn accept_language() -> &'static str {
    if ENGLISH.load(Ordering::Relaxed) {
        "en"
    } else {
        "fr"
    }
}

/// The interface language, provided as context by `App`. English is fetched the first time it is
/// asked for (`table.rs`); until it is there (or if it cannot be fetched) the app stays in French.
#[derive(Clone, Copy)]
pub struct I18n {
    /// The language shown.
    pub locale: RwSignal<Locale>,
    /// The language last asked for (English may still be on its way).
    wanted: StoredValue<Locale>,
}

impl I18n {
    /// Starts from the choice saved in this browser (not a secret, so localStorage is fine), else French.
    pub fn new() -> Self {
        let saved = storage().and_then(|s| s.get_item(STORAGE_KEY).ok().flatten());
        let this = I18n {
            locale: RwSignal::new(Locale::Fr),
            wanted: StoredValue::new(Locale::Fr),
        };
        this.apply(Locale::Fr);
        if let Some(saved) = saved {
            this.show(Locale::parse(&saved));
        }
        this
    }

    /// The strings of the current language (reactive).
    pub fn t(self) -> &'static Strings {
        strings_for(self.locale.get())
    }

    pub fn set(self, locale: Locale) {
        self.show(locale);
        if let Some(s) = storage() {
            let _ = s.set_item(STORAGE_KEY, locale.as_str());
        }
    }

    /// Shows `locale`, once its strings are there.
    fn show(self, locale: Locale) {
        self.wanted.set_value(locale);
        if locale == Locale::Fr || english().is_some() {
            self.locale.set(locale);
            self.apply(locale);
            return;
        }
        leptos::task::spawn_local(async move {
            // Still wanted once fetched (a second click may have gone back to French meanwhile).
            if table::load(Locale::En).await && self.wanted.get_value() == Locale::En {
                self.locale.set(Locale::En);
                self.apply(Locale::En);
            }
        });
    }

    /// `<html lang>` follows the language, so screen readers pronounce it right; the API's field
    /// messages follow it too (`accept_language`).
    fn apply(self, locale: Locale) {
        ENGLISH.store(locale == Locale::En, Ordering::Relaxed);
        if let Some(html) = document().document_element() {
            let _ = html.set_attribute("lang", locale.as_str());
        }
    }
}

/// The strings of `locale`: French until English has been fetched.
pub fn strings_for(locale: Locale) -> &'static Strings {
    match locale {
        Locale::Fr => french(),
        Locale::En => english().unwrap_or_else(french),
    }
}

/// Both languages are compiled in on the host (unit tests) and fetched in the browser (`table.rs`).
#[cfg(not(target_arch = "wasm32"))]
fn french() -> &'static Strings {
    &FR
}

#[cfg(not(target_arch = "wasm32"))]
fn english() -> Option<&'static Strings> {
    Some(&EN)
}

/// French is fetched before the app mounts (`main`), so the blank tables are never shown in practice.
#[cfg(target_arch = "wasm32")]
fn french() -> &'static Strings {
    table::loaded(Locale::Fr).unwrap_or_else(table::blank_strings)
}

#[cfg(target_arch = "wasm32")]
fn english() -> Option<&'static Strings> {
    table::loaded(Locale::En)
}

/// Fetches French; the app mounts once it is there (false: it could not be fetched).
pub async fn load_french() -> bool {
    table::load(Locale::Fr).await
}

fn storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

pub fn use_i18n() -> I18n {
    expect_context::<I18n>()
}

//! Both languages as data: the app compiles no strings table, and fetches `/fr.json` before it
//! mounts (the page preloads it beside the wasm) and `/en.json` the first time someone switches to
//! English. Both files are built from `fr.rs`/`en.rs` and the other `*_FR`/`*_EN` tables, which stay
//! Rust constants checked at compile time on the host (a missing key or translation does not compile)
//! and are left out of the wasm because nothing in it names them. Every table is a `#[repr(C)]`
//! struct of `&'static str` (or arrays of them), so its memory is a plain list of strings: the file
//! holds each table's strings in field order, and the fetched lists are viewed as the tables without
//! copying. The accessibility statement (`HelpStrings`, with its sections of variable length) stays
//! compiled in both languages.
//!
//! `fr.json` and `en.json` (in `crates/web`, copied into the build by Trunk) are checked by the unit
//! tests `french_file_is_current` and `english_file_is_current`; regenerate both with
//! `BOUSSOLE_WRITE_EN=1 cargo test -p boussole-web file_is_current`.

use super::*;

/// A table of strings that can be viewed as a list of them.
///
/// # Safety
/// Implement only for a `#[repr(C)]` struct whose every field is a `&'static str` or an array of
/// `&'static str` (or of such arrays): its memory is then exactly a `[&'static str; len::<Self>()]`.
pub unsafe trait Table: Sized + Sync + 'static {}

fn len<T: Table>() -> usize {
    size_of::<T>() / size_of::<&'static str>()
}

/// The table made of `list`, when it has exactly as many strings.
fn view<T: Table>(list: &'static [&'static str]) -> Option<&'static T> {
    // SAFETY: `Table`'s contract: `T` is laid out as `len::<T>()` consecutive `&'static str`, with
    // their alignment, which is what `list` points to; the strings live for the program's life.
    (list.len() == len::<T>()).then(|| unsafe { &*list.as_ptr().cast::<T>() })
}

/// A table whose every string is empty.
fn empty<T: Table>() -> &'static T {
    let list: &'static [&'static str] = vec![""; len::<T>()].leak();
    // SAFETY: as in `view`: exactly `len::<T>()` strings.
    unsafe { &*list.as_ptr().cast::<T>() }
}

/// The strings of a table, in field order (to write `en.json`).
#[cfg(not(target_arch = "wasm32"))]
fn strs<T: Table>(table: &T) -> &[&'static str] {
    // SAFETY: as in `view`, the other way round.
    unsafe { std::slice::from_raw_parts((table as *const T).cast::<&'static str>(), len::<T>()) }
}

macro_rules! tables {
    ($($field:ident: $ty:ty,)*) => {
        $(unsafe impl Table for $ty {})*

        /// A language from the fetched lists, one per table in this order; `None` when they do not
        /// match the app (a stale file).
        fn from_lists(
            mut lists: impl Iterator<Item = &'static [&'static str]>,
            help: &'static HelpStrings,
        ) -> Option<Strings> {
            Some(Strings {
                $($field: view(lists.next()?)?,)*
                help,
            })
        }

        /// Every table with empty strings: what a screen shows if it is ever drawn before French
        /// is there (`main` mounts the app only once it is), rather than a crash.
        fn blank() -> Strings {
            Strings {
                $($field: empty::<$ty>(),)*
                help: &help::HELP_FR,
            }
        }

        /// Every table's strings, in the order `english` reads them.
        #[cfg(not(target_arch = "wasm32"))]
        pub fn lists(s: &Strings) -> Vec<&[&'static str]> {
            vec![$(strs(s.$field),)*]
        }
    };
}

tables! {
    common: Common,
    apt: AptStrings,
    access: AccessStrings,
    assess: AssessStrings,
    proj: ProjectionStrings,
    builder: BuilderStrings,
    msg: MessagesStrings,
    docs: DocStrings,
    cpf: CpfStrings,
    money: MoneyStrings,
    quotes: QuoteStrings,
    integ: IntegStrings,
    notif: NotifStrings,
    lib: LibraryStrings,
    sign: SignStrings,
    synth: SynthStrings,
    legal: LegalStrings,
}

static FRENCH: std::sync::OnceLock<Strings> = std::sync::OnceLock::new();
static ENGLISH: std::sync::OnceLock<Strings> = std::sync::OnceLock::new();
#[cfg(target_arch = "wasm32")]
static BLANK: std::sync::OnceLock<Strings> = std::sync::OnceLock::new();

fn slot(locale: Locale) -> &'static std::sync::OnceLock<Strings> {
    match locale {
        Locale::Fr => &FRENCH,
        Locale::En => &ENGLISH,
    }
}

/// `locale`'s strings, once fetched.
#[cfg(target_arch = "wasm32")]
pub fn loaded(locale: Locale) -> Option<&'static Strings> {
    slot(locale).get()
}

/// Empty strings for every table (see `blank`).
#[cfg(target_arch = "wasm32")]
pub fn blank_strings() -> &'static Strings {
    BLANK.get_or_init(blank)
}

/// Fetches and keeps `locale`'s strings; false when it could not (offline, or a file that does not
/// match this build).
pub async fn load(locale: Locale) -> bool {
    if slot(locale).get().is_some() {
        return true;
    }
    let url = match locale {
        Locale::Fr => "/fr.json",
        Locale::En => "/en.json",
    };
    let text = match gloo_net::http::Request::get(url).send().await {
        Ok(res) if res.ok() => res.text().await.ok(),
        _ => None,
    };
    let Some(serde_json::Value::Array(tables)) =
        text.and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok())
    else {
        return false;
    };
    // Leaked once: the strings live as long as the page.
    let lists = tables.into_iter().map(|table| -> &'static [&'static str] {
        let strings = match table {
            serde_json::Value::Array(list) => list
                .into_iter()
                .map(|s| match s {
                    serde_json::Value::String(s) => &*s.leak(),
                    _ => "",
                })
                .collect(),
            _ => Vec::new(),
        };
        strings.leak()
    });
    let help = match locale {
        Locale::Fr => &help::HELP_FR,
        Locale::En => &help::HELP_EN,
    };
    match from_lists(lists, help) {
        Some(strings) => slot(locale).get_or_init(|| strings),
        None => return false,
    };
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json(strings: &Strings) -> String {
        let mut out = serde_json::to_string_pretty(&lists(strings)).unwrap_or_default();
        out.push('\n');
        out
    }

    fn check(file: &str, strings: &Strings) {
        let path = format!("{}/{file}", env!("CARGO_MANIFEST_DIR"));
        let want = json(strings);
        if std::env::var_os("BOUSSOLE_WRITE_EN").is_some() {
            assert!(std::fs::write(&path, &want).is_ok());
        }
        let have = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            have == want,
            "crates/web/{file} is not the tables' strings: run \
             BOUSSOLE_WRITE_EN=1 cargo test -p boussole-web file_is_current"
        );
    }

    #[test]
    fn french_file_is_current() {
        check("fr.json", &FR);
    }

    #[test]
    fn english_file_is_current() {
        check("en.json", &EN);
    }

    #[test]
    fn the_lists_read_back_as_the_tables() {
        for (strings, help) in [(&FR, &help::HELP_FR), (&EN, &help::HELP_EN)] {
            let lists: Vec<&'static [&'static str]> = lists(strings);
            let back = from_lists(lists.into_iter(), help);
            assert!(back.is_some());
            if let Some(back) = back {
                assert_eq!(back.nav_home, strings.nav_home);
                assert_eq!(back.sign.submit, strings.sign.submit);
                assert_eq!(back.apt.months[11], strings.apt.months[11]);
                assert_eq!(back.notif.kinds, strings.notif.kinds);
                assert_eq!(back.docs.download, strings.docs.download);
                assert_eq!(back.synth.title, strings.synth.title);
            }
        }
        assert_ne!(FR.nav_home, EN.nav_home);
        // A list of the wrong length (a stale file) is refused.
        let short: Vec<&'static [&'static str]> = vec![&["x"]];
        assert!(from_lists(short.into_iter(), &help::HELP_FR).is_none());
    }

    #[test]
    fn the_blank_tables_have_every_string_empty() {
        let b = blank();
        assert!(lists(&b).iter().all(|l| l.iter().all(|s| s.is_empty())));
        let count = |s: &Strings| lists(s).iter().map(|l| l.len()).sum::<usize>();
        assert_eq!(count(&b), count(&FR));
        assert!(count(&FR) > 1000);
    }
}
